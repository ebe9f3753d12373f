import { PROVIDER_PRESETS, findPreset } from './registry';
import { UnknownPresetError, resolveChannel, type ChannelUpstreamFields } from './resolve-channel';

const KEY = 'sk-test-0123456789abcdef';

function channel(fields: Partial<ChannelUpstreamFields>): ChannelUpstreamFields {
  return { name: 'c', type: 'openai', baseUrl: 'https://api.example.com/v1', apiKey: KEY, ...fields };
}

/** The whole URL a resolved channel sends a Chat request for `model` to. */
function chatUrl(fields: Partial<ChannelUpstreamFields>, model = 'm'): string {
  const resolved = resolveChannel(channel(fields));
  const target = resolved.url(resolved.upstreamModel(model), '/chat/completions');
  return target.origin + target.path;
}

describe('resolveChannel', () => {
  it('without a preset: base URL + the protocol path, Bearer credential, the model as it is', () => {
    const resolved = resolveChannel(channel({}));
    expect(resolved.url('m', '/chat/completions')).toEqual({ origin: 'https://api.example.com', path: '/v1/chat/completions' });
    expect(resolved.url('m', '/responses').path).toBe('/v1/responses');
    expect(resolved.headers).toEqual({ authorization: `Bearer ${KEY}` });
    expect(resolved.upstreamModel('gpt-4o')).toBe('gpt-4o');
    expect(resolved.quirks).toEqual({});
  });

  it('without a preset the protocol signs the request (its wire), and a query in its path is kept', () => {
    const anthropicLike = { requestHeaders: (apiKey: string) => ({ 'X-Api-Key': apiKey, 'anthropic-version': '2023-06-01' }) };
    const resolved = resolveChannel(channel({ headers: { 'X-Extra': 'e' } }), anthropicLike);
    expect(resolved.headers).toEqual({ 'x-api-key': KEY, 'anthropic-version': '2023-06-01', 'x-extra': 'e' });
    expect(resolved.url('g', '/models/g:streamGenerateContent?alt=sse').path).toBe('/v1/models/g:streamGenerateContent?alt=sse');
    // A preset's auth replaces the protocol's.
    expect(resolveChannel(channel({ preset: 'azure-openai' }), anthropicLike).headers).toEqual({ 'api-key': KEY });
  });

  it('a base URL query joins the protocol path’s own query, and wins over it', () => {
    expect(resolveChannel(channel({ baseUrl: 'https://h.example/v1?key=a&alt=json' })).url('m', '/x?alt=sse&y=1').path).toBe(
      '/v1/x?alt=json&y=1&key=a',
    );
  });

  it('a trailing slash on the base URL does not double the slash', () => {
    expect(chatUrl({ baseUrl: 'https://api.example.com/v1/' })).toBe('https://api.example.com/v1/chat/completions');
  });

  it.each([
    ['deepseek', 'https://api.deepseek.com/v1/chat/completions'],
    ['moonshot', 'https://api.moonshot.ai/v1/chat/completions'],
    ['openrouter', 'https://openrouter.ai/api/v1/chat/completions'],
    ['groq', 'https://api.groq.com/openai/v1/chat/completions'],
    ['mistral', 'https://api.mistral.ai/v1/chat/completions'],
    ['xai', 'https://api.x.ai/v1/chat/completions'],
    ['together', 'https://api.together.xyz/v1/chat/completions'],
    ['ollama', 'http://localhost:11434/v1/chat/completions'],
    ['vllm', 'http://localhost:8000/v1/chat/completions'],
  ])('%s: its default base URL + /chat/completions with a Bearer credential', (id, url) => {
    const preset = findPreset(id)!;
    expect(chatUrl({ preset: id, baseUrl: preset.defaultBaseUrl! })).toBe(url);
    expect(resolveChannel(channel({ preset: id })).headers).toEqual({ authorization: `Bearer ${KEY}` });
  });

  it('azure-openai: the deployment in the path, api-version in the query, the key in api-key (no Authorization)', () => {
    const fields = { preset: 'azure-openai', baseUrl: 'https://my-res.openai.azure.com', modelMap: { 'gpt-4o': 'my-gpt4o deployment' } };
    expect(chatUrl(fields, 'gpt-4o')).toBe(
      'https://my-res.openai.azure.com/openai/deployments/my-gpt4o%20deployment/chat/completions?api-version=2024-10-21',
    );
    // A model without a mapping is its own deployment name.
    expect(chatUrl(fields, 'gpt-4.1')).toBe(
      'https://my-res.openai.azure.com/openai/deployments/gpt-4.1/chat/completions?api-version=2024-10-21',
    );
    expect(resolveChannel(channel(fields)).headers).toEqual({ 'api-key': KEY });
  });

  it('azure-openai: an api-version on the base URL wins over the preset default; other query parameters stay', () => {
    expect(chatUrl({ preset: 'azure-openai', baseUrl: 'https://r.openai.azure.com/?api-version=2025-04-01-preview&x=1' }, 'd')).toBe(
      'https://r.openai.azure.com/openai/deployments/d/chat/completions?api-version=2025-04-01-preview&x=1',
    );
  });

  it('extra headers join the credential with lower-case names; preset defaults give way to them', () => {
    const resolved = resolveChannel(
      channel({ preset: 'openrouter', headers: { 'HTTP-Referer': 'https://app.example', 'X-Title': 'My App' } }),
    );
    expect(resolved.headers).toEqual({ authorization: `Bearer ${KEY}`, 'http-referer': 'https://app.example', 'x-title': 'My App' });
    expect(resolved.secrets).toEqual([KEY, 'https://app.example', 'My App']);
  });

  it('model_map: the mapped model becomes the upstream name; a name that is an Object property is not a mapping', () => {
    const resolved = resolveChannel(channel({ modelMap: { 'gpt-4o': 'deployment-a' } }));
    expect(resolved.upstreamModel('gpt-4o')).toBe('deployment-a');
    expect(resolved.upstreamModel('constructor')).toBe('constructor');
  });

  it('carries the preset quirks', () => {
    expect(resolveChannel(channel({ preset: 'mistral' })).quirks).toEqual({ rejectsStreamOptions: true });
    expect(resolveChannel(channel({ preset: 'groq' })).quirks.rejectedParameters).toContain('logit_bias');
  });

  it('an unknown preset is an error naming the channel, never a request with the wrong auth', () => {
    expect(() => resolveChannel(channel({ name: 'x', preset: 'nope' }))).toThrow(UnknownPresetError);
    expect(() => resolveChannel(channel({ name: 'x', preset: 'nope' }))).toThrow('channel "x" names the unknown preset "nope"');
  });
});

describe('the preset registry', () => {
  it('has the vendors the gateway documents, each id once, each default base URL an http(s) URL', () => {
    const ids = PROVIDER_PRESETS.map((preset) => preset.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        'deepseek',
        'moonshot',
        'openrouter',
        'groq',
        'mistral',
        'xai',
        'together',
        'ollama',
        'vllm',
        'azure-openai',
      ]),
    );
    for (const preset of PROVIDER_PRESETS) {
      if (preset.defaultBaseUrl !== null) expect(new URL(preset.defaultBaseUrl).protocol).toMatch(/^https?:$/);
      expect(preset.id).toMatch(/^[a-z0-9-]+$/);
    }
  });
});
