import Anthropic from '@anthropic-ai/sdk';
import type { MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { anthropicError, openAiError, type RecordedRequest } from '../../support/fake-upstream';
import { readUpstreamRecording } from '../../support/recordings';
import { textAnswer, toolRoundTrip } from '../../support/upstream-rules';
import { RECORDED_USAGE, uniqueMarker, usageColumns, waitForRequestLogs, type E2eContextGetter } from './e2e-context';
import { BODY_LIMIT_BYTES, MODELS, type GatewayUnderTest } from './gateway-under-test';
import { httpCall, type HttpResult } from './http-client';

/** Usage of the Anthropic recordings the fake replays (message_start input, message_delta output). */
export const ANTHROPIC_RECORDED_USAGE = {
  textStream: { input: 12, output: 30, total: 42 }, // anthropic/text.sse
  textJson: { input: 12, output: 29, total: 41 }, // anthropic/text.json
  toolStream: { input: 849, output: 47, total: 896 }, // anthropic/json-tool.sse
} as const;

interface ChannelCase {
  title: string;
  clientModel: string;
  upstreamModel: string;
  upstreamPath: '/v1/messages' | '/v1/chat/completions';
  channel: 'anthropic' | 'chat';
  streamUsage: { input: number; output: number; total: number };
  jsonUsage: { input: number; output: number; total: number };
}

const CHANNEL_CASES: ChannelCase[] = [
  {
    title: 'anthropic channel (passes through)',
    clientModel: MODELS.sdkAnthropic,
    upstreamModel: MODELS.anthropicUpstream,
    upstreamPath: '/v1/messages',
    channel: 'anthropic',
    streamUsage: ANTHROPIC_RECORDED_USAGE.textStream,
    jsonUsage: ANTHROPIC_RECORDED_USAGE.textJson,
  },
  {
    title: 'openai channel (translated to Chat Completions)',
    clientModel: MODELS.sdkAnthropicOnChat,
    upstreamModel: MODELS.chatUpstream,
    upstreamPath: '/v1/chat/completions',
    channel: 'chat',
    streamUsage: RECORDED_USAGE.chatTextStream,
    jsonUsage: RECORDED_USAGE.chatTextJson,
  },
];

const WEATHER_TOOL: Tool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

/** The official `@anthropic-ai/sdk` against the gateway's origin (it adds `/v1/messages` itself). */
export function anthropicClient(gateway: GatewayUnderTest, apiKey = gateway.apiKey): Anthropic {
  return new Anthropic({ apiKey, baseURL: gateway.origin, maxRetries: 0, timeout: 20_000 });
}

/** What the upstream got: the channel's own credential in its own header, never the client's key. */
export function expectSignedForChannel(request: RecordedRequest, gateway: GatewayUnderTest, channel: 'anthropic' | 'chat'): void {
  if (channel === 'anthropic') {
    expect(request.headers['x-api-key']).toBe(gateway.channelKeys.anthropic);
    expect(request.headers['authorization']).toBeUndefined();
  } else {
    expect(request.headers['authorization']).toBe(`Bearer ${gateway.channelKeys.chat}`);
    expect(request.headers['x-api-key']).toBeUndefined();
  }
  expect(request.rawBody).not.toContain(gateway.apiKey);
}

/** `@anthropic-ai/sdk` through the built gateway to both kinds of channel: text, streams, tools, errors. */
export function anthropicSdkScenarios(context: E2eContextGetter): void {
  describe.each(CHANNEL_CASES)('@anthropic-ai/sdk, $title', (channel) => {
    function upstreamCall(stream: boolean): RecordedRequest {
      const { gateway, upstream } = context();
      expect(upstream.requests).toHaveLength(1);
      const request = upstream.requests[0]!;
      expect(request.path).toBe(channel.upstreamPath);
      expectSignedForChannel(request, gateway, channel.channel);
      const body = request.body as Record<string, unknown>;
      expect(body['model']).toBe(channel.upstreamModel);
      expect(body['stream'] === true).toBe(stream);
      return request;
    }

    it('messages.create: the text, the usage, and a request-log row', async () => {
      const { gateway, upstream } = context();
      const answer = uniqueMarker('anthropic-whole');
      upstream.script(textAnswer(answer));

      const { data: message, response } = await anthropicClient(gateway)
        .messages.create({ model: channel.clientModel, max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] })
        .withResponse();

      expect(message.type).toBe('message');
      expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: answer })]);
      expect(message.stop_reason).toBe('end_turn');
      expect(message.usage).toMatchObject({ input_tokens: channel.jsonUsage.input, output_tokens: channel.jsonUsage.output });
      const request = upstreamCall(false);
      // A pass-through forwards the SDK's own API version; a translated request has none of Anthropic's headers.
      if (channel.channel === 'anthropic') expect(request.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      else expect(request.headers['anthropic-version']).toBeUndefined();
      const requestId = response.headers.get('ah-request-id')!;
      const rows = await waitForRequestLogs(gateway, { requestId }, 1);
      expect(rows[0]).toMatchObject({
        client_protocol: 'anthropic-messages',
        endpoint: '/v1/messages',
        stream: false,
        requested_model: channel.clientModel,
        mapped_model: channel.upstreamModel,
        channel_name: channel.channel === 'anthropic' ? gateway.channelNames.anthropic : gateway.channelNames.chat,
        status: 200,
        ...usageColumns(channel.jsonUsage),
      });
    });

    it('messages.create with stream: every event in order, ending with message_stop', async () => {
      const { gateway, upstream } = context();
      const answer = uniqueMarker('anthropic-stream');
      upstream.script(textAnswer(answer));

      const stream = await anthropicClient(gateway).messages.create({
        model: channel.clientModel,
        max_tokens: 64,
        stream: true,
        messages: [{ role: 'user', content: 'Hello' }],
      });
      const types: string[] = [];
      let text = '';
      for await (const event of stream) {
        types.push(event.type);
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
      }

      expect(text).toBe(answer);
      expect(types[0]).toBe('message_start');
      expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
      upstreamCall(true);
    });

    it('.stream().finalMessage(): the whole message with usage merged from message_start and message_delta', async () => {
      const { gateway, upstream } = context();
      const answer = uniqueMarker('anthropic-final');
      upstream.script(textAnswer(answer));

      const runner = anthropicClient(gateway).messages.stream({
        model: channel.clientModel,
        max_tokens: 64,
        messages: [{ role: 'user', content: 'Hello' }],
      });
      const message = await runner.finalMessage();

      expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: answer })]);
      expect(message.stop_reason).toBe('end_turn');
      expect(message.usage).toMatchObject({ input_tokens: channel.streamUsage.input, output_tokens: channel.streamUsage.output });
      upstreamCall(true);
      const requestId = (await runner.withResponse()).response.headers.get('ah-request-id')!;
      const rows = await waitForRequestLogs(gateway, { requestId }, 1);
      expect(rows[0]).toMatchObject({ stream: true, status: 200, ...usageColumns(channel.streamUsage) });
    });

    it('tool_use → tool_result: the call reaches the SDK, the result reaches the upstream, the answer comes back', async () => {
      const { gateway, upstream } = context();
      const answer = uniqueMarker('anthropic-tool-answer');
      upstream.script(toolRoundTrip({ toolCall: { name: 'get_weather', arguments: { city: 'Paris' } }, answerText: answer }));
      const client = anthropicClient(gateway);
      const messages: MessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];

      const first = await client.messages
        .stream({ model: channel.clientModel, max_tokens: 256, tools: [WEATHER_TOOL], messages })
        .finalMessage();

      expect(first.stop_reason).toBe('tool_use');
      const call = first.content.find((block) => block.type === 'tool_use');
      expect(call).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'Paris' } });
      if (call?.type !== 'tool_use') throw new Error('no tool_use block');
      messages.push({ role: 'assistant', content: first.content });
      messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'Sunny, 21 °C' }] });

      const second = await client.messages
        .stream({ model: channel.clientModel, max_tokens: 256, tools: [WEATHER_TOOL], messages })
        .finalMessage();

      expect(second.content).toEqual([expect.objectContaining({ type: 'text', text: answer })]);
      expect(upstream.requests).toHaveLength(2);
      const followUp = upstream.requests[1]!.body as { tools: unknown[]; messages: Record<string, unknown>[] };
      if (channel.channel === 'anthropic') {
        expect(followUp.messages.at(-1)).toEqual({
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: call.id, content: 'Sunny, 21 °C' }],
        });
      } else {
        expect(followUp.messages.find((message) => message.role === 'assistant')).toMatchObject({
          tool_calls: [{ id: call.id, type: 'function', function: { name: 'get_weather', arguments: JSON.stringify({ city: 'Paris' }) } }],
        });
        expect(followUp.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: call.id, content: 'Sunny, 21 °C' });
        expect(followUp.tools).toEqual([
          expect.objectContaining({ type: 'function', function: expect.objectContaining({ name: 'get_weather' }) }),
        ]);
      }
    });

    it('a stream cut before message_stop: the SDK gets an error event, never a normal end', async () => {
      const { gateway, upstream } = context();
      const fixture = channel.channel === 'anthropic' ? 'anthropic/text.sse' : 'openai-chat/text.sse';
      upstream.enqueue({ fixture, disconnectAfterEvents: 4 });

      const runner = anthropicClient(gateway).messages.stream({
        model: channel.clientModel,
        max_tokens: 64,
        messages: [{ role: 'user', content: 'Hello' }],
      });

      const failure = await runner.finalMessage().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(Anthropic.APIError);
      // The upstream's connection dropped mid-body: reported in-stream, as Anthropic's error event.
      expect(String((failure as Error).message)).toMatch(/"type":"error".*fake-(anthropic|deepseek-chat).*other side closed/);
    });
  });

  describe('@anthropic-ai/sdk errors, as its APIError classes with the right status', () => {
    it('401 for an unknown key, in x-api-key or as a Bearer token; the upstream is never called', async () => {
      const { gateway, upstream } = context();
      const request = { model: MODELS.sdkAnthropic, max_tokens: 8, messages: [{ role: 'user' as const, content: 'hi' }] };
      const failure = await anthropicClient(gateway, 'sk-not-a-gateway-key')
        .messages.create(request)
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Anthropic.AuthenticationError);
      expect(failure).toMatchObject({ status: 401, error: { type: 'error', error: { type: 'authentication_error' } } });
      const bearer = new Anthropic({ authToken: 'sk-also-unknown', apiKey: null, baseURL: gateway.origin, maxRetries: 0 });
      await expect(bearer.messages.create(request)).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
      expect(upstream.requests).toHaveLength(0);
      // The gateway key as a Bearer token (what ANTHROPIC_AUTH_TOKEN sends) is accepted.
      upstream.script(textAnswer('ok'));
      const viaToken = new Anthropic({ authToken: gateway.apiKey, apiKey: null, baseURL: gateway.origin, maxRetries: 0 });
      expect((await viaToken.messages.create(request)).content).toEqual([expect.objectContaining({ text: 'ok' })]);
    });

    it('404 not_found_error for a model the key has no route for', async () => {
      const { gateway, upstream } = context();
      const failure = await anthropicClient(gateway)
        .messages.create({ model: 'claude-nobody-maps', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] })
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Anthropic.NotFoundError);
      expect(failure).toMatchObject({ status: 404, error: { error: { type: 'not_found_error' } } });
      expect(upstream.requests).toHaveLength(0);
    });

    it("529 overloaded_error from the Anthropic channel stays Anthropic's 529; a Chat channel's 500 is a 502 api_error", async () => {
      const { gateway, upstream } = context();
      const client = anthropicClient(gateway);
      upstream.enqueue(anthropicError(529, 'overloaded_error', 'Overloaded'));
      const overloaded = await client.messages
        .create({ model: MODELS.sdkAnthropic, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] })
        .catch((error: unknown) => error);
      expect(overloaded).toBeInstanceOf(Anthropic.InternalServerError);
      expect(overloaded).toMatchObject({
        status: 529,
        error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      });

      upstream.enqueue(openAiError(500));
      const failed = await client.messages
        .create({ model: MODELS.sdkAnthropicOnChat, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] })
        .catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(Anthropic.InternalServerError);
      expect(failed).toMatchObject({ status: 502, error: { error: { type: 'api_error' } } });
    });

    it("an upstream's in-stream error reaches the SDK as an error event (Anthropic's own, and a compatible proxy's variant)", async () => {
      const { gateway, upstream } = context();
      const client = anthropicClient(gateway);
      const text = readUpstreamRecording('anthropic/text.sse');
      const beforeStop = text.slice(0, text.indexOf('event: content_block_stop'));
      const overloaded = 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
      for (const sse of [beforeStop + overloaded, beforeStop + readUpstreamRecording('anthropic/error.sse')]) {
        upstream.enqueue({ sse });
        const runner = client.messages.stream({ model: MODELS.sdkAnthropic, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
        const failure = await runner.finalMessage().catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(Anthropic.APIError);
        expect(String((failure as Error).message)).toMatch(/Overloaded|GPT-6/);
      }
    });

    it('the upstream echoing the channel credential: the client and the request log never see it', async () => {
      const { gateway, upstream } = context();
      upstream.enqueue(anthropicError(400, 'invalid_request_error', `bad request for key ${gateway.channelKeys.anthropic}`));
      const failure = await anthropicClient(gateway)
        .messages.create({ model: MODELS.sdkAnthropic, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] })
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Anthropic.BadRequestError);
      expect(JSON.stringify((failure as { error: unknown }).error)).not.toContain(gateway.channelKeys.anthropic);
      expect(JSON.stringify((failure as { error: unknown }).error)).toContain('bad request for key');
      expect(gateway.output()).not.toContain(gateway.channelKeys.anthropic);
    });
  });

  describe('hostile input to /v1/messages, answered in the Anthropic envelope', () => {
    const post = (body: string | object, headers: Record<string, string> = {}): Promise<HttpResult> => {
      const { gateway } = context();
      return httpCall(`${gateway.origin}/v1/messages`, { body, headers: { 'x-api-key': gateway.apiKey, ...headers } });
    };
    const expectAnthropicError = (result: HttpResult, status: number, type: string): string => {
      expect({ status: result.status, body: result.json }).toEqual({
        status,
        body: { type: 'error', error: { type, message: expect.any(String) } },
      });
      return (result.json as { error: { message: string } }).error.message;
    };

    it('malformed JSON, wrong types and a missing max_tokens are 400 invalid_request_error naming the problem', async () => {
      const { upstream } = context();
      expectAnthropicError(await post('{"model": "sdk-claude", "messages": [}'), 400, 'invalid_request_error');
      const wrongType = await post({ model: MODELS.sdkAnthropic, max_tokens: 8, messages: 'hello' });
      expect(expectAnthropicError(wrongType, 400, 'invalid_request_error')).toMatch(/messages/);
      const noMax = await post({ model: MODELS.sdkAnthropic, messages: [{ role: 'user', content: 'hi' }] });
      expect(expectAnthropicError(noMax, 400, 'invalid_request_error')).toMatch(/max_tokens/);
      const badRole = await post({ model: MODELS.sdkAnthropic, max_tokens: 8, messages: [{ role: 'robot', content: 'hi' }] });
      expectAnthropicError(badRole, 400, 'invalid_request_error');
      expectAnthropicError(await post('[1,2,3]'), 400, 'invalid_request_error');
      expect(upstream.requests).toHaveLength(0);
    });

    it('a body over the limit is 413 request_too_large; no key is 401 authentication_error', async () => {
      const { gateway, upstream } = context();
      const huge = JSON.stringify({
        model: MODELS.sdkAnthropic,
        max_tokens: 8,
        messages: [{ role: 'user', content: 'x'.repeat(BODY_LIMIT_BYTES + 1024) }],
      });
      expectAnthropicError(await post(huge), 413, 'request_too_large');
      const anonymous = await httpCall(`${gateway.origin}/v1/messages`, {
        body: { model: MODELS.sdkAnthropic, max_tokens: 8, messages: [] },
      });
      expectAnthropicError(anonymous, 401, 'authentication_error');
      expect(upstream.requests).toHaveLength(0);
    });
  });
}
