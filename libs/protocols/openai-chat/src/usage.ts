import { isJsonObject, numberOrUndefined } from '@gw/ir';
import type { IrUsage } from '@gw/ir';
import type { ChatUsage } from './chat.schema';

/**
 * Upstream `usage` → IR; undefined when the value is not a usage object (OpenAI streams send `usage: null`
 * on every chunk but the last). Cached input tokens come from OpenAI's `prompt_tokens_details.cached_tokens`
 * or, on DeepSeek, `prompt_cache_hit_tokens`.
 * @see https://api-docs.deepseek.com/api/create-chat-completion
 */
export function decodeChatUsage(usage: unknown): IrUsage | undefined {
  if (!isJsonObject(usage)) return undefined;
  const inputTokens = numberOrUndefined(usage.prompt_tokens) ?? 0;
  const outputTokens = numberOrUndefined(usage.completion_tokens) ?? 0;
  const decoded: IrUsage = {
    inputTokens,
    outputTokens,
    totalTokens: numberOrUndefined(usage.total_tokens) ?? inputTokens + outputTokens,
  };
  const promptDetails = isJsonObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const cachedInputTokens = numberOrUndefined(promptDetails.cached_tokens) ?? numberOrUndefined(usage.prompt_cache_hit_tokens);
  if (cachedInputTokens !== undefined) decoded.cachedInputTokens = cachedInputTokens;
  const completionDetails = isJsonObject(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  const reasoningTokens = numberOrUndefined(completionDetails.reasoning_tokens);
  if (reasoningTokens !== undefined) decoded.reasoningTokens = reasoningTokens;
  return decoded;
}

export function encodeChatUsage(usage: IrUsage): ChatUsage {
  const encoded: ChatUsage = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.totalTokens,
  };
  if (usage.cachedInputTokens !== undefined) encoded.prompt_tokens_details = { cached_tokens: usage.cachedInputTokens };
  if (usage.reasoningTokens !== undefined) encoded.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  return encoded;
}
