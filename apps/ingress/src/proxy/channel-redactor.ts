import type { ChannelSnapshot } from '@gw/contracts';
import { SecretRedactor } from '@gw/ir';

/**
 * One redactor per channel snapshot: it knows every credential that channel sends upstream. Snapshots are
 * replaced whole when routing changes, so a WeakMap forgets a redactor with the snapshot it was made for.
 */
const redactors = new WeakMap<ChannelSnapshot, SecretRedactor>();

export function redactorFor(channel: ChannelSnapshot): SecretRedactor {
  let redactor = redactors.get(channel);
  if (redactor === undefined) {
    redactor = new SecretRedactor([channel.apiKey]);
    redactors.set(channel, redactor);
  }
  return redactor;
}
