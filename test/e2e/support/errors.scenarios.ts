import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { openAiError } from '../../support/fake-upstream';
import { fixturesRoot } from '../../support/recordings';
import { textAnswer } from '../../support/upstream-rules';
import { uniqueMarker, waitForRequestLogs, type E2eContextGetter } from './e2e-context';
import { BODY_LIMIT_BYTES, MODELS, SLOW_CHANNEL_TIMEOUT_MS } from './gateway-under-test';
import { httpCall, parseSse, postAndHangUpAfterFirstBytes, type HttpResult } from './http-client';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** OpenAI's error envelope, exactly: `{error: {message, type, code, param}}`, plus `AH-Request-Id`. */
function expectOpenAiError(result: HttpResult, status: number, code: string, type: string, param: string | null = null): string {
  expect({ status: result.status, body: result.json }).toEqual({
    status,
    body: { error: { message: expect.any(String), type, code, param } },
  });
  expect(result.headers.get('ah-request-id')).toMatch(UUID);
  const message = (result.json as { error: { message: string } }).error.message;
  expect(message.length).toBeGreaterThan(0);
  return message;
}

interface CodexRecordedRequest {
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

function codexFirstTurn(): CodexRecordedRequest {
  return JSON.parse(readFileSync(join(fixturesRoot(), 'clients', 'codex', 'first-turn.json'), 'utf8')) as CodexRecordedRequest;
}

/** Errors in the client's format, before and after the answer started; the gateway's response headers. */
export function errorScenarios(context: E2eContextGetter): void {
  const chatBody = (model: string = MODELS.sdkChat, stream = false): Record<string, unknown> => ({
    model,
    stream,
    messages: [{ role: 'user', content: 'Hello' }],
  });
  const auth = (): Record<string, string> => ({ authorization: `Bearer ${context().gateway.apiKey}` });

  describe('errors in the OpenAI envelope', () => {
    it('401 for an unknown key (Bearer), also through the SDK; the upstream is never called', async () => {
      const { gateway, upstream } = context();
      const result = await httpCall(`${gateway.baseUrl}/chat/completions`, {
        body: chatBody(),
        headers: { authorization: `Bearer sk-unknown-${uniqueMarker('key')}` },
      });
      expectOpenAiError(result, 401, 'invalid_api_key', 'authentication_error');

      const missing = await httpCall(`${gateway.baseUrl}/responses`, { body: { model: MODELS.sdkResponses, input: 'hi' } });
      expectOpenAiError(missing, 401, 'invalid_api_key', 'authentication_error');

      const sdk = new OpenAI({ apiKey: 'sk-not-a-gateway-key', baseURL: gateway.baseUrl, maxRetries: 0 });
      await expect(sdk.responses.create({ model: MODELS.sdkResponses, input: 'hi' })).rejects.toMatchObject({
        status: 401,
        code: 'invalid_api_key',
      });
      expect(upstream.requests).toHaveLength(0);
    });

    it('accepts the key in X-API-Key and Api-Key headers', async () => {
      const { gateway, upstream } = context();
      const answer = uniqueMarker('header-key');
      upstream.script(textAnswer(answer));

      const viaXApiKey = await httpCall(`${gateway.baseUrl}/chat/completions`, {
        body: chatBody(),
        headers: { 'x-api-key': gateway.apiKey },
      });
      const viaApiKey = await httpCall(`${gateway.baseUrl}/chat/completions`, { body: chatBody(), headers: { 'api-key': gateway.apiKey } });
      const models = await httpCall(`${gateway.baseUrl}/models`, { headers: { 'x-api-key': gateway.apiKey } });

      for (const result of [viaXApiKey, viaApiKey]) {
        expect(result.status).toBe(200);
        expect((result.json as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content).toBe(answer);
      }
      expect(models.status).toBe(200);
      expect(upstream.requests).toHaveLength(2);
    });

    it('400 for malformed JSON and for a body without model', async () => {
      const { gateway, upstream } = context();
      const malformed = await httpCall(`${gateway.baseUrl}/chat/completions`, {
        body: '{"model": "sdk-chat", "messages": [',
        headers: auth(),
      });
      expectOpenAiError(malformed, 400, 'invalid_request', 'invalid_request_error');

      const noModel = await httpCall(`${gateway.baseUrl}/chat/completions`, {
        body: { messages: [{ role: 'user', content: 'hi' }] },
        headers: auth(),
      });
      expect(expectOpenAiError(noModel, 400, 'invalid_request', 'invalid_request_error', 'model')).toMatch(/model/);

      const responsesNoModel = await httpCall(`${gateway.baseUrl}/responses`, { body: { input: 'hi' }, headers: auth() });
      expectOpenAiError(responsesNoModel, 400, 'invalid_request', 'invalid_request_error', 'model');
      expect(upstream.requests).toHaveLength(0);
    });

    it('404 for a model the profile does not route', async () => {
      const { gateway, upstream } = context();
      const result = await httpCall(`${gateway.baseUrl}/chat/completions`, { body: chatBody('no-such-model'), headers: auth() });
      expect(expectOpenAiError(result, 404, 'model_not_found', 'invalid_request_error', 'model')).toContain('no-such-model');
      expect(upstream.requests).toHaveLength(0);
    });

    it('413 for a body over server.body_limit_bytes', async () => {
      const { gateway, upstream } = context();
      const body = JSON.stringify({ ...chatBody(), messages: [{ role: 'user', content: 'x'.repeat(BODY_LIMIT_BYTES + 1024) }] });
      const result = await httpCall(`${gateway.baseUrl}/chat/completions`, { body, headers: auth() });
      expectOpenAiError(result, 413, 'request_too_large', 'invalid_request_error');
      expect(upstream.requests).toHaveLength(0);
    });

    it('the routes Fastify serves answer in the envelope too: unknown route, malformed JSON, a body over the limit', async () => {
      const { gateway } = context();
      const unknown = await httpCall(`${gateway.baseUrl}/no-such-route`, { headers: auth() });
      expectOpenAiError(unknown, 404, 'invalid_request', 'invalid_request_error');
      // POST /v1/models has no handler, but Fastify reads the body first: its parser's errors come out here.
      const malformed = await httpCall(`${gateway.baseUrl}/models`, { body: '{"bad', headers: auth() });
      expectOpenAiError(malformed, 400, 'invalid_request', 'invalid_request_error');
      const tooLarge = await httpCall(`${gateway.baseUrl}/models`, { body: `"${'x'.repeat(BODY_LIMIT_BYTES + 1024)}"`, headers: auth() });
      expectOpenAiError(tooLarge, 413, 'request_too_large', 'invalid_request_error');
    });

    it('502 when the upstream answers 500, and for an upstream 401 without leaking the channel key', async () => {
      const { gateway, upstream } = context();
      upstream.enqueue(openAiError(500));
      const serverError = await httpCall(`${gateway.baseUrl}/chat/completions`, { body: chatBody(), headers: auth() });
      expect(expectOpenAiError(serverError, 502, 'upstream_error', 'api_error')).toContain('500');

      // OpenAI echoes (part of) the key it rejected: the gateway must not pass that on.
      upstream.enqueue(openAiError(401, `Incorrect API key provided: ${gateway.channelKeys.responses}.`));
      const rejected = await httpCall(`${gateway.baseUrl}/responses`, {
        body: { model: MODELS.sdkResponses, input: 'hi' },
        headers: auth(),
      });
      expect(expectOpenAiError(rejected, 502, 'upstream_error', 'api_error')).toContain('401');
      for (const secret of Object.values(gateway.channelKeys)) {
        expect(rejected.text).not.toContain(secret);
        expect(serverError.text).not.toContain(secret);
      }
      expect(upstream.requests.map((request) => request.path)).toEqual(['/v1/chat/completions', '/v1/responses']);
      const rows = await waitForRequestLogs(gateway, { requestId: rejected.headers.get('ah-request-id') ?? 'missing' }, 1);
      expect(rows[0]).toMatchObject({ status: 502, error_code: 'upstream_error', mapped_model: MODELS.responsesUpstream });
    });

    it("504 when the upstream sends no headers within the channel's timeout_ms", async () => {
      const { gateway, upstream } = context();
      upstream.enqueue({ fixture: 'openai-chat/text.json', firstByteDelayMs: 10_000 });
      const started = Date.now();
      const result = await httpCall(`${gateway.baseUrl}/chat/completions`, { body: chatBody(MODELS.slow), headers: auth() });
      const elapsed = Date.now() - started;

      expectOpenAiError(result, 504, 'upstream_timeout', 'api_error');
      // undici's timeout timers are coarse (ticks of ~0.5 s), so only the order of magnitude is checked.
      expect(elapsed).toBeGreaterThanOrEqual(SLOW_CHANNEL_TIMEOUT_MS / 2);
      expect(elapsed).toBeLessThan(5_000);
      expect(upstream.requests[0]?.body).toMatchObject({ model: MODELS.slowUpstream });
    });
  });

  describe('failures after the stream started', () => {
    it.each([
      { title: 'translated from a Chat channel', model: MODELS.sdkChat, fixture: 'openai-chat/text.sse' },
      { title: 'passed through from a Responses channel', model: MODELS.sdkResponses, fixture: 'openai-responses/stop.sse' },
    ])('an upstream that drops mid-stream ends a Responses stream with response.failed ($title)', async ({ model, fixture }) => {
      const { gateway, upstream } = context();
      upstream.enqueue({ fixture, disconnectAfterEvents: 6 });

      const result = await httpCall(`${gateway.baseUrl}/responses`, { body: { model, input: 'Hello', stream: true }, headers: auth() });

      expect(result.status).toBe(200);
      expect(result.headers.get('content-type')).toContain('text/event-stream');
      const events = parseSse(result.text);
      const last = events[events.length - 1];
      expect(last?.event).toBe('response.failed');
      const failed = JSON.parse(last?.data ?? '{}') as { type: string; response: { status: string; error: { message: string } } };
      expect(failed.type).toBe('response.failed');
      expect(failed.response.status).toBe('failed');
      expect(failed.response.error.message.length).toBeGreaterThan(0);
      expect(events.some((event) => event.event === 'response.completed')).toBe(false);
      expect(upstream.requests[0]).toMatchObject({ disconnected: true, completed: false });
      const rows = await waitForRequestLogs(gateway, { requestId: result.headers.get('ah-request-id') ?? 'missing' }, 1);
      expect(rows[0]?.status).toBeGreaterThanOrEqual(500);
    });

    it('an upstream that drops mid-stream makes the openai SDK throw on a Chat stream, not end quietly', async () => {
      const { gateway, upstream } = context();
      upstream.enqueue({ fixture: 'openai-chat/text.sse', disconnectAfterEvents: 6 });
      const client = new OpenAI({ apiKey: gateway.apiKey, baseURL: gateway.baseUrl, maxRetries: 0 });

      const stream = await client.chat.completions.create({
        model: MODELS.sdkChat,
        messages: [{ role: 'user', content: 'Hello' }],
        stream: true,
      });
      const received: string[] = [];
      await expect(
        (async () => {
          for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
        })(),
      ).rejects.toThrow(new RegExp(gateway.channelNames.chat));
      // The six events the upstream sent before it dropped, then the gateway's error chunk.
      expect(received).toEqual(['', '**', 'Holiday', ' Name', ':**', ' Harmony']);
    });

    it('a client that hangs up mid-stream cancels the upstream request', async () => {
      const { gateway, upstream } = context();
      upstream.enqueue({ fixture: 'openai-chat/text.sse', stallAfterEvents: 3 });

      const { status } = await postAndHangUpAfterFirstBytes(`${gateway.baseUrl}/chat/completions`, chatBody(MODELS.sdkChat, true), auth());

      expect(status).toBe(200);
      await upstream.waitUntil(() => upstream.requests[0]?.aborted === true, 'the gateway to cancel the upstream request', 5_000);
      expect(upstream.requests[0]).toMatchObject({ aborted: true, completed: false });
    });
  });

  describe('gateway response headers', () => {
    it('AH-Request-Id on every answer; AH-Trace-Id from session-id or AH-Trace-Id; none without', async () => {
      const { gateway, upstream } = context();
      upstream.script(textAnswer(uniqueMarker('headers')));
      const sessionId = uniqueMarker('session');
      const traceId = uniqueMarker('trace');
      const threadId = uniqueMarker('thread');

      const plain = await httpCall(`${gateway.baseUrl}/chat/completions`, { body: chatBody(), headers: auth() });
      const withSession = await httpCall(`${gateway.baseUrl}/chat/completions`, {
        body: chatBody(),
        headers: { ...auth(), 'session-id': sessionId },
      });
      const withTrace = await httpCall(`${gateway.baseUrl}/responses`, {
        body: { model: MODELS.sdkResponses, input: 'hi', stream: true },
        headers: { ...auth(), 'AH-Trace-Id': traceId, 'session-id': sessionId, 'AH-Thread-Id': threadId },
      });

      expect([plain.status, withSession.status, withTrace.status]).toEqual([200, 200, 200]);
      const requestIds = [plain, withSession, withTrace].map((result) => result.headers.get('ah-request-id'));
      requestIds.forEach((id) => expect(id).toMatch(UUID));
      expect(new Set(requestIds).size).toBe(3);
      expect(plain.headers.get('ah-trace-id')).toBeNull();
      expect(withSession.headers.get('ah-trace-id')).toBe(sessionId);
      expect(withTrace.headers.get('ah-trace-id')).toBe(traceId);

      const rows = await waitForRequestLogs(gateway, { conversationKey: traceId }, 1);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ request_id: requestIds[2], conversation_source: 'ah-trace-id', thread_key: threadId, status: 200 });
    });

    it("AH-Warnings when Codex's web_search tool is dropped for a Chat channel (recorded Codex request replayed)", async () => {
      const { gateway, upstream } = context();
      upstream.script(textAnswer(uniqueMarker('warnings')));
      const recorded = codexFirstTurn();

      const result = await httpCall(`${gateway.baseUrl}/responses`, {
        body: recorded.body,
        headers: { ...auth(), 'session-id': recorded.headers['session-id'] ?? '', 'thread-id': recorded.headers['thread-id'] ?? '' },
      });

      expect(result.status).toBe(200);
      expect(result.headers.get('ah-request-id')).toMatch(UUID);
      expect(result.headers.get('ah-trace-id')).toBe(recorded.headers['session-id']);
      expect(result.headers.get('ah-warnings')).toMatch(/web_search/);
      const events = parseSse(result.text);
      expect(events[events.length - 1]?.event).toBe('response.completed');
      expect(upstream.requests[0]?.rawBody).not.toContain('web_search');
    });
  });
}
