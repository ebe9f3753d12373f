import { authHeaderOf, headersProblem, modelMapProblem, presetProblem, unservedMappedModel } from './channel-options';

describe('channel option rules', () => {
  it('preset: a known id, on an openai channel only', () => {
    expect(presetProblem('deepseek', 'openai')).toBeUndefined();
    expect(presetProblem('deepsek', 'openai')).toMatch(/^preset "deepsek" is not one of .*deepseek/);
    expect(presetProblem(3, 'openai')).toMatch(/^preset 3 is not one of/);
    expect(presetProblem('deepseek', 'openai-responses')).toBe(
      'preset applies to channels of type openai (Chat Completions) only, not openai-responses',
    );
  });

  it('headers: names are tokens, once each ignoring case, never the gateway’s own or the credential’s', () => {
    expect(headersProblem({ 'HTTP-Referer': 'https://a.example', 'X-Title': 'App' }, authHeaderOf('openrouter'))).toBeUndefined();
    expect(headersProblem([], undefined)).toBe('headers must be an object of header names to string values');
    expect(headersProblem({ 'bad name': 'x' }, undefined)).toBe('headers: "bad name" is not a valid header name');
    expect(headersProblem({ 'X-A': '1', 'x-a': '2' }, undefined)).toBe('headers: "x-a" is listed twice (header names ignore case)');
    expect(headersProblem({ 'Content-Type': 'text/plain' }, undefined)).toBe('headers: Content-Type is set by the gateway itself');
    expect(headersProblem({ Authorization: 'Bearer x' }, authHeaderOf(null))).toBe(
      "headers: Authorization carries the channel's credential; put it in api_key",
    );
    // Azure sends the key in api-key: Authorization is free there (an Entra ID token), api-key is not.
    expect(authHeaderOf('azure-openai')).toBe('api-key');
    expect(headersProblem({ Authorization: 'Bearer entra' }, authHeaderOf('azure-openai'))).toBeUndefined();
    expect(headersProblem({ 'Api-Key': 'k' }, authHeaderOf('azure-openai'))).toMatch(/carries the channel's credential/);
  });

  it('headers: values are non-empty single-line strings, and messages never quote them', () => {
    const secret = 'sk-secret-value-123456';
    const problem = headersProblem({ 'X-Key': `${secret}\r\nX-Injected: 1` }, undefined);
    expect(problem).toBe('headers: the value of X-Key must not contain control characters or line breaks');
    expect(problem).not.toContain(secret);
    expect(headersProblem({ 'X-Key': '' }, undefined)).toBe('headers: the value of X-Key must be a non-empty string');
    expect(headersProblem({ 'X-Key': 5 }, undefined)).toBe('headers: the value of X-Key must be a non-empty string');
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, index) => [`X-${index}`, 'v']));
    expect(headersProblem(many, undefined)).toBe('headers may hold at most 32 headers');
  });

  it('model_map: names to non-empty names; a key the channel does not serve is found', () => {
    expect(modelMapProblem({ 'gpt-4o': 'my-deployment' })).toBeUndefined();
    expect(modelMapProblem('gpt-4o')).toMatch(/^model_map must be an object/);
    expect(modelMapProblem({ 'gpt-4o': '' })).toBe('model_map: "gpt-4o" must map to a non-empty name without control characters');
    expect(modelMapProblem({ '': 'x' })).toBe('model_map: a model name must not be empty');
    expect(unservedMappedModel({ 'gpt-4o': 'd' }, ['gpt-4o'])).toBeUndefined();
    expect(unservedMappedModel({ 'gpt-4o': 'd', 'gpt-40': 'e' }, ['gpt-4o'])).toBe('gpt-40');
  });
});
