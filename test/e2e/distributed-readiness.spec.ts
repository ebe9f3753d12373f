/**
 * Readiness in distributed mode tells whether the ingress can serve requests: the routing service being
 * down does not stop it (requests route from the snapshot in memory), the auth service being down does
 * (keys not cached yet cannot be checked). Four built processes on the machine's NATS, PostgreSQL and Redis.
 * Run under `flock /tmp/gw-distributed.lock`: auth and routing subjects are shared by every gateway on NATS.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectNats } from 'nats';
import { createTestDatabase, NATS_URL, REDIS_URL, type TestDatabase } from '../integration/support/test-infra';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { getFreePort } from '../support/ports';
import { startProcess, type ManagedProcess } from '../support/process';
import { textAnswer } from '../support/upstream-rules';
import { REPO_ROOT, builtEntryPoint } from './support/gateway-under-test';

jest.setTimeout(120_000);

const suffix = randomBytes(4).toString('hex');
const API_KEY = `sk-e2e-readiness-${suffix}`;
const TRACE_STREAM = `E2E_READINESS_${suffix}`;

type Service = 'auth' | 'routing' | 'trace' | 'ingress';

describe('distributed gateway: readiness follows what requests need', () => {
  let upstream: FakeUpstream;
  let database: TestDatabase;
  let dataDir: string;
  let origin: string;
  const services = new Map<Service, ManagedProcess>();

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    upstream.script(textAnswer('served'));
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'gw-e2e-readiness-'));
    const port = await getFreePort();
    origin = `http://127.0.0.1:${port}`;
    const configFile = join(dataDir, 'config.yml');
    await writeFile(configFile, JSON.stringify(config(port, database.url, upstream)));
    const start = async (service: Service, readyUrl?: string): Promise<void> => {
      const started = await startProcess({
        name: service,
        args: [builtEntryPoint(service), '--config', configFile],
        cwd: REPO_ROOT,
        env: { AXONHUB_CONFIG: undefined },
        readyUrl,
        readyTimeoutMs: 60_000,
      });
      services.set(service, started);
    };
    await Promise.all([start('auth'), start('routing'), start('trace'), start('ingress', `${origin}/readyz`)]);
  });

  afterAll(async () => {
    await Promise.all([...services.values()].map((service) => service.stop(10_000)));
    const nats = await connectNats({ servers: [NATS_URL], name: 'e2e-cleanup' }).catch(() => undefined);
    if (nats) {
      await (await nats.jetstreamManager()).streams.delete(TRACE_STREAM).catch(() => false);
      await nats.close();
    }
    await database?.drop();
    await upstream?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stays ready and serves while the routing service is down; is not ready while the auth service is down', async () => {
    expect((await readiness(origin)).status).toBe(200);
    expect((await chat(origin, API_KEY)).status).toBe(200); // the key is cached from now on

    expect(await services.get('routing')!.stop(10_000)).toEqual({ code: 0, signal: null });
    const withoutRouting = await readiness(origin);
    expect(withoutRouting.status).toBe(200);
    expect(withoutRouting.body.checks.routing_snapshot).toBe('ok');
    expect(withoutRouting.body.checks.routing_service).not.toBe('ok');
    expect(withoutRouting.body.checks.redis).toBe('ok');
    expect((await chat(origin, API_KEY)).status).toBe(200);

    expect(await services.get('auth')!.stop(10_000)).toEqual({ code: 0, signal: null });
    const withoutAuth = await readiness(origin);
    expect(withoutAuth.status).toBe(503);
    expect(withoutAuth.body.checks.auth).toBe('not answering');
    // A key not cached yet cannot be checked: a 503 that says so without naming internal services.
    const uncached = await chat(origin, `sk-e2e-unknown-${suffix}`);
    expect(uncached.status).toBe(503);
    const error = (JSON.parse(uncached.text) as { error: { code: string; message: string } }).error;
    expect(error).toEqual(expect.objectContaining({ code: 'service_unavailable' }));
    expect(error.message).not.toMatch(/auth\.|api-key|subject|nats/i);
    // The cached key still works: the ingress serves what it can.
    expect((await chat(origin, API_KEY)).status).toBe(200);
  });
});

async function readiness(origin: string): Promise<{ status: number; body: { checks: Record<string, string> } }> {
  const response = await fetch(`${origin}/readyz`);
  return { status: response.status, body: (await response.json()) as { checks: Record<string, string> } };
}

async function chat(origin: string, apiKey: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'sdk-chat', messages: [{ role: 'user', content: 'hello' }] }),
  });
  return { status: response.status, text: await response.text() };
}

function config(port: number, databaseUrl: string, upstream: FakeUpstream): Record<string, unknown> {
  return {
    server: { port, host: '127.0.0.1' },
    log: { level: 'warn' },
    db: { url: databaseUrl },
    nats: { url: NATS_URL, trace_stream: TRACE_STREAM, trace_subject: `e2e-readiness-${suffix}.request.finished` },
    redis: { url: REDIS_URL },
    secrets: { encryption_key: `e2e-key-${suffix}` },
    bootstrap: {
      channels: [
        { name: 'fake-chat', type: 'openai', base_url: upstream.url, api_key: 'sk-upstream-readiness', models: ['deepseek-chat'] },
      ],
      api_keys: [
        {
          name: 'e2e-readiness',
          key: API_KEY,
          active_profile: 'p',
          profiles: [{ name: 'p', rules: [{ from: 'sdk-chat', to: 'deepseek-chat' }] }],
        },
      ],
    },
  };
}
