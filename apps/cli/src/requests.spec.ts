/**
 * The requests the CLI builds for the routes that other work adds (channels, users, token revocation, request
 * logs): method, path and body exactly as the admin API documents them.
 */
import { parseCommandLine } from './command-line';
import { createTokenRequest, createUserRequest, revokeTokenRequest } from './commands/access.commands';
import {
  addChannelRequest,
  editChannelRequest,
  enableChannelRequest,
  removeChannelRequest,
  testChannelRequest,
} from './commands/channels.commands';
import { conversationRequest, listLogsRequest, logFilters } from './commands/logs.commands';
import { activeProfileRequest, createProfileRequest } from './commands/profiles.commands';
import { UsageError } from './exit-codes';
import { requestUrl } from './http/admin-request';
import type { ApiKeyView } from './views';

const options = (...argv: string[]) => parseCommandLine(argv).values;
const url = (request: Parameters<typeof requestUrl>[1]): string => requestUrl('http://gw/admin/v1', request);

describe('channel requests', () => {
  it('add: POST /channels with every field, the key given separately', () => {
    const values = options(
      '--type',
      'openai',
      '--base-url',
      'https://api.deepseek.com/v1',
      '--models',
      'deepseek-chat, deepseek-reasoner',
      '--timeout-ms',
      '60000',
    );
    expect(addChannelRequest('deepseek', values, 'sk-upstream')).toEqual({
      method: 'POST',
      path: '/channels',
      body: {
        name: 'deepseek',
        type: 'openai',
        base_url: 'https://api.deepseek.com/v1',
        api_key: 'sk-upstream',
        models: ['deepseek-chat', 'deepseek-reasoner'],
        enabled: undefined,
        timeout_ms: 60000,
      },
    });
    expect(addChannelRequest('x', options('--type', 'openai', '--base-url', 'u', '--models', 'm', '--disabled'), 'k').body).toMatchObject({
      enabled: false,
    });
  });

  it('add: --type, --base-url and --models are required', () => {
    expect(() => addChannelRequest('x', options('--base-url', 'u', '--models', 'm'), 'k')).toThrow(/--type/);
    expect(() => addChannelRequest('x', options('--type', 'openai', '--models', 'm'), 'k')).toThrow(/--base-url/);
    expect(() => addChannelRequest('x', options('--type', 'openai', '--base-url', 'u'), 'k')).toThrow(/--models/);
    expect(() => addChannelRequest('x', options('--type', 'openai', '--base-url', 'u', '--models', 'm', '--timeout-ms', '0'), 'k')).toThrow(
      UsageError,
    );
  });

  it('add with a preset: type and base URL may be left to it; model map and headers from repeatable flags', () => {
    const values = options(
      '--preset',
      'azure-openai',
      '--base-url',
      'https://r.openai.azure.com',
      '--models',
      'gpt-4o',
      '--model-map',
      'gpt-4o=my-deployment',
      '--header',
      'X-Proxy-Key: v=1:2',
      '--header',
      'X-Title:App',
    );
    expect(addChannelRequest('azure', values, 'k').body).toMatchObject({
      type: undefined,
      preset: 'azure-openai',
      base_url: 'https://r.openai.azure.com',
      model_map: { 'gpt-4o': 'my-deployment' },
      headers: { 'X-Proxy-Key': 'v=1:2', 'X-Title': 'App' },
    });
    expect(addChannelRequest('d', options('--preset', 'deepseek', '--models', 'deepseek-chat'), 'k').body).toMatchObject({
      preset: 'deepseek',
      type: undefined,
      base_url: undefined,
    });
    expect(() => addChannelRequest('d', options('--preset', 'deepseek', '--models', 'm', '--model-map', 'nothing'), 'k')).toThrow(
      /--model-map takes MODEL=UPSTREAM_NAME/,
    );
    expect(() => addChannelRequest('d', options('--preset', 'deepseek', '--models', 'm', '--header', 'no-colon'), 'k')).toThrow(
      '--header takes "Name: value"',
    );
  });

  it('edit: --preset none removes the preset; --model-map and --header replace their maps', () => {
    expect(editChannelRequest('c', options('--preset', 'none'), undefined).body).toEqual({ preset: null });
    expect(editChannelRequest('c', options('--preset', 'groq', '--header', 'X-A: b'), undefined).body).toEqual({
      preset: 'groq',
      headers: { 'X-A': 'b' },
    });
  });

  it('edit: PATCH with only what was given, by id or name', () => {
    expect(editChannelRequest('deep seek', options('--models', 'a,b', '--name', 'ds'), undefined)).toEqual({
      method: 'PATCH',
      path: '/channels/deep%20seek',
      body: { name: 'ds', models: ['a', 'b'] },
    });
    expect(editChannelRequest('c', options(), 'sk-new').body).toEqual({ api_key: 'sk-new' });
    expect(() => editChannelRequest('c', options(), undefined)).toThrow(/nothing to change/);
  });

  it('enable, disable, test and remove', () => {
    expect(enableChannelRequest('c', true)).toEqual({ method: 'PATCH', path: '/channels/c', body: { enabled: true } });
    expect(enableChannelRequest('c', false)).toEqual({ method: 'PATCH', path: '/channels/c', body: { enabled: false } });
    expect(testChannelRequest('c', undefined)).toEqual({ method: 'POST', path: '/channels/c/test', body: {} });
    expect(testChannelRequest('c', 'deepseek-chat')).toEqual({
      method: 'POST',
      path: '/channels/c/test',
      body: { model: 'deepseek-chat' },
    });
    expect(removeChannelRequest('c')).toEqual({ method: 'DELETE', path: '/channels/c' });
  });
});

describe('user and token requests', () => {
  it('creates a user with a role and an optional project', () => {
    expect(createUserRequest('alice', 'pw', options('--role', 'developer', '--project', 'team-a'))).toEqual({
      method: 'POST',
      path: '/users',
      body: { name: 'alice', password: 'pw', role: 'developer', project: 'team-a' },
    });
    expect(() => createUserRequest('alice', 'pw', options('--role', 'root'))).toThrow(/--role is one of/);
  });

  it('creates and revokes admin tokens', () => {
    expect(createTokenRequest('ci', options('--role', 'viewer'))).toEqual({
      method: 'POST',
      path: '/tokens',
      body: { name: 'ci', role: 'viewer', project: undefined },
    });
    expect(revokeTokenRequest('0190a1b2-0000-7000-8000-000000000000')).toEqual({
      method: 'DELETE',
      path: '/tokens/0190a1b2-0000-7000-8000-000000000000',
    });
  });
});

describe('request-log requests', () => {
  const now = new Date('2026-12-05T12:00:00.000Z');

  it('lists with every filter as the API names it, the key as its id, times in ISO 8601', () => {
    const values = options(
      '--project',
      'default',
      '--model',
      'gpt-5',
      '--channel',
      'deepseek',
      '--status',
      '200',
      '--conversation',
      'conv-1',
      '--since',
      '1h',
      '--until',
      '2026-12-05T11:30:00Z',
    );
    const filters = logFilters(values, 'key-id', now);
    expect(url(listLogsRequest(filters, 20))).toBe(
      'http://gw/admin/v1/request-logs?project=default&api_key=key-id&model=gpt-5&channel=deepseek&status=200&conversation=conv-1' +
        '&since=2026-12-05T11%3A00%3A00.000Z&until=2026-12-05T11%3A30%3A00.000Z&limit=20',
    );
  });

  it('sends no filter that was not given, and the cursor of the next page', () => {
    expect(url(listLogsRequest(logFilters(options(), undefined, now), 5, 'c1'))).toBe('http://gw/admin/v1/request-logs?limit=5&cursor=c1');
  });

  it("reads one conversation's requests by its key", () => {
    expect(url(conversationRequest('codex session/1', 200))).toBe(
      'http://gw/admin/v1/conversations/codex%20session%2F1/requests?limit=200',
    );
  });
});

describe('profile requests', () => {
  const key = { id: '0190a1b2-0000-7000-8000-000000000001' } as ApiKeyView;

  it('creates a profile with its rules in order', () => {
    expect(createProfileRequest(key, 'fast', ['gpt-5=deepseek-chat', 'o[0-9]+=deepseek-reasoner'])).toEqual({
      method: 'POST',
      path: `/api-keys/${key.id}/profiles`,
      body: {
        name: 'fast',
        rules: [
          { from: 'gpt-5', to: 'deepseek-chat' },
          { from: 'o[0-9]+', to: 'deepseek-reasoner' },
        ],
      },
    });
  });

  it('switches or clears the active profile', () => {
    expect(activeProfileRequest(key, 'deep')).toEqual({
      method: 'PUT',
      path: `/api-keys/${key.id}/active-profile`,
      body: { profile: 'deep' },
    });
    expect(activeProfileRequest(key, null).body).toEqual({ profile: null });
  });
});
