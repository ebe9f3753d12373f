/**
 * SIGTERM with streams in flight, on the built embedded gateway: streams that end within
 * `server.shutdown_drain_ms` end normally, the rest get an in-stream 503 in their client's protocol; every
 * request has its request-log row; the process exits 0 and leaves no PostgreSQL behind, so the next start on
 * the same data dir works. And a gateway killed with SIGKILL leaves an orphaned PostgreSQL that the next
 * start stops instead of failing with "in use".
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { getFreePort } from '../support/ports';
import { startProcess, type ManagedProcess } from '../support/process';
import { chatTextSse } from '../support/templated-replay';
import { textAnswer } from '../support/upstream-rules';
import { REPO_ROOT, builtEntryPoint } from './support/gateway-under-test';

jest.setTimeout(120_000);

const DRAIN_MS = 4_000;
const SHORT_TEXT = 'finished within the drain';
const API_KEY = `sk-e2e-shutdown-${randomBytes(8).toString('hex')}`;

interface RunningGateway {
  process: ManagedProcess;
  origin: string;
}

describe('embedded gateway: graceful shutdown', () => {
  let upstream: FakeUpstream;
  let dataDir: string;
  const gateways: ManagedProcess[] = [];

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    dataDir = await mkdtemp(join(tmpdir(), 'gw-e2e-graceful-'));
    // Short streams: about 1 s in all. Long streams: the headers and two events, then silence until the end.
    const shortEvents = (chatTextSse(SHORT_TEXT).match(/^data:/gm) ?? []).length;
    const shortStream = textAnswer(SHORT_TEXT, { chunkDelayMs: 100, eventsPerChunk: Math.ceil(shortEvents / 10) });
    const longStream = textAnswer('never finished', { stallAfterEvents: 2 });
    upstream.script((request) => (JSON.stringify(request.body).includes('long') ? longStream(request) : shortStream(request)));
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop(10_000);
    await upstream?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function startGateway(): Promise<RunningGateway> {
    const port = await getFreePort();
    const configFile = join(dataDir, 'config.yml');
    await writeFile(configFile, JSON.stringify(gatewayConfig(port, dataDir, upstream)));
    const origin = `http://127.0.0.1:${port}`;
    const started = await startProcess({
      name: 'gateway (embedded, graceful shutdown)',
      args: [builtEntryPoint('gateway'), '--config', configFile],
      cwd: REPO_ROOT,
      env: { AXONHUB_CONFIG: undefined, AXONHUB_NATS_URL: undefined, AXONHUB_DB_URL: undefined },
      readyUrl: `${origin}/readyz`,
      readyTimeoutMs: 60_000,
    });
    gateways.push(started);
    return { process: started, origin };
  }

  it('drains streams on SIGTERM, ends the rest with an in-stream 503, writes every row, exits 0 and stops its PostgreSQL', async () => {
    const gateway = await startGateway();
    const postmaster = postmasterPidOf(dataDir);
    expect(isRunning(postmaster)).toBe(true);

    const shortChats = [1, 2].map(() => streamChat(gateway.origin, 'sdk-chat', 'a short one'));
    const longChat = streamChat(gateway.origin, 'sdk-chat', 'a long one');
    const longResponses = streamResponses(gateway.origin, 'gpt-5', 'a long one');
    const all = [...shortChats, longChat, longResponses];
    // Every stream has started (its headers are here) before the signal.
    await Promise.all(all.map((exchange) => exchange.started));

    const signalledAt = Date.now();
    process.kill(gateway.process.pid, 'SIGTERM');
    const results = await Promise.all(all.map((exchange) => exchange.body));
    const exit = await gateway.process.exited;
    expect(exit).toEqual({ code: 0, signal: null });

    for (const short of results.slice(0, 2)) {
      expect(short.text).toContain('data: [DONE]');
      expect(short.text).not.toContain('"error"');
      expect(chatText(short.text)).toBe(SHORT_TEXT);
    }
    // Chat: an error chunk, then [DONE]; Responses: response.failed. Both with the shutdown's 503.
    const [, , chat, responses] = results;
    expect(chat!.text).toMatch(/"code":"service_unavailable"/);
    expect(chat!.text).toContain('The gateway is shutting down');
    expect(responses!.text).toContain('event: response.failed');
    expect(responses!.text).toMatch(/"code":"service_unavailable"/);
    expect(responses!.text).toContain('The gateway is shutting down');
    // The long ones were ended at the drain deadline, not before.
    expect(Math.min(chat!.endedAt, responses!.endedAt) - signalledAt).toBeGreaterThanOrEqual(DRAIN_MS - 100);

    // No PostgreSQL left behind: the postmaster of that run is gone.
    expect(isRunning(postmaster)).toBe(false);

    // The next start on the same data dir works, and finds every row.
    const next = await startGateway();
    const rows = await requestLogs(
      dataDir,
      results.map((result) => result.requestId),
    );
    const byId = new Map(rows.map((row) => [row.request_id, row]));
    expect(results.map((result) => byId.get(result.requestId)?.status)).toEqual([200, 200, 503, 503]);
    expect(results.map((result) => byId.get(result.requestId)?.error_code ?? null)).toEqual([
      null,
      null,
      'service_unavailable',
      'service_unavailable',
    ]);
    await next.process.stop(30_000);
  });

  it('stops the PostgreSQL a gateway killed with SIGKILL left running, instead of refusing to start', async () => {
    const killed = await startGateway();
    const orphan = postmasterPidOf(dataDir);
    process.kill(killed.process.pid, 'SIGKILL');
    await killed.process.exited;
    expect(isRunning(orphan)).toBe(true); // PostgreSQL does not notice its parent's death

    const next = await startGateway();
    expect(isRunning(orphan)).toBe(false);
    expect(postmasterPidOf(dataDir)).not.toBe(orphan);
    const answer = streamChat(next.origin, 'sdk-chat', 'after the orphan');
    expect(chatText((await answer.body).text)).toBe(SHORT_TEXT);
    expect(await next.process.stop(30_000)).toEqual({ code: 0, signal: null });
  });
});

interface StreamExchange {
  started: Promise<void>;
  body: Promise<{ requestId: string; text: string; endedAt: number }>;
}

function streamChat(origin: string, model: string, content: string): StreamExchange {
  return stream(`${origin}/v1/chat/completions`, { model, stream: true, messages: [{ role: 'user', content }] });
}

function streamResponses(origin: string, model: string, content: string): StreamExchange {
  return stream(`${origin}/v1/responses`, { model, stream: true, input: content });
}

function stream(url: string, body: unknown): StreamExchange {
  const response = fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    started: response.then((answer) => {
      if (answer.status !== 200) throw new Error(`status ${answer.status}`);
    }),
    body: response.then(async (answer) => {
      const text = await answer.text();
      return { requestId: answer.headers.get('ah-request-id') ?? 'missing', text, endedAt: Date.now() };
    }),
  };
}

/** The assistant text of a Chat Completions stream. */
function chatText(sse: string): string {
  let text = '';
  for (const line of sse.split('\n')) {
    if (!line.startsWith('data: {')) continue;
    const chunk = JSON.parse(line.slice(6)) as { choices?: { delta?: { content?: string } }[] };
    text += chunk.choices?.[0]?.delta?.content ?? '';
  }
  return text;
}

function gatewayConfig(port: number, dataDir: string, upstream: FakeUpstream): Record<string, unknown> {
  return {
    server: { port, host: '127.0.0.1', shutdown_drain_ms: DRAIN_MS },
    data_dir: dataDir,
    log: { level: 'warn' },
    bootstrap: {
      channels: [{ name: 'fake-chat', type: 'openai', base_url: upstream.url, api_key: 'sk-upstream-shutdown', models: ['deepseek-chat'] }],
      api_keys: [
        {
          name: 'e2e-shutdown',
          key: API_KEY,
          active_profile: 'p',
          profiles: [
            {
              name: 'p',
              rules: [
                { from: 'sdk-chat', to: 'deepseek-chat' },
                { from: 'gpt-5', to: 'deepseek-chat' },
              ],
            },
          ],
        },
      ],
    },
  };
}

/** PostgreSQL's own `postmaster.pid`: line 1 is the pid, line 4 the port. */
function postmasterPidOf(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** Alive and not a zombie (a zombie has exited; only its parent has not reaped it yet). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

async function requestLogs(
  dataDir: string,
  requestIds: string[],
): Promise<{ request_id: string; status: number; error_code: string | null }[]> {
  const password = (await readFile(join(dataDir, 'pg.password'), 'utf8')).trim();
  const port = Number((await readFile(join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[3]);
  const client = new Client({ connectionString: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/gateway` });
  await client.connect();
  try {
    const result = await client.query<{ request_id: string; status: number; error_code: string | null }>(
      'SELECT request_id, status, error_code FROM request_logs WHERE request_id = ANY($1)',
      [requestIds],
    );
    return result.rows;
  } finally {
    await client.end();
  }
}
