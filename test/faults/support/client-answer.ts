import { parseSse } from '../../e2e/support/http-client';
import type { WireProtocol } from './client-paths';
import type { RawAnswer } from './raw-client';
import type { ExpectedOutcome } from './upstream-faults';
import type { Verdict } from './verdict';

/** What the client got for a fault, checked against the spec of issue 16 (requirement names appear in the summary). */
export function checkClientAnswer(verdict: Verdict, answer: RawAnswer, client: WireProtocol, expected: ExpectedOutcome): void {
  if (expected.kind === 'http-error') checkHttpError(verdict, answer, client, expected);
  else checkInStreamError(verdict, answer, client, expected.code);
}

/** The google.rpc status a Gemini client gets for each of the gateway's error codes the faults produce. */
const GEMINI_RPC_STATUS: Record<string, string> = {
  upstream_error: 'UNAVAILABLE',
  rate_limited: 'RESOURCE_EXHAUSTED',
  upstream_timeout: 'DEADLINE_EXCEEDED',
};

function checkHttpError(
  verdict: Verdict,
  answer: RawAnswer,
  client: WireProtocol,
  expected: Extract<ExpectedOutcome, { kind: 'http-error' }>,
): void {
  verdict.check('status', () => {
    if (answer.status !== expected.status) {
      throw new Error(
        `status ${answer.status}, expected ${expected.status}${answer.failure ? ` (${answer.failure})` : ''}; body:\n${excerpt(answer.body)}`,
      );
    }
  });
  verdict.check('envelope', () => {
    const error =
      client === 'gemini'
        ? { code: expected.status, message: expect.any(String), status: GEMINI_RPC_STATUS[expected.code] }
        : { message: expect.any(String), type: expect.any(String), code: expected.code, param: null };
    expect({ contentType: answer.headers['content-type'], body: parseJson(answer.body) ?? answer.body.slice(0, 600) }).toEqual({
      contentType: expect.stringContaining('application/json'),
      body: { error },
    });
  });
  if (expected.passedHeaders) {
    const passed = expected.passedHeaders;
    verdict.check('headers', () => {
      const received = Object.fromEntries(Object.keys(passed).map((name) => [name, answer.headers[name]]));
      expect(received).toEqual(passed);
    });
  }
}

function checkInStreamError(verdict: Verdict, answer: RawAnswer, client: WireProtocol, code: string | undefined): void {
  verdict.check('stream', () => {
    const contentType = answer.headers['content-type'] ?? '';
    if (answer.status !== 200 || !contentType.includes('text/event-stream')) {
      throw new Error(`expected a 200 text/event-stream, got ${answer.status} ${contentType}; body:\n${excerpt(answer.body)}`);
    }
  });
  verdict.check('ended', () => {
    // The error has to reach the client as an event and the stream has to end: not a reset, not a hang.
    expect({ ended: answer.ended, failure: answer.failure }).toEqual({ ended: true, failure: undefined });
  });
  if (client === 'chat') checkChatStreamError(verdict, answer.body, code);
  else if (client === 'gemini') checkGeminiStreamError(verdict, answer.body, code);
  else checkResponsesStreamError(verdict, answer.body, code);
}

/**
 * Gemini: the last event is the error envelope `{"error":{"code","message","status"}}` (the SDKs throw on it);
 * no candidate ever carried a `finishReason` (a Gemini stream's only sign of a whole answer).
 */
function checkGeminiStreamError(verdict: Verdict, body: string, code: string | undefined): void {
  const chunks = parseSse(body)
    .map((event) => parseJson(event.data))
    .filter((chunk): chunk is Record<string, unknown> => typeof chunk === 'object' && chunk !== null);
  verdict.check('error event', () => {
    const status = code === undefined ? expect.any(String) : GEMINI_RPC_STATUS[code];
    expect({ lastChunk: chunks[chunks.length - 1], tail: body.slice(-600) }).toMatchObject({
      lastChunk: { error: { code: expect.any(Number), message: expect.any(String), status } },
    });
  });
  verdict.check('no success terminal', () => {
    const finished = chunks.filter((chunk) => {
      const candidates = chunk['candidates'];
      return Array.isArray(candidates) && candidates.some((candidate) => (candidate as { finishReason?: unknown }).finishReason != null);
    });
    expect(finished).toEqual([]);
  });
}

/** Chat: the last chunk is OpenAI's in-stream error `{"error":{...}}` (optionally followed by `[DONE]`); no choice ever finished. */
function checkChatStreamError(verdict: Verdict, body: string, code: string | undefined): void {
  const chunks = parseSse(body)
    .map((event) => parseJson(event.data))
    .filter((chunk): chunk is Record<string, unknown> => typeof chunk === 'object' && chunk !== null);
  verdict.check('error event', () => {
    expect({ lastChunk: chunks[chunks.length - 1], tail: body.slice(-600) }).toMatchObject({
      lastChunk: { error: { message: expect.any(String), type: expect.any(String), ...(code === undefined ? {} : { code }) } },
    });
  });
  verdict.check('no success terminal', () => {
    const finished = chunks.filter((chunk) => {
      const choices = chunk['choices'];
      return Array.isArray(choices) && choices.some((choice) => (choice as { finish_reason?: unknown }).finish_reason != null);
    });
    expect(finished).toEqual([]);
  });
}

/** Responses: the stream ends with `response.failed` or `error` carrying the code; never `response.completed`/`incomplete`. */
function checkResponsesStreamError(verdict: Verdict, body: string, code: string | undefined): void {
  const events = parseSse(body).map((event) => {
    const data = parseJson(event.data) as Record<string, unknown> | undefined;
    return { name: event.event ?? (data?.['type'] as string | undefined), data };
  });
  const failures = events.filter((event) => event.name === 'response.failed' || event.name === 'error');
  verdict.check('error event', () => {
    expect({
      lastEvent: events[events.length - 1]?.name,
      failureCodes: failures.map((event) => failureCode(event.data)),
      tail: body.slice(-600),
    }).toMatchObject({
      lastEvent: expect.stringMatching(/^(response\.failed|error)$/),
      failureCodes: expect.arrayContaining([code ?? expect.any(String)]),
    });
  });
  verdict.check('no success terminal', () => {
    expect(events.map((event) => event.name).filter((name) => name === 'response.completed' || name === 'response.incomplete')).toEqual([]);
  });
}

/** `response.failed` carries `response.error.code`; an `error` event `error.code` (or `code` at its top level). */
function failureCode(data: Record<string, unknown> | undefined): unknown {
  const response = data?.['response'] as { error?: { code?: unknown } } | undefined;
  const error = data?.['error'] as { code?: unknown } | undefined;
  return response?.error?.code ?? error?.code ?? data?.['code'];
}

/** The start and the end of a long body: what a failure message needs to show what the client got. */
function excerpt(body: string): string {
  return body.length <= 1_000 ? body : `${body.slice(0, 400)} […${body.length - 800} characters…] ${body.slice(-400)}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
