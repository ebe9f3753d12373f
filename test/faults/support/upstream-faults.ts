import { geminiError, geminiKeyRejected, openAiError, type UpstreamReply } from '../../support/fake-upstream';
import { replaceJsonValue } from '../../support/json-span';
import {
  joinSseEvents,
  loadRecordedStream,
  parseEventJson,
  readUpstreamRecording,
  withEventData,
  type SseEvent,
} from '../../support/recordings';
import type { WireProtocol } from './client-paths';

/**
 * The faults of issue 16, each injected by the fake upstream in the channel's protocol, and what the
 * client must get for it. Good parts of every faulty answer are the providers' recordings.
 */

/** What the client must see, and what its request-log row must say. */
export type ExpectedOutcome =
  /** A plain HTTP error in OpenAI's envelope: nothing of an answer had been sent yet. */
  | { kind: 'http-error'; status: number; code: string; passedHeaders?: Record<string, string> }
  /**
   * A 200 stream that ends with an error in the client's protocol; `status` is the row's. Without `code` any
   * error code will do (the spec names none for an upstream's own in-stream error).
   */
  | { kind: 'in-stream-error'; status: number; code?: string };

export interface Fault {
  id: string;
  /** One line for test names and the summary. */
  title: string;
  /** Whether the fault exists for streamed and for non-streamed requests. */
  streamed: boolean;
  whole: boolean;
  /** Channel types that can produce it (default both). */
  channels?: readonly WireProtocol[];
  /** The upstream's answer; `channelKey` is the credential the gateway sent (providers echo it). */
  reply(channel: WireProtocol, stream: boolean, channelKey: string): UpstreamReply;
  expected(stream: boolean): ExpectedOutcome;
}

/** Long enough to outlast the gateway's header timeout many times over; the fake stops once the gateway hangs up. */
const HANG_MS = 30_000;

export const RATE_LIMIT_HEADERS = {
  'retry-after': '7',
  'x-ratelimit-limit-requests': '60',
  'x-ratelimit-remaining-requests': '0',
  'x-ratelimit-reset-requests': '7s',
} as const;

/** A proxy's error page in front of the provider, sent with 200 (some CDNs do). */
export const HTML_ERROR_PAGE =
  '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n' +
  '<body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>\n';

const RECORDED_STREAMS: Record<WireProtocol, string> = {
  chat: 'openai-chat/text.sse',
  responses: 'openai-responses/stop.sse',
  gemini: 'gemini/text.sse',
};
const RECORDED_JSON: Record<WireProtocol, string> = {
  chat: 'openai-chat/text.json',
  responses: 'openai-responses/stop.json',
  gemini: 'gemini/text.json',
};
const recordedStream = (channel: WireProtocol): string => RECORDED_STREAMS[channel];
const recordedJson = (channel: WireProtocol): string => RECORDED_JSON[channel];

/**
 * An HTTP error in the channel's own envelope: OpenAI's, or Gemini's `{error: {code, message, status}}` with the
 * google.rpc status Google sends for that HTTP status.
 */
function channelError(channel: WireProtocol, status: 401 | 429 | 500, message?: string, code?: string): UpstreamReply {
  if (channel !== 'gemini') return openAiError(status, message, code);
  const rpc = { 401: 'UNAUTHENTICATED', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL' }[status];
  return geminiError(status, message ?? 'Internal error encountered.', rpc);
}

const goodReply = (channel: WireProtocol, stream: boolean): string => (stream ? recordedStream(channel) : recordedJson(channel));

/**
 * How many recorded events a fault lets through before it strikes: `count`, but never the finishing one.
 * Gemini's recorded stream is three events, the third carrying the finish reason.
 */
function eventsBeforeEnd(channel: WireProtocol, count: number): number {
  return channel === 'gemini' ? 2 : count;
}

const httpError = (status: number, code: string): ExpectedOutcome => ({ kind: 'http-error', status, code });
const inStream = (status: number, code?: string): ExpectedOutcome => ({ kind: 'in-stream-error', status, code });

/** Whether the event is the recording's success terminal: a Chat choice's `finish_reason`, Responses `response.completed`. */
function isTerminal(channel: WireProtocol, event: SseEvent): boolean {
  if (channel === 'responses') return parseEventJson(event)?.['type'] === 'response.completed';
  if (channel === 'gemini') {
    const candidates = parseEventJson(event)?.['candidates'];
    return Array.isArray(candidates) && candidates.some((candidate) => (candidate as { finishReason?: unknown }).finishReason != null);
  }
  if (event.data === '[DONE]') return true;
  const choices = parseEventJson(event)?.['choices'];
  return Array.isArray(choices) && choices.some((choice) => (choice as { finish_reason?: unknown }).finish_reason != null);
}

/** The recorded stream up to (not including) its terminal event: it then ends cleanly, as a cut-off upstream's does. */
function streamWithoutTerminal(channel: WireProtocol): string {
  const events = loadRecordedStream(recordedStream(channel));
  const terminal = events.findIndex((event) => isTerminal(channel, event));
  if (terminal < 1) throw new Error(`faults: ${recordedStream(channel)} has no terminal event to cut`);
  return joinSseEvents(events.slice(0, terminal));
}

/** An event whose data is JSON cut short, in the middle of an otherwise good recorded stream. */
function streamWithMalformedEvent(channel: WireProtocol): string {
  const events = loadRecordedStream(recordedStream(channel)).map((event) => event.raw);
  const middle = Math.floor(events.length / 2);
  const broken = {
    chat: 'data: {"id":"x","choices":[{\n\n',
    responses: 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"Hel\n\n',
    gemini: 'data: {"candidates":[{"content":{"parts":[{"text":"Hel\n\n',
  }[channel];
  return [...events.slice(0, middle), broken, ...events.slice(middle)].join('');
}

/** A non-streamed recorded body cut in the middle of its JSON, sent complete (status 200, its own content-length). */
function truncatedJson(channel: WireProtocol): string {
  const body = readUpstreamRecording(recordedJson(channel));
  return body.slice(0, Math.floor(body.length / 2));
}

/**
 * An upstream that fails mid-stream and echoes the gateway's credential in its error: a Chat or Gemini error chunk
 * after a few recorded chunks; for Responses, the recorded failing stream (openai-responses/error.sse) with the key in
 * its `error` event or in its `response.failed`.
 */
function streamedErrorEchoingKey(channel: WireProtocol, where: 'error-event' | 'response-failed', key: string): string {
  if (channel === 'chat') {
    const start = loadRecordedStream(recordedStream('chat')).slice(0, 4);
    const error = { error: { message: `Invalid key ${key}`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } };
    return joinSseEvents(start) + `data: ${JSON.stringify(error)}\n\n`;
  }
  if (channel === 'gemini') {
    // Gemini reports a failure inside a stream as a chunk holding only its error envelope.
    const start = loadRecordedStream(recordedStream('gemini')).slice(0, 2);
    const error = { error: { code: 400, message: `API key not valid: ${key}. Please pass a valid API key.`, status: 'INVALID_ARGUMENT' } };
    return joinSseEvents(start) + `data: ${JSON.stringify(error)}\n\n`;
  }
  const message = `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`;
  const events = loadRecordedStream('openai-responses/error.sse').map((event) => {
    const type = parseEventJson(event)?.['type'];
    if (where === 'error-event' && type === 'error')
      return withEventData(event, replaceJsonValue(event.data ?? '', ['error', 'message'], message));
    if (where === 'response-failed' && type === 'response.failed') {
      return withEventData(event, replaceJsonValue(event.data ?? '', ['response', 'error', 'message'], message));
    }
    return event;
  });
  const substituted = joinSseEvents(events);
  if (!substituted.includes(key)) throw new Error(`faults: openai-responses/error.sse has no ${where} to put the key in`);
  return substituted;
}

export const FAULTS: readonly Fault[] = [
  {
    id: 'upstream-500',
    title: "upstream 500 with an error body in the channel's envelope",
    streamed: true,
    whole: true,
    reply: (channel) => channelError(channel, 500),
    expected: () => httpError(502, 'upstream_error'),
  },
  {
    id: 'rate-limited-429',
    title: 'upstream 429 with Retry-After and x-ratelimit-* headers',
    streamed: true,
    whole: true,
    reply: (channel) => ({
      ...channelError(channel, 429, 'Rate limit reached for requests', 'rate_limit_exceeded'),
      headers: { ...RATE_LIMIT_HEADERS },
    }),
    expected: () => ({ kind: 'http-error', status: 429, code: 'rate_limited', passedHeaders: { ...RATE_LIMIT_HEADERS } }),
  },
  {
    id: 'key-echo-401',
    title: 'upstream refuses the channel key, echoing it in full (OpenAI: 401; Gemini: 400 API_KEY_INVALID)',
    streamed: true,
    whole: true,
    reply: (channel, _stream, key) =>
      channel === 'gemini'
        ? geminiKeyRejected(key)
        : openAiError(
            401,
            `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          ),
    expected: () => httpError(502, 'upstream_error'),
  },
  {
    id: 'header-hang',
    title: 'no status line within the header timeout',
    streamed: true,
    whole: true,
    reply: (channel, stream) => ({ fixture: goodReply(channel, stream), firstByteDelayMs: HANG_MS }),
    expected: () => httpError(504, 'upstream_timeout'),
  },
  {
    id: 'body-silence',
    title: "headers (and 3 events, 2 of Gemini's), then silence past the body timeout",
    streamed: true,
    whole: true,
    reply: (channel, stream) => ({ fixture: goodReply(channel, stream), stallAfterEvents: stream ? eventsBeforeEnd(channel, 3) : 0 }),
    expected: (stream) => (stream ? inStream(504, 'upstream_timeout') : httpError(504, 'upstream_timeout')),
  },
  {
    id: 'reset-before-headers',
    title: 'connection reset before any header',
    streamed: true,
    whole: true,
    reply: () => ({ resetBeforeHeaders: true }),
    expected: () => httpError(502, 'upstream_error'),
  },
  {
    id: 'reset-after-headers',
    title: "connection reset after the headers (4 events, 2 of Gemini's, or 100 body bytes)",
    streamed: true,
    whole: true,
    reply: (channel, stream) =>
      stream
        ? { fixture: recordedStream(channel), disconnectAfterEvents: eventsBeforeEnd(channel, 4) }
        : { fixture: recordedJson(channel), disconnectAfterBytes: 100 },
    expected: (stream) => (stream ? inStream(502, 'upstream_error') : httpError(502, 'upstream_error')),
  },
  {
    id: 'stream-cut',
    title: 'stream ends cleanly without its terminal event',
    streamed: true,
    whole: false,
    reply: (channel) => ({ sse: streamWithoutTerminal(channel) }),
    expected: () => inStream(502, 'upstream_error'),
  },
  {
    id: 'malformed',
    title: 'body cut mid-JSON (200 application/json), or a non-JSON event mid-stream',
    streamed: true,
    whole: true,
    reply: (channel, stream) => (stream ? { sse: streamWithMalformedEvent(channel) } : { json: truncatedJson(channel) }),
    expected: (stream) => (stream ? inStream(502, 'upstream_error') : httpError(502, 'upstream_error')),
  },
  {
    id: 'html-200',
    title: 'HTML error page with status 200',
    streamed: true,
    whole: true,
    reply: () => ({ raw: HTML_ERROR_PAGE, status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } }),
    expected: () => httpError(502, 'upstream_error'),
  },
  {
    id: 'stream-error-key',
    title: 'in-stream error echoing the key (Chat and Gemini error chunk, Responses error event)',
    streamed: true,
    whole: false,
    reply: (channel, _stream, key) => ({ sse: streamedErrorEchoingKey(channel, 'error-event', key) }),
    expected: () => inStream(502),
  },
  {
    id: 'failed-key',
    title: 'response.failed whose error message holds the key',
    streamed: true,
    whole: false,
    channels: ['responses'],
    reply: (channel, _stream, key) => ({ sse: streamedErrorEchoingKey(channel, 'response-failed', key) }),
    expected: () => inStream(502),
  },
];

export function fault(id: string): Fault {
  const found = FAULTS.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`faults: no fault ${id}`);
  return found;
}
