import type { ChannelSnapshot } from '@gw/contracts';
import type { WarningCollector } from '@gw/ir';
import { hasRequestQuirks, rejectedParameters, warnDropped, withoutParameters } from '@gw/providers';
import { resolvedChannel } from './resolved-channels';

/**
 * Request fields the channel's vendor refuses (its preset's quirks: Groq's `logprobs`, Mistral's
 * `stream_options`), taken out of the upstream body with a warning when the client asked for them. Channels
 * without a preset have no quirks: both functions then return at once.
 */

/** A translated request: the encoded Chat body without them (`stream_options` is the gateway's own there). */
export function withoutRejectedFields(channel: ChannelSnapshot, body: unknown, warnings: WarningCollector): unknown {
  const { quirks } = resolvedChannel(channel);
  if (!hasRequestQuirks(quirks)) return body;
  const fields = body as Record<string, unknown>;
  const dropped = rejectedParameters(fields, quirks, new Set(Object.keys(fields).filter((name) => name !== 'stream_options')));
  warnDropped(dropped, warnings);
  return withoutParameters(fields, dropped);
}

/**
 * A pass-through request: the names to take out of the forwarded body (which adds `stream_options` itself to a
 * stream), with a warning for each the client sent.
 */
export function passthroughRejectedFields(
  channel: ChannelSnapshot,
  clientBody: Record<string, unknown>,
  stream: boolean,
  warnings: WarningCollector,
): string[] {
  const { quirks } = resolvedChannel(channel);
  if (!hasRequestQuirks(quirks)) return [];
  const forwarded = stream ? { ...clientBody, stream_options: true } : clientBody;
  const dropped = rejectedParameters(forwarded, quirks, clientBody);
  warnDropped(dropped, warnings);
  return dropped.map((field) => field.name);
}
