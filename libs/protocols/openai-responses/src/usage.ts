import type { IrUsage } from '@gw/ir';
import { isJsonObject, numberOrUndefined } from '@gw/ir';
import type { ResponsesUsage } from './responses.schema';

/** Upstream `usage` → IR, leniently: missing counts are 0, a missing total is the sum. */
export function decodeResponsesUsage(value: unknown): IrUsage | undefined {
  if (!isJsonObject(value)) return undefined;
  const inputTokens = numberOrUndefined(value.input_tokens) ?? 0;
  const outputTokens = numberOrUndefined(value.output_tokens) ?? 0;
  const usage: IrUsage = {
    inputTokens,
    outputTokens,
    totalTokens: numberOrUndefined(value.total_tokens) ?? inputTokens + outputTokens,
  };
  const cached = isJsonObject(value.input_tokens_details) ? numberOrUndefined(value.input_tokens_details.cached_tokens) : undefined;
  if (cached !== undefined) usage.cachedInputTokens = cached;
  const reasoning = isJsonObject(value.output_tokens_details) ? numberOrUndefined(value.output_tokens_details.reasoning_tokens) : undefined;
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return usage;
}

/** IR → the client's `usage`; the detail objects are always present because Codex and the SDK read them. */
export function encodeResponsesUsage(usage: IrUsage): ResponsesUsage {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.totalTokens,
  };
}
