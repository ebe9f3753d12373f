import { GatewayError, sequentialCodecContext, type IrStreamEvent } from '@gw/ir';
import { SseParser, type SseEvent } from '@gw/sse';
import { AnthropicStreamDecoder } from './stream-decoder';
import { foreignSignature } from './provider-data';
import { AnthropicStreamEncoder } from './stream-encoder';

function sse(type: string, data: Record<string, unknown>): SseEvent {
  return { event: type, data: JSON.stringify({ type, ...data }) };
}

function parse(text: string): { event?: string; data: Record<string, unknown> }[] {
  const parser = new SseParser();
  return [...parser.push(text), ...parser.end()].map((event) => ({
    event: event.event,
    data: JSON.parse(event.data) as Record<string, unknown>,
  }));
}

describe('AnthropicStreamDecoder', () => {
  it('merges usage from message_start and message_delta (cache counts inside input) and completes only at message_stop', () => {
    const decoder = new AnthropicStreamDecoder(sequentialCodecContext());
    const events: IrStreamEvent[] = [
      ...decoder.push(
        sse('message_start', {
          message: {
            id: 'msg_1',
            model: 'claude',
            usage: { input_tokens: 10, cache_read_input_tokens: 90, cache_creation_input_tokens: 5, output_tokens: 1 },
          },
        }),
      ),
      ...decoder.push(sse('ping', {})),
      ...decoder.push(sse('message_delta', { delta: { stop_reason: 'max_tokens' }, usage: { output_tokens: 42 } })),
    ];
    expect(decoder.complete).toBe(false);
    expect(events.filter((event) => event.type === 'usage').at(-1)).toEqual({
      type: 'usage',
      usage: { inputTokens: 105, outputTokens: 42, totalTokens: 147, cachedInputTokens: 90, cacheWriteInputTokens: 5 },
    });
    // The stop reason is the finish only once message_stop says the stream is whole.
    expect(events.some((event) => event.type === 'finish')).toBe(false);
    expect(decoder.complete).toBe(false);
    expect(decoder.push(sse('message_stop', {}))).toEqual([{ type: 'finish', reason: 'length' }]);
    expect(decoder.complete).toBe(true);
  });

  it("throws Anthropic's in-stream error with its type mapped (overloaded → retryable 503)", () => {
    const decoder = new AnthropicStreamDecoder(sequentialCodecContext());
    const push = (): IrStreamEvent[] => decoder.push(sse('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }));
    expect(push).toThrow(GatewayError);
    try {
      push();
    } catch (error) {
      expect(error).toMatchObject({ code: 'service_unavailable', message: 'Overloaded', retryable: true });
    }
  });

  it('rejects an event that is not JSON and ignores unknown events', () => {
    const decoder = new AnthropicStreamDecoder(sequentialCodecContext());
    expect(decoder.push({ event: 'future_event', data: '{"type":"future_event"}' })).toEqual([]);
    expect(() => decoder.push({ event: 'content_block_delta', data: '{"type":"content_blo' })).toThrow(/not JSON/);
  });
});

describe('AnthropicStreamEncoder', () => {
  it('frames a Chat-like answer: text, two interleaved tool calls, all blocks stopped, message_delta with usage, message_stop', () => {
    const encoder = new AnthropicStreamEncoder(sequentialCodecContext(), { model: 'claude-client' });
    const events: IrStreamEvent[] = [
      { type: 'start', id: 'chatcmpl-1', model: 'gpt', created: 1 },
      { type: 'text_delta', text: 'Hi' },
      { type: 'tool_call_start', index: 0, callId: 'call_a', name: 'a' },
      { type: 'tool_call_start', index: 1, callId: 'call_b', name: 'b' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: '{"x":' },
      { type: 'tool_call_delta', index: 1, argumentsDelta: '{}' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: '1}' },
      { type: 'finish', reason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 100, outputTokens: 20, totalTokens: 120, cachedInputTokens: 60 } },
    ];
    const out = parse(events.map((event) => encoder.push(event)).join('') + encoder.end());
    expect(out.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(out[0]?.data).toMatchObject({ message: { id: 'msg_1', model: 'claude-client', role: 'assistant' } });
    expect(out[8]?.data).toEqual({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '1}' } });
    expect(out[11]?.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 40, cache_read_input_tokens: 60, cache_creation_input_tokens: 0, output_tokens: 20 },
    });
  });

  it("closes a thinking block with its Anthropic signature, and carries another issuer's state in the signature envelope", () => {
    const encoder = new AnthropicStreamEncoder(sequentialCodecContext(), { model: 'm' });
    const text = [
      encoder.push({ type: 'reasoning_delta', text: 'Hmm.' }),
      encoder.push({ type: 'reasoning_item', summary: [], providerData: { anthropic: { signature: 'sig' } } }),
      encoder.push({ type: 'reasoning_item', summary: ['Summary.'], providerData: { 'openai-responses': { encryptedContent: 'gAAA' } } }),
      encoder.push({ type: 'finish', reason: 'stop' }),
      encoder.end(),
    ].join('');
    const blocks = parse(text).filter((event) => event.event === 'content_block_start' || event.event === 'content_block_delta');
    expect(blocks.map((event) => event.data)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Hmm.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } },
      { type: 'content_block_start', index: 1, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'thinking_delta', thinking: 'Summary.' } },
      {
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'signature_delta', signature: foreignSignature({ 'openai-responses': { encryptedContent: 'gAAA' } }) },
      },
    ]);
  });

  it('a failure mid-stream stops the open block, then event: error with the envelope, and no message_stop', () => {
    const encoder = new AnthropicStreamEncoder(sequentialCodecContext(), { model: 'm' });
    const text = encoder.push({ type: 'text_delta', text: 'Par' }) + encoder.fail(new GatewayError('rate_limited', 'Slow down'));
    const out = parse(text);
    expect(out.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'error',
    ]);
    expect(out.at(-1)?.data).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' } });
    expect(encoder.end()).toBe('');
  });

  it('an upstream that ended without a finish gets an error, never message_stop', () => {
    const encoder = new AnthropicStreamEncoder(sequentialCodecContext(), { model: 'm' });
    const out = parse(encoder.push({ type: 'text_delta', text: 'cut' }) + encoder.end());
    expect(out.map((event) => event.event)).not.toContain('message_stop');
    expect(out.at(-1)?.data).toMatchObject({ type: 'error', error: { type: 'api_error' } });
  });

  it('gives reasoning that arrives as state alone a thinking block to carry its signature', () => {
    const encoder = new AnthropicStreamEncoder(sequentialCodecContext(), { model: 'm' });
    const out = parse(encoder.push({ type: 'reasoning_item', summary: [], providerData: { gemini: { thoughtSignature: 'ts' } } }));
    expect(out.map((event) => event.event)).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop']);
  });
});
