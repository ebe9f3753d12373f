import OpenAI from 'openai';
import { GatewayError, sequentialCodecContext } from '@gw/ir';
import type { IrFinishReason, IrStreamEvent, ToolNameMap } from '@gw/ir';
import type { ChatCompletionChunk } from './chat.schema';
import { ssePayloads } from './fixtures.test-helper';
import { ChatStreamDecoder } from './stream-decoder';
import { ChatStreamEncoder } from './stream-encoder';

function encode(events: IrStreamEvent[], options = { includeUsage: true, model: 'gpt-4o-mini' }): string {
  const encoder = new ChatStreamEncoder(sequentialCodecContext(), options);
  return events.map((event) => encoder.push(event)).join('') + encoder.end();
}

/** An OpenAI client whose fetch answers with the given SSE text: what a real SDK user would get from the gateway. */
function clientReplaying(sseText: string): OpenAI {
  return new OpenAI({
    apiKey: 'sk-test',
    baseURL: 'http://gateway.test/v1',
    maxRetries: 0,
    fetch: () => Promise.resolve(new Response(sseText, { status: 200, headers: { 'content-type': 'text/event-stream' } })),
  });
}

const toolTurn: IrStreamEvent[] = [
  { type: 'start', id: 'chatcmpl-upstream', model: 'upstream-model', created: 1_754_705_954 },
  { type: 'reasoning_delta', text: 'Need the weather.' },
  { type: 'text_delta', text: 'Checking ' },
  { type: 'text_delta', text: 'now.' },
  // Anthropic-style indexes (content block positions) must still come out as 0, 1.
  { type: 'tool_call_start', index: 2, callId: 'call_a', name: 'get_weather' },
  { type: 'tool_call_delta', index: 2, argumentsDelta: '{"city":' },
  { type: 'tool_call_start', index: 3, callId: 'call_b', name: 'spawn_agent', namespace: 'multi_agent_v1' },
  { type: 'tool_call_delta', index: 2, argumentsDelta: '"Oslo"}' },
  { type: 'tool_call_delta', index: 3, argumentsDelta: '{}' },
  { type: 'usage', usage: { inputTokens: 53, outputTokens: 17, totalTokens: 70, cachedInputTokens: 3, reasoningTokens: 5 } },
  { type: 'finish', reason: 'tool_calls' },
];

describe('ChatStreamEncoder', () => {
  it('writes OpenAI-shaped chunks: role first, tool call heads, finish, usage chunk, [DONE]', () => {
    const text = encode(toolTurn);
    const payloads = ssePayloads(text);
    expect(payloads.at(-1)).toBe('[DONE]');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    const chunks = payloads.slice(0, -1).map((payload) => JSON.parse(payload) as ChatCompletionChunk);
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({
        id: 'chatcmpl-upstream',
        object: 'chat.completion.chunk',
        created: 1_754_705_954,
        model: 'gpt-4o-mini',
      });
    }
    expect(chunks.map((chunk) => chunk.choices[0]?.delta ?? null)).toEqual([
      { role: 'assistant', content: '' },
      { reasoning_content: 'Need the weather.' },
      { content: 'Checking ' },
      { content: 'now.' },
      { tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
      { tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'multi_agent_v1__spawn_agent', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] },
      { tool_calls: [{ index: 1, function: { arguments: '{}' } }] },
      {},
      null,
    ]);
    expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason ?? null).filter((reason) => reason !== null)).toEqual(['tool_calls']);
    expect(chunks.at(-1)).toEqual({
      id: 'chatcmpl-upstream',
      object: 'chat.completion.chunk',
      created: 1_754_705_954,
      model: 'gpt-4o-mini',
      choices: [],
      usage: {
        prompt_tokens: 53,
        completion_tokens: 17,
        total_tokens: 70,
        prompt_tokens_details: { cached_tokens: 3 },
        completion_tokens_details: { reasoning_tokens: 5 },
      },
    });
  });

  it('is accepted by the openai SDK stream helper (finalChatCompletion)', async () => {
    const stream = clientReplaying(encode(toolTurn)).chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'weather?' }],
      stream_options: { include_usage: true },
    });
    const completion = await stream.finalChatCompletion();
    expect(completion.id).toBe('chatcmpl-upstream');
    expect(completion.model).toBe('gpt-4o-mini');
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.content).toBe('Checking now.');
    expect(completion.choices[0]?.message.tool_calls).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
      { id: 'call_b', type: 'function', function: { name: 'multi_agent_v1__spawn_agent', arguments: '{}' } },
    ]);
    expect(completion.usage).toMatchObject({ prompt_tokens: 53, completion_tokens: 17, total_tokens: 70 });
  });

  it('sends no usage chunk when the client did not ask for it, and a role chunk even without start', async () => {
    const text = encode(
      [
        { type: 'text_delta', text: 'PONG' },
        { type: 'usage', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } },
        { type: 'finish', reason: 'stop' },
      ],
      { includeUsage: false, model: 'm' },
    );
    const chunks = ssePayloads(text)
      .slice(0, -1)
      .map((payload) => JSON.parse(payload) as ChatCompletionChunk);
    expect(chunks).toEqual([
      {
        id: 'chatcmpl_1',
        object: 'chat.completion.chunk',
        created: 1_700_000_000,
        model: 'm',
        choices: [{ index: 0, delta: { role: 'assistant', content: 'PONG' }, finish_reason: null }],
      },
      {
        id: 'chatcmpl_1',
        object: 'chat.completion.chunk',
        created: 1_700_000_000,
        model: 'm',
        choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
      },
    ]);
    const received: string[] = [];
    for await (const chunk of await clientReplaying(text).chat.completions.create({ model: 'm', messages: [], stream: true })) {
      received.push(chunk.choices[0]?.delta.content ?? '');
    }
    expect(received.join('')).toBe('PONG');
  });

  it("fails with OpenAI's in-stream error chunk, which the SDK raises as an APIError", async () => {
    const encoder = new ChatStreamEncoder(sequentialCodecContext(), { includeUsage: true, model: 'm' });
    const text =
      encoder.push({ type: 'start', id: 'c1', model: 'm', created: 1 }) +
      encoder.push({ type: 'text_delta', text: 'Hel' }) +
      encoder.fail(new GatewayError('upstream_timeout', 'Upstream did not answer in time'));
    expect(
      text.endsWith(
        'data: {"error":{"message":"Upstream did not answer in time","type":"api_error","code":"upstream_timeout","param":null}}\n\ndata: [DONE]\n\n',
      ),
    ).toBe(true);
    // Nothing may follow the terminator.
    expect(encoder.end()).toBe('');
    expect(encoder.push({ type: 'text_delta', text: 'late' })).toBe('');

    let thrown: unknown;
    try {
      for await (const chunk of await clientReplaying(text).chat.completions.create({ model: 'm', messages: [], stream: true })) {
        expect(chunk.choices[0]?.delta.content).toBeDefined();
      }
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OpenAI.APIError);
    expect((thrown as InstanceType<typeof OpenAI.APIError>).message).toContain('Upstream did not answer in time');
  });
});

describe('ChatStreamEncoder → ChatStreamDecoder round trip', () => {
  /** Deterministic PRNG (mulberry32) so a failing sequence can be reproduced from its seed. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function randomTurn(seed: number): IrStreamEvent[] {
    const next = random(seed);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
    const word = (): string => pick(['a', 'héllo ', '\n', '{"k":', '"v"}', ' ✓', 'line\r\nbreak', '"quoted"']);
    const events: IrStreamEvent[] = [{ type: 'start', id: `chatcmpl-${seed}`, model: 'client-model', created: 1_700_000_000 + seed }];
    for (let count = Math.floor(next() * 4); count > 0; count--) events.push({ type: 'reasoning_delta', text: word() });
    for (let count = Math.floor(next() * 5); count > 0; count--)
      events.push({ type: pick(['text_delta', 'refusal_delta'] as const), text: word() });
    const toolCalls = Math.floor(next() * 4);
    for (let index = 0; index < toolCalls; index++) {
      const namespaced = next() < 0.5;
      events.push({
        type: 'tool_call_start',
        index,
        callId: `call_${seed}_${index}`,
        name: `tool${index}`,
        ...(namespaced ? { namespace: 'ns' } : {}),
      });
      for (let count = Math.floor(next() * 4); count > 0; count--) events.push({ type: 'tool_call_delta', index, argumentsDelta: word() });
    }
    const reason: IrFinishReason = toolCalls > 0 ? 'tool_calls' : pick(['stop', 'length', 'content_filter'] as const);
    events.push({ type: 'finish', reason });
    const usage = { inputTokens: seed, outputTokens: seed * 2, totalTokens: seed * 3 };
    events.push({ type: 'usage', usage: next() < 0.5 ? usage : { ...usage, cachedInputTokens: 1, reasoningTokens: 2 } });
    return events;
  }

  const toolNames: ToolNameMap = new Map([0, 1, 2, 3].map((index) => [`ns__tool${index}`, { name: `tool${index}`, namespace: 'ns' }]));

  it.each(Array.from({ length: 50 }, (_, seed) => seed + 1))('decodes back the events it encoded (seed %i)', (seed) => {
    const events = randomTurn(seed);
    const decoder = new ChatStreamDecoder(sequentialCodecContext(), toolNames);
    const decoded = ssePayloads(encode(events, { includeUsage: true, model: 'client-model' })).flatMap((payload) =>
      decoder.push({ data: payload }),
    );
    expect([...decoded, ...decoder.end()]).toEqual(events);
  });
});
