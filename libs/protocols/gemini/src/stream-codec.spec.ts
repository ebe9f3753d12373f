import { GatewayError, sequentialCodecContext, type IrStreamEvent } from '@gw/ir';
import { SseParser } from '@gw/sse';
import { GeminiStreamDecoder } from './stream-decoder';
import { GeminiStreamEncoder } from './stream-encoder';

const chunk = (body: Record<string, unknown>): { data: string } => ({ data: JSON.stringify(body) });
const candidate = (parts: unknown[], finishReason?: string): Record<string, unknown> => ({
  candidates: [{ content: { role: 'model', parts }, ...(finishReason === undefined ? {} : { finishReason }), index: 0 }],
  responseId: 'r1',
  modelVersion: 'gemini-2.5-flash',
});

function decodeAll(chunks: { data: string }[]): { events: IrStreamEvent[]; complete: boolean } {
  const decoder = new GeminiStreamDecoder(sequentialCodecContext());
  const events = chunks.flatMap((one) => decoder.push(one));
  return { events, complete: decoder.complete };
}

describe('GeminiStreamDecoder', () => {
  it('thoughts, their signature, text, a whole call and usage with thoughts in the output', () => {
    const { events, complete } = decodeAll([
      chunk(candidate([{ text: 'Let me think', thought: true, thoughtSignature: 'sig-t' }])),
      chunk({
        ...candidate([{ text: 'Hello' }]),
        usageMetadata: {
          promptTokenCount: 10,
          candidatesTokenCount: 2,
          thoughtsTokenCount: 5,
          cachedContentTokenCount: 4,
          totalTokenCount: 17,
        },
      }),
      chunk({
        ...candidate([{ functionCall: { name: 'f', args: { a: 1 } }, thoughtSignature: 'sig-f' }], 'STOP'),
        usageMetadata: {
          promptTokenCount: 10,
          candidatesTokenCount: 8,
          thoughtsTokenCount: 5,
          cachedContentTokenCount: 4,
          totalTokenCount: 23,
        },
      }),
    ]);
    expect(events).toEqual([
      { type: 'start', id: 'r1', model: 'gemini-2.5-flash', created: 1_700_000_000 },
      { type: 'reasoning_delta', text: 'Let me think' },
      { type: 'reasoning_item', summary: [], providerData: { gemini: { thoughtSignature: 'sig-t' } } },
      { type: 'text_delta', text: 'Hello' },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 7, totalTokens: 17, cachedInputTokens: 4, reasoningTokens: 5 } },
      { type: 'tool_call_start', index: 0, callId: 'call_1', name: 'f', providerData: { gemini: { thoughtSignature: 'sig-f' } } },
      { type: 'tool_call_delta', index: 0, argumentsDelta: '{"a":1}' },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 13, totalTokens: 23, cachedInputTokens: 4, reasoningTokens: 5 } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    expect(complete).toBe(true);
  });

  it('puts streamed arguments (partialArgs) together, strings appended, numbers and nested paths set', () => {
    const { events } = decodeAll([
      chunk(candidate([{ functionCall: { name: 'book', willContinue: true } }])),
      chunk(
        candidate([
          { functionCall: { partialArgs: [{ jsonPath: '$.city', stringValue: 'New ', willContinue: true }], willContinue: true } },
        ]),
      ),
      chunk(
        candidate([
          {
            functionCall: {
              partialArgs: [
                { jsonPath: '$.city', stringValue: 'York' },
                { jsonPath: '$.guests[0].age', numberValue: 30 },
              ],
              willContinue: true,
            },
          },
        ]),
      ),
      chunk(candidate([{ functionCall: {} }], 'STOP')),
    ]);
    expect(events.filter((event) => event.type === 'tool_call_delta')).toEqual([
      { type: 'tool_call_delta', index: 0, argumentsDelta: '{"city":"New York","guests":[{"age":30}]}' },
    ]);
  });

  it.each([
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['MALFORMED_FUNCTION_CALL', 'error'],
    ['OTHER', 'stop'],
  ])('finishReason %s → %s', (reason, expected) => {
    const { events } = decodeAll([chunk(candidate([{ text: 'x' }], reason))]);
    expect(events[events.length - 1]).toEqual({ type: 'finish', reason: expected });
  });

  it('a blocked prompt finishes with content_filter', () => {
    const { events, complete } = decodeAll([
      chunk({ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 3, totalTokenCount: 3 } }),
    ]);
    expect(events.map((event) => event.type)).toEqual(['start', 'usage', 'finish']);
    expect(events[2]).toEqual({ type: 'finish', reason: 'content_filter' });
    expect(complete).toBe(true);
  });

  it('an error chunk throws with its status; a stream without a finish is not complete', () => {
    const decoder = new GeminiStreamDecoder(sequentialCodecContext());
    decoder.push(chunk(candidate([{ text: 'partial' }])));
    expect(decoder.complete).toBe(false);
    let thrown: unknown;
    try {
      decoder.push(chunk({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } }));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect((thrown as GatewayError).code).toBe('service_unavailable');
    expect(() => decoder.push({ data: 'not json' })).toThrow(GatewayError);
  });
});

function readEvents(text: string): Record<string, unknown>[] {
  const parser = new SseParser();
  return [...parser.push(text), ...parser.end()].map((event) => {
    expect(event.event).toBeUndefined();
    return JSON.parse(event.data) as Record<string, unknown>;
  });
}

describe('GeminiStreamEncoder', () => {
  it('text and thoughts as they come, calls whole at the end, finishReason and usage on the last event', () => {
    const encoder = new GeminiStreamEncoder(sequentialCodecContext(), { model: 'gemini-client' });
    let out = '';
    const events: IrStreamEvent[] = [
      { type: 'start', id: 'resp_upstream', model: 'gpt-5', created: 1 },
      { type: 'reasoning_delta', text: 'hmm' },
      { type: 'text_delta', text: 'Hi' },
      {
        type: 'tool_call_start',
        index: 0,
        callId: 'c1',
        name: 'run',
        namespace: 'shell',
        providerData: { gemini: { thoughtSignature: 's' } },
      },
      { type: 'tool_call_delta', index: 0, argumentsDelta: '{"cmd":' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: '"ls"}' },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 6, totalTokens: 16, reasoningTokens: 2 } },
      { type: 'finish', reason: 'tool_calls' },
    ];
    for (const event of events) out += encoder.push(event);
    out += encoder.end();
    const chunks = readEvents(out);
    expect(chunks.map((one) => (one.candidates as { content: { parts: unknown[] } }[])[0]?.content.parts)).toEqual([
      [{ text: 'hmm', thought: true }],
      [{ text: 'Hi' }],
      [{ functionCall: { name: 'shell__run', args: { cmd: 'ls' } }, thoughtSignature: 's' }],
    ]);
    expect(chunks[2]).toMatchObject({
      candidates: [{ finishReason: 'STOP' }],
      usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 4, thoughtsTokenCount: 2, totalTokenCount: 16 },
      modelVersion: 'gemini-client',
    });
    // Another protocol's id is not a Gemini response id; every chunk carries the same one.
    expect(new Set(chunks.map((one) => one.responseId))).toEqual(new Set(['1']));
  });

  it('ends with the error envelope when the upstream failed or never finished', () => {
    const failed = new GeminiStreamEncoder(sequentialCodecContext(), { model: 'm' });
    const text = failed.push({ type: 'text_delta', text: 'Hi' }) + failed.fail(new GatewayError('rate_limited', 'Slow down'));
    expect(readEvents(text)[1]).toEqual({ error: { code: 429, message: 'Slow down', status: 'RESOURCE_EXHAUSTED' } });
    expect(failed.end()).toBe('');

    const cut = new GeminiStreamEncoder(sequentialCodecContext(), { model: 'm' });
    const events = readEvents(cut.push({ type: 'text_delta', text: 'Hi' }) + cut.end());
    expect(events[1]).toMatchObject({ error: { code: 502, status: 'UNAVAILABLE' } });
  });
});
