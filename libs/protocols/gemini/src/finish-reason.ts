import type { IrFinishReason } from '@gw/ir';

/**
 * Gemini `finishReason` → IR. Gemini says `STOP` for an answer that ends in function calls too: the decoders
 * turn it into `tool_calls` when the answer holds a call. Safety-type stops (`SAFETY`, `RECITATION`,
 * `BLOCKLIST`, `PROHIBITED_CONTENT`, `SPII`, image safety) are `content_filter`; a malformed or refused tool
 * call or response (`MALFORMED_FUNCTION_CALL`, `UNEXPECTED_TOOL_CALL`, `TOO_MANY_TOOL_CALLS`,
 * `MISSING_THOUGHT_SIGNATURE`, `MALFORMED_RESPONSE`) is an `error`: the answer is unusable and every client
 * encoder reports it as a failure. `OTHER`, `LANGUAGE`, `NO_IMAGE`, unspecified and unknown values read as `stop`.
 * @see https://ai.google.dev/api/generate-content#FinishReason
 */
const geminiToIr: Record<string, IrFinishReason> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  IMAGE_SAFETY: 'content_filter',
  IMAGE_PROHIBITED_CONTENT: 'content_filter',
  IMAGE_RECITATION: 'content_filter',
  MALFORMED_FUNCTION_CALL: 'error',
  UNEXPECTED_TOOL_CALL: 'error',
  TOO_MANY_TOOL_CALLS: 'error',
  MISSING_THOUGHT_SIGNATURE: 'error',
  MALFORMED_RESPONSE: 'error',
};

/** IR → Gemini. `tool_calls` is `STOP` (Gemini's own way); `error` never reaches a client as a finish reason. */
const irToGemini: Record<IrFinishReason, string> = {
  stop: 'STOP',
  length: 'MAX_TOKENS',
  tool_calls: 'STOP',
  content_filter: 'SAFETY',
  error: 'OTHER',
};

export function geminiFinishReasonToIr(reason: string, hasToolCalls: boolean): IrFinishReason {
  const mapped = geminiToIr[reason] ?? 'stop';
  return mapped === 'stop' && hasToolCalls ? 'tool_calls' : mapped;
}

export function irFinishReasonToGemini(reason: IrFinishReason): string {
  return irToGemini[reason];
}
