/**
 * Channels through the admin API, end to end: the built gateway in embedded mode over real HTTP, channels
 * pointing at the fake upstream, the data plane checked after every change (no restart), and the bootstrap
 * rule checked across real restarts with the same and with a changed config file.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdminTokenView, AuditEntryView, ChannelTestResult, ChannelView, Page } from '@gw/contracts';
import { openAiError, startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { getFreePort } from '../support/ports';
import { startProcess, type ManagedProcess } from '../support/process';
import { adminClient, printedOwnerTokens, type AdminCall, type AdminError, type AdminResult } from './support/admin-client';
import { builtEntryPoint, REPO_ROOT, startEmbeddedGateway, type EmbeddedGatewayUnderTest } from './support/gateway-under-test';

jest.setTimeout(120_000);

type CreatedToken = AdminTokenView & { token: string };
/** A PATCH answers a channel or an error; assertions read the one they expect. */
type ChannelOrError = ChannelView & AdminError;

/** Shaped like OpenAI's project keys, random: finding one (or a piece of one) in any answer is a leak. */
function upstreamSecret(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return `sk-proj-${Array.from(randomBytes(40), (byte) => alphabet[byte % alphabet.length]).join('')}`;
}

const MODEL = 'channel-api-model';

describe('channels admin API (embedded gateway)', () => {
  let upstream: FakeUpstream;
  let gateway: EmbeddedGatewayUnderTest;
  let restarted: ManagedProcess | undefined;
  let owner: AdminCall;
  let clientKey: string;
  const firstSecret = upstreamSecret();
  const secondSecret = upstreamSecret();
  /** Every admin answer of this file, searched for secrets at the end. */
  const answers: string[] = [];

  /** An admin client that keeps every answer's text. */
  const recorded =
    (call: AdminCall): AdminCall =>
    async (method, path, body) => {
      const result = await call(method, path, body);
      answers.push(result.text);
      return result as never;
    };
  const patch = (path: string, body: unknown): Promise<AdminResult<ChannelOrError>> => rawAdmin('PATCH', path, body);
  let rawAdmin: (method: string, path: string, body?: unknown, token?: string) => Promise<AdminResult<ChannelOrError>>;
  let ownerToken: string;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    gateway = await startEmbeddedGateway(upstream);
    ownerToken = printedOwnerTokens(gateway.output())[0]!;
    owner = recorded(adminClient(gateway.origin, ownerToken));
    // The shared admin client has no PATCH: the same call, by hand.
    rawAdmin = async (method, path, body, token = ownerToken) => {
      const response = await fetch(`${gateway.origin}/admin/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      answers.push(text);
      return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as ChannelOrError, text };
    };
    const key = await owner<{ key: string }>('POST', '/api-keys', { name: 'channel-tests' });
    expect(key.status).toBe(201);
    clientKey = key.body.key;
  });

  afterAll(async () => {
    if (restarted) await restarted.stop(15_000);
    await gateway?.stop();
    await upstream?.close();
  });

  /** A Chat Completions request with the client key; the status, the error code, and what the upstream received. */
  async function chat(model = MODEL): Promise<{ status: number; code: unknown; upstreamAuth: unknown }> {
    const before = upstream.requests.length;
    const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const body = (await response.json()) as { error?: { code?: unknown } };
    const reached = upstream.requests.length > before ? upstream.requests[upstream.requests.length - 1] : undefined;
    return { status: response.status, code: body.error?.code, upstreamAuth: reached?.headers.authorization };
  }

  describe('create, read, route', () => {
    let created: ChannelView;

    it('creates a channel that the very next request is routed through, with its own credential', async () => {
      expect((await chat()).status).toBe(404); // no channel serves the model yet
      const result = await owner<ChannelView>('POST', '/channels', {
        name: 'api-chat',
        type: 'openai',
        base_url: upstream.url,
        api_key: firstSecret,
        models: [MODEL],
      });
      expect(result.status).toBe(201);
      created = result.body;
      expect(created).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'api-chat',
        type: 'openai',
        base_url: upstream.url,
        models: [MODEL],
        enabled: true,
        timeout_ms: null,
        preset: null,
        model_map: {},
        api_key: { set: true, last4: firstSecret.slice(-4) },
        headers: {},
        last_test: null,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      expect(await chat()).toEqual({ status: 200, code: undefined, upstreamAuth: `Bearer ${firstSecret}` });
    });

    it('lists and gets channels (by id or name) with the credential masked', async () => {
      const list = await owner<{ items: ChannelView[] }>('GET', '/channels');
      expect(list.status).toBe(200);
      const names = list.body.items.map((channel) => channel.name);
      expect(names).toEqual([...names].sort());
      expect(names).toEqual(expect.arrayContaining(['api-chat', gateway.channelNames.chat, gateway.channelNames.responses]));
      const bootstrapped = list.body.items.find((channel) => channel.name === gateway.channelNames.chat)!;
      expect(bootstrapped.api_key).toEqual({ set: true, last4: gateway.channelKeys.chat.slice(-4) });
      const byName = await owner<ChannelView>('GET', '/channels/api-chat');
      const byId = await owner<ChannelView>('GET', `/channels/${created.id}`);
      expect(byName.body).toEqual(created);
      expect(byId.body).toEqual(created);
    });

    it('shows no character of a credential shorter than 16', async () => {
      const result = await owner<ChannelView>('POST', '/channels', {
        name: 'short-key',
        type: 'openai-responses',
        base_url: upstream.url,
        api_key: 'sk-short-123',
        models: ['short-model'],
        timeout_ms: 5_000,
      });
      expect(result.status).toBe(201);
      expect(result.body).toMatchObject({ api_key: { set: true, last4: null }, timeout_ms: 5_000, type: 'openai-responses' });
    });
  });

  describe('changes reach the data plane at once', () => {
    it('a new credential is used by the next request', async () => {
      const before = (await owner<ChannelView>('GET', '/channels/api-chat')).body;
      const changed = await patch('/channels/api-chat', { api_key: secondSecret });
      expect(changed.status).toBe(200);
      expect(changed.body.api_key).toEqual({ set: true, last4: secondSecret.slice(-4) });
      expect(Date.parse(changed.body.updated_at)).toBeGreaterThan(Date.parse(before.updated_at));
      expect(await chat()).toEqual({ status: 200, code: undefined, upstreamAuth: `Bearer ${secondSecret}` });
    });

    it('disabled: the next request gets the inference API’s no-channel error; enabled: it works again', async () => {
      const disabled = await patch('/channels/api-chat', { enabled: false });
      expect(disabled.body.enabled).toBe(false);
      const refused = await chat();
      expect(refused).toEqual({ status: 404, code: 'model_not_found', upstreamAuth: undefined });
      const enabled = await patch('/channels/api-chat', { enabled: true });
      expect(enabled.body.enabled).toBe(true);
      expect((await chat()).status).toBe(200);
    });

    it('a PATCH of the models moves the routing with it', async () => {
      expect((await patch('/channels/api-chat', { models: [MODEL, 'second-model'] })).status).toBe(200);
      expect((await chat('second-model')).status).toBe(200);
      expect((await patch('/channels/api-chat', { models: [MODEL] })).status).toBe(200);
      expect((await chat('second-model')).code).toBe('model_not_found');
    });
  });

  describe('test this channel', () => {
    it('makes one real, minimal call with the channel’s credential and keeps the result', async () => {
      const before = upstream.requests.length;
      const result = await owner<ChannelTestResult>('POST', '/channels/api-chat/test', {});
      expect(result.status).toBe(200);
      expect(result.body).toEqual({ ok: true, status: 200, latency_ms: expect.any(Number), model: MODEL, at: expect.any(String) });
      expect(result.body.latency_ms).toBeGreaterThanOrEqual(0);
      expect(upstream.requests.length).toBe(before + 1);
      const call = upstream.requests[before]!;
      expect(call).toMatchObject({ method: 'POST', path: '/v1/chat/completions' });
      expect(call.headers.authorization).toBe(`Bearer ${secondSecret}`);
      expect(call.body).toMatchObject({ model: MODEL, max_tokens: 16 });
      expect((await owner<ChannelView>('GET', '/channels/api-chat')).body.last_test).toEqual(result.body);
    });

    it('tests a Responses channel on /responses, with another model when asked', async () => {
      const before = upstream.requests.length;
      const result = await owner<ChannelTestResult>('POST', `/channels/${gateway.channelNames.responses}/test`, { model: 'other-model' });
      expect(result.body).toMatchObject({ ok: true, status: 200, model: 'other-model' });
      expect(upstream.requests[before]).toMatchObject({ path: '/v1/responses', body: { model: 'other-model', max_output_tokens: 16 } });
      expect(upstream.requests[before]!.headers.authorization).toBe(`Bearer ${gateway.channelKeys.responses}`);
    });

    it('reports an upstream 401 that echoes the key as ok:false, with the key redacted', async () => {
      upstream.enqueue(
        openAiError(401, `Incorrect API key provided: ${secondSecret}. You can find your API key at https://platform.openai.com.`),
      );
      const result = await owner<ChannelTestResult>('POST', '/channels/api-chat/test');
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ ok: false, status: 401, model: MODEL });
      expect(result.body.error).toMatch(/^Upstream answered 401: Incorrect API key provided: /);
      expect(result.text).not.toContain(secondSecret);
      expect(result.text).not.toContain(secondSecret.slice(8, 28));
      const stored = (await owner<ChannelView>('GET', '/channels/api-chat')).body.last_test;
      expect(stored).toEqual(result.body);
    });

    it('reports an upstream that cannot be reached as ok:false without a status', async () => {
      const closedPort = await getFreePort();
      const channel = await owner<ChannelView>('POST', '/channels', {
        name: 'nowhere',
        type: 'openai',
        base_url: `http://127.0.0.1:${closedPort}/v1`,
        api_key: upstreamSecret(),
        models: ['nowhere-model'],
      });
      expect(channel.status).toBe(201);
      const result = await owner<ChannelTestResult>('POST', '/channels/nowhere/test', {});
      expect(result.body).toMatchObject({ ok: false, status: null, model: 'nowhere-model' });
      expect(result.body.error).toMatch(/^Could not reach the upstream: /);
      expect((await owner('DELETE', '/channels/nowhere')).status).toBe(204);
    });

    it('refuses a model that is not a name', async () => {
      const result = await owner<AdminError>('POST', '/channels/api-chat/test', { model: 42 });
      expect(result.status).toBe(400);
      expect(result.body.error.details).toEqual({ field: 'model' });
    });
  });

  describe('roles', () => {
    const writes = (call: AdminCall, name: string): Promise<AdminResult<AdminError>>[] => [
      call<AdminError>('POST', '/channels', { name: 'nope', type: 'openai', base_url: upstream.url, api_key: 'sk-nope', models: ['x'] }),
      call<AdminError>('POST', `/channels/${name}/test`, {}),
      call<AdminError>('DELETE', `/channels/${name}`),
    ];

    it('viewers and developers read channels but change and test nothing (403)', async () => {
      for (const role of ['viewer', 'developer'] as const) {
        const token = await owner<CreatedToken>('POST', '/tokens', { name: `channel-${role}`, role });
        const call = recorded(adminClient(gateway.origin, token.body.token));
        expect((await call('GET', '/channels')).status).toBe(200);
        expect((await call('GET', '/channels/api-chat')).status).toBe(200);
        const attempts = [
          ...(await Promise.all(writes(call, 'api-chat'))),
          await rawAdmin('PATCH', '/channels/api-chat', { enabled: false }, token.body.token),
        ];
        expect(attempts.map((attempt) => [attempt.status, attempt.body.error.code])).toEqual(Array(4).fill([403, 'forbidden']));
      }
      expect((await owner<ChannelView>('GET', '/channels/api-chat')).body.enabled).toBe(true);
      expect((await chat()).status).toBe(200);
    });

    it('a project-scoped admin reads channels but cannot change them: they serve every project (403)', async () => {
      expect((await owner('POST', '/projects', { name: 'channel-project' })).status).toBe(201);
      const token = await owner<CreatedToken>('POST', '/tokens', { name: 'scoped-admin', role: 'admin', project: 'channel-project' });
      const call = recorded(adminClient(gateway.origin, token.body.token));
      expect((await call<{ items: ChannelView[] }>('GET', '/channels')).body.items.map((channel) => channel.name)).toContain('api-chat');
      const attempts = [
        ...(await Promise.all(writes(call, 'api-chat'))),
        await rawAdmin('PATCH', '/channels/api-chat', { enabled: false }, token.body.token),
      ];
      expect(attempts.map((attempt) => [attempt.status, attempt.body.error.code])).toEqual(Array(4).fill([403, 'forbidden']));
      expect((await chat()).status).toBe(200);
    });
  });

  describe('refusals', () => {
    it('404 for an unknown channel', async () => {
      const attempts = [
        await owner<AdminError>('GET', '/channels/no-such-channel'),
        await owner<AdminError>('GET', '/channels/00000000-0000-4000-8000-000000000000'),
        await patch('/channels/no-such-channel', { enabled: false }),
        await owner<AdminError>('DELETE', '/channels/no-such-channel'),
        await owner<AdminError>('POST', '/channels/no-such-channel/test', {}),
      ];
      expect(attempts.map((attempt) => [attempt.status, attempt.body.error.code])).toEqual(Array(5).fill([404, 'not_found']));
    });

    it('409 for a name that is taken, on create and on rename', async () => {
      const duplicate = await owner<AdminError>('POST', '/channels', {
        name: 'api-chat',
        type: 'openai',
        base_url: upstream.url,
        api_key: upstreamSecret(),
        models: ['x'],
      });
      expect([duplicate.status, duplicate.body.error.code]).toEqual([409, 'conflict']);
      const rename = await patch('/channels/short-key', { name: 'api-chat' });
      expect([rename.status, rename.body.error.code]).toEqual([409, 'conflict']);
    });

    it('400 naming the field for a bad type, URL or model list; nothing is written', async () => {
      const base = { name: 'bad', type: 'openai', base_url: upstream.url, api_key: upstreamSecret(), models: ['x'] };
      const cases: [Record<string, unknown>, string][] = [
        [{ ...base, type: 'anthropic-messages' }, 'type'],
        [{ ...base, base_url: 'not a url' }, 'base_url'],
        [{ ...base, base_url: 'file:///etc/passwd' }, 'base_url'],
        [{ ...base, models: [] }, 'models'],
        [{ ...base, models: [''] }, 'models'],
        [{ ...base, name: undefined }, 'name'],
      ];
      for (const [body, field] of cases) {
        const result = await owner<AdminError>('POST', '/channels', body);
        expect([result.status, result.body.error.code, result.body.error.details?.field]).toEqual([400, 'invalid_request', field]);
        expect(result.body.error.message).toContain(field);
      }
      const badPatch = await patch('/channels/api-chat', { base_url: 'ftp://example.com' });
      expect([badPatch.status, badPatch.body.error.details?.field]).toEqual([400, 'base_url']);
      expect((await owner<AdminError>('GET', '/channels/bad')).status).toBe(404);
      expect((await owner<ChannelView>('GET', '/channels/api-chat')).body.base_url).toBe(upstream.url);
    });
  });

  describe('delete and audit', () => {
    it('a deleted channel is gone from reads and from routing', async () => {
      expect((await owner('DELETE', '/channels/short-key')).status).toBe(204);
      expect((await owner('GET', '/channels/short-key')).status).toBe(404);
      expect((await chat('short-model')).code).toBe('model_not_found');
    });

    it('audits every change with who and before/after, and no answer or entry holds a secret', async () => {
      const audit = await owner<Page<AuditEntryView>>('GET', '/audit?limit=200');
      const channelEntries = audit.body.items.filter((entry) => entry.resource.type === 'channel');
      const actions = new Set(channelEntries.map((entry) => entry.action));
      expect([...actions].sort()).toEqual(['channel.create', 'channel.delete', 'channel.test', 'channel.update']);
      const disabling = channelEntries.find((entry) => entry.action === 'channel.update' && (entry.after as ChannelView).enabled === false);
      expect(disabling).toMatchObject({ actor: { token_name: 'first-owner' }, before: { enabled: true }, after: { enabled: false } });
      // Newest first: the oldest update showing the second key is the re-key itself.
      const rekey = channelEntries
        .filter((entry) => entry.action === 'channel.update' && (entry.after as ChannelView).api_key.last4 === secondSecret.slice(-4))
        .at(-1);
      expect((rekey?.before as ChannelView).api_key.last4).toBe(firstSecret.slice(-4));
      const secrets = [firstSecret, secondSecret, ...Object.values(gateway.channelKeys)];
      for (const text of [...answers, audit.text, gateway.output()]) {
        for (const secret of secrets) {
          expect(text).not.toContain(secret);
          expect(text).not.toContain(secret.slice(8, 28));
        }
      }
    });
  });

  describe('bootstrap from config.yml and the admin API', () => {
    const slowName = (): string => gateway.channelNames.slow;

    /** Stops whichever gateway process is running (SIGTERM, the data dir kept) and starts another on the same config. */
    async function restart(): Promise<void> {
      if (restarted) {
        process.kill(restarted.pid, 'SIGTERM');
        await restarted.exited;
      } else {
        await gateway.terminate();
      }
      restarted = await startProcess({
        name: 'gateway (embedded, restarted)',
        args: [builtEntryPoint('gateway'), '--config', join(gateway.dataDir, 'config.yml')],
        cwd: REPO_ROOT,
        env: { AXONHUB_CONFIG: undefined, AXONHUB_NATS_URL: undefined, AXONHUB_DB_URL: undefined },
        readyUrl: `${gateway.origin}/readyz`,
        readyTimeoutMs: 60_000,
      });
    }

    async function editConfigFile(edit: (channel: Record<string, unknown>) => void): Promise<void> {
      const file = join(gateway.dataDir, 'config.yml');
      const config = JSON.parse(await readFile(file, 'utf8')) as { bootstrap: { channels: Record<string, unknown>[] } };
      edit(config.bootstrap.channels.find((channel) => channel.name === slowName())!);
      await writeFile(file, JSON.stringify(config, null, 2));
    }

    it('an API edit of a bootstrap channel survives a restart with the same file', async () => {
      const edited = await patch(`/channels/${slowName()}`, {
        models: ['slow-upstream-model', 'api-added-model'],
        timeout_ms: 5_000,
        enabled: false,
      });
      expect(edited.status).toBe(200);
      await restart();
      const after = await owner<ChannelView>('GET', `/channels/${slowName()}`);
      expect(after.body).toMatchObject({ models: ['slow-upstream-model', 'api-added-model'], timeout_ms: 5_000, enabled: false });
      expect(after.body.updated_at).toBe(edited.body.updated_at);
      // A bootstrap channel the API deleted stays deleted too.
      expect((await owner('DELETE', `/channels/${gateway.channelNames.chat}`)).status).toBe(204);
      await restart();
      expect((await owner('GET', `/channels/${gateway.channelNames.chat}`)).status).toBe(404);
      expect((await owner<ChannelView>('GET', `/channels/${slowName()}`)).body.models).toEqual(['slow-upstream-model', 'api-added-model']);
    });

    it('a change of that channel in the file is re-applied (and audited as the config file’s); enabled stays the API’s', async () => {
      const fileSecret = upstreamSecret();
      await editConfigFile((channel) => {
        channel.models = ['file-model'];
        channel.api_key = fileSecret;
      });
      await restart();
      const after = await owner<ChannelView>('GET', `/channels/${slowName()}`);
      expect(after.body).toMatchObject({
        models: ['file-model'],
        timeout_ms: 800,
        enabled: false,
        api_key: { set: true, last4: fileSecret.slice(-4) },
      });
      expect((await owner('GET', `/channels/${gateway.channelNames.chat}`)).status).toBe(404); // not changed in the file
      const audit = await owner<Page<AuditEntryView>>('GET', '/audit?limit=20');
      const reapplied = audit.body.items.find((entry) => entry.action === 'channel.update' && entry.resource.id === after.body.id);
      expect(reapplied).toMatchObject({ actor: { token_name: 'bootstrap (config.yml)' }, after: { models: ['file-model'] } });
      expect(audit.text).not.toContain(fileSecret);
      // The re-applied channel serves once enabled through the API, with the file's credential.
      expect((await patch(`/channels/${slowName()}`, { enabled: true })).status).toBe(200);
      expect(await chat('file-model')).toEqual({ status: 200, code: undefined, upstreamAuth: `Bearer ${fileSecret}` });
    });
  });
});
