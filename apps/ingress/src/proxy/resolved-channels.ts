import type { ChannelSnapshot } from '@gw/contracts';
import { resolveChannel, type ResolvedChannel } from '@gw/providers';

/**
 * Each channel snapshot resolved once (preset, URL, headers; `@gw/providers`), not once per request. Snapshots
 * are replaced whole when routing changes, so a WeakMap forgets a resolution with the snapshot it was made for.
 */
const resolved = new WeakMap<ChannelSnapshot, ResolvedChannel>();

export function resolvedChannel(channel: ChannelSnapshot): ResolvedChannel {
  let resolution = resolved.get(channel);
  if (resolution === undefined) {
    resolution = resolveChannel(channel);
    resolved.set(channel, resolution);
  }
  return resolution;
}
