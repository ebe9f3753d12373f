import { GatewayError } from '@gw/ir';
import { decodeEmbeddingsRequest, openAiEmbeddingsClientWire } from './embeddings';

describe('OpenAI embeddings wire', () => {
  it('reads the model of every input shape OpenAI documents, never as a stream', () => {
    for (const input of ['one', ['one', 'two'], [1, 2, 3], [[1, 2], [3]]]) {
      expect(decodeEmbeddingsRequest({ model: 'text-embedding-3-small', input, encoding_format: 'base64', dimensions: 256 })).toEqual({
        model: 'text-embedding-3-small',
        items: [],
        tools: [],
        stream: false,
      });
    }
  });

  it.each([
    [{ input: 'x' }, 'model'],
    [{ model: 'm' }, 'input'],
    [{ model: 'm', input: '' }, 'input'],
    [{ model: 'm', input: [] }, 'input'],
    [{ model: 'm', input: ['a', 1] }, 'input'],
    [{ model: 'm', input: 'x', encoding_format: 'hex' }, 'encoding_format'],
    [{ model: 'm', input: 'x', dimensions: 0 }, 'dimensions'],
  ])('refuses %j with a 400 naming %s', (body, param) => {
    let thrown: unknown;
    try {
      decodeEmbeddingsRequest(body);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect({ code: (thrown as GatewayError).code, param: (thrown as GatewayError).param }).toEqual({ code: 'invalid_request', param });
  });

  it('passes the body through with the mapped model, and reads usage and errors from the answer', () => {
    const bytes = Buffer.from('{"input":["a"],"model":"gpt-embed","encoding_format":"base64"}');
    const value = JSON.parse(bytes.toString()) as Record<string, unknown>;
    const hooks = openAiEmbeddingsClientWire.passthrough;
    expect(hooks.upstreamBody({ value, bytes }, 'text-embedding-3-small', false).toString()).toBe(
      '{"input":["a"],"model":"text-embedding-3-small","encoding_format":"base64"}',
    );
    expect(hooks.usageOf({ object: 'list', data: [], usage: { prompt_tokens: 8, total_tokens: 8 } })).toEqual({
      inputTokens: 8,
      outputTokens: 0,
      totalTokens: 8,
    });
    expect(hooks.isErrorAnswer({ error: { message: 'no' } })).toBe(true);
    expect(hooks.isErrorAnswer({ object: 'list', data: [] })).toBe(false);
    expect(openAiEmbeddingsClientWire.passthroughPath).toBe('/embeddings');
  });
});
