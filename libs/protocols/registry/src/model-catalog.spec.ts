import { modelCatalogWireFor } from './index';

const wireName = (prefix: string, headers: Record<string, string>, query = ''): string | undefined =>
  modelCatalogWireFor(prefix, headers, new URLSearchParams(query))?.name;

describe('modelCatalogWireFor (ADR 0025)', () => {
  it("answers /v1/models in Anthropic's shape when the request carries anthropic-version, whatever holds the key", () => {
    expect(wireName('/v1', { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' })).toBe('anthropic-messages');
    expect(wireName('/v1', { authorization: 'Bearer k', 'anthropic-version': '2023-06-01' })).toBe('anthropic-messages');
  });

  it("answers /v1/models in Gemini's shape when the key is where only Gemini clients put it", () => {
    expect(wireName('/v1', { 'x-goog-api-key': 'k' })).toBe('gemini');
    expect(wireName('/v1', {}, 'key=k&pageSize=5')).toBe('gemini');
  });

  it("answers every other /v1/models request in OpenAI's shape, as before", () => {
    expect(wireName('/v1', { authorization: 'Bearer k' })).toBe('openai-chat');
    expect(wireName('/v1', { 'x-api-key': 'k' })).toBe('openai-chat');
    expect(wireName('/v1', {})).toBe('openai-chat');
  });

  it("answers /v1beta in Gemini's shape whatever the headers, and nothing elsewhere", () => {
    expect(wireName('/v1beta', { authorization: 'Bearer k', 'anthropic-version': '2023-06-01' })).toBe('gemini');
    expect(wireName('/v2', {})).toBeUndefined();
  });
});
