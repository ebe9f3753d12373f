import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { textAnswer, toolRoundTrip } from '../../support/upstream-rules';
import { RECORDED_USAGE, uniqueMarker, waitForRequestLogs, type E2eContextGetter } from './e2e-context';
import { MODELS } from './gateway-under-test';

interface ChannelCase {
  title: string;
  /** What the client asks for; the profile maps it to `upstreamModel` on this channel. */
  clientModel: string;
  upstreamModel: string;
  upstreamPath: '/v1/chat/completions' | '/v1/responses';
  channelKey: (keys: { chat: string; responses: string }) => string;
  /** Usage of the recording the fake replays for a streamed / whole answer on this channel. */
  streamUsage: { input: number; output: number; total: number };
  jsonUsage: { input: number; output: number; total: number };
}

const CHANNEL_CASES: ChannelCase[] = [
  {
    title: 'openai (Chat Completions) channel: chat passes through, responses are translated',
    clientModel: MODELS.sdkChat,
    upstreamModel: MODELS.chatUpstream,
    upstreamPath: '/v1/chat/completions',
    channelKey: (keys) => keys.chat,
    streamUsage: RECORDED_USAGE.chatTextStream,
    jsonUsage: RECORDED_USAGE.chatTextJson,
  },
  {
    title: 'openai-responses channel: responses pass through, chat is translated',
    clientModel: MODELS.sdkResponses,
    upstreamModel: MODELS.responsesUpstream,
    upstreamPath: '/v1/responses',
    channelKey: (keys) => keys.responses,
    streamUsage: RECORDED_USAGE.responsesTextStream,
    jsonUsage: RECORDED_USAGE.responsesTextJson,
  },
];

const WEATHER_TOOL: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

/** The official `openai` SDK (6.x) against both channel types, both OpenAI endpoints, streamed and not. */
export function openAiSdkScenarios(context: E2eContextGetter): void {
  describe.each(CHANNEL_CASES)('openai SDK, $title', (channel) => {
    const client = (): OpenAI => {
      const { gateway } = context();
      return new OpenAI({ apiKey: gateway.apiKey, baseURL: gateway.baseUrl, maxRetries: 0, timeout: 20_000 });
    };

    function expectUpstreamCall(stream: boolean): Record<string, unknown> {
      const { gateway, upstream } = context();
      expect(upstream.requests).toHaveLength(1);
      const request = upstream.requests[0]!;
      expect({ path: request.path, authorization: request.headers['authorization'] }).toEqual({
        path: channel.upstreamPath,
        authorization: `Bearer ${channel.channelKey(gateway.channelKeys)}`,
      });
      const body = request.body as Record<string, unknown>;
      expect(body['model']).toBe(channel.upstreamModel);
      expect(body['stream'] === true).toBe(stream);
      return body;
    }

    it('chat.completions.create without stream: text, usage, AH-Request-Id and its request-log row', async () => {
      const { gateway, upstream } = context();
      const answer = uniqueMarker('sdk-chat-whole');
      upstream.script(textAnswer(answer));

      const { data: completion, response } = await client()
        .chat.completions.create({ model: channel.clientModel, messages: [{ role: 'user', content: 'Hello' }] })
        .withResponse();

      expect(completion.object).toBe('chat.completion');
      expect(completion.choices[0]?.message).toMatchObject({ role: 'assistant', content: answer });
      expect(completion.choices[0]?.finish_reason).toBe('stop');
      expect(completion.usage).toMatchObject({
        prompt_tokens: channel.jsonUsage.input,
        completion_tokens: channel.jsonUsage.output,
        total_tokens: channel.jsonUsage.total,
      });
      expectUpstreamCall(false);
      const requestId = response.headers.get('ah-request-id');
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      const rows = await waitForRequestLogs(gateway, { requestId: requestId ?? 'missing' }, 1);
      expect(rows[0]).toMatchObject({
        client_protocol: 'openai-chat',
        endpoint: '/v1/chat/completions',
        stream: false,
        requested_model: channel.clientModel,
        mapped_model: channel.upstreamModel,
        status: 200,
        total_tokens: channel.jsonUsage.total,
      });
    });

    it('chat.completions.create streamed with include_usage: deltas, then a final usage chunk', async () => {
      const { upstream } = context();
      const answer = uniqueMarker('sdk-chat-stream-usage');
      upstream.script(textAnswer(answer));

      const stream = await client().chat.completions.create({
        model: channel.clientModel,
        messages: [{ role: 'user', content: 'Hello' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const chunks: ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);

      expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(answer);
      expect(chunks.some((chunk) => chunk.choices[0]?.finish_reason === 'stop')).toBe(true);
      const last = chunks[chunks.length - 1];
      expect(last?.choices).toEqual([]);
      expect(last?.usage).toMatchObject({
        prompt_tokens: channel.streamUsage.input,
        completion_tokens: channel.streamUsage.output,
        total_tokens: channel.streamUsage.total,
      });
      expect(chunks.filter((chunk) => chunk.usage)).toHaveLength(1);
      expectUpstreamCall(true);
    });

    it('chat.completions.create streamed without include_usage: no usage chunk reaches the client', async () => {
      const { upstream } = context();
      const answer = uniqueMarker('sdk-chat-stream');
      upstream.script(textAnswer(answer));

      const stream = await client().chat.completions.create({
        model: channel.clientModel,
        messages: [{ role: 'user', content: 'Hello' }],
        stream: true,
      });
      const chunks: ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);

      expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(answer);
      expect(chunks.filter((chunk) => chunk.usage)).toEqual([]);
      expect(chunks.every((chunk) => chunk.choices.length === 1)).toBe(true);
      expectUpstreamCall(true);
    });

    it('chat.completions.stream().finalChatCompletion() assembles the answer', async () => {
      const { upstream } = context();
      const answer = uniqueMarker('sdk-chat-final');
      upstream.script(textAnswer(answer));

      const completion = await client()
        .chat.completions.stream({ model: channel.clientModel, messages: [{ role: 'user', content: 'Hello' }] })
        .finalChatCompletion();

      expect(completion.choices[0]?.message.content).toBe(answer);
      expect(completion.choices[0]?.finish_reason).toBe('stop');
      expectUpstreamCall(true);
    });

    it('responses.create without stream: output_text and usage', async () => {
      const { upstream } = context();
      const answer = uniqueMarker('sdk-responses-whole');
      upstream.script(textAnswer(answer));

      const response = await client().responses.create({ model: channel.clientModel, input: 'Hello' });

      expect(response.object).toBe('response');
      expect(response.status).toBe('completed');
      expect(response.output_text).toBe(answer);
      expect(response.usage).toMatchObject({
        input_tokens: channel.jsonUsage.input,
        output_tokens: channel.jsonUsage.output,
        total_tokens: channel.jsonUsage.total,
      });
      expectUpstreamCall(false);
    });

    it('responses.create streamed: the full event sequence, deltas adding up to the answer, usage on completion', async () => {
      const { upstream } = context();
      const answer = uniqueMarker('sdk-responses-stream');
      upstream.script(textAnswer(answer));

      const stream = await client().responses.create({ model: channel.clientModel, input: 'Hello', stream: true });
      const types: string[] = [];
      let text = '';
      let completedUsage: unknown;
      for await (const event of stream) {
        types.push(event.type);
        if (event.type === 'response.output_text.delta') text += event.delta;
        if (event.type === 'response.completed') {
          completedUsage = event.response.usage;
        }
      }

      expect(text).toBe(answer);
      expect(types[0]).toBe('response.created');
      expect(types[types.length - 1]).toBe('response.completed');
      expect(types).toEqual(
        expect.arrayContaining(['response.output_item.added', 'response.output_text.done', 'response.output_item.done']),
      );
      expect(completedUsage).toMatchObject({
        input_tokens: channel.streamUsage.input,
        output_tokens: channel.streamUsage.output,
        total_tokens: channel.streamUsage.total,
      });
      expectUpstreamCall(true);
    });

    it('responses.stream().finalResponse() assembles the answer', async () => {
      const { upstream } = context();
      const answer = uniqueMarker('sdk-responses-final');
      upstream.script(textAnswer(answer));

      const response = await client().responses.stream({ model: channel.clientModel, input: 'Hello' }).finalResponse();

      expect(response.status).toBe('completed');
      expect(response.output_text).toBe(answer);
      expectUpstreamCall(true);
    });

    it('runs a chat tool round trip: tool_calls, then the tool result, then the final text', async () => {
      const { upstream } = context();
      const city = uniqueMarker('city');
      const answer = uniqueMarker('sdk-tool-answer');
      upstream.script(toolRoundTrip({ toolCall: { name: 'get_weather', arguments: { city } }, answerText: answer }));
      const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather?' }];

      const first = await client()
        .chat.completions.stream({ model: channel.clientModel, messages, tools: [WEATHER_TOOL] })
        .finalChatCompletion();
      const choice = first.choices[0];
      if (!choice) throw new Error('expected a choice in the first completion');
      expect(choice.finish_reason).toBe('tool_calls');
      const call = choice.message.tool_calls?.[0];
      if (call?.type !== 'function') throw new Error(`expected a function tool call, got ${JSON.stringify(choice.message)}`);
      expect(call.function).toMatchObject({ name: 'get_weather', arguments: JSON.stringify({ city }) });
      expect(call.id).toMatch(/^(call|fc)_/);

      // The SDK's own assistant message goes back as-is (it carries extra `refusal`/`parsed` fields).
      messages.push(choice.message, { role: 'tool', tool_call_id: call.id, content: `Sunny in ${city}` });
      const second = await client().chat.completions.create({ model: channel.clientModel, messages, tools: [WEATHER_TOOL] });

      expect(second.choices[0]?.message.content).toBe(answer);
      expect(upstream.requests).toHaveLength(2);
      const followUp = JSON.stringify(upstream.requests[1]?.body);
      expect(followUp).toContain(`Sunny in ${city}`);
      const toolResult =
        channel.upstreamPath === '/v1/chat/completions'
          ? (upstream.requests[1]?.body as { messages: Array<Record<string, unknown>> }).messages.find(
              (message) => message['role'] === 'tool',
            )
          : (upstream.requests[1]?.body as { input: Array<Record<string, unknown>> }).input.find(
              (item) => item['type'] === 'function_call_output',
            );
      expect(toolResult?.[channel.upstreamPath === '/v1/chat/completions' ? 'tool_call_id' : 'call_id']).toBe(call.id);
    });
  });
}
