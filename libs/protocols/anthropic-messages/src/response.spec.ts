import { GatewayError, sequentialCodecContext } from '@gw/ir';
import { decodeAnthropicResponse } from './decode-response';
import { encodeAnthropicResponse } from './encode-response';

const message = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5',
  content: [
    { type: 'thinking', thinking: 'Plan.', signature: 'sig' },
    { type: 'redacted_thinking', data: 'opaque' },
    { type: 'text', text: 'Looking ' },
    { type: 'text', text: 'it up.' },
    { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } },
    { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: 'x' } },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: { input_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20, output_tokens: 30 },
};

describe('non-stream Anthropic messages', () => {
  it('decode: thinking with signature, redacted thinking, one message for consecutive text, tool calls; server tools left out', () => {
    const ir = decodeAnthropicResponse(message, sequentialCodecContext(1234));
    expect(ir).toEqual({
      id: 'msg_1',
      model: 'claude-sonnet-4-5',
      created: 1234,
      output: [
        { kind: 'reasoning', text: 'Plan.', providerData: { anthropic: { signature: 'sig' } } },
        { kind: 'reasoning', providerData: { anthropic: { redactedData: 'opaque' } } },
        {
          kind: 'message',
          role: 'assistant',
          content: [
            { type: 'text', text: 'Looking ' },
            { type: 'text', text: 'it up.' },
          ],
        },
        { kind: 'tool_call', callId: 'toolu_1', name: 'lookup', arguments: '{"q":"x"}' },
      ],
      finishReason: 'tool_calls',
      usage: { inputTokens: 125, outputTokens: 30, totalTokens: 155, cachedInputTokens: 100, cacheWriteInputTokens: 20 },
    });
  });

  it('encode: the same blocks, stop reason and usage back, under the client model name', () => {
    const ctx = sequentialCodecContext();
    const answer = encodeAnthropicResponse(decodeAnthropicResponse(message, ctx), ctx, { model: 'claude-client' });
    expect(answer).toEqual({
      ...message,
      model: 'claude-client',
      content: [
        message.content[0],
        message.content[1],
        { type: 'text', text: 'Looking ' },
        { type: 'text', text: 'it up.' },
        message.content[5],
      ],
    });
  });

  it('an error body behind a 200 is an upstream error', () => {
    expect(() =>
      decodeAnthropicResponse({ type: 'error', error: { type: 'api_error', message: 'boom' } }, sequentialCodecContext()),
    ).toThrow(GatewayError);
  });
});
