import { geminiClientWire, geminiUpstreamWire } from './wire';

const route = { endpoint: '/v1beta/models/{model}:countTokens', model: 'alias', stream: false, operation: 'count_tokens' as const };
const contents = [{ role: 'user', parts: [{ text: 'How many tokens?' }] }];

describe('Gemini countTokens', () => {
  it('decodes a contents-only body and a whole generateContentRequest; the model is the URL one', () => {
    const plain = geminiClientWire.decodeRequest({ contents }, route);
    expect(plain).toMatchObject({ model: 'alias', stream: false });
    const wrapped = geminiClientWire.decodeRequest(
      { generateContentRequest: { model: 'models/other', contents, systemInstruction: { parts: [{ text: 'Be brief.' }] } } },
      route,
    );
    expect(wrapped.model).toBe('alias');
    expect(JSON.stringify(wrapped.items)).toContain('Be brief.');
    expect(wrapped.items.length).toBeGreaterThan(plain.items.length);
  });

  it('refuses both forms at once, neither, and a generateContentRequest that is no object', () => {
    for (const body of [{ contents, generateContentRequest: { contents } }, {}, { generateContentRequest: 'x' }]) {
      expect(() => geminiClientWire.decodeRequest(body, route)).toThrow(expect.objectContaining({ code: 'invalid_request' }) as Error);
    }
  });

  it("answers in Gemini's shape", () => {
    expect(geminiClientWire.encodeTokenCount?.(31)).toEqual({ totalTokens: 31 });
  });

  it("passes a client's body on as it came, but names the upstream model inside a generateContentRequest", () => {
    const bytes = Buffer.from(JSON.stringify({ contents }));
    expect(geminiClientWire.passthrough.upstreamBody({ value: { contents }, bytes }, 'gemini-2.5-flash', false)).toBe(bytes);
    const wrapped = { generateContentRequest: { model: 'models/alias', contents } };
    const sent = geminiClientWire.passthrough.upstreamBody(
      { value: wrapped, bytes: Buffer.from(JSON.stringify(wrapped)) },
      'gemini-2.5-flash',
      false,
    );
    expect(JSON.parse(sent.toString())).toEqual({ generateContentRequest: { model: 'models/gemini-2.5-flash', contents } });
  });

  it('counts upstream at :countTokens with a whole generateContentRequest, and reads totalTokens', () => {
    const counter = geminiUpstreamWire.countTokens!;
    expect(counter.requestPath('gemini-2.5-flash')).toBe('/models/gemini-2.5-flash:countTokens');
    expect(counter.requestPath('models/a/../b')).toBe('/models/a%2F..%2Fb:countTokens');
    expect(counter.requestBody({ contents, generationConfig: { maxOutputTokens: 5 } }, 'gemini-2.5-flash')).toEqual({
      generateContentRequest: { model: 'models/gemini-2.5-flash', contents, generationConfig: { maxOutputTokens: 5 } },
    });
    expect(counter.decodeCount({ totalTokens: 31, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 31 }] })).toBe(31);
    expect(counter.decodeCount({ total_tokens: 31 })).toBeUndefined();
  });
});
