/**
 * Token usage with one rule whatever the provider counts (ADR 0015):
 * - `inputTokens` is every input token, cached ones included: cache reads and cache writes are parts of
 *   it, never added to it. OpenAI's `prompt_tokens` already counts this way; Anthropic's `input_tokens`
 *   excludes cache reads and writes, so its codec adds them in and takes them out again.
 * - `outputTokens` is every output token, reasoning included; `reasoningTokens` is the part of it that was reasoning.
 * - `totalTokens` is input + output.
 */
export interface IrUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Input tokens read from the provider's prompt cache (part of `inputTokens`). */
  cachedInputTokens?: number;
  /** Input tokens written to the provider's prompt cache (part of `inputTokens`; Anthropic reports them). */
  cacheWriteInputTokens?: number;
  /** Output tokens spent on reasoning (part of `outputTokens`). */
  reasoningTokens?: number;
}

/** Usage as it arrives in parts (Anthropic: input in `message_start`, output in `message_delta`): any subset. */
export type IrUsageUpdate = Partial<Omit<IrUsage, 'totalTokens'>>;

/**
 * `update` merged into `base`: counts the update names replace the base's, the others are kept, and the
 * total is recomputed. A `usage` stream event always carries the merged usage so far, so whoever keeps only
 * the last one (client encoders, the request log) still has every part.
 */
export function mergeUsage(base: IrUsage | undefined, update: IrUsageUpdate): IrUsage {
  const merged: IrUsage = {
    inputTokens: update.inputTokens ?? base?.inputTokens ?? 0,
    outputTokens: update.outputTokens ?? base?.outputTokens ?? 0,
    totalTokens: 0,
  };
  const cachedInputTokens = update.cachedInputTokens ?? base?.cachedInputTokens;
  if (cachedInputTokens !== undefined) merged.cachedInputTokens = cachedInputTokens;
  const cacheWriteInputTokens = update.cacheWriteInputTokens ?? base?.cacheWriteInputTokens;
  if (cacheWriteInputTokens !== undefined) merged.cacheWriteInputTokens = cacheWriteInputTokens;
  const reasoningTokens = update.reasoningTokens ?? base?.reasoningTokens;
  if (reasoningTokens !== undefined) merged.reasoningTokens = reasoningTokens;
  merged.totalTokens = merged.inputTokens + merged.outputTokens;
  return merged;
}
