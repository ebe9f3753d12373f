import { isJsonObject, stringOrUndefined, systemCodecContext, type IrUsage } from '@gw/ir';
import {
  apiKeyFromHeaders,
  type ClientWire,
  type InboundRoute,
  type PassthroughHooks,
  type PassthroughStreamInspector,
  type PassthroughStreamVerdict,
  type UpstreamWire,
  editedBody,
} from '@gw/wire';
import type { SseEvent } from '@gw/sse';
import { decodeGeminiCountTokensRequest, geminiCountBodyForUpstream, geminiTokenCounter } from './count-tokens';
import { decodeGeminiRequest } from './decode-request';
import { decodeGeminiResponse } from './decode-response';
import { encodeGeminiRequest } from './encode-request';
import { encodeGeminiResponse } from './encode-response';
import { decodeGeminiStreamError, decodeGeminiUpstreamError, geminiErrorFor } from './errors';
import { geminiFinishReasonToIr } from './finish-reason';
import { field } from './provider-data';
import { blockReason, firstCandidate } from './response-parts';
import { GeminiStreamDecoder } from './stream-decoder';
import { GeminiStreamEncoder } from './stream-encoder';
import { geminiModelCatalog, geminiModelSegment } from './models';
import { mergeGeminiUsage } from './usage';
import { geminiRoute, routeProblem } from './wire-route';

const FORWARD: PassthroughStreamVerdict = { forward: true };
/**
 * Members whose event the pass-through parses: `usageMetadata` (cumulative, in every chunk: the last one in a
 * block is the news), an `error` and the `finishReason` that completes the answer. Inside JSON strings a quote
 * is escaped, so these bytes only occur as keys (or as a string value equal to the word, which costs a parse).
 */
const INSPECTED_MEMBERS = ['"usageMetadata"', '"finishReason"', '"error"'];
/** Until the stream's first function call is seen, its chunk is parsed too: it decides what `STOP` means. */
const INSPECTED_UNTIL_A_CALL = [...INSPECTED_MEMBERS, '"functionCall"'];

function hasFunctionCall(parts: readonly Record<string, unknown>[]): boolean {
  return parts.some((part) => field(part, 'functionCall') !== undefined);
}

/**
 * One Gemini pass-through stream. Gemini says `STOP` for an answer that ends in a function call, and the call
 * may come in a chunk before the one with the `finishReason` (its recordings do): the inspector remembers a
 * call it saw, so the finish reads `tool_calls`, as the translating decoder reads it.
 */
class GeminiStreamInspector implements PassthroughStreamInspector {
  private sawCall = false;

  inspectionPoint(events: Buffer): number {
    let point = -1;
    for (const member of this.sawCall ? INSPECTED_MEMBERS : INSPECTED_UNTIL_A_CALL) {
      const at = events.lastIndexOf(member);
      if (at !== -1 && (point === -1 || at < point)) point = at;
    }
    return point;
  }

  inspect(event: SseEvent): PassthroughStreamVerdict {
    let chunk: unknown;
    try {
      chunk = JSON.parse(event.data);
    } catch {
      return FORWARD;
    }
    if (Array.isArray(chunk)) chunk = chunk[0];
    if (!isJsonObject(chunk)) return FORWARD;
    if (isJsonObject(chunk.error)) return { forward: true, errorMessage: decodeGeminiStreamError(chunk).message };
    const usage = usageOf(chunk);
    const { parts, finishReason } = firstCandidate(chunk);
    if (!this.sawCall && hasFunctionCall(parts)) this.sawCall = true;
    const blocked = finishReason === undefined ? blockReason(chunk) : undefined;
    if (finishReason === undefined && blocked === undefined) {
      return usage === undefined ? FORWARD : { forward: true, usage, answer: identityOf(chunk) };
    }
    return {
      forward: true,
      ...(usage === undefined ? {} : { usage }),
      terminal: true,
      answer: {
        ...identityOf(chunk),
        finishReason: finishReason === undefined ? 'content_filter' : geminiFinishReasonToIr(finishReason, this.sawCall),
      },
    };
  }

  completesIn(): boolean {
    return false; // the finishing chunk is an inspected event (`terminal`)
  }

  finishReasonIn(): undefined {
    return undefined;
  }
}

/** The finish reasons of a whole answer's candidates, in the IR's words (`STOP` with a call is `tool_calls`). */
function finishReasonsOf(answer: Record<string, unknown>): string[] {
  const reasons: string[] = [];
  if (!Array.isArray(answer.candidates)) return reasons;
  for (const candidate of answer.candidates as unknown[]) {
    if (!isJsonObject(candidate)) continue;
    const reason = stringOrUndefined(field(candidate, 'finishReason'));
    if (reason === undefined) continue;
    const content = isJsonObject(candidate.content) ? candidate.content : {};
    const parts = Array.isArray(content.parts) ? (content.parts as unknown[]) : [];
    reasons.push(geminiFinishReasonToIr(reason, hasFunctionCall(parts.filter(isJsonObject))));
  }
  return reasons;
}

function usageOf(answer: Record<string, unknown>): IrUsage | undefined {
  return mergeGeminiUsage(undefined, field(answer, 'usageMetadata'));
}

function identityOf(answer: Record<string, unknown>): { id: unknown; model: unknown } {
  return { id: field(answer, 'responseId'), model: field(answer, 'modelVersion') };
}

/**
 * A Gemini client and a Gemini channel: the model is in the URL (mapped there), so the body goes on as the
 * bytes it came as (but a countTokens `generateContentRequest`, which names the model again). A stream has no terminal event of its own: the chunk whose candidate carries a
 * `finishReason` (or a `promptFeedback.blockReason`) completes it, and a stream that ends without one was cut.
 */
const geminiPassthrough: PassthroughHooks = {
  upstreamBody: (body, upstreamModel, _stream, removed = []) => {
    // Only a countTokens body holds a `generateContentRequest` (Google refuses one elsewhere); it names the model.
    const counted = geminiCountBodyForUpstream(body.value, upstreamModel);
    if (counted !== undefined) return JSON.stringify(counted);
    // The model is in the URL: only removals edit the body.
    return removed.length === 0 ? body.bytes : editedBody(body, {}, [], removed);
  },
  usageOf,
  identityOf,
  finishReasonsOf,
  isErrorAnswer: (answer) => isJsonObject(answer.error) && answer.candidates === undefined,
  createInspector: () => new GeminiStreamInspector(),
};

/**
 * Gemini (Generative Language API) as clients speak it: `POST /v1beta/models/{model}:generateContent`,
 * `:streamGenerateContent?alt=sse` and `:countTokens` (also under `/v1`), its model list, the key in `x-goog-api-key` or `?key=` (a Bearer token
 * or the other headers every route takes also work), errors as `{"error":{"code","message","status"}}`.
 */
export const geminiClientWire: ClientWire = {
  name: 'gemini',
  nativeChannelType: 'gemini',
  paths: [],
  matchPath: geminiRoute,
  apiKey(headers, query) {
    const header = headers['x-goog-api-key'];
    if (typeof header === 'string' && header.trim() !== '') return header.trim();
    if (query !== '') {
      const key = new URLSearchParams(query).get('key');
      if (key !== null && key.trim() !== '') return key.trim();
    }
    return apiKeyFromHeaders(headers);
  },
  decodeRequest(body, route: InboundRoute) {
    const problem = routeProblem(route);
    if (problem !== undefined) throw problem;
    const model = route.model ?? '';
    if (route.operation === 'count_tokens') return decodeGeminiCountTokensRequest(body, model);
    return decodeGeminiRequest(body, { model, stream: route.stream ?? false });
  },
  encodeResponse: (response, ctx, model) => encodeGeminiResponse(response, ctx, { model }),
  createStreamEncoder: (ctx, options) => new GeminiStreamEncoder(ctx, { model: options.model }),
  encodeTokenCount: (totalTokens) => ({ totalTokens }),
  errorResponse: geminiErrorFor,
  passthrough: geminiPassthrough,
  models: geminiModelCatalog,
};

/**
 * Channel type `gemini`: `{base_url}/models/{model}:generateContent`, or `:streamGenerateContent?alt=sse` (SSE,
 * each event a whole response), the key in `x-goog-api-key`; base URL
 * `https://generativelanguage.googleapis.com/v1beta`.
 */
export const geminiUpstreamWire: UpstreamWire = {
  channelType: 'gemini',
  requestPath: (model, stream) => `/models/${geminiModelSegment(model)}${stream ? ':streamGenerateContent?alt=sse' : ':generateContent'}`,
  requestHeaders: (apiKey) => ({ 'x-goog-api-key': apiKey }),
  encodeRequest: encodeGeminiRequest,
  decodeResponse: (body, toolNames) => decodeGeminiResponse(body, systemCodecContext, toolNames),
  createStreamDecoder: (ctx, toolNames) => new GeminiStreamDecoder(ctx, toolNames),
  decodeError: decodeGeminiUpstreamError,
  countTokens: geminiTokenCounter,
};
