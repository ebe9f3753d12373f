import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadRecordedStream, readUpstreamRecording, splitSseEvents } from './recordings';

/**
 * A fake upstream provider (OpenAI-style `/v1`) that REPLAYS the recordings under fixtures/upstream/**
 * byte for byte. This is the only fake in the end-to-end tests: it sits at the provider boundary, so
 * everything between the client and here is the real gateway.
 *
 * What it answers, first match wins:
 *   1. POST requests: the next reply queued with `enqueue()`;
 *   2. the handler set with `script()` (return undefined to fall through);
 *   3. the default rule: chat stream -> openai-chat/text.sse, chat -> text.json, responses stream ->
 *      openai-responses/stop.sse, responses -> stop.json, Gemini `/v1beta/models/{m}:streamGenerateContent` ->
 *      gemini/text.sse, `:generateContent` -> gemini/text.json, GET /v1/models -> a model list, else 404.
 */

export interface ReplayTiming {
  /** Send nothing at all (not even the status line) for this long: first-byte / header timeout tests. */
  firstByteDelayMs?: number;
  /** Pause between stream writes. Without it the writes are still separate, with an event-loop turn between. */
  chunkDelayMs?: number;
  /** SSE events per write (default 1): the stream is split only at event boundaries. */
  eventsPerChunk?: number;
  /**
   * Send the status, headers and this many SSE events, then nothing more, keeping the connection open
   * until the client goes away or the fake is closed (0 = headers only). Idle-timeout and abort tests.
   */
  stallAfterEvents?: number;
  /** Send this many SSE events, then drop the connection without ending the body (an upstream crash). */
  disconnectAfterEvents?: number;
  /**
   * Non-streamed bodies: send the status, the headers (announcing the whole body's length) and this many
   * bytes of the body, then drop the connection (an upstream that crashes mid-answer).
   */
  disconnectAfterBytes?: number;
  /** Extra response headers (e.g. `retry-after`). */
  headers?: Record<string, string>;
}

export type UpstreamReply = ReplayTiming &
  (
    | {
        /** A recording, e.g. `openai-chat/tool.sse`; `.sse` is streamed, `.json` sent whole. */ fixture: string;
        /** Which response of a multi-response recording. */ response?: number;
        status?: number;
      }
    | { /** SSE text, e.g. from templated-replay.ts. */ sse: string }
    | { /** A JSON body, e.g. from templated-replay.ts. */ json: string; status?: number }
    | { /** HTTP error status with a JSON body (see `openAiError`). */ status: number; error: unknown }
    | {
        /**
         * These exact body bytes with this status; no content-type unless `headers` gives one (an HTML
         * error page from a proxy in front of the provider, a body cut mid-JSON).
         */
        raw: string | Buffer;
        status?: number;
      }
    | { /** Drop the connection before sending anything, not even the status line (a crashed upstream). */ resetBeforeHeaders: true }
  );

export interface RecordedRequest {
  index: number;
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The parsed JSON body; undefined when empty or not JSON. */
  body: unknown;
  /** What was replayed, for assertions and failure messages (e.g. `fixture openai-chat/text.sse`). */
  reply: string | undefined;
  status: number | undefined;
  /** The client went away before the response was complete (not set when the fake itself closes). */
  aborted: boolean;
  /** The whole response was written. */
  completed: boolean;
  /** The fake dropped the connection on purpose (`disconnectAfterEvents`, `disconnectAfterBytes`, `resetBeforeHeaders`). */
  disconnected: boolean;
}

export type UpstreamHandler = (request: RecordedRequest) => UpstreamReply | undefined;

export interface FakeUpstreamOptions {
  /** Ids listed by `GET /v1/models` (no recording exists for that endpoint; the shape is OpenAI's). */
  models?: string[];
}

export interface FakeUpstream {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:41234/v1`. */
  url: string;
  origin: string;
  port: number;
  requests: RecordedRequest[];
  /** Queue replies for the next POST requests, in order. */
  enqueue(...replies: UpstreamReply[]): void;
  /** Decide per request; return undefined to fall through to the default rule. Pass undefined to clear. */
  script(handler: UpstreamHandler | undefined): void;
  /** Resolves once `condition` holds (re-checked on every request state change). */
  waitUntil(condition: () => boolean, description: string, timeoutMs?: number): Promise<void>;
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Clears the queue, the script and the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

/** OpenAI's HTTP error body shape. The 429 default text is the provider's own, from openai-responses/error.sse. */
export function openAiError(status: number, message?: string, code?: string): UpstreamReply {
  const defaults: Record<number, { message: string; type: string; code: string | null }> = {
    401: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' },
    429: {
      message:
        'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
      type: 'insufficient_quota',
      code: 'insufficient_quota',
    },
    500: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', code: null },
  };
  const fallback = defaults[status] ?? { message: `Upstream error ${status}`, type: 'api_error', code: null };
  return {
    status,
    error: { error: { message: message ?? fallback.message, type: fallback.type, param: null, code: code ?? fallback.code } },
  };
}

/** Gemini's HTTP error body: `{error: {code, message, status}}` with the google.rpc status of the HTTP status. */
export function geminiError(status: number, message: string, rpcStatus: string): UpstreamReply {
  return { status, error: { error: { code: status, message, status: rpcStatus } } };
}

/** Google's answer to a key it does not accept: a 400 whose details say `API_KEY_INVALID`, quoting the key. */
export function geminiKeyRejected(key: string): UpstreamReply {
  return {
    status: 400,
    error: {
      error: {
        code: 400,
        message: `API key not valid: ${key}. Please pass a valid API key.`,
        status: 'INVALID_ARGUMENT',
        details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }],
      },
    },
  };
}

export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const models = options.models ?? ['gpt-4o', 'gpt-4.1-nano', 'gpt-5'];
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  const queue: UpstreamReply[] = [];
  const requests: RecordedRequest[] = [];
  let handler: UpstreamHandler | undefined;
  let closing = false;

  const notify = (): void => {
    changes.emit('change');
  };

  const chooseReply = (request: RecordedRequest): UpstreamReply => {
    if (request.method === 'POST') {
      const queued = queue.shift();
      if (queued) return queued;
    }
    return handler?.(request) ?? defaultReply(request, models);
  };

  const server: Server = createServer((incoming, response) => {
    void handleRequest(incoming, response);
  });

  async function handleRequest(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(incoming.url ?? '/', 'http://fake-upstream');
    const request: RecordedRequest = {
      index: requests.length,
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: incoming.headers,
      rawBody,
      body: parseJson(rawBody),
      reply: undefined,
      status: undefined,
      aborted: false,
      completed: false,
      disconnected: false,
    };
    requests.push(request);
    response.on('close', () => {
      if (!response.writableFinished && !closing && !request.disconnected) request.aborted = true;
      notify();
    });
    notify();
    try {
      await sendReply(chooseReply(request), request, response);
    } catch (error) {
      request.reply = `${request.reply ?? ''} (failed: ${String(error)})`;
      if (!response.headersSent) {
        request.status = 500;
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: `fake-upstream: ${String(error)}`, type: 'fake_upstream_error' } }));
      } else {
        response.destroy();
      }
    }
    if (response.writableFinished) request.completed = true;
    notify();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/v1`,
    origin,
    port,
    requests,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    script: (next) => {
      handler = next;
    },
    waitUntil: (condition, description, timeoutMs = 10_000) => waitUntil(changes, condition, description, timeoutMs, requests),
    waitForRequests: async (count, timeoutMs = 10_000) => {
      await waitUntil(changes, () => requests.length >= count, `${count} upstream request(s)`, timeoutMs, requests);
      return requests.slice(0, count);
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      handler = undefined;
    },
    close: async () => {
      closing = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

async function sendReply(reply: UpstreamReply, request: RecordedRequest, response: ServerResponse): Promise<void> {
  if (reply.firstByteDelayMs) await sleepUnlessClosed(reply.firstByteDelayMs, response);
  if (response.destroyed) return;
  const extraHeaders = { 'x-request-id': `req_fake_${request.index}`, ...reply.headers };

  if ('resetBeforeHeaders' in reply) {
    request.reply = 'reset before headers';
    request.disconnected = true;
    response.socket?.destroy();
    return;
  }
  if ('raw' in reply) {
    request.reply = `raw body ${reply.status ?? 200}`;
    return sendRaw(response, request, reply.status ?? 200, Buffer.from(reply.raw), extraHeaders, reply);
  }
  if ('error' in reply) {
    request.reply = `error ${reply.status}`;
    return sendWhole(response, request, reply.status, JSON.stringify(reply.error), extraHeaders, reply);
  }
  if ('json' in reply) {
    request.reply = 'json body';
    return sendWhole(response, request, reply.status ?? 200, reply.json, extraHeaders, reply);
  }
  if ('sse' in reply) {
    request.reply = 'sse text';
    return sendStream(
      response,
      request,
      200,
      splitSseEvents(reply.sse).map((event) => event.raw),
      extraHeaders,
      reply,
    );
  }
  request.reply = `fixture ${reply.fixture}${reply.response === undefined ? '' : `#${reply.response}`}`;
  if (reply.fixture.endsWith('.sse')) {
    const events = loadRecordedStream(reply.fixture, reply.response).map((event) => event.raw);
    return sendStream(response, request, reply.status ?? 200, events, extraHeaders, reply);
  }
  return sendWhole(response, request, reply.status ?? 200, readUpstreamRecording(reply.fixture), extraHeaders, reply);
}

async function sendWhole(
  response: ServerResponse,
  request: RecordedRequest,
  status: number,
  body: string,
  headers: Record<string, string>,
  timing: ReplayTiming,
): Promise<void> {
  return sendRaw(response, request, status, Buffer.from(body), { 'content-type': 'application/json', ...headers }, timing);
}

/** A whole (non-streamed) body, or its first bytes only (`disconnectAfterBytes`), or only its headers (`stallAfterEvents`). */
async function sendRaw(
  response: ServerResponse,
  request: RecordedRequest,
  status: number,
  body: Buffer,
  headers: Record<string, string>,
  timing: ReplayTiming,
): Promise<void> {
  request.status = status;
  response.writeHead(status, { 'content-length': body.length, ...headers });
  if (timing.stallAfterEvents !== undefined) {
    response.flushHeaders();
    return waitForClose(response);
  }
  if (timing.disconnectAfterBytes !== undefined) {
    response.write(body.subarray(0, timing.disconnectAfterBytes));
    // As for streams: let the bytes reach the client, then cut the connection with the body unfinished.
    await new Promise<void>((resolve) => setTimeout(resolve, 20));
    request.disconnected = true;
    response.destroy();
    return;
  }
  await endResponse(response, body);
}

async function sendStream(
  response: ServerResponse,
  request: RecordedRequest,
  status: number,
  events: string[],
  headers: Record<string, string>,
  timing: ReplayTiming,
): Promise<void> {
  request.status = status;
  response.writeHead(status, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...headers,
  });
  response.flushHeaders();
  const limit = timing.disconnectAfterEvents ?? timing.stallAfterEvents ?? events.length;
  const disconnect = timing.disconnectAfterEvents !== undefined;
  const perChunk = Math.max(1, timing.eventsPerChunk ?? 1);
  const stall = timing.stallAfterEvents !== undefined || disconnect;
  const end = Math.min(limit, events.length);
  for (let start = 0; start < end; start += perChunk) {
    if (response.destroyed) return;
    const chunk = events.slice(start, Math.min(start + perChunk, end)).join('');
    if (!stall && start + perChunk >= end) {
      // The last events and the end of the body go out in one write, as a provider's final flush does:
      // clients like Codex hang up as soon as they see the terminal event.
      await endResponse(response, chunk);
      return;
    }
    if (!response.write(chunk)) await new Promise<void>((resolve) => response.once('drain', resolve).once('close', resolve));
    if (timing.chunkDelayMs) await sleepUnlessClosed(timing.chunkDelayMs, response);
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (disconnect) {
    // Let the written events reach the client first, then cut the connection mid-body.
    await new Promise<void>((resolve) => setTimeout(resolve, 20));
    request.disconnected = true;
    response.destroy();
    return;
  }
  if (stall) return waitForClose(response);
  if (!response.destroyed) await endResponse(response);
}

function defaultReply(request: RecordedRequest, models: string[]): UpstreamReply {
  const stream = (request.body as { stream?: unknown } | undefined)?.stream === true;
  if (request.method === 'POST' && request.path === '/v1/chat/completions') {
    return { fixture: stream ? 'openai-chat/text.sse' : 'openai-chat/text.json' };
  }
  if (request.method === 'POST' && request.path === '/v1/responses') {
    return { fixture: stream ? 'openai-responses/stop.sse' : 'openai-responses/stop.json' };
  }
  // A `gemini` channel's base URL is the fake's origin + `/v1beta`.
  const gemini = request.method === 'POST' ? /^\/v1beta\/models\/[^/]+:(generateContent|streamGenerateContent)$/.exec(request.path) : null;
  if (gemini) return { fixture: gemini[1] === 'streamGenerateContent' ? 'gemini/text.sse' : 'gemini/text.json' };
  if (request.method === 'GET' && request.path === '/v1/models') {
    const data = models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'system' }));
    return { json: JSON.stringify({ object: 'list', data }) };
  }
  return openAiError(404, `fake-upstream: no rule for ${request.method} ${request.path}`, 'not_found');
}

function waitUntil(
  changes: EventEmitter,
  condition: () => boolean,
  description: string,
  timeoutMs: number,
  requests: RecordedRequest[],
): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (!condition()) return;
      clearTimeout(timer);
      changes.off('change', check);
      resolve();
    };
    const timer = setTimeout(() => {
      changes.off('change', check);
      const seen = requests.map((r) => `${r.method} ${r.path} -> ${r.reply ?? '?'} aborted=${r.aborted} completed=${r.completed}`);
      reject(new Error(`fake-upstream: timed out after ${timeoutMs} ms waiting for ${description}; requests: ${JSON.stringify(seen)}`));
    }, timeoutMs);
    changes.on('change', check);
  });
}

function sleepUnlessClosed(ms: number, response: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      response.off('close', done);
      resolve();
    }
    response.once('close', done);
  });
}

/** Ends the response; also settles if the client hangs up first (end's callback would never run). */
function endResponse(response: ServerResponse, chunk?: string | Buffer): Promise<void> {
  return new Promise<void>((resolve) => {
    response.once('close', resolve);
    if (chunk === undefined) response.end(() => resolve());
    else response.end(chunk, () => resolve());
  });
}

function waitForClose(response: ServerResponse): Promise<void> {
  if (response.destroyed) return Promise.resolve();
  return new Promise<void>((resolve) => response.once('close', () => resolve()));
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
