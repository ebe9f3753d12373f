/**
 * The CLI's commands for admin routes that other work adds (request logs, channels, users and password
 * login), as child processes against a stand-in serving those routes' documented shapes over real HTTP.
 * This pins the CLI's side: the requests it sends, what it prints, its exit codes; `--follow` prints each new
 * row once, oldest first, and Ctrl-C ends it with exit 0. The real routes get e2e coverage when merged.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_BIN, cliRunner, type CliRun } from './support/cli-runner';

jest.setTimeout(30_000);

const KEY_ID = '0190a1b2-0000-7000-8000-0000000000aa';

function logRow(id: string, startedAt: string, conversation = 'conv-1'): Record<string, unknown> {
  return {
    request_id: id,
    project: 'default',
    api_key_id: KEY_ID,
    conversation_key: conversation,
    requested_model: 'gpt-5',
    mapped_model: 'deepseek-chat',
    channel: 'deepseek',
    status: 200,
    error_code: null,
    error_message: null,
    started_at: startedAt,
    latency_ms: 812,
    ttft_ms: 240,
    tokens: { input: 1200, output: 80, total: 1280, cached_input: 0, reasoning: 0 },
    warnings: [],
    stream: true,
    endpoint: '/v1/responses',
  };
}

const CHANNEL = {
  id: '0190a1b2-0000-7000-8000-0000000000cc',
  name: 'deepseek',
  type: 'openai',
  base_url: 'https://api.deepseek.com/v1',
  models: ['deepseek-chat', 'deepseek-reasoner'],
  enabled: true,
  timeout_ms: null,
  api_key: { set: true, last4: 'wxyz' },
  last_test: { ok: true, status: 200, latency_ms: 420, model: 'deepseek-chat', at: '2026-12-05T09:00:00.000Z' },
  created_at: '2026-12-05T08:00:00.000Z',
  updated_at: '2026-12-05T08:00:00.000Z',
};

/** The stand-in's writes: login, logout, channels, users. Undefined: not a write route (reads are routed after). */
function routeWrite(method: string, path: string, authorization: string | undefined, body: unknown): [number, unknown] | undefined {
  const fields = (body ?? {}) as Record<string, unknown>;
  if (method === 'POST' && path === '/admin/v1/login') {
    if (fields.name === 'alice' && fields.password === 's3cret pass') {
      return [200, { token: 'ahadm-session', expires_at: '2026-12-06T10:00:00.000Z', role: 'developer', project: 'default' }];
    }
    return [401, { error: { code: 'unauthorized', message: 'Wrong user name or password.' } }];
  }
  if (authorization !== 'Bearer ahadm-stub' && authorization !== 'Bearer ahadm-session') return undefined;
  if (method === 'POST' && path === '/admin/v1/logout') return [204, undefined];
  if (method === 'POST' && path === '/admin/v1/channels')
    return [201, { ...CHANNEL, name: fields.name, api_key: { set: true, last4: 'abcd' } }];
  if (method === 'POST' && path === '/admin/v1/channels/deepseek/test') {
    return [
      200,
      {
        ok: false,
        status: 401,
        latency_ms: 95,
        model: 'deepseek-chat',
        error: 'Authentication Fails (invalid key)',
        at: '2026-12-05T10:00:00.000Z',
      },
    ];
  }
  if (method === 'POST' && path === '/admin/v1/users')
    return [201, { id: 'u1', name: fields.name, role: fields.role, project: fields.project ?? null }];
  return undefined;
}

describe('axonhub CLI against the routes other work adds (stand-in admin API)', () => {
  let server: Server;
  let origin: string;
  let configHome: string;
  const rows: Record<string, unknown>[] = [];
  const queries: URL[] = [];
  /** Bodies of the writes the stand-in received, by `METHOD path`. */
  const writes: { route: string; authorization: string | undefined; body: unknown }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      request.on('end', () => route(request.method ?? 'GET', request.headers.authorization, text === '' ? undefined : JSON.parse(text)));
      const url = new URL(request.url ?? '/', 'http://stub');
      queries.push(url);
      const send = (status: number, body: unknown): void => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      const route = (method: string, authorization: string | undefined, body: unknown): void => {
        if (method !== 'GET') writes.push({ route: `${method} ${url.pathname}`, authorization, body });
        const write = routeWrite(method, url.pathname, authorization, body);
        if (write !== undefined) return send(write[0], write[1]);
        return routeRead(authorization);
      };
      const routeRead = (authorization: string | undefined): void => {
        if (authorization !== 'Bearer ahadm-stub' && authorization !== 'Bearer ahadm-session')
          return send(401, { error: { code: 'unauthorized', message: 'Unknown or revoked admin token.' } });
        if (url.pathname === '/admin/v1/api-keys')
          return send(200, { items: [{ id: KEY_ID, name: 'codex', project: 'default', state: 'active' }] });
        if (url.pathname === '/admin/v1/request-logs') {
          const since = url.searchParams.get('since');
          const newestFirst = rows
            .filter((row) => since === null || Date.parse(row.started_at as string) >= Date.parse(since))
            .sort((left, right) => Date.parse(right.started_at as string) - Date.parse(left.started_at as string));
          return send(200, { items: newestFirst.slice(0, Number(url.searchParams.get('limit') ?? 50)), next_cursor: null });
        }
        const conversation = /^\/admin\/v1\/conversations\/([^/]+)\/requests$/.exec(url.pathname);
        if (conversation !== null) {
          // Two pages of one row each, oldest first.
          const ordered = rows.filter((row) => row.conversation_key === decodeURIComponent(conversation[1]!));
          const start = Number(url.searchParams.get('cursor') ?? 0);
          const next = start + 1 < ordered.length ? String(start + 1) : null;
          return send(200, { items: ordered.slice(start, start + 1), next_cursor: next });
        }
        if (url.pathname === '/admin/v1/projects')
          return send(200, { items: [{ id: 'p1', name: 'default', created_at: '2026-12-05T00:00:00Z' }] });
        if (url.pathname === '/admin/v1/channels') return send(200, { items: [CHANNEL] });
        return send(404, { error: { code: 'not_found', message: `No route ${url.pathname}` } });
      };
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    configHome = await mkdtemp(join(tmpdir(), 'gw-e2e-cli-routes-'));
  });

  afterAll(async () => {
    server?.close();
    if (configHome !== undefined) await rm(configHome, { recursive: true, force: true });
  });

  const env = (): Record<string, string> => ({ AXONHUB_URL: origin, AXONHUB_ADMIN_TOKEN: 'ahadm-stub' });

  it('follows a key: prints the latest rows, then each new one once, oldest first; Ctrl-C exits 0', async () => {
    rows.push(logRow('r1', '2026-12-05T10:00:01.000Z'), logRow('r2', '2026-12-05T10:00:02.000Z'));
    const child = spawn(process.execPath, [CLI_BIN, 'logs', '--key', 'codex', '--follow', '--interval', '1', '--json'], {
      env: { ...process.env, ...env(), XDG_CONFIG_HOME: configHome },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const printedIds = (): string[] =>
      stdout
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => (JSON.parse(line) as { request_id: string }).request_id);
    const waitFor = async (condition: () => boolean, what: string): Promise<void> => {
      for (const deadline = Date.now() + 10_000; !condition(); await new Promise((resolve) => setTimeout(resolve, 50))) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stdout:\n${stdout}\nstderr:\n${stderr}`);
      }
    };
    await waitFor(() => printedIds().length === 2 && stderr.includes('Ctrl-C'), 'the first rows');
    expect(printedIds()).toEqual(['r1', 'r2']);
    // A later request, and one that started earlier but finished (was written) later: both appear, once each.
    rows.push(logRow('r4', '2026-12-05T10:00:04.000Z'), logRow('r3', '2026-12-05T10:00:03.000Z'));
    await waitFor(() => printedIds().length === 4, 'the new rows');
    const pollsBefore = queries.length;
    await waitFor(() => queries.length >= pollsBefore + 2, 'two more polls');
    expect(printedIds()).toEqual(['r1', 'r2', 'r3', 'r4']);
    const polls = queries.filter((query) => query.pathname === '/admin/v1/request-logs');
    expect(polls.every((query) => query.searchParams.get('api_key') === KEY_ID)).toBe(true);
    expect(polls.at(-1)!.searchParams.get('since')).toBe(new Date(Date.parse('2026-12-05T10:00:04.000Z') - 15 * 60_000).toISOString());
    child.kill('SIGINT');
    const [code] = (await once(child, 'close')) as [number | null];
    expect(code).toBe(0);
  });

  it('lists a conversation oldest first across pages, as a table and as one JSON document', async () => {
    const run = cliRunner(configHome);
    const table: CliRun = await run(['conversation', 'conv-1'], { env: env() });
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^STARTED\s+STATUS\s+MODEL\s+CHANNEL\s+LATENCY\s+TOKENS IN\/OUT\s+CONVERSATION\s+REQUEST ID$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/).at(-1))).toEqual(['r1', 'r2', 'r4', 'r3']);
    expect(lines[1]).toMatch(/^2026-12-05 10:00:01\s+200\s+gpt-5 -> deepseek-chat\s+deepseek\s+812ms\s+1200\/80\s+conv-1\s+r1$/);
    const document = JSON.parse((await run(['conversation', 'conv-1', '--json'], { env: env() })).stdout) as {
      items: { request_id: string }[];
    };
    expect(document.items.map((row) => row.request_id)).toEqual(['r1', 'r2', 'r4', 'r3']);
  });

  it('exits 3 with the API message when the token is refused, 4 for a route or item that is not there', async () => {
    const run = cliRunner(configHome);
    const refused = await run(['logs'], { env: { ...env(), AXONHUB_ADMIN_TOKEN: 'ahadm-wrong' } });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('Unknown or revoked admin token.');
    expect((await run(['logs', 'show', 'nope'], { env: env() })).code).toBe(4);
  });

  it('logs in with a user and a password from stdin, and logout ends that session on the gateway', async () => {
    const run = cliRunner(configHome);
    const wrong = await run(['login', '--url', origin, '--user', 'alice', '--password-stdin'], { stdin: 'nope\n' });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('Wrong user name or password.');
    const login = await run(['login', '--url', origin, '--user', 'alice', '--password-stdin'], { stdin: 's3cret pass\n' });
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`Logged in to ${origin} as alice (developer)`);
    expect(writes.filter((write) => write.route === 'POST /admin/v1/login').map((write) => write.body)).toEqual([
      { name: 'alice', password: 'nope' },
      { name: 'alice', password: 's3cret pass' },
    ]);
    const whoami = JSON.parse((await run(['whoami', '--json'])).stdout) as Record<string, unknown>;
    expect(whoami).toMatchObject({
      url: origin,
      name: 'alice',
      role: 'developer',
      project: 'default',
      expires_at: '2026-12-06T10:00:00.000Z',
    });
    const logout = await run(['logout']);
    expect(logout.code).toBe(0);
    expect(writes.filter((write) => write.route === 'POST /admin/v1/logout').map((write) => write.authorization)).toEqual([
      'Bearer ahadm-session',
    ]);
    expect((await run(['whoami'])).code).toBe(3);
  });

  it('adds a channel with the key from stdin (never printed), lists it masked, and a failed test exits 7', async () => {
    const run = cliRunner(configHome);
    const upstreamKey = 'sk-upstream-secret-abcd';
    const add = await run(
      [
        'channels',
        'add',
        'ds2',
        '--type',
        'openai',
        '--base-url',
        'https://api.deepseek.com/v1',
        '--models',
        'deepseek-chat',
        '--api-key-stdin',
      ],
      { env: env(), stdin: `${upstreamKey}\n` },
    );
    expect(add.code).toBe(0);
    expect(writes.find((write) => write.route === 'POST /admin/v1/channels')?.body).toEqual({
      name: 'ds2',
      type: 'openai',
      base_url: 'https://api.deepseek.com/v1',
      api_key: upstreamKey,
      models: ['deepseek-chat'],
    });
    expect(add.stdout + add.stderr).not.toContain(upstreamKey);
    const list = await run(['channels', 'list'], { env: env() });
    expect(list.stdout).toMatch(
      /^deepseek\s+openai\s+https:\/\/api\.deepseek\.com\/v1\s+deepseek-chat,deepseek-reasoner\s+yes\s+…wxyz\s+ok 420ms 2026-12-05 09:00:00$/m,
    );
    const test = await run(['channels', 'test', 'deepseek'], { env: env() });
    expect(test.code).toBe(7);
    expect(test.stdout).toContain('failed: Authentication Fails (invalid key) (HTTP 401, 95ms)');
    const asJson = await run(['channels', 'test', 'deepseek', '--json'], { env: env() });
    expect(asJson.code).toBe(7);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ ok: false, status: 401 });
  });

  it('creates a user with the password from stdin', async () => {
    const run = cliRunner(configHome);
    const created = await run(['users', 'create', 'bob', '--role', 'viewer', '--project', 'default', '--password-stdin'], {
      env: env(),
      stdin: 'pw-bob\n',
    });
    expect(created.code).toBe(0);
    expect(writes.find((write) => write.route === 'POST /admin/v1/users')?.body).toEqual({
      name: 'bob',
      password: 'pw-bob',
      role: 'viewer',
      project: 'default',
    });
    expect(created.stdout).toContain('Created user "bob" (viewer, project default)');
  });
});
