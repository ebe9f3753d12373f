import { request as httpRequest } from 'node:http';
import { ApiError, GoogleGenAI, type Content, type FunctionDeclaration, type GenerateContentResponse } from '@google/genai';
import { RECORDED_USAGE, uniqueMarker, usageColumns, waitForRequestLogs, type E2eContextGetter } from './e2e-context';
import { MODELS } from './gateway-under-test';
import { textAnswer, toolRoundTrip } from '../../support/upstream-rules';
import { geminiKeyRejected, type RecordedRequest } from '../../support/fake-upstream';
import { httpCall, parseSse, type HttpResult } from './http-client';

/** The signature on the recorded call of gemini/tool-call.sse (templating substitutes only the name and the arguments). */
const RECORDED_CALL_SIGNATURE_START = 'EqUCCqICAb4+9vsh8Pd5taZVoPzSvjWWwzBrvhEQ';

interface GenaiChannelCase {
  title: string;
  clientModel: string;
  upstreamModel: string;
  /** The upstream path for a whole answer and for a stream. */
  upstreamPath: (stream: boolean) => string;
  streamUsage: { input: number; output: number; total: number };
  jsonUsage: { input: number; output: number; total: number };
  /** What the upstream request says of the conversation, as text to look for. */
  expectSigned: (request: RecordedRequest, keys: { gemini: string; chat: string }) => void;
}

const GENAI_CASES: GenaiChannelCase[] = [
  {
    title: 'gemini channel (pass-through: the body as it came, the model mapped in the URL)',
    clientModel: MODELS.genaiGemini,
    upstreamModel: MODELS.geminiUpstream,
    upstreamPath: (stream) => `/v1beta/models/${MODELS.geminiUpstream}:${stream ? 'streamGenerateContent' : 'generateContent'}`,
    streamUsage: RECORDED_USAGE.geminiTextStream,
    jsonUsage: RECORDED_USAGE.geminiTextJson,
    expectSigned: (request, keys) => {
      expect(request.headers['x-goog-api-key']).toBe(keys.gemini);
      expect(request.headers['authorization']).toBeUndefined();
      expect((request.body as { model?: unknown }).model).toBeUndefined();
    },
  },
  {
    title: 'openai channel (translated to Chat Completions)',
    clientModel: MODELS.genaiChat,
    upstreamModel: MODELS.chatUpstream,
    upstreamPath: () => '/v1/chat/completions',
    streamUsage: RECORDED_USAGE.chatTextStream,
    jsonUsage: RECORDED_USAGE.chatTextJson,
    expectSigned: (request, keys) => {
      expect(request.headers['authorization']).toBe(`Bearer ${keys.chat}`);
      expect(request.headers['x-goog-api-key']).toBeUndefined();
      expect((request.body as { model?: unknown }).model).toBe(MODELS.chatUpstream);
    },
  },
];

const WEATHER: FunctionDeclaration = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

/** The official `@google/genai` SDK pointed at the gateway (`httpOptions.baseUrl`), with a gateway key. */
/** The call fails as `@google/genai`'s `ApiError` with this status, its body Gemini's error envelope. */
export async function expectGeminiApiError(call: Promise<unknown>, status: number, rpcStatus: string): Promise<ApiError> {
  const failure = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(ApiError);
  expect((failure as ApiError).status).toBe(status);
  const body = JSON.parse((failure as ApiError).message) as { error: { code: number; status: string; message: string } };
  expect(body.error).toEqual({ code: status, status: rpcStatus, message: expect.any(String) as string });
  return failure as ApiError;
}

export function geminiSdkScenarios(context: E2eContextGetter): void {
  // `fetch`: the SDK's own Node path dispatches through undici's global dispatcher, which lives in the
  // process's main realm and not in jest's sandbox; the sandbox's fetch is the same Node fetch.
  const genai = (apiKey = context().gateway.apiKey, apiVersion?: 'v1beta'): GoogleGenAI =>
    new GoogleGenAI({
      apiKey,
      httpOptions: { baseUrl: context().gateway.origin, timeout: 20_000, fetch, ...(apiVersion ? { apiVersion } : {}) },
    });
  /** The errors go through `v1beta`, the surface Google documents; the scenarios above through the SDK's default `v1`. */
  const genaiBeta = (apiKey = context().gateway.apiKey): GoogleGenAI => genai(apiKey, 'v1beta');

  describe.each(GENAI_CASES)('@google/genai, $title', (channel) => {
    function expectUpstreamCall(stream: boolean): RecordedRequest {
      const { gateway, upstream } = context();
      expect(upstream.requests).toHaveLength(1);
      const request = upstream.requests[0]!;
      expect(request.path).toBe(channel.upstreamPath(stream));
      if (channel.upstreamModel === MODELS.geminiUpstream) expect(request.query).toEqual(stream ? { alt: 'sse' } : {});
      channel.expectSigned(request, gateway.channelKeys);
      expect(request.rawBody).toContain('Hello from genai');
      return request;
    }

    it('generateContent: text, usage, and a request-log row naming the Gemini endpoint', async () => {
      const { gateway, upstream } = context();
      const answer = uniqueMarker('genai-whole');
      upstream.script(textAnswer(answer));

      const response = await genai().models.generateContent({ model: channel.clientModel, contents: 'Hello from genai' });

      expect(response.text).toBe(answer);
      expect(response.candidates?.[0]?.finishReason).toBe('STOP');
      expect(response.usageMetadata).toMatchObject({ promptTokenCount: channel.jsonUsage.input, totalTokenCount: channel.jsonUsage.total });
      expectUpstreamCall(false);
      const requestId = response.sdkHttpResponse?.headers?.['ah-request-id'];
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      const rows = await waitForRequestLogs(gateway, { requestId: requestId ?? 'missing' }, 1);
      expect(rows[0]).toMatchObject({
        client_protocol: 'gemini',
        // @google/genai 3.x calls the stable surface (`apiVersion` v1) unless told otherwise.
        endpoint: '/v1/models/{model}:generateContent',
        stream: false,
        requested_model: channel.clientModel,
        mapped_model: channel.upstreamModel,
        status: 200,
        error_code: null,
        ...usageColumns(channel.jsonUsage),
      });
    });

    it('generateContentStream: the text in chunks, a STOP, the cumulative usage in the log', async () => {
      const { gateway, upstream } = context();
      const answer = uniqueMarker('genai-stream');
      upstream.script(textAnswer(answer));

      const stream = await genai().models.generateContentStream({ model: channel.clientModel, contents: 'Hello from genai' });
      const chunks: GenerateContentResponse[] = [];
      for await (const chunk of stream) chunks.push(chunk);

      expect(chunks.map((chunk) => chunk.text ?? '').join('')).toBe(answer);
      expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe('STOP');
      expect(chunks.at(-1)?.usageMetadata).toMatchObject({
        promptTokenCount: channel.streamUsage.input,
        totalTokenCount: channel.streamUsage.total,
      });
      expectUpstreamCall(true);
      const requestId = chunks[0]?.sdkHttpResponse?.headers?.['ah-request-id'];
      const rows = await waitForRequestLogs(gateway, { requestId: requestId ?? 'missing' }, 1);
      expect(rows[0]).toMatchObject({
        client_protocol: 'gemini',
        endpoint: '/v1/models/{model}:streamGenerateContent',
        stream: true,
        mapped_model: channel.upstreamModel,
        status: 200,
        ...usageColumns(channel.streamUsage),
      });
    });

    it('a function call round trip: the streamed call, its functionResponse sent back, the answer', async () => {
      const { upstream } = context();
      const marker = uniqueMarker('genai-tool');
      const answer = `It is sunny in ${marker}.`;
      upstream.script(toolRoundTrip({ toolCall: { name: 'get_weather', arguments: { city: marker } }, answerText: answer }));
      const config = { tools: [{ functionDeclarations: [WEATHER] }] };
      const history: Content[] = [{ role: 'user', parts: [{ text: 'Hello from genai: the weather?' }] }];

      const stream = await genai().models.generateContentStream({ model: channel.clientModel, contents: history, config });
      const chunks: GenerateContentResponse[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      const calls = chunks.flatMap((chunk) => chunk.functionCalls ?? []);
      expect(calls).toEqual([expect.objectContaining({ name: 'get_weather', args: { city: marker } })]);
      const modelParts = chunks.flatMap((chunk) => chunk.candidates?.[0]?.content?.parts ?? []);

      history.push({ role: 'model', parts: modelParts });
      history.push({ role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { output: `sunny in ${marker}` } } }] });
      const final = await genai().models.generateContent({ model: channel.clientModel, contents: history, config });
      expect(final.text).toBe(answer);

      expect(upstream.requests).toHaveLength(2);
      const followUp = upstream.requests[1]!;
      expect(followUp.rawBody).toContain(`sunny in ${marker}`);
      if (channel.upstreamModel === MODELS.geminiUpstream) {
        // The signature Gemini put on its call went back to Gemini with it.
        const body = followUp.body as { contents: { role: string; parts: { functionCall?: unknown; thoughtSignature?: string }[] }[] };
        const callPart = body.contents.flatMap((content) => content.parts).find((part) => part.functionCall !== undefined);
        expect(callPart?.thoughtSignature?.startsWith(RECORDED_CALL_SIGNATURE_START)).toBe(true);
      } else {
        const messages = (followUp.body as { messages: { role: string; tool_calls?: { function: { name: string } }[] }[] }).messages;
        expect(messages.find((message) => message.tool_calls !== undefined)?.tool_calls?.[0]?.function.name).toBe('get_weather');
        expect(messages.at(-1)?.role).toBe('tool');
        // A Chat upstream never sees Gemini's or anyone's signature.
        expect(followUp.rawBody).not.toContain(RECORDED_CALL_SIGNATURE_START);
      }
    });

    it('a stream the upstream cuts short ends in an ApiError, never a normal end', async () => {
      const { upstream } = context();
      upstream.script((request) => {
        const reply = textAnswer(uniqueMarker('genai-cut'))(request);
        return reply === undefined ? undefined : { ...reply, disconnectAfterEvents: 2 };
      });

      const stream = await genai().models.generateContentStream({ model: channel.clientModel, contents: 'Hello from genai' });
      const received: string[] = [];
      const failure = await failureOf(stream, (chunk) => received.push(chunk.text ?? ''));
      expect(failure).toBeInstanceOf(ApiError);
      expect((failure as ApiError).status).toBe(502);
      expect((failure as ApiError).message).toContain('UNAVAILABLE');
      expect(received.join('').length).toBeGreaterThan(0);
    });
  });

  describe('@google/genai errors', () => {
    it('an unknown key is a 401 UNAUTHENTICATED; the upstream is never called', async () => {
      const { upstream } = context();
      await expectGeminiApiError(
        genaiBeta('sk-not-a-gateway-key').models.generateContent({ model: MODELS.genaiGemini, contents: 'hi' }),
        401,
        'UNAUTHENTICATED',
      );
      expect(upstream.requests).toHaveLength(0);
    });

    it('an unknown model is a 404 NOT_FOUND naming it', async () => {
      const failure = await expectGeminiApiError(
        genaiBeta().models.generateContentStream({ model: 'no-such-gemini', contents: 'hi' }),
        404,
        'NOT_FOUND',
      );
      expect(failure.message).toContain('no-such-gemini');
    });

    it("an upstream failure is the gateway's 502 UNAVAILABLE, a 429 stays a 429, and the channel's key never shows", async () => {
      const { gateway, upstream } = context();
      const key = gateway.channelKeys.gemini;
      upstream.enqueue(geminiKeyRejected(key));
      const rejected = await expectGeminiApiError(
        genaiBeta().models.generateContent({ model: MODELS.genaiGemini, contents: 'hi' }),
        502,
        'UNAVAILABLE',
      );
      expect(rejected.message).not.toContain(key);
      expect(rejected.message).not.toContain(key.slice(4, 20));

      upstream.enqueue({
        status: 429,
        error: { error: { code: 429, message: 'Resource has been exhausted', status: 'RESOURCE_EXHAUSTED' } },
      });
      await expectGeminiApiError(
        genaiBeta().models.generateContentStream({ model: MODELS.genaiGemini, contents: 'hi' }),
        429,
        'RESOURCE_EXHAUSTED',
      );

      upstream.enqueue({ status: 500, error: { error: { code: 500, message: 'Internal error encountered.', status: 'INTERNAL' } } });
      await expectGeminiApiError(genaiBeta().models.generateContent({ model: MODELS.genaiGemini, contents: 'hi' }), 502, 'UNAVAILABLE');
    });

    it('an in-stream error chunk from the upstream reaches the SDK as an ApiError with its code', async () => {
      const { upstream } = context();
      const first =
        'data: {"candidates":[{"content":{"parts":[{"text":"Hel"}],"role":"model"},"index":0}],"modelVersion":"gemini-3-pro-preview"}\n\n';
      const error = 'data: {"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}\n\n';
      upstream.enqueue({ sse: first + error });
      const stream = await genaiBeta().models.generateContentStream({ model: MODELS.genaiGemini, contents: 'hi' });
      const failure = await failureOf(stream);
      expect(failure).toBeInstanceOf(ApiError);
      expect((failure as ApiError).status).toBe(503);
      expect((failure as ApiError).message).toContain('overloaded');
    });
  });
}

/** Reads a stream to its end; what it threw, or undefined when it ended normally. */
async function failureOf(
  stream: AsyncGenerator<GenerateContentResponse>,
  onChunk?: (chunk: GenerateContentResponse) => void,
): Promise<unknown> {
  try {
    for await (const chunk of stream) onChunk?.(chunk);
    return undefined;
  } catch (error) {
    return error;
  }
}

/** What the SDKs hide: the Gemini envelope and status for hostile requests, byte for byte over plain HTTP. */
export function geminiHttpScenarios(context: E2eContextGetter): void {
  const url = (path: string): string => `${context().gateway.origin}${path}`;
  const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };
  const keyHeader = (): Record<string, string> => ({ 'x-goog-api-key': context().gateway.apiKey });

  const expectGeminiError = (result: HttpResult, status: number, rpcStatus: string): string => {
    expect({ status: result.status, body: result.json }).toEqual({
      status,
      body: { error: { code: status, message: expect.any(String) as string, status: rpcStatus } },
    });
    expect(result.headers.get('content-type')).toContain('application/json');
    return (result.json as { error: { message: string } }).error.message;
  };

  describe('Gemini routes over plain HTTP', () => {
    it('takes the key from ?key= too; the stream is SSE, each event a whole response', async () => {
      const { gateway, upstream } = context();
      const answer = uniqueMarker('gemini-query-key');
      upstream.script(textAnswer(answer));
      const result = await httpCall(url(`/v1beta/models/${MODELS.genaiGemini}:streamGenerateContent?alt=sse&key=${gateway.apiKey}`), {
        body,
      });
      expect(result.status).toBe(200);
      expect(result.headers.get('content-type')).toContain('text/event-stream');
      const events = parseSse(result.text).map((event) => JSON.parse(event.data) as GenerateContentResponse);
      expect(events.map((event) => event.candidates?.[0]?.content?.parts?.map((part) => part.text ?? '').join('') ?? '').join('')).toBe(
        answer,
      );
      expect(upstream.requests[0]?.query).toEqual({ alt: 'sse' });
      // A pass-through: the body went on as the bytes it came as.
      expect(upstream.requests[0]?.rawBody).toBe(JSON.stringify(body));
      // The client's key went nowhere near the upstream.
      expect(JSON.stringify(upstream.requests[0]?.headers)).not.toContain(gateway.apiKey);
    });

    it('also serves /v1/models/... (the stable surface)', async () => {
      const { upstream } = context();
      const answer = uniqueMarker('gemini-v1');
      upstream.script(textAnswer(answer));
      const result = await httpCall(url(`/v1/models/${MODELS.genaiGemini}:generateContent`), { body, headers: keyHeader() });
      expect(result.status).toBe(200);
      expect((result.json as GenerateContentResponse).candidates?.[0]?.content?.parts?.[0]?.text).toBe(answer);
    });

    it('400 INVALID_ARGUMENT for malformed JSON and for a body without contents; the upstream is never called', async () => {
      const { upstream } = context();
      const path = `/v1beta/models/${MODELS.genaiGemini}:generateContent`;
      expectGeminiError(await httpCall(url(path), { body: '{"contents": [', headers: keyHeader() }), 400, 'INVALID_ARGUMENT');
      expect(expectGeminiError(await httpCall(url(path), { body: {}, headers: keyHeader() }), 400, 'INVALID_ARGUMENT')).toContain(
        'contents',
      );
      expect(upstream.requests).toHaveLength(0);
    });

    it('401 UNAUTHENTICATED without a key, before the body is read', async () => {
      const { upstream } = context();
      expectGeminiError(await httpCall(url(`/v1beta/models/${MODELS.genaiGemini}:generateContent`), { body }), 401, 'UNAUTHENTICATED');
      expect(upstream.requests).toHaveLength(0);
    });

    it.each([
      ['a ../ path segment', `/v1beta/models/../../api/admin:generateContent`],
      ['an encoded slash', `/v1beta/models/${MODELS.genaiGemini}%2F..%2Fx:generateContent`],
      ['an encoded dot-dot', `/v1beta/models/%2e%2e/x:streamGenerateContent?alt=sse`],
      ['a stream without alt=sse', `/v1beta/models/${MODELS.genaiGemini}:streamGenerateContent`],
    ])('400 INVALID_ARGUMENT for %s; the upstream is never called', async (_what, path) => {
      const { gateway, upstream } = context();
      // fetch would resolve the dot segments itself: the path goes out as written.
      const result = await rawPost(gateway.origin, path, JSON.stringify(body), keyHeader());
      expectGeminiError(result, 400, 'INVALID_ARGUMENT');
      expect(upstream.requests).toHaveLength(0);
    });

    it('404 NOT_FOUND for a Gemini method the gateway does not serve', async () => {
      const result = await httpCall(url(`/v1beta/models/${MODELS.genaiGemini}:embedContent`), { body, headers: keyHeader() });
      expectGeminiError(result, 404, 'NOT_FOUND');
    });
  });
}

/** A POST with the path exactly as given (no URL normalisation), for hostile paths. */
function rawPost(origin: string, path: string, body: string, headers: Record<string, string>): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${origin}/`,
      { method: 'POST', path, headers: { 'content-type': 'application/json', ...headers } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(text) as unknown;
          } catch {
            json = undefined;
          }
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') responseHeaders.set(name, value);
          resolve({ status: response.statusCode ?? 0, headers: responseHeaders, text, json });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
