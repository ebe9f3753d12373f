import { isJsonObject, mergeUsage, numberOrUndefined, type IrUsage, type IrUsageUpdate } from '@gw/ir';
import type { AnthropicUsage } from './anthropic.schema';

/**
 * Anthropic `usage` (whole, or the part a stream event carries) merged into what is known so far. Anthropic's
 * `input_tokens` leaves out cache reads and writes; the IR's `inputTokens` includes them (ADR 0015), so they are
 * added in, taking a cache count this part does not name from `known`.
 */
export function mergeAnthropicUsage(known: IrUsage | undefined, value: unknown): IrUsage | undefined {
  if (!isJsonObject(value)) return known;
  const update: IrUsageUpdate = {};
  const cacheRead = numberOrUndefined(value.cache_read_input_tokens);
  const cacheWrite = numberOrUndefined(value.cache_creation_input_tokens);
  if (cacheRead !== undefined) update.cachedInputTokens = cacheRead;
  if (cacheWrite !== undefined) update.cacheWriteInputTokens = cacheWrite;
  const input = numberOrUndefined(value.input_tokens);
  if (input !== undefined) {
    update.inputTokens = input + (cacheRead ?? known?.cachedInputTokens ?? 0) + (cacheWrite ?? known?.cacheWriteInputTokens ?? 0);
  }
  const output = numberOrUndefined(value.output_tokens);
  if (output !== undefined) update.outputTokens = output;
  return Object.keys(update).length === 0 ? known : mergeUsage(known, update);
}

/** IR → Anthropic usage: cache reads and writes taken back out of `input_tokens`. */
export function encodeAnthropicUsage(usage: IrUsage | undefined): AnthropicUsage {
  const cacheRead = usage?.cachedInputTokens ?? 0;
  const cacheWrite = usage?.cacheWriteInputTokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.inputTokens ?? 0) - cacheRead - cacheWrite),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    output_tokens: usage?.outputTokens ?? 0,
  };
}
