import {
  GUARDED_KEYS,
  bearerAuthorization,
  decodeChatUpstreamError,
  describeUpstreamError,
  openAiErrorResponse,
} from '@gw/protocol-openai-chat';
import { apiKeyFromHeaders, type ClientWire, type PassthroughHooks, type UpstreamWire, editedBody } from '@gw/wire';
import type { PassthroughStreamInspector, PassthroughStreamVerdict } from '@gw/wire';
import { decodeResponsesRequest } from './decode-request';
import { decodeResponsesResponse } from './decode-response';
import { encodeResponsesRequest } from './encode-request';
import { encodeResponsesResponse } from './encode-response';
import { ResponsesStreamDecoder } from './stream-decoder';
import { ResponsesStreamEncoder } from './stream-encoder';
import { decodeResponsesUsage } from './usage';

const FORWARD: PassthroughStreamVerdict = { forward: true };

/**
 * A Responses answer's finish reason in the words Chat (and the translated path) uses: `completed` is `stop`,
 * or `tool_calls` when the output holds a function call (as the translating decoders read it); incomplete for
 * `max_output_tokens` is `length`; anything else as the upstream said it.
 */
function responsesFinishReason(
  response: { status?: unknown; incomplete_details?: unknown; output?: unknown } | undefined,
): string | undefined {
  const details = response?.incomplete_details;
  const reason = typeof details === 'object' && details !== null ? (details as { reason?: unknown }).reason : undefined;
  if (typeof reason === 'string') return reason === 'max_output_tokens' ? 'length' : reason;
  if (typeof response?.status !== 'string') return undefined;
  if (response.status !== 'completed') return response.status;
  return Array.isArray(response.output) && response.output.some(isFunctionCall) ? 'tool_calls' : 'stop';
}

function isFunctionCall(item: unknown): boolean {
  return typeof item === 'object' && item !== null && (item as { type?: unknown }).type === 'function_call';
}

const TERMINAL_RESPONSE_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed', 'error']);
// How those events show in the raw bytes (a bare `error` would match every `"error":null`).
const TERMINAL_RESPONSE_MARKERS = [...TERMINAL_RESPONSE_EVENTS].map((type) => (type === 'error' ? 'event: error' : type));

/**
 * The terminal event carries the whole response (its output items too), so one stateless inspector serves
 * every stream.
 */
const RESPONSES_INSPECTOR: PassthroughStreamInspector = {
  inspectionPoint(events) {
    const found = TERMINAL_RESPONSE_MARKERS.map((marker) => events.lastIndexOf(marker)).filter((index) => index !== -1);
    return found.length === 0 ? -1 : Math.min(...found);
  },
  inspect(event) {
    const type = event.event ?? '';
    if (!TERMINAL_RESPONSE_EVENTS.has(type)) return FORWARD;
    let payload: {
      response?: {
        usage?: unknown;
        error?: unknown;
        id?: unknown;
        model?: unknown;
        status?: unknown;
        incomplete_details?: unknown;
        output?: unknown;
      };
      error?: unknown;
      message?: unknown;
    };
    try {
      payload = JSON.parse(event.data) as typeof payload;
    } catch {
      return FORWARD;
    }
    if (type === 'response.failed' || type === 'error') {
      // `response.failed` nests the error in the response; `error` events nest it (current API) or not (older).
      return { forward: true, errorMessage: describeUpstreamError(payload.response?.error ?? payload.error ?? payload) };
    }
    const { response } = payload;
    return {
      forward: true,
      usage: decodeResponsesUsage(response?.usage),
      terminal: true,
      answer: { id: response?.id, model: response?.model, finishReason: responsesFinishReason(response) },
    };
  },
  completesIn() {
    return false; // response.completed and response.incomplete are inspected events (`terminal`)
  },
  finishReasonIn() {
    return undefined;
  },
};

const responsesPassthrough: PassthroughHooks = {
  upstreamBody: (body, mappedModel, _stream, removed = []) => editedBody(body, { model: mappedModel }, GUARDED_KEYS, removed),
  usageOf: (answer) => decodeResponsesUsage(answer.usage),
  identityOf: (answer) => ({ id: answer.id, model: answer.model }),
  finishReasonsOf(answer) {
    const reason = responsesFinishReason(answer);
    return reason === undefined ? [] : [reason];
  },
  isErrorAnswer: (answer) => answer.error !== undefined && answer.error !== null && answer.output === undefined,
  createInspector: () => RESPONSES_INSPECTOR,
};

/** OpenAI Responses as clients (Codex) speak it (`POST /v1/responses`). */
export const openAiResponsesClientWire: ClientWire = {
  name: 'openai-responses',
  nativeChannelType: 'openai-responses',
  paths: ['/v1/responses'],
  apiKey: (headers) => apiKeyFromHeaders(headers),
  decodeRequest: (body) => decodeResponsesRequest(body),
  encodeResponse: (response, ctx, model) => encodeResponsesResponse(response, ctx, { model }),
  createStreamEncoder: (ctx, options) => new ResponsesStreamEncoder(ctx, { model: options.model }),
  errorResponse: openAiErrorResponse,
  passthrough: responsesPassthrough,
};

/** Channel type `openai-responses`: `{base_url}/responses`, the key as a Bearer token, OpenAI's error envelope. */
export const openAiResponsesUpstreamWire: UpstreamWire = {
  channelType: 'openai-responses',
  requestPath: () => '/responses',
  requestHeaders: bearerAuthorization,
  encodeRequest: encodeResponsesRequest,
  decodeResponse: (body) => decodeResponsesResponse(body),
  createStreamDecoder: (ctx) => new ResponsesStreamDecoder(ctx),
  decodeError: decodeChatUpstreamError,
};
