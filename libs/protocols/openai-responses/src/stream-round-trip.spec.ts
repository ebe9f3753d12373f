import { type IrStreamEvent, sequentialCodecContext } from '@gw/ir';
import { listFixtures, parseSse, readFixture, splitResponses } from './fixture-files.spec-helper';
import { encryptedContentOf } from './provider-data';
import { ResponsesStreamDecoder } from './stream-decoder';
import { ResponsesStreamEncoder } from './stream-encoder';

function encodeToSse(events: IrStreamEvent[]): string {
  const encoder = new ResponsesStreamEncoder(sequentialCodecContext(), { model: 'gpt-5' });
  return events.map((event) => encoder.push(event)).join('') + encoder.end();
}

function decodeSse(text: string): IrStreamEvent[] {
  const decoder = new ResponsesStreamDecoder(sequentialCodecContext());
  return [...parseSse(text).flatMap((event) => decoder.push(event)), ...decoder.end()];
}

describe('Responses stream encoder → decoder round trip', () => {
  it('gives back the same reasoning, text, parallel tool calls, usage and finish', () => {
    const original: IrStreamEvent[] = [
      { type: 'start', id: 'resp_abc', model: 'm', created: 10 },
      { type: 'reasoning_delta', text: 'Hmm' },
      { type: 'text_delta', text: 'Hello' },
      { type: 'tool_call_start', index: 0, callId: 'call_a', name: 'exec_command', id: 'fc_a' },
      { type: 'tool_call_start', index: 1, callId: 'call_b', name: 'spawn_agent', namespace: 'multi_agent_v1', id: 'fc_b' },
      { type: 'tool_call_delta', index: 1, argumentsDelta: '{"task":' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: '{}' },
      { type: 'tool_call_delta', index: 1, argumentsDelta: '"t"}' },
      { type: 'finish', reason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3, cachedInputTokens: 0, reasoningTokens: 1 } },
    ];
    expect(decodeSse(encodeToSse(original))).toEqual([
      { type: 'start', id: 'resp_abc', model: 'gpt-5', created: 10 },
      { type: 'reasoning_delta', text: 'Hmm' },
      { type: 'text_delta', text: 'Hello' },
      { type: 'tool_call_start', index: 0, callId: 'call_a', name: 'exec_command', id: 'fc_a' },
      { type: 'tool_call_start', index: 1, callId: 'call_b', name: 'spawn_agent', namespace: 'multi_agent_v1', id: 'fc_b' },
      { type: 'tool_call_delta', index: 1, argumentsDelta: '{"task":' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: '{}' },
      { type: 'tool_call_delta', index: 1, argumentsDelta: '"t"}' },
      { type: 'usage', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3, cachedInputTokens: 0, reasoningTokens: 1 } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it.each(listFixtures('upstream/openai-responses', '.sse').filter((name) => name !== 'error.sse'))(
    '%s: re-encoding the decoded upstream and decoding again is stable',
    (fixture) => {
      for (const upstream of splitResponses(parseSse(readFixture(`upstream/openai-responses/${fixture}`)))) {
        const decoder = new ResponsesStreamDecoder(sequentialCodecContext());
        const firstPass = [...upstream.flatMap((event) => decoder.push(event)), ...decoder.end()];
        const secondPass = decodeSse(encodeToSse(firstPass));
        const withoutModel = (events: IrStreamEvent[]) => events.map((event) => (event.type === 'start' ? { ...event, model: '' } : event));
        // Deltas may be regrouped but the content, ids, usage and finish must survive.
        const summary = (events: IrStreamEvent[]) => ({
          start: withoutModel(events).find((event) => event.type === 'start'),
          text: events.map((event) => (event.type === 'text_delta' ? event.text : '')).join(''),
          reasoning: events.map((event) => (event.type === 'reasoning_delta' ? event.text : '')).join(''),
          encrypted: events.flatMap((event) => (event.type === 'reasoning_item' ? [encryptedContentOf(event)] : [])),
          calls: events.filter((event) => event.type === 'tool_call_start'),
          tail: events.slice(-2),
        });
        expect(summary(secondPass)).toEqual(summary(firstPass));
      }
    },
  );
});
