import type { IrUsage } from '@gw/ir';
import { decodeChatUsage, describeUpstreamError } from '@gw/protocol-openai-chat';
import { decodeResponsesUsage } from '@gw/protocol-openai-responses';
import type { SseEvent } from '@gw/sse';
import { withTopLevelMembers, withoutFoldedVariants } from './json-member';
import type { ClientProtocolName } from './protocol-adapters';

export interface PassthroughStreamVerdict {
  /** False drops the event (a usage chunk the gateway asked for but the client did not). */
  forward: boolean;
  usage?: IrUsage;
  /** Set when the upstream reported a failure inside the stream. */
  errorMessage?: string;
  /** The upstream's response id, model and finish reason, when the inspected event names them (for spans). */
  answer?: { id: unknown; model: unknown; finishReason?: string };
  /** The event ends the stream successfully (Responses `response.completed` / `response.incomplete`). */
  terminal?: boolean;
}

/** The client's request body: parsed (already validated) and as the bytes it came in. */
export interface ClientBody {
  value: Record<string, unknown>;
  bytes: Buffer;
}

/**
 * Same-protocol relays re-encode nothing they do not need to change: the body gets the mapped model (and,
 * for Chat streams, usage reporting), events go out as they came. These hooks only look for usage.
 */
export interface PassthroughHooks {
  /**
   * The body for the upstream: the client's bytes with the mapped model (and what else the hook must set)
   * edited in place; re-encoded from the parsed value only when the bytes cannot be edited safely.
   */
  upstreamBody(clientBody: ClientBody, mappedModel: string, stream: boolean): Buffer | string;
  /** Usage from an answer's `usage` member (undefined when it has none). */
  usageOf(usage: unknown): IrUsage | undefined;
  /**
   * Where in a block of complete events the first event that may carry usage or an error is (any byte
   * of it), or -1. Everything before that event is forwarded as raw bytes, never decoded or parsed. Usage
   * and errors end a stream, so the search runs backwards and stops near the end.
   */
  inspectionPoint(events: Buffer): number;
  inspect(event: SseEvent, clientWantsUsage: boolean): PassthroughStreamVerdict;
  /**
   * True when a block of complete events holds what makes the answer whole, beyond what `inspect` and the
   * `[DONE]` line tell (Chat: a `finish_reason`; some compatible providers end without `[DONE]`).
   */
  completesIn(events: Buffer): boolean;
  /** The finish reason in a block `completesIn` accepted, read from the bytes (Chat), for spans. */
  finishReasonIn(events: Buffer): string | undefined;
  /** Finish reasons of a whole answer (Chat: one per choice; Responses: its status or why it is incomplete). */
  finishReasonsOf(answer: Record<string, unknown>): string[];
}

const FORWARD: PassthroughStreamVerdict = { forward: true };
/**
 * Read by the gateway but forwarded unchanged. A case variant (`STREAM`) that a case-insensitive upstream
 * would read instead would make it answer in the other shape (events for a whole answer, or the reverse).
 */
const GUARDED_KEYS = ['stream'];
const USAGE_OBJECT = /"usage":\s*\{/;
/** A finish reason that is not `null`, as compact and as spaced JSON write it. */
const FINISH_REASON_SET = [Buffer.from('"finish_reason":"'), Buffer.from('"finish_reason": "')];

const chatHooks: PassthroughHooks = {
  upstreamBody({ value, bytes }, mappedModel, stream) {
    const members: Record<string, string> = { model: JSON.stringify(mappedModel) };
    const parsed: Record<string, unknown> = { model: mappedModel };
    if (stream) {
      // The request log needs usage even when the client did not ask for it; the extra chunk is dropped
      // below. Written out whole from the parsed options, so a repeated key inside cannot hide the flag.
      const options = value.stream_options;
      parsed.stream_options = { ...(typeof options === 'object' && options !== null ? options : {}), include_usage: true };
      members.stream_options = JSON.stringify(parsed.stream_options);
    }
    return (
      withTopLevelMembers(bytes, members, Object.keys(value).length, GUARDED_KEYS) ??
      JSON.stringify({ ...withoutFoldedVariants(value, [...Object.keys(members), ...GUARDED_KEYS]), ...parsed })
    );
  },
  usageOf: decodeChatUsage,
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
      if (end !== -1 && end - at - marker.length <= 32) return events.toString('latin1', at + marker.length, end);
    }
    return undefined;
  },
  finishReasonsOf(answer) {
    // One pass, one array: this runs for every whole pass-through answer, tracing on or off.
    const reasons: string[] = [];
    if (!Array.isArray(answer.choices)) return reasons;
    for (const choice of answer.choices as unknown[]) {
      const reason = typeof choice === 'object' && choice !== null ? (choice as { finish_reason?: unknown }).finish_reason : undefined;
      if (typeof reason === 'string') reasons.push(reason);
    }
    return reasons;
  },
};

const QUOTE = 0x22;

/**
 * A Responses answer's finish reason in the words Chat (and the translated path) uses: `completed` is `stop`,
 * incomplete for `max_output_tokens` is `length`; anything else as the upstream said it.
 */
function responsesFinishReason(response: { status?: unknown; incomplete_details?: unknown } | undefined): string | undefined {
  const details = response?.incomplete_details;
  const reason = typeof details === 'object' && details !== null ? (details as { reason?: unknown }).reason : undefined;
  if (typeof reason === 'string') return reason === 'max_output_tokens' ? 'length' : reason;
  if (typeof response?.status !== 'string') return undefined;
  return response.status === 'completed' ? 'stop' : response.status;
}

const TERMINAL_RESPONSE_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed', 'error']);
// How those events show in the raw bytes (a bare `error` would match every `"error":null`).
const TERMINAL_RESPONSE_MARKERS = [...TERMINAL_RESPONSE_EVENTS].map((type) => (type === 'error' ? 'event: error' : type));

const responsesHooks: PassthroughHooks = {
  upstreamBody({ value, bytes }, mappedModel) {
    const model = JSON.stringify(mappedModel);
    return (
      withTopLevelMembers(bytes, { model }, Object.keys(value).length, GUARDED_KEYS) ??
      JSON.stringify({ ...withoutFoldedVariants(value, ['model', ...GUARDED_KEYS]), model: mappedModel })
    );
  },
  usageOf: decodeResponsesUsage,
  inspectionPoint(events) {
    const found = TERMINAL_RESPONSE_MARKERS.map((marker) => events.lastIndexOf(marker)).filter((index) => index !== -1);
    return found.length === 0 ? -1 : Math.min(...found);
  },
  inspect(event) {
    const type = event.event ?? '';
    if (!TERMINAL_RESPONSE_EVENTS.has(type)) return FORWARD;
    let payload: {
      response?: { usage?: unknown; error?: unknown; id?: unknown; model?: unknown; status?: unknown; incomplete_details?: unknown };
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
  finishReasonsOf(answer) {
    const reason = responsesFinishReason(answer);
    return reason === undefined ? [] : [reason];
  },
};

export const passthroughHooks: Record<ClientProtocolName, PassthroughHooks> = {
  'openai-chat': chatHooks,
  'openai-responses': responsesHooks,
};
