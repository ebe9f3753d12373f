import type { IncomingHttpHeaders } from 'node:http';
import type { VerifiedApiKey } from '@gw/contracts';
import { GatewayError } from '@gw/ir';
import type { RoutingTable } from '@gw/routing-core';

/** The header a client sends to use another profile of its own key for one request. */
export const PROFILE_HEADER = 'ah-profile';

/**
 * The profile a request is mapped through: the key's active one, or the one the client names in
 * `AH-Profile` for this request alone. Only the key's own profiles can be named; an unknown name is the
 * client's mistake (400), never a silent fall-back to the active profile, which would map the model in a
 * way the client did not ask for.
 */
export function chooseProfile(headers: IncomingHttpHeaders, key: VerifiedApiKey, table: RoutingTable): string | null {
  const value = headers[PROFILE_HEADER];
  const named = Array.isArray(value) ? value[0] : value;
  if (named === undefined || named.trim() === '') return key.activeProfile;
  const name = named.trim();
  if (table.profileFor(key.apiKeyId, name) === undefined) {
    throw new GatewayError('invalid_request', `The profile \`${name.slice(0, 200)}\` (AH-Profile header) does not exist for this API key.`);
  }
  return name;
}
