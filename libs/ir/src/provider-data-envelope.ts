import type { IrProviderData } from './items';

/**
 * Other issuers' reasoning state shown to a client whose protocol has a slot for opaque reasoning state of its
 * own (an Anthropic thinking `signature`, a Gemini `thoughtSignature`), which its clients send back verbatim:
 * `PROVIDER_DATA_ENVELOPE_PREFIX` + base64url(JSON of that provider data). When the conversation goes back to
 * the issuer's upstream type, the state is replayed losslessly (ADR 0015, ADR 0017). Same format as the
 * Anthropic codec's `foreignSignature`, which is this with issuer `anthropic`.
 */
export const PROVIDER_DATA_ENVELOPE_PREFIX = 'axonhub-pd1.';

/** The envelope of every issuer's data but `ownIssuer`'s, or undefined when there is none. */
export function providerDataEnvelope(providerData: IrProviderData | undefined, ownIssuer: string): string | undefined {
  if (providerData === undefined) return undefined;
  const foreign = Object.fromEntries(Object.entries(providerData).filter(([issuer]) => issuer !== ownIssuer));
  if (Object.keys(foreign).length === 0) return undefined;
  return PROVIDER_DATA_ENVELOPE_PREFIX + Buffer.from(JSON.stringify(foreign), 'utf8').toString('base64url');
}

/**
 * The provider data inside a gateway envelope; undefined for anything else (the issuer's own signatures) and
 * anything malformed. Never `ownIssuer`'s data: a client could have written the envelope, and the issuer's
 * own state must come from the issuer.
 */
export function providerDataFromEnvelope(value: string, ownIssuer: string): IrProviderData | undefined {
  if (!value.startsWith(PROVIDER_DATA_ENVELOPE_PREFIX)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value.slice(PROVIDER_DATA_ENVELOPE_PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const entries = Object.entries(parsed).filter(
    (entry): entry is [string, Record<string, unknown>] =>
      entry[0] !== ownIssuer && typeof entry[1] === 'object' && entry[1] !== null && !Array.isArray(entry[1]),
  );
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}
