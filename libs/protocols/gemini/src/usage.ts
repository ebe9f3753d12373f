import { isJsonObject, mergeUsage, numberOrUndefined, type IrUsage, type IrUsageUpdate } from '@gw/ir';
import type { GeminiUsageMetadata } from './gemini.schema';

/**
 * Gemini `usageMetadata` → IR usage (ADR 0015's rule). `promptTokenCount` already includes
 * `cachedContentTokenCount`; `toolUsePromptTokenCount` (input from tools Gemini ran itself) is input too.
 * `candidatesTokenCount` leaves the thoughts out, so output = candidates + `thoughtsTokenCount`, and the
 * reasoning part of it is `thoughtsTokenCount`. Gemini repeats the whole usage in every stream chunk, so
 * each one replaces what was known; a chunk with no counts (`{"trafficType":"ON_DEMAND"}`) changes nothing.
 */
export function mergeGeminiUsage(known: IrUsage | undefined, value: unknown): IrUsage | undefined {
  if (!isJsonObject(value)) return known;
  const prompt = numberOrUndefined(value.promptTokenCount);
  const toolPrompt = numberOrUndefined(value.toolUsePromptTokenCount);
  const candidates = numberOrUndefined(value.candidatesTokenCount);
  const thoughts = numberOrUndefined(value.thoughtsTokenCount);
  const cached = numberOrUndefined(value.cachedContentTokenCount);
  const update: IrUsageUpdate = {};
  if (prompt !== undefined || toolPrompt !== undefined) update.inputTokens = (prompt ?? 0) + (toolPrompt ?? 0);
  if (candidates !== undefined || thoughts !== undefined) update.outputTokens = (candidates ?? 0) + (thoughts ?? 0);
  if (thoughts !== undefined) update.reasoningTokens = thoughts;
  if (cached !== undefined) update.cachedInputTokens = cached;
  return Object.keys(update).length === 0 ? known : mergeUsage(known, update);
}

/** IR usage → Gemini `usageMetadata`: the thoughts taken back out of the candidates count. */
export function encodeGeminiUsage(usage: IrUsage | undefined): GeminiUsageMetadata {
  const reasoning = usage?.reasoningTokens ?? 0;
  const metadata: GeminiUsageMetadata = {
    promptTokenCount: usage?.inputTokens ?? 0,
    candidatesTokenCount: Math.max(0, (usage?.outputTokens ?? 0) - reasoning),
    totalTokenCount: usage?.totalTokens ?? 0,
  };
  if (usage?.cachedInputTokens !== undefined) metadata.cachedContentTokenCount = usage.cachedInputTokens;
  if (usage?.reasoningTokens !== undefined) metadata.thoughtsTokenCount = usage.reasoningTokens;
  return metadata;
}
