import { GatewayError, sequentialCodecContext } from '@gw/ir';
import type { IrStreamEvent, ToolNameMap } from '@gw/ir';
import { chatFixtureNames, decodeChatStream, readChatFixture, summarizeStream } from './fixtures.test-helper';
import type { StreamSummary } from './fixtures.test-helper';
import { ChatStreamDecoder } from './stream-decoder';

/** What each recording must decode to; every `.sse` file in upstream/openai-chat needs an entry. */
const expectedByFixture: Record<string, (summary: StreamSummary, events: IrStreamEvent[]) => void> = {
  'azure-model-router.sse': (summary, events) => {
    // The leading prompt_filter_results chunk (empty id, empty choices) must not become the start.
    expect(summary.start).toEqual([
      { type: 'start', id: 'chatcmpl-CYPS1lijGoK8gd9lYzY3r9Sx50nbt', model: 'gpt-5-nano-2025-08-07', created: 1762317021 },
    ]);
    expect(events[0]?.type).toBe('start');
    expect(summary.text).toBe('Capital of Denmark.');
    expect(summary.reasoning).toBe('');
    expect(summary.finish).toEqual(['stop']);
    expect(summary.usage).toEqual([{ inputTokens: 15, outputTokens: 78, totalTokens: 93, cachedInputTokens: 0, reasoningTokens: 64 }]);
  },
  'deepseek-reasoning.sse': (summary) => {
    expect(summary.start).toEqual([
      { type: 'start', id: 'a032c5d3-f5c9-43df-84f7-5a8ea4944852', model: 'deepseek-reasoner', created: 1755619819 },
    ]);
    // The same answer was recorded non-streamed: the deltas must add up to exactly that message.
    const recorded = JSON.parse(readChatFixture('deepseek-reasoning.json')) as {
      choices: [{ message: { content: string; reasoning_content: string } }];
    };
    expect(summary.reasoning).toBe(recorded.choices[0].message.reasoning_content);
    expect(summary.reasoning).toHaveLength(1629);
    expect(summary.reasoning.startsWith('We are going to output numbers from 1 to 20')).toBe(true);
    expect(summary.text).toBe(recorded.choices[0].message.content);
    expect(summary.text).toHaveLength(569);
    expect(summary.toolCalls).toEqual([]);
    // DeepSeek puts usage on the finish chunk itself.
    expect(summary.finish).toEqual(['stop']);
    expect(summary.usage).toEqual([{ inputTokens: 16, outputTokens: 645, totalTokens: 661, cachedInputTokens: 0, reasoningTokens: 450 }]);
  },
  'parallel-tools.sse': (summary) => {
    expect(summary.start).toEqual([
      { type: 'start', id: 'chatcmpl-C2WBYGbjjGZj4CJNJI1FSlzO8U4vj', model: 'gpt-4o-2024-11-20', created: 1754716412 },
    ]);
    expect(summary.text).toBe('');
    expect(summary.toolCalls).toEqual([
      { index: 0, callId: 'call_tooG2dAMZaICWBfsYU5LYyvs', name: 'get_user_city', arguments: '{"user_id": "123"}' },
      { index: 1, callId: 'call_Ul0yUvKCpLfl5c32FHPcASEB', name: 'get_user_language', arguments: '{"user_id": "123"}' },
    ]);
    expect(summary.finish).toEqual(['tool_calls']);
    expect(summary.usage).toEqual([{ inputTokens: 104, outputTokens: 49, totalTokens: 153, cachedInputTokens: 0, reasoningTokens: 0 }]);
  },
  'stop.sse': (summary) => {
    // OpenRouter: usage arrives on a chunk after the finish chunk that still has a choice.
    expect(summary.start).toEqual([
      { type: 'start', id: 'gen-1754577344-bfGaoVZhBY3iT78Psu02', model: 'gpt-4o-mini', created: 1754577344 },
    ]);
    expect(summary.text).toBe(
      'Sure! Here’s the output from 1 to 20, with 5 numbers on each line:\n\n```\n1 2 3 4 5\n6 7 8 9 10\n11 12 13 14 15\n16 17 18 19 20\n```',
    );
    expect(summary.finish).toEqual(['stop']);
    expect(summary.usage).toEqual([{ inputTokens: 19, outputTokens: 65, totalTokens: 84, cachedInputTokens: 0, reasoningTokens: 0 }]);
  },
  'text.sse': (summary) => {
    expect(summary.start).toEqual([
      { type: 'start', id: 'chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0', model: 'gpt-4.1-nano-2025-04-14', created: 1770933892 },
    ]);
    expect(summary.text).toHaveLength(1724);
    expect(summary.text.startsWith('**Holiday Name:** Harmony Day\n\n**Date:**')).toBe(true);
    expect(summary.text.endsWith('shared human experiences and mutual respect.')).toBe(true);
    expect(summary.reasoning).toBe('');
    expect(summary.finish).toEqual(['stop']);
    expect(summary.usage).toEqual([{ inputTokens: 16, outputTokens: 300, totalTokens: 316, cachedInputTokens: 0, reasoningTokens: 0 }]);
  },
  'tool.sse': (summary, events) => {
    expect(summary.toolCalls).toEqual([
      { index: 0, callId: 'call_ZAluvDS2Cy3QOnYmftmVCAWR', name: 'get_weather', arguments: '{"location":"New York City"}' },
    ]);
    // The first chunk has the name and an empty arguments string: no empty delta is emitted for it.
    expect(events.filter((event) => event.type === 'tool_call_delta')).toHaveLength(7);
    expect(summary.text).toBe('');
    expect(summary.finish).toEqual(['tool_calls']);
    expect(summary.usage).toEqual([{ inputTokens: 53, outputTokens: 17, totalTokens: 70, cachedInputTokens: 0, reasoningTokens: 0 }]);
  },
};

describe('ChatStreamDecoder on recorded upstream streams', () => {
  it('has an expectation for every recorded openai-chat stream', () => {
    expect(Object.keys(expectedByFixture).sort()).toEqual(chatFixtureNames('.sse'));
  });

  it.each(chatFixtureNames('.sse'))('decodes %s', (name) => {
    const events = decodeChatStream(readChatFixture(name));
    const summary = summarizeStream(events);
    expect(summary.start).toHaveLength(1);
    expect(events[0]?.type).toBe('start');
    // Finish then usage, each once, and nothing after them.
    expect(events.slice(-2).map((event) => event.type)).toEqual(['finish', 'usage']);
    const check = expectedByFixture[name];
    if (check === undefined) throw new Error(`no expectation for ${name}`);
    check(summary, events);
  });
});

describe('ChatStreamDecoder', () => {
  const chunk = (choice: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}): string =>
    JSON.stringify({ id: 'chatcmpl-1', model: 'm', created: 5, choices: choice === undefined ? [] : [{ index: 0, ...choice }], ...extra });

  function decode(payloads: string[], toolNames?: ToolNameMap): IrStreamEvent[] {
    const decoder = new ChatStreamDecoder(sequentialCodecContext(), toolNames);
    return [...payloads.flatMap((payload) => decoder.push({ data: payload })), ...decoder.end()];
  }

  it('maps flattened tool names back through the request tool map, with arguments in the name chunk', () => {
    const toolNames: ToolNameMap = new Map([['multi_agent_v1__spawn_agent', { name: 'spawn_agent', namespace: 'multi_agent_v1' }]]);
    const events = decode(
      [
        chunk({
          delta: {
            tool_calls: [
              { index: 0, id: 'call_a', type: 'function', function: { name: 'multi_agent_v1__spawn_agent', arguments: '{"task":' } },
            ],
          },
        }),
        chunk({ delta: { tool_calls: [{ index: 0, function: { arguments: '"x"}' } }] } }),
        chunk({ delta: {}, finish_reason: 'tool_calls' }),
      ],
      toolNames,
    );
    expect(events).toEqual([
      { type: 'start', id: 'chatcmpl-1', model: 'm', created: 5 },
      { type: 'tool_call_start', index: 0, callId: 'call_a', name: 'spawn_agent', namespace: 'multi_agent_v1' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: '{"task":' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: '"x"}' },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('handles whole tool calls without index or id (Gemini-style) and repeated names', () => {
    const events = decode([
      chunk({
        delta: {
          tool_calls: [{ function: { name: 'a', arguments: '{}' } }, { id: 'call_b', function: { name: 'b', arguments: '{"q":1}' } }],
        },
      }),
      chunk({ delta: { tool_calls: [{ index: 1, function: { name: 'b', arguments: '' } }] }, finish_reason: 'function_call' }),
    ]);
    expect(events.slice(1)).toEqual([
      { type: 'tool_call_start', index: 0, callId: 'call_1', name: 'a' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: '{}' },
      { type: 'tool_call_start', index: 1, callId: 'call_b', name: 'b' },
      { type: 'tool_call_delta', index: 1, argumentsDelta: '{"q":1}' },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('holds arguments that arrive before the tool name', () => {
    const events = decode([
      chunk({ delta: { tool_calls: [{ index: 0, id: 'call_z', function: { arguments: '{"a"' } }] } }),
      chunk({ delta: { tool_calls: [{ index: 0, function: { name: 'late', arguments: ':1}' } }] } }),
    ]);
    expect(events.slice(1)).toEqual([
      { type: 'tool_call_start', index: 0, callId: 'call_z', name: 'late' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: '{"a":1}' },
    ]);
  });

  it('reads `reasoning` (OpenRouter, vLLM) and refusals, ignores [DONE] and other choices', () => {
    const events = decode([
      chunk({ delta: { role: 'assistant', reasoning: 'think' } }),
      chunk({ delta: { reasoning_content: 'deep', reasoning: 'deep' } }),
      chunk({ delta: { refusal: 'I cannot' } }),
      JSON.stringify({ id: 'chatcmpl-1', choices: [{ index: 1, delta: { content: 'other choice' } }] }),
      '[DONE]',
    ]);
    expect(events.slice(1)).toEqual([
      { type: 'reasoning_delta', text: 'think' },
      { type: 'reasoning_delta', text: 'deep' },
      { type: 'refusal_delta', text: 'I cannot' },
    ]);
  });

  it('reads usage that Moonshot puts inside the choice, and DeepSeek prompt_cache_hit_tokens', () => {
    const events = decode([
      chunk({
        delta: {},
        finish_reason: 'length',
        usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13, prompt_cache_hit_tokens: 8 },
      }),
    ]);
    expect(events.slice(1)).toEqual([
      { type: 'finish', reason: 'length' },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 3, totalTokens: 13, cachedInputTokens: 8 } },
    ]);
  });

  it('makes up id and clock from the context when the upstream sends none', () => {
    expect(decode([JSON.stringify({ choices: [{ delta: { content: 'hi' } }] })])).toEqual([
      { type: 'start', id: 'chatcmpl_1', model: '', created: 1_700_000_000 },
      { type: 'text_delta', text: 'hi' },
    ]);
  });

  it('emits finish only once and nothing extra at end() when the stream stops without finish_reason', () => {
    const decoder = new ChatStreamDecoder(sequentialCodecContext());
    expect(decoder.push({ data: chunk({ delta: { content: 'partial' } }) }).map((event) => event.type)).toEqual(['start', 'text_delta']);
    expect(decoder.end()).toEqual([]);
    const finished = decode([chunk({ delta: {}, finish_reason: 'stop' }), chunk({ delta: {}, finish_reason: 'stop' })]);
    expect(finished.filter((event) => event.type === 'finish')).toHaveLength(1);
  });

  it('throws upstream_error on an error payload mid-stream, with keys redacted', () => {
    const decoder = new ChatStreamDecoder(sequentialCodecContext());
    decoder.push({ data: chunk({ delta: { content: 'Hel' } }) });
    let thrown: unknown;
    try {
      decoder.push({
        data: JSON.stringify({ error: { message: 'Overloaded for key sk-abcdef1234567890', type: 'server_error', code: null } }),
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect((thrown as GatewayError).code).toBe('upstream_error');
    expect((thrown as GatewayError).httpStatus).toBe(502);
    expect((thrown as GatewayError).message).toBe('Overloaded for key sk-***');
  });

  it('rejects a chunk that is not JSON', () => {
    const decoder = new ChatStreamDecoder(sequentialCodecContext());
    expect(() => decoder.push({ data: '{"choices": [' })).toThrow('Upstream sent a stream chunk that is not JSON.');
  });

  it('is complete after a finish_reason or [DONE], and not when the stream was cut before either', () => {
    const cut = new ChatStreamDecoder(sequentialCodecContext());
    cut.push({ data: '{"id":"c1","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}' });
    expect(cut.complete).toBe(false);
    const finished = new ChatStreamDecoder(sequentialCodecContext());
    finished.push({ data: '{"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}' });
    expect(finished.complete).toBe(true);
    const done = new ChatStreamDecoder(sequentialCodecContext());
    done.push({ data: '[DONE]' });
    expect(done.complete).toBe(true);
  });
});
