/**
 * OpenAI-compatible vendor presets end to end: the built gateway in embedded mode, channels created through the
 * admin API with a preset, a model map and extra headers, and the fake upstream replaying the vendors' own
 * recordings. What is checked is what the vendor would see (URL, query, headers, body) and what the client
 * gets back (an Azure stream through Chat; DeepSeek's reasoning_content as Responses reasoning).
 */
import { randomBytes } from 'node:crypto';
import OpenAI from 'openai';
import type { ChannelTestResult, ChannelView } from '@gw/contracts';
import { startFakeUpstream, type FakeUpstream, type RecordedRequest } from '../support/fake-upstream';
import { loadRecordedStream } from '../support/recordings';
import { adminClient, printedOwnerTokens, type AdminCall } from './support/admin-client';
import { waitForRequestLogs } from './support/e2e-context';
import { startEmbeddedGateway, type EmbeddedGatewayUnderTest } from './support/gateway-under-test';

jest.setTimeout(120_000);

/** Random and credential-shaped: finding one (or a piece of one) in any answer or row is a leak. */
function secret(prefix: string): string {
  return `${prefix}${randomBytes(24).toString('hex')}`;
}

const AZURE_KEY = secret('azkey');
const PROXY_HEADER_SECRET = secret('proxy-');
const DEEPSEEK_KEY = secret('sk-');
const MISTRAL_KEY = secret('sk-');
const GROQ_KEY = secret('gsk_');
const AZURE_DEPLOYMENT = 'my-azure-deployment';

describe('provider presets (embedded gateway)', () => {
  let upstream: FakeUpstream;
  let gateway: EmbeddedGatewayUnderTest;
  let owner: AdminCall;
  let clientKey: string;
  /** Every admin and client answer of this file, searched for secrets at the end. */
  const answers: string[] = [];

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    // Each vendor's path gets its vendor's recording; everything else falls through to the default rule.
    upstream.script((request) => {
      if (request.path === `/openai/deployments/${AZURE_DEPLOYMENT}/chat/completions`) {
        return { fixture: isStream(request) ? 'openai-chat/azure-model-router.sse' : 'openai-chat/text.json' };
      }
      if (request.path === '/deepseek/v1/chat/completions') {
        return { fixture: isStream(request) ? 'openai-chat/deepseek-reasoning.sse' : 'openai-chat/deepseek-reasoning.json' };
      }
      if (request.path === '/groq/openai/v1/chat/completions')
        return { fixture: isStream(request) ? 'openai-chat/text.sse' : 'openai-chat/text.json' };
      if (request.path === '/mistral/v1/chat/completions')
        return { fixture: isStream(request) ? 'openai-chat/text.sse' : 'openai-chat/text.json' };
      return undefined;
    });
    gateway = await startEmbeddedGateway(upstream);
    const ownerCall = adminClient(gateway.origin, printedOwnerTokens(gateway.output())[0]);
    owner = async (method, path, body) => {
      const result = await ownerCall(method, path, body);
      answers.push(result.text);
      return result as never;
    };
    const key = await owner<{ key: string }>('POST', '/api-keys', { name: 'preset-tests' });
    expect(key.status).toBe(201);
    clientKey = key.body.key;
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  function isStream(request: RecordedRequest): boolean {
    return (request.body as { stream?: unknown } | undefined)?.stream === true;
  }

  /** The upstream requests made while `run` ran. */
  async function upstreamRequestsOf(run: () => Promise<void>): Promise<RecordedRequest[]> {
    const before = upstream.requests.length;
    await run();
    return upstream.requests.slice(before);
  }

  describe('azure-openai: deployment URL, api-version, api-key, model map, extra headers', () => {
    it('creates the channel with the preset; views mask the extra header like the credential', async () => {
      const created = await owner<ChannelView>('POST', '/channels', {
        name: 'azure',
        preset: 'azure-openai',
        base_url: upstream.origin,
        api_key: AZURE_KEY,
        models: ['gpt-4o'],
        model_map: { 'gpt-4o': AZURE_DEPLOYMENT },
        headers: { 'X-Proxy-Key': PROXY_HEADER_SECRET },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        type: 'openai',
        preset: 'azure-openai',
        base_url: upstream.origin,
        model_map: { 'gpt-4o': AZURE_DEPLOYMENT },
        api_key: { set: true, last4: AZURE_KEY.slice(-4) },
        headers: { 'X-Proxy-Key': { set: true, last4: PROXY_HEADER_SECRET.slice(-4) } },
      });
    });

    it('a Chat stream reaches the deployment path with api-version and api-key, and the Azure stream comes back whole', async () => {
      let response!: Response;
      let text = '';
      const [call, ...others] = await upstreamRequestsOf(async () => {
        response = await fetch(`${gateway.baseUrl}/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'Capital of France?' }] }),
        });
        text = await response.text();
      });
      expect(others).toEqual([]);
      expect(call).toMatchObject({ method: 'POST', path: `/openai/deployments/${AZURE_DEPLOYMENT}/chat/completions` });
      expect(call!.query).toEqual({ 'api-version': '2024-10-21' });
      expect(call!.headers['api-key']).toBe(AZURE_KEY);
      expect(call!.headers.authorization).toBeUndefined();
      expect(call!.headers['x-proxy-key']).toBe(PROXY_HEADER_SECRET);
      // The body carries the upstream's name for the model (the deployment), not the profile's.
      expect(call!.body).toMatchObject({ model: AZURE_DEPLOYMENT, stream: true });
      expect(response.status).toBe(200);
      answers.push(text);
      const recorded = loadRecordedStream('openai-chat/azure-model-router.sse')
        .map((event) => event.data)
        .filter((data): data is string => data !== undefined && data !== '[DONE]')
        .map((data) => JSON.parse(data) as { choices: { delta?: { content?: string } }[] });
      const recordedText = recorded.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('');
      const chunks = text
        .split('\n')
        .filter((line) => line.startsWith('data: {'))
        .map((line) => JSON.parse(line.slice(6)) as { choices: { delta?: { content?: string } }[] });
      expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')).toBe(recordedText);
      expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
      const row = (await waitForRequestLogs(gateway, { requestId: response.headers.get('ah-request-id')! }, 1))[0];
      expect(row).toMatchObject({ requested_model: 'gpt-4o', mapped_model: 'gpt-4o', channel_name: 'azure', status: 200 });
      // The request log keeps the profile's name and records what the upstream was sent.
      const logged = await owner<{ upstream_model: unknown }>('GET', `/request-logs/${response.headers.get('ah-request-id')!}`);
      expect(logged.body).toMatchObject({ mapped_model: 'gpt-4o', upstream_model: AZURE_DEPLOYMENT, channel: 'azure' });
    });

    it('a Responses client is translated to the same deployment URL', async () => {
      const client = new OpenAI({ apiKey: clientKey, baseURL: gateway.baseUrl, maxRetries: 0, timeout: 20_000 });
      const [call] = await upstreamRequestsOf(async () => {
        const answer = await client.responses.create({ model: 'gpt-4o', input: 'Say hi' });
        answers.push(JSON.stringify(answer));
        expect(answer.status).toBe('completed');
      });
      expect(call).toMatchObject({
        path: `/openai/deployments/${AZURE_DEPLOYMENT}/chat/completions`,
        query: { 'api-version': '2024-10-21' },
      });
      expect(call!.headers['api-key']).toBe(AZURE_KEY);
      expect(call!.body).toMatchObject({ model: AZURE_DEPLOYMENT });
    });

    it('"test this channel" resolves the same URL, auth, headers and model map as the data plane', async () => {
      const [call] = await upstreamRequestsOf(async () => {
        const result = await owner<ChannelTestResult>('POST', '/channels/azure/test', {});
        expect(result.body).toMatchObject({ ok: true, status: 200, model: 'gpt-4o' });
      });
      expect(call).toMatchObject({
        path: `/openai/deployments/${AZURE_DEPLOYMENT}/chat/completions`,
        query: { 'api-version': '2024-10-21' },
      });
      expect(call!.headers['api-key']).toBe(AZURE_KEY);
      expect(call!.headers['x-proxy-key']).toBe(PROXY_HEADER_SECRET);
      expect(call!.body).toMatchObject({ model: AZURE_DEPLOYMENT, max_tokens: 16 });
    });

    it('an api-version on base_url wins over the preset default', async () => {
      const patched = await owner<ChannelView>('PATCH', '/channels/azure', {
        base_url: `${upstream.origin}/?api-version=2025-04-01-preview`,
      });
      expect(patched.status).toBe(200);
      const [call] = await upstreamRequestsOf(async () => {
        const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
        });
        answers.push(await response.text());
        expect(response.status).toBe(200);
      });
      expect(call!.query).toEqual({ 'api-version': '2025-04-01-preview' });
    });

    it('refuses what the preset does not allow, naming the field', async () => {
      const refusals = await Promise.all([
        owner('POST', '/channels', { name: 'az2', preset: 'azure-openai', api_key: AZURE_KEY, models: ['m'] }),
        owner('POST', '/channels', {
          name: 'az3',
          preset: 'azure-openai',
          base_url: upstream.origin,
          api_key: AZURE_KEY,
          models: ['m'],
          headers: { 'Api-Key': 'x' },
        }),
        owner('POST', '/channels', {
          name: 'az4',
          type: 'openai-responses',
          preset: 'deepseek',
          base_url: upstream.url,
          api_key: AZURE_KEY,
          models: ['m'],
        }),
        owner('PATCH', '/channels/azure', { model_map: { 'not-served': 'x' } }),
      ]);
      expect(
        refusals.map((refusal) => [refusal.status, (refusal.body as { error?: { details?: { field?: unknown } } }).error?.details?.field]),
      ).toEqual([
        [400, 'base_url'],
        [400, 'headers'],
        [400, 'preset'],
        [400, 'model_map'],
      ]);
    });
  });

  describe('deepseek: reasoning_content reaches a Responses client as reasoning', () => {
    it('streams the recorded chain of thought as reasoning summary events and a reasoning item, before the answer', async () => {
      const created = await owner<ChannelView>('POST', '/channels', {
        name: 'deepseek-preset',
        preset: 'deepseek',
        base_url: `${upstream.origin}/deepseek/v1`,
        api_key: DEEPSEEK_KEY,
        models: ['deepseek-reasoner'],
      });
      expect(created.status).toBe(201);
      const recordedReasoning = loadRecordedStream('openai-chat/deepseek-reasoning.sse')
        .map((event) => event.data)
        .filter((data): data is string => data !== undefined && data !== '[DONE]')
        .map(
          (data) =>
            (JSON.parse(data) as { choices: { delta?: { reasoning_content?: string | null } }[] }).choices[0]?.delta?.reasoning_content ??
            '',
        )
        .join('');
      expect(recordedReasoning.length).toBeGreaterThan(100);

      const client = new OpenAI({ apiKey: clientKey, baseURL: gateway.baseUrl, maxRetries: 0, timeout: 20_000 });
      let reasoningDeltas = '';
      const [call] = await upstreamRequestsOf(async () => {
        const stream = client.responses.stream({ model: 'deepseek-reasoner', input: 'Print 1 to 20, five per line.' });
        stream.on('response.reasoning_summary_text.delta', (event) => {
          reasoningDeltas += event.delta;
        });
        const final = await stream.finalResponse();
        answers.push(JSON.stringify(final));
        expect(final.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
        const reasoning = final.output[0] as { summary: { text: string }[] };
        expect(reasoning.summary.map((part) => part.text).join('')).toBe(recordedReasoning);
      });
      expect(reasoningDeltas).toBe(recordedReasoning);
      expect(call).toMatchObject({ path: '/deepseek/v1/chat/completions' });
      expect(call!.headers.authorization).toBe(`Bearer ${DEEPSEEK_KEY}`);
    });
  });

  describe('mistral: stream_options is never sent (Mistral answers it with a 422)', () => {
    it('drops it from a pass-through Chat stream, warning only because the client had sent it', async () => {
      const created = await owner<ChannelView>('POST', '/channels', {
        name: 'mistral-preset',
        preset: 'mistral',
        base_url: `${upstream.origin}/mistral/v1`,
        api_key: MISTRAL_KEY,
        models: ['mistral-small-latest'],
      });
      expect(created.status).toBe(201);
      const chat = async (body: Record<string, unknown>): Promise<{ call: RecordedRequest; warnings: string | null }> => {
        let warnings: string | null = null;
        const [call] = await upstreamRequestsOf(async () => {
          const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'hi' }], ...body }),
          });
          warnings = response.headers.get('ah-warnings');
          answers.push(await response.text());
          expect(response.status).toBe(200);
        });
        return { call: call!, warnings };
      };
      const plain = await chat({ stream: true });
      expect(plain.call.body).toMatchObject({ model: 'mistral-small-latest', stream: true });
      expect(plain.call.body).not.toHaveProperty('stream_options');
      expect(plain.warnings).toBeNull();
      const asked = await chat({ stream: true, stream_options: { include_usage: true } });
      expect(asked.call.body).not.toHaveProperty('stream_options');
      expect(asked.warnings).toContain("'stream_options' is rejected by this channel's provider");
    });
  });

  describe('groq: logprobs, logit_bias and top_logprobs are never sent (Groq answers them with a 400)', () => {
    /** The client's own bytes: odd spacing, escapes and a nested `logprobs` that must all reach Groq as they are. */
    const CLIENT_BODY =
      '{ "logprobs" : true,\n  "model": "groq-llama",\n  "messages": [{"role":"user","content":"say \\"logit_bias\\": {x} caf\\u00e9"}],\n' +
      '  "metadata": {"logprobs": "kept"}, "logit_bias": {"50256": -100}, "temperature": 0.50, "top_logprobs": 2 }';
    /** What Groq must receive: the same bytes, the model mapped, the three members gone with their commas. */
    const GROQ_BODY =
      '{ "model": "llama-3.3-70b-versatile",\n  "messages": [{"role":"user","content":"say \\"logit_bias\\": {x} caf\\u00e9"}],\n' +
      '  "metadata": {"logprobs": "kept"}, "temperature": 0.50 }';
    const DROPPED = ['logprobs', 'logit_bias', 'top_logprobs'].map(
      (name) => `parameter_dropped: '${name}' is rejected by this channel's provider and was not sent`,
    );

    async function send(body: string): Promise<{ call: RecordedRequest; warnings: string | null; requestId: string }> {
      let warnings: string | null = null;
      let requestId = '';
      const [call] = await upstreamRequestsOf(async () => {
        const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' },
          body,
        });
        warnings = response.headers.get('ah-warnings');
        requestId = response.headers.get('ah-request-id') ?? '';
        answers.push(await response.text());
        expect(response.status).toBe(200);
      });
      return { call: call!, warnings, requestId };
    }

    beforeAll(async () => {
      const created = await owner<ChannelView>('POST', '/channels', {
        name: 'groq-preset',
        preset: 'groq',
        base_url: `${upstream.origin}/groq/openai/v1`,
        api_key: GROQ_KEY,
        models: ['groq-llama'],
        model_map: { 'groq-llama': 'llama-3.3-70b-versatile' },
      });
      expect(created.status).toBe(201);
    });

    it('a pass-through body reaches Groq as the client wrote it, minus those members, with a warning for each', async () => {
      expect(JSON.parse(CLIENT_BODY)).toMatchObject({ logprobs: true, top_logprobs: 2 }); // valid JSON as written
      const { call, warnings, requestId } = await send(CLIENT_BODY);
      expect(call.path).toBe('/groq/openai/v1/chat/completions');
      expect(call.rawBody).toBe(GROQ_BODY);
      for (const warning of DROPPED) expect(warnings).toContain(warning.slice('parameter_dropped: '.length));
      const [row] = await waitForRequestLogs(gateway, { requestId }, 1);
      expect(row?.warnings).toEqual(DROPPED);
    });

    it('a stream gets the usage flag appended and the same members taken out', async () => {
      const streamBody = CLIENT_BODY.replace('"temperature"', '"stream": true, "temperature"');
      const { call, warnings } = await send(streamBody);
      expect(call.rawBody).toBe(
        GROQ_BODY.replace('"temperature"', '"stream": true, "temperature"').replace(/ }$/, ' ,"stream_options":{"include_usage":true}}'),
      );
      expect(warnings).toContain("'top_logprobs' is rejected by this channel's provider");
    });

    it('the openai SDK asking for logprobs gets its answer, and Groq never sees them', async () => {
      const client = new OpenAI({ apiKey: clientKey, baseURL: gateway.baseUrl, maxRetries: 0, timeout: 20_000 });
      const [call] = await upstreamRequestsOf(async () => {
        const { data, response } = await client.chat.completions
          .create({ model: 'groq-llama', messages: [{ role: 'user', content: 'hi' }], logprobs: true, top_logprobs: 1 })
          .withResponse();
        answers.push(JSON.stringify(data));
        expect(data.choices[0]?.message.content).toEqual(expect.any(String));
        expect(response.headers.get('ah-warnings')).toContain("'logprobs' is rejected");
      });
      expect(call!.body).not.toHaveProperty('logprobs');
      expect(call!.body).not.toHaveProperty('top_logprobs');
      expect(call!.body).toMatchObject({ model: 'llama-3.3-70b-versatile', messages: [{ role: 'user', content: 'hi' }] });
    });
  });

  it('no answer holds a credential or an extra header value, whole or in part', () => {
    const everything = answers.join('\n');
    for (const value of [AZURE_KEY, PROXY_HEADER_SECRET, DEEPSEEK_KEY, MISTRAL_KEY, GROQ_KEY]) {
      expect(everything).not.toContain(value);
      expect(everything).not.toContain(value.slice(0, 20));
    }
  });
});
