import { isJsonObject, numberOrUndefined, stringOrUndefined, systemCodecContext, type IrUsage } from '@gw/ir';
import type { SseEvent } from '@gw/sse';
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
import { decodeAnthropicRequest } from './decode-request';
import { decodeAnthropicResponse } from './decode-response';
import { encodeAnthropicRequest } from './encode-request';
import { encodeAnthropicResponse } from './encode-response';
import { anthropicErrorFor, decodeAnthropicStreamError, decodeAnthropicUpstreamError } from './errors';
import { anthropicStopReasonToIr } from './stop-reason';
import { AnthropicStreamDecoder } from './stream-decoder';
import { AnthropicStreamEncoder } from './stream-encoder';
import { anthropicModelCatalog } from './models';
import { mergeAnthropicUsage } from './usage';

/** The API version the gateway speaks to Anthropic channels; a pass-through sends the client's own instead. */
export const ANTHROPIC_VERSION = '2023-06-01';
export const MESSAGES_PATH = '/v1/messages';
export const COUNT_TOKENS_PATH = '/v1/messages/count_tokens';

const FORWARD: PassthroughStreamVerdict = { forward: true };
/** Read by the gateway and forwarded unchanged: a case variant an upstream might read instead is not forwarded. */
const GUARDED_KEYS = ['stream'];
/** Events that carry usage, the stop reason, the end of the answer or a failure; every other one is forwarded unread. */
const INSPECTED_EVENTS = new Set(['message_start', 'message_delta', 'message_stop', 'error']);
/**
 * How those events show in the raw bytes. A bare `error` would match every text that mentions one; an event
 * name inside a text delta only costs parsing the rest of the block.
 */
const INSPECTED_MARKERS = ['message_start', 'message_delta', 'message_stop', 'event: error', '"type":"error"'].map((marker) =>
  Buffer.from(marker),
);
/** Top-level members Anthropic's count_tokens takes; the rest of a Messages body (`max_tokens`, `stream`, sampling) it refuses. */
const COUNT_TOKENS_MEMBERS = [
  'model',
  'messages',
  'system',
  'tools',
  'tool_choice',
  'thinking',
  'mcp_servers',
  'context_management',
  'output_config',
  'output_format',
];

function stopReasonOf(message: Record<string, unknown> | undefined): string | undefined {
  const reason = stringOrUndefined(message?.stop_reason);
  return reason === undefined ? undefined : anthropicStopReasonToIr(reason);
}

function inspectEvent(event: SseEvent, usageSoFar: IrUsage | undefined): PassthroughStreamVerdict {
  // Anthropic names every event; a compatible server that does not gets its data read for the type.
  if (event.event !== undefined && !INSPECTED_EVENTS.has(event.event)) return FORWARD;
  let data: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(event.data);
    if (!isJsonObject(parsed)) return FORWARD;
    data = parsed;
  } catch {
    return FORWARD;
  }
  switch (stringOrUndefined(data.type) ?? event.event) {
    case 'message_start': {
      const message = isJsonObject(data.message) ? data.message : {};
      return { forward: true, usage: mergeAnthropicUsage(usageSoFar, message.usage), answer: { id: message.id, model: message.model } };
    }
    case 'message_delta': {
      const delta = isJsonObject(data.delta) ? data.delta : undefined;
      return {
        forward: true,
        usage: mergeAnthropicUsage(usageSoFar, data.usage),
        answer: { id: undefined, model: undefined, finishReason: stopReasonOf(delta) },
      };
    }
    case 'message_stop':
      return { forward: true, terminal: true };
    case 'error': {
      // Anthropic's own envelope goes out as it came; a compatible proxy's variant (`{"event":"error","data":…}`)
      // would not be understood by an Anthropic client, so the relay sends the failure in Anthropic's shape.
      const ownShape = event.event === 'error' && data.type === 'error' && isJsonObject(data.error);
      return { forward: ownShape, errorMessage: decodeAnthropicStreamError(data).message };
    }
    default:
      return FORWARD;
  }
}

/**
 * Anthropic's events say all on their own (`stop_reason: tool_use` names the call; usage comes in parts,
 * merged into `usageSoFar`), so one stateless inspector serves every stream.
 */
const ANTHROPIC_INSPECTOR: PassthroughStreamInspector = {
  inspectionPoint(events) {
    let first = -1;
    for (const marker of INSPECTED_MARKERS) {
      const at = events.indexOf(marker);
      if (at !== -1 && (first === -1 || at < first)) first = at;
    }
    return first;
  },
  inspect: (event, _clientWantsUsage, usageSoFar) => inspectEvent(event, usageSoFar),
  completesIn() {
    return false; // message_stop is an inspected event (`terminal`)
  },
  finishReasonIn() {
    return undefined;
  },
};

const anthropicPassthrough: PassthroughHooks = {
  upstreamBody: (body, mappedModel, _stream, removed = []) => editedBody(body, { model: mappedModel }, GUARDED_KEYS, removed),
  usageOf: (answer) => mergeAnthropicUsage(undefined, answer.usage),
  identityOf: (answer) => ({ id: answer.id, model: answer.model }),
  finishReasonsOf(answer) {
    const reason = stopReasonOf(answer);
    return reason === undefined ? [] : [reason];
  },
  isErrorAnswer: (answer) =>
    answer.type === 'error' || (answer.error !== undefined && answer.error !== null && answer.content === undefined),
  createInspector: () => ANTHROPIC_INSPECTOR,
};

/**
 * Anthropic Messages as clients (the Anthropic SDKs, Claude Code) speak it: `POST /v1/messages`, and
 * `POST /v1/messages/count_tokens` as a `count_tokens` operation of the same wire (its body is a Messages
 * body without `max_tokens`, its answer `{"input_tokens": n}`).
 */
export const anthropicClientWire: ClientWire = {
  name: 'anthropic-messages',
  nativeChannelType: 'anthropic',
  paths: [MESSAGES_PATH],
  matchPath: (path) => (path === COUNT_TOKENS_PATH ? { endpoint: COUNT_TOKENS_PATH, operation: 'count_tokens' } : undefined),
  apiKey: (headers) => apiKeyFromHeaders(headers),
  forwardedHeaders: ['anthropic-version', 'anthropic-beta'],
  decodeRequest: (body, route: InboundRoute) => decodeAnthropicRequest(body, { countTokens: route.operation === 'count_tokens' }),
  encodeResponse: (response, ctx, model) => encodeAnthropicResponse(response, ctx, { model }),
  createStreamEncoder: (ctx, options) => new AnthropicStreamEncoder(ctx, { model: options.model }),
  encodeTokenCount: (inputTokens) => ({ input_tokens: inputTokens }),
  errorResponse: anthropicErrorFor,
  passthrough: anthropicPassthrough,
  models: anthropicModelCatalog,
};

/**
 * Channel type `anthropic`: `{base_url}/messages` with `base_url` ending in `/v1` (`https://api.anthropic.com/v1`),
 * as an `openai` channel's base URL does; the key in `x-api-key`, and the API version Anthropic requires.
 */
export const anthropicUpstreamWire: UpstreamWire = {
  channelType: 'anthropic',
  requestPath: () => '/messages',
  requestHeaders: (apiKey) => ({ 'x-api-key': apiKey, 'anthropic-version': ANTHROPIC_VERSION }),
  encodeRequest: encodeAnthropicRequest,
  decodeResponse: (body, toolNames) => decodeAnthropicResponse(body, systemCodecContext, toolNames),
  createStreamDecoder: (ctx, toolNames) => new AnthropicStreamDecoder(ctx, toolNames),
  decodeError: decodeAnthropicUpstreamError,
  countTokens: {
    requestPath: () => '/messages/count_tokens',
    requestBody: (encoded) =>
      isJsonObject(encoded) ? Object.fromEntries(Object.entries(encoded).filter(([key]) => COUNT_TOKENS_MEMBERS.includes(key))) : encoded,
    decodeCount: (answer) => (isJsonObject(answer) ? numberOrUndefined(answer.input_tokens) : undefined),
  },
};
