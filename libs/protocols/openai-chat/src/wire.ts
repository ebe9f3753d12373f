import { toOpenAiErrorBody, type GatewayError } from '@gw/ir';
import { apiKeyFromHeaders, type ClientWire, type PassthroughHooks, type UpstreamWire, editedBody } from '@gw/wire';
import type { PassthroughStreamInspector, PassthroughStreamVerdict } from '@gw/wire';
import { decodeChatRequest } from './decode-request';
import { decodeChatResponse } from './decode-response';
import { encodeChatRequest } from './encode-request';
import { encodeChatResponse } from './encode-response';
import { ChatStreamDecoder } from './stream-decoder';
import { ChatStreamEncoder } from './stream-encoder';
import { decodeChatUpstreamError, describeUpstreamError } from './upstream-error';
import { decodeChatUsage } from './usage';
import { chatFinishReasonToIr } from './finish-reason';
import { openAiModelCatalog } from './models';

/** Both OpenAI protocols answer errors in one envelope, with the gateway's status for each code. */
export function openAiErrorResponse(error: GatewayError): { status: number; body: unknown } {
  return { status: error.httpStatus, body: toOpenAiErrorBody(error) };
}

const FORWARD: PassthroughStreamVerdict = { forward: true };
/**
 * Read by the gateway but forwarded unchanged. A case variant (`STREAM`) that a case-insensitive upstream
 * would read instead would make it answer in the other shape (events for a whole answer, or the reverse).
 */
export const GUARDED_KEYS = ['stream'];
const USAGE_OBJECT = /"usage":\s*\{/;
/** A finish reason that is not `null`, as compact and as spaced JSON write it. */
const FINISH_REASON_SET = [Buffer.from('"finish_reason":"'), Buffer.from('"finish_reason": "')];
const QUOTE = 0x22;

/**
 * Chat's events say all on their own: usage and errors in the chunk that carries them, the finish reason
 * in its chunk, explicitly (`tool_calls` for calls), so one stateless inspector serves every stream. Finish
 * reasons are read in the IR's words, as the translated path reads them (`function_call` is `tool_calls`).
 */
const CHAT_INSPECTOR: PassthroughStreamInspector = {
  inspectionPoint(events) {
    // OpenAI sends `"usage":null` in every chunk: only the last mention can be the usage object.
    const usage = events.lastIndexOf('"usage":');
    const usageIsObject = usage !== -1 && /^\s*\{/.test(events.toString('latin1', usage + 8, usage + 16));
    const error = events.lastIndexOf('"error"');
    if (usageIsObject && error !== -1) return Math.min(usage, error);
    return usageIsObject ? usage : error;
  },
  inspect(event, clientWantsUsage) {
    // Cheap pre-check: only chunks that carry usage or an error are parsed (OpenAI sends `"usage":null` in
    // every chunk, so looking for the key alone would parse them all).
    if (!USAGE_OBJECT.test(event.data) && !event.data.includes('"error"')) return FORWARD;
    if (event.data === '[DONE]') return FORWARD;
    let chunk: { usage?: unknown; choices?: unknown[]; error?: unknown };
    try {
      chunk = JSON.parse(event.data) as typeof chunk;
    } catch {
      return FORWARD;
    }
    if (chunk.error) return { forward: true, errorMessage: describeUpstreamError(chunk.error) };
    const usage = decodeChatUsage(chunk.usage);
    const usageOnly = Array.isArray(chunk.choices) && chunk.choices.length === 0;
    const answer = usage ? { id: (chunk as { id?: unknown }).id, model: (chunk as { model?: unknown }).model } : undefined;
    return { forward: clientWantsUsage || !usage || !usageOnly, usage, answer };
  },
  completesIn(events) {
    return FINISH_REASON_SET.some((marker) => events.includes(marker));
  },
  finishReasonIn(events) {
    for (const marker of FINISH_REASON_SET) {
      const at = events.indexOf(marker);
      if (at === -1) continue;
      const end = events.indexOf(QUOTE, at + marker.length);
      // Finish reasons are short words; anything longer is not one.
      if (end !== -1 && end - at - marker.length <= 32) return chatFinishReasonToIr(events.toString('latin1', at + marker.length, end));
    }
    return undefined;
  },
};

const chatPassthrough: PassthroughHooks = {
  upstreamBody(body, mappedModel, stream, removed = []) {
    const set: Record<string, unknown> = { model: mappedModel };
    // A vendor that rejects `stream_options` (Mistral) does not get it, usage or not.
    if (stream && !removed.includes('stream_options')) {
      // The request log needs usage even when the client did not ask for it; the extra chunk is dropped
      // below. Written out whole from the parsed options, so a repeated key inside cannot hide the flag.
      const options = body.value.stream_options;
      set.stream_options = { ...(typeof options === 'object' && options !== null ? options : {}), include_usage: true };
    }
    return editedBody(body, set, GUARDED_KEYS, removed);
  },
  usageOf: (answer) => decodeChatUsage(answer.usage),
  identityOf: (answer) => ({ id: answer.id, model: answer.model }),
  finishReasonsOf(answer) {
    // One pass, one array: this runs for every whole pass-through answer, tracing on or off.
    const reasons: string[] = [];
    if (!Array.isArray(answer.choices)) return reasons;
    for (const choice of answer.choices as unknown[]) {
      const reason = typeof choice === 'object' && choice !== null ? (choice as { finish_reason?: unknown }).finish_reason : undefined;
      if (typeof reason === 'string') reasons.push(chatFinishReasonToIr(reason));
    }
    return reasons;
  },
  isErrorAnswer: (answer) => answer.error !== undefined && answer.error !== null && answer.choices === undefined,
  createInspector: () => CHAT_INSPECTOR,
};

/** OpenAI Chat Completions as clients speak it (`POST /v1/chat/completions`). */
export const openAiChatClientWire: ClientWire = {
  name: 'openai-chat',
  nativeChannelType: 'openai',
  paths: ['/v1/chat/completions'],
  apiKey: (headers) => apiKeyFromHeaders(headers),
  decodeRequest: (body) => decodeChatRequest(body),
  encodeResponse: (response, ctx, model) => encodeChatResponse(response, ctx, { model }),
  createStreamEncoder: (ctx, options) => new ChatStreamEncoder(ctx, options),
  errorResponse: openAiErrorResponse,
  passthrough: chatPassthrough,
  models: openAiModelCatalog,
};

/** Channel type `openai`: Chat Completions at `{base_url}/chat/completions`, the key as a Bearer token. */
export const openAiChatUpstreamWire: UpstreamWire = {
  channelType: 'openai',
  requestPath: () => '/chat/completions',
  requestHeaders: bearerAuthorization,
  encodeRequest: encodeChatRequest,
  decodeResponse: decodeChatResponse,
  createStreamDecoder: (ctx, toolNames) => new ChatStreamDecoder(ctx, toolNames),
  decodeError: decodeChatUpstreamError,
};

export function bearerAuthorization(apiKey: string): Record<string, string> {
  return { authorization: `Bearer ${apiKey}` };
}
