import { estimateInputTokens } from './token-estimate';

describe('estimateInputTokens', () => {
  it('counts every text the model reads at four characters a token, images at a fixed cost, and each item', () => {
    const text = 'x'.repeat(40);
    expect(
      estimateInputTokens({
        model: 'm',
        stream: false,
        items: [
          { kind: 'message', role: 'system', content: [{ type: 'text', text }] },
          {
            kind: 'message',
            role: 'user',
            content: [
              { type: 'text', text },
              { type: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'A'.repeat(100_000) } },
            ],
          },
          { kind: 'tool_call', callId: 'c', name: 'get', arguments: '{"a":1}' },
          { kind: 'tool_result', callId: 'c', content: [{ type: 'text', text }] },
        ],
        tools: [{ kind: 'function', name: 'get', description: text, parameters: { type: 'object' } }],
      }),
    ).toBe(Math.ceil((4 * 40 + 3 + 7 + 3 + JSON.stringify({ type: 'object' }).length) / 4) + 1_600 + 4 * 4);
  });
});
