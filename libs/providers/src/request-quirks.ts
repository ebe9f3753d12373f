import type { WarningCollector } from '@gw/ir';
import type { RequestQuirks } from './preset';

/** A field the vendor refuses, removed from the upstream body; `warn` when the client had sent it. */
export interface DroppedParameter {
  name: string;
  warn: boolean;
}

/**
 * The top-level fields of a Chat body the channel's vendor refuses (Groq's `logprobs`, Mistral's
 * `stream_options`). `clientFields` are the fields the client sent: a field the gateway added itself (Chat
 * streams get `stream_options` for usage) is dropped without a warning.
 */
export function rejectedParameters(
  body: Readonly<Record<string, unknown>>,
  quirks: RequestQuirks,
  clientFields: ReadonlySet<string> | Readonly<Record<string, unknown>>,
): DroppedParameter[] {
  const sent = (name: string): boolean => (clientFields instanceof Set ? clientFields.has(name) : Object.hasOwn(clientFields, name));
  const dropped: DroppedParameter[] = [];
  for (const name of quirks.rejectedParameters ?? []) {
    if (Object.hasOwn(body, name)) dropped.push({ name, warn: sent(name) });
  }
  if (quirks.rejectsStreamOptions && Object.hasOwn(body, 'stream_options'))
    dropped.push({ name: 'stream_options', warn: sent('stream_options') });
  return dropped;
}

/** The body without the dropped fields (a copy; the input is left as it is). */
export function withoutParameters<T extends Record<string, unknown>>(body: T, dropped: readonly DroppedParameter[]): T {
  if (dropped.length === 0) return body;
  const copy: Record<string, unknown> = { ...body };
  for (const { name } of dropped) delete copy[name];
  return copy as T;
}

/** Warns for each dropped field the client had sent (the AH-Warnings header and the request log show them). */
export function warnDropped(dropped: readonly DroppedParameter[], warnings: WarningCollector): void {
  for (const { name, warn } of dropped) {
    if (warn) warnings.add('parameter_dropped', `'${name}' is rejected by this channel's provider and was not sent`);
  }
}

export function hasRequestQuirks(quirks: RequestQuirks): boolean {
  return (quirks.rejectedParameters?.length ?? 0) > 0 || quirks.rejectsStreamOptions === true;
}
