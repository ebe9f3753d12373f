import type { DataSource } from 'typeorm';
import { DEFAULT_CONFIG, type GatewayConfig } from '@gw/config';
import type { RequestFinishedEvent } from '@gw/contracts';
import { RequestLogStore, openDatabase } from '@gw/persistence';
import { RequestLogRetention } from '../../../apps/trace/src/request-log.retention';
import { RequestLogWriter } from '../../../apps/trace/src/request-log.writer';
import { finishedEvent } from '../../support/request-finished-event';
import { createTestDatabase, type TestDatabase } from '../support/test-infra';

jest.setTimeout(60_000);

const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-06-30T12:00:00.000Z');

function row(requestId: string, startedAt: Date): RequestFinishedEvent {
  return finishedEvent({ requestId, requestedModel: 'gpt-4', startedAt: startedAt.toISOString(), latencyMs: 1 });
}

function configWithRetention(days: number): GatewayConfig {
  const config = structuredClone(DEFAULT_CONFIG);
  config.server.trace.retention_days = days;
  return config;
}

describe('request-log retention on a real PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: RequestLogStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase(database.url);
    store = new RequestLogStore(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  beforeEach(async () => {
    await dataSource.query('DELETE FROM request_logs');
  });

  const remainingIds = async (): Promise<string[]> =>
    (await dataSource.query<{ request_id: string }[]>('SELECT request_id FROM request_logs ORDER BY request_id')).map((r) => r.request_id);

  it('deletes the rows that started before the retention, in batches, and keeps the rest', async () => {
    // More old rows than one DELETE takes: the sweep must go on until none is left.
    const old = Array.from({ length: 12_345 }, (_, i) => row(`old-${i}`, new Date(NOW.getTime() - 31 * DAY_MS - i * 1000)));
    await store.insertMany(old);
    await store.insertMany([row('kept-edge', new Date(NOW.getTime() - 30 * DAY_MS + 1000)), row('kept-new', NOW)]);

    const deleted = await new RequestLogRetention(configWithRetention(30), dataSource).sweep(NOW);

    expect(deleted).toBe(12_345);
    expect(await remainingIds()).toEqual(['kept-edge', 'kept-new']);
  });

  it('counts retention in days, fractions included', async () => {
    await store.insertMany([
      row('two-hours-old', new Date(NOW.getTime() - 2 * 3600_000)),
      row('half-hour-old', new Date(NOW.getTime() - 1800_000)),
    ]);
    expect(await new RequestLogRetention(configWithRetention(1 / 24), dataSource).sweep(NOW)).toBe(1);
    expect(await remainingIds()).toEqual(['half-hour-old']);
  });

  describe('captured bodies', () => {
    const captured = (requestId: string, startedAt: Date): RequestFinishedEvent => ({
      ...row(requestId, startedAt),
      capture: { request: `{"prompt":"${requestId}"}`, response: 'data: {}\n\n', requestTruncated: false, responseTruncated: true },
    });
    const bodyIds = async (): Promise<string[]> =>
      (await dataSource.query<{ request_id: string }[]>('SELECT request_id FROM request_log_bodies ORDER BY request_id')).map(
        (r) => r.request_id,
      );

    beforeEach(async () => {
      await dataSource.query('DELETE FROM request_log_bodies');
    });

    it('are written apart from their rows by the trace writer, and kept for their own retention', async () => {
      const writer = new RequestLogWriter(dataSource);
      await writer.writeAll([
        captured('bodies-3-days-old', new Date(NOW.getTime() - 3 * DAY_MS)),
        captured('bodies-new', NOW),
        row('no-bodies', NOW),
      ]);
      await writer.onApplicationShutdown();
      expect(await bodyIds()).toEqual(['bodies-3-days-old', 'bodies-new']);
      const [stored] = await dataSource.query<{ request_body: string; response_truncated: boolean }[]>(
        `SELECT request_body, response_truncated FROM request_log_bodies WHERE request_id = 'bodies-new'`,
      );
      expect(stored).toEqual({ request_body: '{"prompt":"bodies-new"}', response_truncated: true });
      // The row itself carries no body.
      const [logged] = await dataSource.query<Record<string, unknown>[]>(`SELECT * FROM request_logs WHERE request_id = 'bodies-new'`);
      expect(JSON.stringify(logged)).not.toContain('prompt');

      const config = configWithRetention(30);
      config.server.trace.capture.retention_days = 2;
      expect(await new RequestLogRetention(config, dataSource).sweep(NOW)).toBe(0);
      expect(await bodyIds()).toEqual(['bodies-new']);
      expect(await remainingIds()).toEqual(['bodies-3-days-old', 'bodies-new', 'no-bodies']);
    });

    it('never outlive their rows: the shorter retention applies', async () => {
      await new RequestLogWriter(dataSource).writeAll([
        captured('bodies-5-days-old', new Date(NOW.getTime() - 5 * DAY_MS)),
        captured('bodies-new', NOW),
      ]);
      const config = configWithRetention(4);
      config.server.trace.capture.retention_days = 0; // "as long as their rows"
      await new RequestLogRetention(config, dataSource).sweep(NOW);
      expect(await bodyIds()).toEqual(['bodies-new']);
      expect(await remainingIds()).toEqual(['bodies-new']);
    });
  });

  describe('schedule', () => {
    beforeEach(() => {
      // The database client's own callbacks must keep running on real time.
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'], now: Date.now() });
    });
    afterEach(() => {
      jest.useRealTimers();
    });

    it('sweeps a minute after start, then hourly', async () => {
      const retention = new RequestLogRetention(configWithRetention(1), dataSource);
      await store.insertMany([row('stale-1', new Date(Date.now() - 2 * DAY_MS))]);
      retention.onApplicationBootstrap();

      jest.advanceTimersByTime(59_000);
      await settle();
      expect(await remainingIds()).toEqual(['stale-1']);

      jest.advanceTimersByTime(1_000);
      await eventuallyEmpty(remainingIds);
      await store.insertMany([row('stale-2', new Date(Date.now() - 2 * DAY_MS))]);
      jest.advanceTimersByTime(59 * 60_000);
      await settle();
      expect(await remainingIds()).toEqual(['stale-2']);

      jest.advanceTimersByTime(60_000);
      await eventuallyEmpty(remainingIds);
      await retention.onApplicationShutdown();
    });

    it('never sweeps when retention_days is 0', async () => {
      const retention = new RequestLogRetention(configWithRetention(0), dataSource);
      await store.insertMany([row('ancient', new Date('2001-01-01T00:00:00Z'))]);
      retention.onApplicationBootstrap();
      jest.advanceTimersByTime(3 * 3600_000);
      await settle();
      expect(await remainingIds()).toEqual(['ancient']);
      await retention.onApplicationShutdown();
    });
  });
});

/** Lets a sweep started by a fired timer reach the database and come back (real I/O, fake timers). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

async function eventuallyEmpty(read: () => Promise<string[]>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await read()).length === 0) return;
    await settle();
  }
  throw new Error(`rows left: ${(await read()).join(', ')}`);
}
