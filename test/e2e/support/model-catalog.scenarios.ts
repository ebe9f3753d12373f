import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI, type Model } from '@google/genai';
import OpenAI from 'openai';
import { anthropicClient } from './anthropic-sdk.scenarios';
import { expectGeminiApiError } from './gemini-sdk.scenarios';
import { uniqueMarker, waitForRequestLogs, type E2eContextGetter } from './e2e-context';
import { LISTED_MODEL_IDS } from './endpoints.scenarios';
import { MODELS } from './gateway-under-test';
import { httpCall } from './http-client';

/** What Gemini answers a countTokens with (documented shape: the total and its split by modality). */
const UPSTREAM_COUNT = { totalTokens: 2187, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 2187 }] };

/**
 * The model list and lookup in each client's own shape (`GET /v1/models`, `/v1beta/models`, ADR 0025), and
 * Gemini's `:countTokens`, through the real SDKs.
 */
export function modelCatalogScenarios(context: E2eContextGetter): void {
  const genai = (apiKey = context().gateway.apiKey, apiVersion?: 'v1beta'): GoogleGenAI =>
    new GoogleGenAI({
      apiKey,
      httpOptions: { baseUrl: context().gateway.origin, timeout: 20_000, fetch, ...(apiVersion ? { apiVersion } : {}) },
    });
  /** Gemini's envelope checked; its message returned. */
  const geminiFailure = async (call: Promise<unknown>, status: number, rpcStatus: string): Promise<string> =>
    (JSON.parse((await expectGeminiApiError(call, status, rpcStatus)).message) as { error: { message: string } }).error.message;

  describe('@google/genai models.list and models.get', () => {
    it.each([
      ['the default v1 surface (x-goog-api-key on /v1/models)', undefined],
      ['v1beta', 'v1beta' as const],
    ])('lists every model the key can call, page by page, on %s', async (_title, apiVersion) => {
      const { upstream } = context();
      const pager = await genai(undefined, apiVersion).models.list({ config: { pageSize: 6 } });
      const models: Model[] = [];
      for await (const model of pager) models.push(model);

      expect(models.map((model) => model.name)).toEqual(LISTED_MODEL_IDS.map((id) => `models/${id}`));
      expect(pager.sdkHttpResponse?.headers?.['ah-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(models.find((model) => model.name === `models/${MODELS.genaiGemini}`)).toMatchObject({
        displayName: MODELS.genaiGemini,
        supportedActions: ['generateContent', 'streamGenerateContent', 'countTokens'],
      });
      expect(upstream.requests).toHaveLength(0); // answered from the routing snapshot
    });

    it('gets one model by name, with or without the models/ prefix', async () => {
      const model = await genai().models.get({ model: MODELS.genaiChat });
      expect(model).toMatchObject({
        name: `models/${MODELS.genaiChat}`,
        supportedActions: expect.arrayContaining(['countTokens']) as string[],
      });
      expect((await genai(undefined, 'v1beta').models.get({ model: `models/${MODELS.genaiGemini}` })).name).toBe(
        `models/${MODELS.genaiGemini}`,
      );
    });

    it('404 NOT_FOUND for a model the key cannot call, 401 UNAUTHENTICATED for an unknown key', async () => {
      expect(await geminiFailure(genai(undefined, 'v1beta').models.get({ model: 'no-such-gemini' }), 404, 'NOT_FOUND')).toContain(
        'no-such-gemini',
      );
      await geminiFailure(genai().models.get({ model: 'no-such-gemini' }), 404, 'NOT_FOUND');
      await geminiFailure(genai('sk-not-a-gateway-key').models.list(), 401, 'UNAUTHENTICATED');
      await geminiFailure(genai('sk-not-a-gateway-key', 'v1beta').models.get({ model: MODELS.genaiGemini }), 401, 'UNAUTHENTICATED');
    });
  });

  describe('Gemini model list over plain HTTP', () => {
    const url = (path: string): string => `${context().gateway.origin}${path}`;

    it('takes ?key=, pages with pageSize and nextPageToken, and refuses a token it did not issue', async () => {
      const { gateway } = context();
      const first = await httpCall(url(`/v1beta/models?key=${gateway.apiKey}&pageSize=2`));
      expect(first.status).toBe(200);
      const page = first.json as { models: { name: string }[]; nextPageToken: string };
      expect(page.models.map((model) => model.name)).toEqual(LISTED_MODEL_IDS.slice(0, 2).map((id) => `models/${id}`));
      const second = await httpCall(url(`/v1beta/models?pageSize=2&pageToken=${page.nextPageToken}`), {
        headers: { 'x-goog-api-key': gateway.apiKey },
      });
      expect((second.json as { models: { name: string }[] }).models.map((model) => model.name)).toEqual(
        LISTED_MODEL_IDS.slice(2, 4).map((id) => `models/${id}`),
      );
      const foreign = await httpCall(url(`/v1beta/models?pageToken=bm90LW91cnM&key=${gateway.apiKey}`));
      expect({ status: foreign.status, body: foreign.json }).toEqual({
        status: 400,
        body: { error: { code: 400, status: 'INVALID_ARGUMENT', message: expect.stringContaining('pageToken') as string } },
      });
    });

    it('answers /v1beta in the Gemini shape whatever header holds the key', async () => {
      const { gateway } = context();
      const result = await httpCall(url(`/v1beta/models/${MODELS.genaiGemini}`), {
        headers: { authorization: `Bearer ${gateway.apiKey}` },
      });
      expect(result.status).toBe(200);
      expect(result.json).toMatchObject({ name: `models/${MODELS.genaiGemini}`, baseModelId: MODELS.genaiGemini });
    });
  });

  describe('@google/genai models.countTokens', () => {
    const contents = 'How many tokens is this sentence?';

    it('a gemini channel counts: the body as it came to :countTokens under the mapped model, its answer whole', async () => {
      const { gateway, upstream } = context();
      upstream.enqueue({ json: JSON.stringify(UPSTREAM_COUNT) });

      const count = await genai().models.countTokens({ model: MODELS.genaiGemini, contents });

      expect(count.totalTokens).toBe(UPSTREAM_COUNT.totalTokens);
      expect(count.sdkHttpResponse?.headers?.['ah-token-count']).toBe('upstream');
      expect(upstream.requests).toHaveLength(1);
      const request = upstream.requests[0]!;
      expect(request.path).toBe(`/v1beta/models/${MODELS.geminiUpstream}:countTokens`);
      expect(request.headers['x-goog-api-key']).toBe(gateway.channelKeys.gemini);
      expect(JSON.stringify(request.headers)).not.toContain(gateway.apiKey);
      expect(request.body).toEqual({ contents: [{ role: 'user', parts: [{ text: contents }] }] });
      const requestId = count.sdkHttpResponse?.headers?.['ah-request-id'];
      const rows = await waitForRequestLogs(gateway, { requestId: requestId ?? 'missing' }, 1);
      expect(rows[0]).toMatchObject({
        client_protocol: 'gemini',
        endpoint: '/v1/models/{model}:countTokens',
        requested_model: MODELS.genaiGemini,
        mapped_model: MODELS.geminiUpstream,
        status: 200,
        input_tokens: null,
      });
    });

    it("a generateContentRequest names the upstream's model inside too, and the client gets Gemini's whole answer", async () => {
      const { gateway, upstream } = context();
      upstream.enqueue({ json: JSON.stringify(UPSTREAM_COUNT) });
      const marker = uniqueMarker('count-wrapped');
      const request = {
        model: `models/${MODELS.genaiGemini}`,
        contents: [{ role: 'user', parts: [{ text: marker }] }],
        systemInstruction: { parts: [{ text: 'Be brief.' }] },
      };

      const result = await httpCall(`${gateway.origin}/v1beta/models/${MODELS.genaiGemini}:countTokens?key=${gateway.apiKey}`, {
        body: { generateContentRequest: request },
      });

      expect({ status: result.status, body: result.json }).toEqual({ status: 200, body: UPSTREAM_COUNT });
      expect(upstream.requests[0]?.body).toEqual({ generateContentRequest: { ...request, model: `models/${MODELS.geminiUpstream}` } });
    });

    it('another channel type: the gateway estimates, and calls no upstream', async () => {
      const { upstream } = context();
      const count = await genai().models.countTokens({ model: MODELS.genaiChat, contents });
      expect(count.sdkHttpResponse?.headers?.['ah-token-count']).toBe('estimate');
      // Four characters a token, plus the message's framing (as Anthropic's count_tokens estimates).
      expect(count.totalTokens).toBe(Math.ceil(contents.length / 4) + 4);
      expect(upstream.requests).toHaveLength(0);
    });

    it('authenticated and routed like inference: 401 UNAUTHENTICATED, 404 NOT_FOUND for an unmapped model', async () => {
      const { upstream } = context();
      await geminiFailure(
        genai('sk-not-a-gateway-key').models.countTokens({ model: MODELS.genaiGemini, contents }),
        401,
        'UNAUTHENTICATED',
      );
      await geminiFailure(genai(undefined, 'v1beta').models.countTokens({ model: 'no-such-gemini', contents }), 404, 'NOT_FOUND');
      expect(upstream.requests).toHaveLength(0);
    });
  });

  describe('@anthropic-ai/sdk models.list and models.retrieve', () => {
    it("lists every model in Anthropic's shape, page by page (after_id)", async () => {
      const { gateway } = context();
      const client = anthropicClient(gateway);
      const first = await client.models.list({ limit: 7 });
      expect(first.data).toHaveLength(7);
      expect(first.has_more).toBe(true);
      expect(first.data[0]).toEqual({
        type: 'model',
        id: LISTED_MODEL_IDS[0],
        display_name: LISTED_MODEL_IDS[0],
        created_at: '1970-01-01T00:00:00Z',
      });

      const ids: string[] = [];
      for await (const model of client.models.list({ limit: 7 })) ids.push(model.id);
      expect(ids).toEqual(LISTED_MODEL_IDS);
    });

    it('retrieves one model; 404 not_found_error for a model the key cannot call', async () => {
      const { gateway } = context();
      const client = anthropicClient(gateway);
      expect(await client.models.retrieve(MODELS.sdkAnthropic)).toMatchObject({ type: 'model', id: MODELS.sdkAnthropic });
      const failure = await client.models.retrieve('claude-nobody-maps').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Anthropic.NotFoundError);
      expect((failure as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({
        type: 'error',
        error: { type: 'not_found_error', message: expect.stringContaining('claude-nobody-maps') as string },
      });
    });

    it('401 authentication_error for an unknown key, with x-api-key or a Bearer token', async () => {
      const { gateway } = context();
      for (const client of [
        anthropicClient(gateway, 'sk-unknown'),
        new Anthropic({ authToken: 'sk-unknown', apiKey: null, baseURL: gateway.origin, maxRetries: 0 }),
      ]) {
        const failure = await client.models.list().catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(Anthropic.AuthenticationError);
        expect((failure as InstanceType<typeof Anthropic.AuthenticationError>).error).toMatchObject({
          type: 'error',
          error: { type: 'authentication_error' },
        });
      }
    });
  });

  describe("the openai SDK's models.retrieve", () => {
    it("answers in OpenAI's shape without anthropic-version; 404 in OpenAI's envelope", async () => {
      const { gateway } = context();
      const client = new OpenAI({ apiKey: gateway.apiKey, baseURL: gateway.baseUrl, maxRetries: 0 });
      expect(await client.models.retrieve(MODELS.sdkChat)).toEqual({
        id: MODELS.sdkChat,
        object: 'model',
        created: 0,
        owned_by: gateway.channelNames.chat,
      });
      const failure = await client.models.retrieve('nobody-maps-this').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(OpenAI.NotFoundError);
      expect((failure as InstanceType<typeof OpenAI.NotFoundError>).error).toMatchObject({ code: 'model_not_found' });
    });
  });
}
