import type { ChannelSnapshot } from '@gw/contracts';
import { SecretRedactor } from '@gw/ir';
import { channelSecrets } from '@gw/providers';

/**
 * One redactor per channel snapshot: it knows every credential that channel sends upstream (its key and its
 * extra header values). Snapshots are
 * replaced whole when routing changes, so a WeakMap forgets a redactor with the snapshot it was made for.
 */
const redactors = new WeakMap<ChannelSnapshot, SecretRedactor>();

export function redactorFor(channel: ChannelSnapshot): SecretRedactor {
  let redactor = redactors.get(channel);
  if (redactor === undefined) {
    redactor = new SecretRedactor(channelSecrets(channel));
    redactors.set(channel, redactor);
  }
  return redactor;
}
