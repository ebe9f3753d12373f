import { AdminFailure } from './admin-failure';
import { maskCredential, parseChannelCreate, parseChannelPatch } from './channel-fields';

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
  it('parses a create with its defaults (enabled, no own timeout)', () => {
    expect(parseChannelCreate(valid)).toEqual({
      name: 'deepseek',
      type: 'openai',
      baseUrl: 'https://api.deepseek.com/v1',
      apiKey: 'sk-0123456789abcdefWXYZ',
      models: ['deepseek-chat', 'deepseek-reasoner'],
      enabled: true,
      timeoutMs: null,
    });
    expect(parseChannelCreate({ ...valid, enabled: false, timeout_ms: 30_000 })).toMatchObject({ enabled: false, timeoutMs: 30_000 });
  });

  it.each([
    ['a missing api_key', { ...valid, api_key: undefined }, 'api_key', /api_key is required/],
    ['an unknown type', { ...valid, type: 'cohere' }, 'type', /type "cohere" is not one of openai, openai-responses, anthropic/],
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
  ])('refuses %s with a 400 naming the field', (_label, body, field, message) => {
    const found = refusal(() => parseChannelCreate(body));
    expect(found).toMatchObject({ code: 'invalid_request', field });
    expect(found.message).toMatch(message);
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
