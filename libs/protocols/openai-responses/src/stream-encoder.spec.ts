import { ReadableStream } from 'node:stream/web';
import { GatewayError, type IrStreamEvent, sequentialCodecContext } from '@gw/ir';
import { ResponseStream } from 'openai/lib/responses/ResponseStream';
import { parseSse } from './fixture-files.spec-helper';
import { ResponsesStreamEncoder } from './stream-encoder';

type WireEvent = Record<string, unknown> & { type: string; sequence_number: number };

/** Runs IR events through a fresh encoder and parses the SSE text back (checking the `event:` line = `type`). */
function encode(
  events: IrStreamEvent[],
  finish: (encoder: ResponsesStreamEncoder) => string = (encoder) => encoder.end(),
): { sse: string; wire: WireEvent[] } {
  const encoder = new ResponsesStreamEncoder(sequentialCodecContext(), { model: 'gpt-5' });
  const sse = events.map((event) => encoder.push(event)).join('') + finish(encoder);
  const wire = parseSse(sse).map((frame) => {
    const body = JSON.parse(frame.data) as WireEvent;
    expect(frame.event).toBe(body.type);
    return body;
  });
  return { sse, wire };
}

const PARALLEL_TOOLS_SCRIPT: IrStreamEvent[] = [
  { type: 'start', id: 'chatcmpl-1', model: 'deepseek-reasoner', created: 1_700_000_100 },
  { type: 'reasoning_delta', text: 'Let me ' },
  { type: 'reasoning_delta', text: 'think.' },
  { type: 'text_delta', text: 'Running ' },
  { type: 'text_delta', text: 'two tools.' },
  { type: 'tool_call_start', index: 0, callId: 'call_a', name: 'exec_command' },
  { type: 'tool_call_start', index: 1, callId: 'call_b', name: 'spawn_agent', namespace: 'multi_agent_v1' },
  { type: 'tool_call_delta', index: 0, argumentsDelta: '{"cmd":' },
  { type: 'tool_call_delta', index: 1, argumentsDelta: '{"task":"x"}' },
  { type: 'tool_call_delta', index: 0, argumentsDelta: '"ls"}' },
  { type: 'finish', reason: 'tool_calls' },
  // Chat upstreams send usage after the finish reason.
  { type: 'usage', usage: { inputTokens: 10, outputTokens: 20, totalTokens: 30, cachedInputTokens: 4, reasoningTokens: 5 } },
];

const EXPECTED_OUTPUT = [
  { id: 'rs_2', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Let me think.' }] },
  {
    id: 'msg_3',
    type: 'message',
    status: 'completed',
    role: 'assistant',
    content: [{ type: 'output_text', text: 'Running two tools.', annotations: [] }],
  },
  { id: 'fc_4', type: 'function_call', status: 'completed', arguments: '{"cmd":"ls"}', call_id: 'call_a', name: 'exec_command' },
  {
    id: 'fc_5',
    type: 'function_call',
    status: 'completed',
    arguments: '{"task":"x"}',
    call_id: 'call_b',
    name: 'spawn_agent',
    namespace: 'multi_agent_v1',
  },
];

describe('ResponsesStreamEncoder', () => {
  describe('reasoning, text and two parallel tool calls with usage after finish', () => {
    const { sse, wire } = encode(PARALLEL_TOOLS_SCRIPT);

    it('writes the exact event sequence a real upstream sends', () => {
      expect(wire.map((event) => event.type)).toEqual([
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.reasoning_summary_part.added',
        'response.reasoning_summary_text.delta',
        'response.reasoning_summary_text.delta',
        'response.reasoning_summary_text.done',
        'response.reasoning_summary_part.done',
        'response.output_item.done',
        'response.output_item.added',
        'response.content_part.added',
        'response.output_text.delta',
        'response.output_text.delta',
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.output_item.added',
        'response.output_item.added',
        'response.function_call_arguments.delta',
        'response.function_call_arguments.delta',
        'response.function_call_arguments.delta',
        'response.function_call_arguments.done',
        'response.output_item.done',
        'response.function_call_arguments.done',
        'response.output_item.done',
        'response.completed',
      ]);
    });

    it('numbers events 0, 1, 2, ... without gaps', () => {
      expect(wire.map((event) => event.sequence_number)).toEqual(wire.map((_, index) => index));
    });

    it('closes every added item with a done item carrying the full content', () => {
      const added = wire.filter((event) => event.type === 'response.output_item.added');
      const done = wire.filter((event) => event.type === 'response.output_item.done');
      expect(added.map((event) => event.output_index)).toEqual([0, 1, 2, 3]);
      expect(done.map((event) => event.output_index)).toEqual([0, 1, 2, 3]);
      expect(done.map((event) => event.item)).toEqual(EXPECTED_OUTPUT);
      expect(added[2]?.item).toEqual({
        id: 'fc_4',
        type: 'function_call',
        status: 'in_progress',
        arguments: '',
        call_id: 'call_a',
        name: 'exec_command',
      });
      const argumentsDone = wire.filter((event) => event.type === 'response.function_call_arguments.done');
      expect(argumentsDone.map((event) => [event.item_id, event.name, event.arguments])).toEqual([
        ['fc_4', 'exec_command', '{"cmd":"ls"}'],
        ['fc_5', 'spawn_agent', '{"task":"x"}'],
      ]);
      const textDone = wire.find((event) => event.type === 'response.output_text.done');
      expect(textDone).toMatchObject({ item_id: 'msg_3', output_index: 1, content_index: 0, text: 'Running two tools.' });
    });

    it('ends with response.completed holding id, model, output and the late usage', () => {
      const completed = wire.at(-1);
      expect(completed?.response).toMatchObject({
        id: 'resp_1',
        object: 'response',
        created_at: 1_700_000_100,
        status: 'completed',
        model: 'gpt-5',
        error: null,
        incomplete_details: null,
        output: EXPECTED_OUTPUT,
        usage: {
          input_tokens: 10,
          input_tokens_details: { cached_tokens: 4 },
          output_tokens: 20,
          output_tokens_details: { reasoning_tokens: 5 },
          total_tokens: 30,
        },
      });
      expect(wire[0]?.response).toMatchObject({ id: 'resp_1', status: 'in_progress', output: [], usage: null });
    });

    it('is accepted by the openai SDK ResponseStream (finalResponse)', async () => {
      // The SDK's stream helper reads JSON lines; the SSE framing itself is covered by @gw/sse.
      const jsonLines = parseSse(sse)
        .map((frame) => `${frame.data}\n`)
        .join('');
      const readable = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(jsonLines));
          controller.close();
        },
      });
      const seen: string[] = [];
      const stream = ResponseStream.fromReadableStream(readable);
      stream.on('response.output_text.delta', (event) => seen.push(event.snapshot));
      const response = await stream.finalResponse();
      expect(seen).toEqual(['Running ', 'Running two tools.']);
      expect(response.id).toBe('resp_1');
      expect(response.output_text).toBe('Running two tools.');
      expect(response.output[3]).toMatchObject({
        type: 'function_call',
        name: 'spawn_agent',
        namespace: 'multi_agent_v1',
        call_id: 'call_b',
      });
      expect(response.usage?.total_tokens).toBe(30);
    });
  });

  it('maps a length finish to response.incomplete with incomplete items, and starts lazily without a start event', () => {
    const { wire } = encode([
      { type: 'text_delta', text: 'cut' },
      { type: 'finish', reason: 'length' },
    ]);
    expect(wire.map((event) => event.type).slice(0, 3)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added']);
    const last = wire.at(-1);
    expect(last?.type).toBe('response.incomplete');
    expect(last?.response).toMatchObject({
      id: 'resp_1',
      created_at: 1_700_000_000,
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      usage: null,
      output: [
        {
          id: 'msg_2',
          type: 'message',
          status: 'incomplete',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'cut', annotations: [] }],
        },
      ],
    });
  });

  it('keeps a Responses upstream id and completes an open reasoning item with its encrypted content', () => {
    const { wire } = encode([
      { type: 'start', id: 'resp_upstream', model: 'gpt-5', created: 1 },
      { type: 'reasoning_delta', text: 'Plan.' },
      { type: 'reasoning_item', id: 'rs_up', summary: [], providerData: { 'openai-responses': { encryptedContent: 'gAAAA' } } },
      { type: 'reasoning_item', id: 'rs_whole', summary: ['A', 'B'] },
      { type: 'refusal_delta', text: 'No.' },
      { type: 'finish', reason: 'stop' },
    ]);
    const done = wire.filter((event) => event.type === 'response.output_item.done').map((event) => event.item);
    expect(done).toEqual([
      // No id was minted for the response, so the first minted id is the reasoning item's.
      { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Plan.' }], encrypted_content: 'gAAAA' },
      {
        id: 'rs_whole',
        type: 'reasoning',
        summary: [
          { type: 'summary_text', text: 'A' },
          { type: 'summary_text', text: 'B' },
        ],
      },
      { id: 'msg_2', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }] },
    ]);
    expect(wire.filter((event) => event.type === 'response.refusal.done')).toMatchObject([{ refusal: 'No.', content_index: 0 }]);
    expect(wire.at(-1)?.response).toMatchObject({ id: 'resp_upstream', status: 'completed' });
  });

  it('fail() writes response.failed with the message and closes nothing; later calls write nothing', () => {
    const encoder = new ResponsesStreamEncoder(sequentialCodecContext(), { model: 'gpt-5' });
    const text = encoder.push({ type: 'text_delta', text: 'partial' }) + encoder.fail(new GatewayError('rate_limited', 'Slow down'));
    const wire = parseSse(text).map((frame) => JSON.parse(frame.data) as WireEvent);
    expect(wire.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.failed',
    ]);
    expect(wire.at(-1)).toMatchObject({
      sequence_number: 5,
      response: { id: 'resp_1', status: 'failed', error: { code: 'rate_limit_exceeded', message: 'Slow down' }, output: [] },
    });
    expect(encoder.push({ type: 'text_delta', text: 'more' })).toBe('');
    expect(encoder.end()).toBe('');
    expect(encoder.fail(new GatewayError('internal_error', 'again'))).toBe('');
  });

  it('end() without a finish (upstream cut off) writes response.failed, never response.completed', () => {
    const { wire } = encode([
      { type: 'tool_call_start', index: 0, callId: 'c', name: 'f' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: '{' },
    ]);
    expect(wire.some((event) => event.type === 'response.completed')).toBe(false);
    expect(wire.at(-1)).toMatchObject({
      type: 'response.failed',
      response: {
        status: 'failed',
        error: { code: 'upstream_error', message: 'The upstream stream ended before the response was finished' },
      },
    });
  });

  it('ignores a repeated tool_call_start and deltas for calls it never opened', () => {
    const { wire } = encode([
      { type: 'tool_call_start', index: 0, callId: 'c', name: 'f' },
      { type: 'tool_call_start', index: 0, callId: 'c', name: 'f' },
      { type: 'tool_call_delta', index: 7, argumentsDelta: 'lost' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: '{}' },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    expect(wire.filter((event) => event.type === 'response.output_item.added')).toHaveLength(1);
    expect(wire.at(-1)?.response).toMatchObject({ output: [{ type: 'function_call', call_id: 'c', arguments: '{}' }] });
  });
});

describe('ResponsesStreamEncoder delta events', () => {
  // Quotes, backslashes, control and line-separator characters, an astral character, a lone surrogate.
  const TRICKY = 'say "hi"\\ \n\t\u0001\u2028 😀 \ud800 end';

  /** Member names in the order OpenAI writes them, which `emit` (object → JSON.stringify) also produces. */
  const EXPECTED_MEMBERS: Record<string, string[]> = {
    'response.reasoning_summary_text.delta': ['type', 'sequence_number', 'item_id', 'output_index', 'summary_index', 'delta'],
    'response.output_text.delta': ['type', 'sequence_number', 'item_id', 'output_index', 'content_index', 'delta', 'logprobs'],
    'response.refusal.delta': ['type', 'sequence_number', 'item_id', 'output_index', 'content_index', 'delta'],
    'response.function_call_arguments.delta': ['type', 'sequence_number', 'item_id', 'output_index', 'delta'],
  };

  it('writes every kind of delta as the JSON an object of its members would stringify to, escapes included', () => {
    const { sse, wire } = encode([
      { type: 'start', id: 'chatcmpl-1', model: 'm', created: 1_700_000_100 },
      { type: 'reasoning_delta', text: TRICKY },
      { type: 'text_delta', text: TRICKY },
      { type: 'refusal_delta', text: TRICKY },
      { type: 'tool_call_start', index: 0, callId: 'call_a', name: 'exec_command' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: TRICKY },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    const deltas = wire.filter((event) => event.type.endsWith('.delta'));
    expect(deltas.map((event) => event.type)).toEqual(Object.keys(EXPECTED_MEMBERS));
    const rawData = parseSse(sse)
      .map((frame) => frame.data)
      .filter((data) => (JSON.parse(data) as WireEvent).type.endsWith('.delta'));
    deltas.forEach((event, index) => {
      expect(Object.keys(event)).toEqual(EXPECTED_MEMBERS[event.type]);
      expect(event.delta).toBe(TRICKY);
      // Byte for byte what JSON.stringify writes for the same members.
      expect(rawData[index]).toBe(JSON.stringify(event));
    });
    // Sequence numbers stay consecutive across the delta and the object-built events.
    expect(wire.map((event) => event.sequence_number)).toEqual(wire.map((_event, index) => index));
  });
});
