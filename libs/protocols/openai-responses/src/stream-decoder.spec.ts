import { GatewayError, type IrStreamEvent, sequentialCodecContext } from '@gw/ir';
import type { SseEvent } from '@gw/sse';
import { listFixtures, parseSse, readFixture, splitResponses } from './fixture-files.spec-helper';
import { encryptedContentOf } from './provider-data';
import { ResponsesStreamDecoder } from './stream-decoder';

const DIR = 'upstream/openai-responses';

function decodeStream(events: SseEvent[]): IrStreamEvent[] {
  const decoder = new ResponsesStreamDecoder(sequentialCodecContext());
  return [...events.flatMap((event) => decoder.push(event)), ...decoder.end()];
}

/** Each recorded response of a fixture, decoded by its own decoder (one decoder serves one upstream stream). */
function replay(fixture: string): IrStreamEvent[][] {
  return splitResponses(parseSse(readFixture(`${DIR}/${fixture}`))).map(decodeStream);
}

function joined(events: IrStreamEvent[], type: 'text_delta' | 'reasoning_delta'): string {
  return events.map((event) => (event.type === type ? event.text : '')).join('');
}

function toolArguments(events: IrStreamEvent[], index: number): string {
  return events.map((event) => (event.type === 'tool_call_delta' && event.index === index ? event.argumentsDelta : '')).join('');
}

describe('ResponsesStreamDecoder golden replays', () => {
  it('has a test for every recorded Responses stream', () => {
    expect(listFixtures(DIR, '.sse')).toEqual(['custom-tool.sse', 'error.sse', 'reasoning-encrypted.sse', 'shell-tool.sse', 'stop.sse']);
  });

  it('stop.sse: text deltas, then usage and a stop finish', () => {
    const [events = []] = replay('stop.sse');
    expect(events[0]).toEqual({
      type: 'start',
      id: 'resp_68daa274bcc081969cfaaa693ca5bccc05fc179fed6d974f',
      model: 'gpt-4o',
      created: 1759158900,
    });
    const text = joined(events, 'text_delta');
    expect(text).toHaveLength(294);
    expect(text.startsWith("I'm unable to provide real-time weather updates, as my knowledge only goes up to October 2023.")).toBe(true);
    expect(text.endsWith('[NOAA website](https://www.weather.gov).')).toBe(true);
    expect(new Set(events.slice(1, -2).map((event) => event.type))).toEqual(new Set(['text_delta']));
    expect(events.slice(-2)).toEqual([
      { type: 'usage', usage: { inputTokens: 16, outputTokens: 65, totalTokens: 81, cachedInputTokens: 0, reasoningTokens: 0 } },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('reasoning-encrypted.sse: summary deltas, encrypted reasoning once, a tool call per step, then the answer', () => {
    const responses = replay('reasoning-encrypted.sse');
    expect(responses).toHaveLength(4);
    const [first = [], second = [], third = [], last = []] = responses;

    expect(joined(first, 'reasoning_delta')).toBe(
      "**Calculating step-by-step using calculator**\n\nI'll compute 12 plus 7, then multiply the result by 3, and finally multiply that by 10, reporting the final product.",
    );
    const reasoningItems = first.filter((event) => event.type === 'reasoning_item');
    expect(reasoningItems).toHaveLength(1);
    const reasoningItem = reasoningItems[0];
    if (reasoningItem?.type !== 'reasoning_item') throw new Error('no reasoning item');
    expect(reasoningItem.id).toBe('rs_01830d662ab3856501693c321405c88190be3ab04d5782d5f9');
    // The summary was streamed already: only the encrypted state (from the done item, not the added one) follows.
    expect(reasoningItem.summary).toEqual([]);
    expect(encryptedContentOf(reasoningItem)?.startsWith('gAAAAABpPDIVOKrs')).toBe(true);
    expect(encryptedContentOf(reasoningItem)).toHaveLength(1060);

    expect(first.filter((event) => event.type === 'tool_call_start')).toEqual([
      {
        type: 'tool_call_start',
        index: 0,
        callId: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn',
        name: 'calculator',
        id: 'fc_01830d662ab3856501693c32151234819091cfca267e98cc5f',
      },
    ]);
    expect(toolArguments(first, 0)).toBe('{"a":12,"b":7,"op":"add"}');
    expect(first.slice(-2)).toEqual([
      { type: 'usage', usage: { inputTokens: 134, outputTokens: 28, totalTokens: 162, cachedInputTokens: 0, reasoningTokens: 0 } },
      { type: 'finish', reason: 'tool_calls' },
    ]);

    expect(toolArguments(second, 0)).toBe('{"a":19,"b":3,"op":"multiply"}');
    expect(toolArguments(third, 0)).toBe('{"a":57,"b":10,"op":"multiply"}');
    expect(third.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' });

    expect(joined(last, 'text_delta')).toBe('The final result is **570**.');
    expect(last.some((event) => event.type === 'tool_call_start')).toBe(false);
    expect(last.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('shell-tool.sse: the provider-run shell_call is not surfaced; the follow-up answer is', () => {
    const [shellStep = [], answer = []] = replay('shell-tool.sse');
    expect(shellStep.map((event) => event.type)).toEqual(['start', 'usage', 'finish']);
    expect(shellStep.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    const text = joined(answer, 'text_delta');
    expect(text).toHaveLength(426);
    expect(text.startsWith('Here are the files and folders in your `~/Desktop` directory:\n\n- .\n- ..\n- .DS_Store')).toBe(true);
    expect(answer.at(-2)).toEqual({
      type: 'usage',
      usage: { inputTokens: 331, outputTokens: 166, totalTokens: 497, cachedInputTokens: 0, reasoningTokens: 0 },
    });
  });

  it('custom-tool.sse: a custom_tool_call (freeform tool) has no Chat shape and is skipped without error', () => {
    const [events = []] = replay('custom-tool.sse');
    expect(events).toEqual([
      { type: 'start', id: 'resp_custom_tool_test_001', model: 'gpt-5.2-codex', created: 1741257730 },
      { type: 'usage', usage: { inputTokens: 50, outputTokens: 20, totalTokens: 70, cachedInputTokens: 0, reasoningTokens: 0 } },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('error.sse: the error event throws an upstream_error carrying the provider message', () => {
    const events = parseSse(readFixture(`${DIR}/error.sse`));
    const decoder = new ResponsesStreamDecoder(sequentialCodecContext());
    expect(decoder.push(events[0] as SseEvent)).toEqual([
      { type: 'start', id: 'resp_05500b38c2cd9bfc00691c7c9d222481a3b595421266dab424', model: 'gpt-5-nano-2025-08-07', created: 1763474589 },
    ]);
    expect(decoder.push(events[1] as SseEvent)).toEqual([]);
    let thrown: unknown;
    try {
      decoder.push(events[2] as SseEvent);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect((thrown as GatewayError).code).toBe('upstream_error');
    expect((thrown as GatewayError).message).toMatch(/^insufficient_quota: You exceeded your current quota/);
    // The response.failed that follows throws the same way when the error event is absent.
    expect(() => new ResponsesStreamDecoder(sequentialCodecContext()).push(events[3] as SseEvent)).toThrow(/insufficient_quota/);
  });
});

describe('ResponsesStreamDecoder edge cases', () => {
  const frame = (body: Record<string, unknown>): SseEvent => ({ event: String(body.type), data: JSON.stringify(body) });

  it('uses the done item when a proxy sends no deltas, keeps namespace, maps incomplete to length', () => {
    const events = decodeStream([
      frame({
        type: 'response.output_item.done',
        output_index: 0,
        item: { type: 'message', id: 'msg_1', content: [{ type: 'output_text', text: 'Hi' }] },
      }),
      frame({
        type: 'response.output_item.done',
        output_index: 1,
        item: {
          type: 'function_call',
          id: 'fc_1',
          call_id: 'call_1',
          name: 'spawn_agent',
          namespace: 'multi_agent_v1',
          arguments: '{"x":1}',
        },
      }),
      frame({
        type: 'response.incomplete',
        response: { id: 'resp_9', incomplete_details: { reason: 'max_output_tokens' }, usage: { input_tokens: 1, output_tokens: 2 } },
      }),
    ]);
    expect(events).toEqual([
      { type: 'start', id: 'resp_1', model: '', created: 1_700_000_000 },
      { type: 'text_delta', text: 'Hi' },
      { type: 'tool_call_start', index: 0, callId: 'call_1', name: 'spawn_agent', namespace: 'multi_agent_v1', id: 'fc_1' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: '{"x":1}' },
      { type: 'usage', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } },
      { type: 'finish', reason: 'length' },
    ]);
  });

  it('separates reasoning summary parts and yields nothing after a cut-off', () => {
    const decoder = new ResponsesStreamDecoder(sequentialCodecContext());
    const events = [
      frame({ type: 'response.created', response: { id: 'resp_a', model: 'o3', created_at: 5 } }),
      frame({ type: 'response.output_item.added', output_index: 0, item: { type: 'reasoning', id: 'rs_a', summary: [] } }),
      frame({ type: 'response.reasoning_summary_part.added', output_index: 0, summary_index: 0 }),
      frame({ type: 'response.reasoning_summary_text.delta', output_index: 0, summary_index: 0, delta: 'One.' }),
      frame({ type: 'response.reasoning_summary_part.added', output_index: 0, summary_index: 1 }),
      frame({ type: 'response.reasoning_summary_text.delta', output_index: 0, summary_index: 1, delta: 'Two.' }),
      frame({
        type: 'response.output_item.done',
        output_index: 0,
        item: { type: 'reasoning', id: 'rs_a', summary: [{ text: 'One.' }, { text: 'Two.' }] },
      }),
    ].flatMap((event) => decoder.push(event));
    expect(joined(events, 'reasoning_delta')).toBe('One.\n\nTwo.');
    // No encrypted content and the summary already streamed: no reasoning_item duplicates it.
    expect(events.some((event) => event.type === 'reasoning_item')).toBe(false);
    expect(decoder.end()).toEqual([]);
    // Cut off before response.completed: the caller is told the answer is not whole.
    expect(decoder.complete).toBe(false);
  });

  it('is complete after response.completed or response.incomplete, not before', () => {
    for (const type of ['response.completed', 'response.incomplete']) {
      const decoder = new ResponsesStreamDecoder(sequentialCodecContext());
      decoder.push(frame({ type: 'response.created', response: { id: 'resp_a' } }));
      expect(decoder.complete).toBe(false);
      decoder.push(frame({ type, response: { id: 'resp_a', output: [] } }));
      expect(decoder.complete).toBe(true);
    }
  });

  it('refuses an event that is not JSON: it may have been a delta of the answer', () => {
    const decoder = new ResponsesStreamDecoder(sequentialCodecContext());
    expect(() => decoder.push({ event: 'response.output_text.delta', data: '{"type":"response.output_text.delta","del' })).toThrow(
      GatewayError,
    );
    expect(new ResponsesStreamDecoder(sequentialCodecContext()).push({ data: '' })).toEqual([]);
  });
});
