import { AdminFailure } from './admin-failure';
import { checkChannelCombination, maskCredential, parseChannelCreate, parseChannelPatch } from './channel-fields';

const valid = {
  name: 'deepseek',
  type: 'openai',
  base_url: 'https://api.deepseek.com/v1',
  api_key: 'sk-0123456789abcdefWXYZ',
  models: ['deepseek-chat', 'deepseek-reasoner'],
};

/** The refusal's code, message and the field it names. */
function refusal(run: () => unknown): { code: string; message: string; field: unknown } {
  try {
    run();
  } catch (error) {
    if (error instanceof AdminFailure) return { code: error.code, message: error.message, field: error.details?.field };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('channel fields', () => {
  it('takes a gemini channel (Google base URL, AIza key, Google model names)', () => {
    const gemini = {
      name: 'google',
      type: 'gemini',
      base_url: 'https://generativelanguage.googleapis.com/v1beta',
      api_key: 'AIzaSyA-0123456789abcdefghijklmnopqrstu',
      models: ['gemini-2.5-flash', 'models/gemini-2.5-pro'],
    };
    expect(parseChannelCreate(gemini)).toMatchObject({ type: 'gemini', baseUrl: gemini.base_url, models: gemini.models });
  });

  it('parses a create with its defaults (enabled, no own timeout)', () => {
    expect(parseChannelCreate(valid)).toEqual({
      name: 'deepseek',
      type: 'openai',
      baseUrl: 'https://api.deepseek.com/v1',
      apiKey: 'sk-0123456789abcdefWXYZ',
      models: ['deepseek-chat', 'deepseek-reasoner'],
      enabled: true,
      timeoutMs: null,
      preset: null,
      modelMap: {},
      headers: {},
    });
    expect(parseChannelCreate({ ...valid, enabled: false, timeout_ms: 30_000 })).toMatchObject({ enabled: false, timeoutMs: 30_000 });
  });

  it.each([
    ['a missing api_key', { ...valid, api_key: undefined }, 'api_key', /api_key is required/],
    ['an unknown type', { ...valid, type: 'anthropic' }, 'type', /type "anthropic" is not one of openai, openai-responses/],
    ['a base_url without a scheme', { ...valid, base_url: 'api.deepseek.com' }, 'base_url', /http\(s\) URL/],
    ['an ftp base_url', { ...valid, base_url: 'ftp://example.com' }, 'base_url', /http\(s\) URL/],
    [
      'a base_url holding a password',
      { ...valid, base_url: 'https://user:pw@example.com/v1' },
      'base_url',
      /put the credential in api_key/,
    ],
    ['an empty model list', { ...valid, models: [] }, 'models', /non-empty list/],
    ['an empty model name', { ...valid, models: ['a', ' '] }, 'models', /models\[1\] must be a non-empty string/],
    ['a model listed twice', { ...valid, models: ['a', 'a'] }, 'models', /models\[1\]: "a" is listed twice/],
    ['a name with a slash', { ...valid, name: 'a/b' }, 'name', /name must be 1 to 64 characters/],
    ['a zero timeout', { ...valid, timeout_ms: 0 }, 'timeout_ms', /timeout_ms must be null or a whole number/],
    ['a non-boolean enabled', { ...valid, enabled: 'yes' }, 'enabled', /enabled must be true or false/],
    ['a header-breaking api_key', { ...valid, api_key: 'sk-abc\r\nx-evil: 1' }, 'api_key', /control characters/],
    ['a misspelt field', { ...valid, apiKey: 'x' }, 'apiKey', /Unknown field "apiKey"/],
    ['an unknown preset', { ...valid, preset: 'deepsek' }, 'preset', /preset "deepsek" is not one of azure-openai, deepseek/],
    ['a preset on a Responses channel', { ...valid, type: 'openai-responses', preset: 'deepseek' }, 'preset', /type openai .* only/],
    [
      'a preset without a default base URL and no base_url',
      { ...valid, base_url: undefined, preset: 'azure-openai' },
      'base_url',
      /base_url is required \(preset azure-openai has no default base URL\)/,
    ],
    ['an unknown preset without a type', { ...valid, type: undefined, preset: 'azure' }, 'preset', /preset "azure" is not one of/],
    ['a missing type without a preset', { ...valid, type: undefined }, 'type', /type is required/],
    ['headers that are a list', { ...valid, headers: ['X-Title: a'] }, 'headers', /headers must be an object/],
    ['a header carrying the credential again', { ...valid, headers: { Authorization: 'Bearer x' } }, 'headers', /put it in api_key/],
    ['Azure’s key header set by hand', { ...valid, preset: 'azure-openai', headers: { 'api-key': 'k' } }, 'headers', /put it in api_key/],
    [
      'a model_map entry for a model the channel does not serve',
      { ...valid, model_map: { 'gpt-4o': 'd' } },
      'model_map',
      /"gpt-4o" is not one of the channel's models/,
    ],
    ['a model_map to an empty name', { ...valid, model_map: { 'deepseek-chat': '' } }, 'model_map', /must map to a non-empty name/],
  ])('refuses %s with a 400 naming the field', (_label, body, field, message) => {
    const found = refusal(() => parseChannelCreate(body));
    expect(found).toMatchObject({ code: 'invalid_request', field });
    expect(found.message).toMatch(message);
  });

  it('a preset gives type openai and its default base_url; the channel’s own base_url wins', () => {
    const withoutBoth = { name: valid.name, api_key: valid.api_key, models: valid.models };
    expect(parseChannelCreate({ ...withoutBoth, preset: 'deepseek' })).toMatchObject({
      type: 'openai',
      preset: 'deepseek',
      baseUrl: 'https://api.deepseek.com/v1',
    });
    expect(parseChannelCreate({ ...withoutBoth, preset: 'ollama', base_url: 'http://gpu-box:11434/v1' }).baseUrl).toBe(
      'http://gpu-box:11434/v1',
    );
  });

  it('takes a model map and extra headers; Azure may carry Authorization (an Entra ID token) as an extra header', () => {
    const azure = parseChannelCreate({
      ...valid,
      preset: 'azure-openai',
      base_url: 'https://my-res.openai.azure.com',
      models: ['gpt-4o'],
      model_map: { 'gpt-4o': 'my-azure-deployment' },
      headers: { Authorization: 'Bearer entra-token' },
    });
    expect(azure).toMatchObject({ modelMap: { 'gpt-4o': 'my-azure-deployment' }, headers: { Authorization: 'Bearer entra-token' } });
  });

  it('never repeats a header value in a refusal', () => {
    const found = refusal(() => parseChannelCreate({ ...valid, headers: { 'X-Proxy-Key': 'proxy-secret-value\n' } }));
    expect(found).toMatchObject({ field: 'headers' });
    expect(found.message).not.toContain('proxy-secret-value');
  });

  it('never repeats the credential in a refusal', () => {
    const found = refusal(() => parseChannelCreate({ ...valid, api_key: 'sk-secret-value\n' }));
    expect(found.message).not.toContain('sk-secret-value');
  });

  it('parses a patch of any subset, and null clears the timeout', () => {
    expect(parseChannelPatch({})).toEqual({});
    expect(parseChannelPatch({ enabled: false })).toEqual({ enabled: false });
    expect(parseChannelPatch({ timeout_ms: null, api_key: 'sk-new' })).toEqual({ timeoutMs: null, apiKey: 'sk-new' });
    expect(refusal(() => parseChannelPatch({ models: 'deepseek-chat' })).field).toBe('models');
  });

  it('a patch clears the preset, the model map and the headers with null', () => {
    expect(parseChannelPatch({ preset: null, model_map: null, headers: null })).toEqual({ preset: null, modelMap: {}, headers: {} });
    expect(parseChannelPatch({ preset: 'groq' })).toEqual({ preset: 'groq' });
    expect(refusal(() => parseChannelPatch({ preset: 'nope' })).field).toBe('preset');
  });

  it('checks the rules between fields on the channel as it will be', () => {
    const channel = { type: 'openai' as const, preset: null, headers: {}, modelMap: {}, models: ['a'] };
    expect(() => checkChannelCombination(channel)).not.toThrow();
    expect(refusal(() => checkChannelCombination({ ...channel, type: 'openai-responses', preset: 'groq' })).field).toBe('preset');
    expect(refusal(() => checkChannelCombination({ ...channel, modelMap: { b: 'c' } })).field).toBe('model_map');
    expect(refusal(() => checkChannelCombination({ ...channel, headers: { authorization: 'x' } })).field).toBe('headers');
  });
});

describe('masked credential', () => {
  it('shows the last four characters of a credential of 16 or more', () => {
    expect(maskCredential('sk-0123456789abcdefWXYZ')).toEqual({ set: true, last4: 'WXYZ' });
    expect(maskCredential('0123456789abcdef')).toEqual({ set: true, last4: 'cdef' });
  });

  it('shows nothing of a shorter one, or of one that cannot be decrypted', () => {
    expect(maskCredential('0123456789abcde')).toEqual({ set: true, last4: null });
    expect(maskCredential('short')).toEqual({ set: true, last4: null });
    expect(maskCredential(null)).toEqual({ set: true, last4: null });
  });
});
