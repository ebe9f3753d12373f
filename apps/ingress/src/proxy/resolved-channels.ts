import type { ChannelSnapshot } from '@gw/contracts';
import { GatewayError } from '@gw/ir';
import { UnknownPresetError, resolveChannel, type ResolvedChannel } from '@gw/providers';
import { upstreamWireFor } from '@gw/protocol-registry';

/**
 * Each channel snapshot resolved once with its preset and its type's wire (`@gw/providers`: URL per model,
 * signing and extra headers, quirks), not once per request. Snapshots are replaced whole when routing changes,
 * so a WeakMap forgets a resolution with the snapshot it was made for.
 */
const resolved = new WeakMap<ChannelSnapshot, ResolvedChannel>();

export function resolvedChannel(channel: ChannelSnapshot): ResolvedChannel {
  let resolution = resolved.get(channel);
  if (resolution === undefined) {
    try {
      resolution = resolveChannel(channel, upstreamWireFor(channel.type));
    } catch (error) {
      // A preset this build does not know (a newer routing service): the channel cannot be called, a 502.
      if (error instanceof UnknownPresetError) throw new GatewayError('upstream_error', `Upstream ${error.message}.`);
      throw error;
    }
    resolved.set(channel, resolution);
  }
  return resolution;
}
