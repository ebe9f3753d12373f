import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { RequestLogRows, RequestLogStore, openDatabase, serializeRow } from '@gw/persistence';
import { RequestLogWriter, RowsRefusedError } from '../../../apps/trace/src/request-log.writer';
import { POSTGRES_ADMIN_URL, createTestDatabase, type TestDatabase } from '../support/test-infra';
import { goodEvent, refusedEvent, surrogateEvent } from './request-log-events';

jest.setTimeout(60_000);

/** Embedded mode's path (the writer and its store, no JetStream) on a real PostgreSQL. */
describe('request-log integrity: one bad row never costs its neighbours', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: RequestLogStore;
  let writer: RequestLogWriter;
  let warnings: string[];

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
    writer = new RequestLogWriter(dataSource);
    warnings = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    await writer.onApplicationShutdown();
    jest.restoreAllMocks();
  });

  const storedIds = async (): Promise<Set<string>> =>
    new Set((await dataSource.query<{ request_id: string }[]>('SELECT request_id FROM request_logs')).map((row) => row.request_id));

  it('stores every neighbour of rows PostgreSQL still refuses, and names only those', async () => {
    const events = Array.from({ length: 300 }, () => goodEvent());
    const texts = events.map(serializeRow);
    // Past the sanitizer, as a row that reached the store some other way would be.
    texts[137] = JSON.stringify(refusedEvent({ requestId: 'poisoned-range' }));
    texts[250] = JSON.stringify(goodEvent({ requestId: 'poisoned-nul' })).replace('"gpt-5"', '"gpt\\u0000"');
    const rows = new RequestLogRows();
    rows.append(texts);
    const query = jest.spyOn(dataSource, 'query');

    const refused = await store.insertRows(rows);

    expect(refused.map(({ index, requestId }) => ({ index, requestId }))).toEqual([
      { index: 137, requestId: 'poisoned-range' },
      { index: 250, requestId: 'poisoned-nul' },
    ]);
    expect(refused[0]?.reason).toMatch(/out of range for type integer/);
    expect(refused[1]?.reason).toMatch(/Unicode|\\u0000/);
    const stored = await storedIds();
    expect(stored.size).toBe(298);
    for (const [index, event] of events.entries()) expect(stored.has(event.requestId)).toBe(index !== 137 && index !== 250);
    // Bisection, not one statement per row: 1 + about 2·log2(300) per bad row.
    expect(query.mock.calls.length).toBeLessThan(40);
  });

  it('rejects only the caller whose row was refused; the other callers of the batch resolve', async () => {
    const events = Array.from({ length: 300 }, (_, index) => (index === 42 ? refusedEvent() : goodEvent()));
    const outcomes = await Promise.allSettled(events.map((event) => writer.write(event)));

    const rejected = outcomes.flatMap((outcome, index) =>
      outcome.status === 'rejected' ? [{ index, reason: outcome.reason as unknown }] : [],
    );
    expect(rejected.map(({ index }) => index)).toEqual([42]);
    expect(rejected[0]?.reason).toBeInstanceOf(RowsRefusedError);
    expect((rejected[0]?.reason as RowsRefusedError).rows.map(({ requestId }) => requestId)).toEqual([events[42]?.requestId]);
    expect((await storedIds()).size).toBe(299);
    expect(writer.refusedRows).toBe(1);
    // Logged once, by request id and reason, without the row.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(events[42]?.requestId);
    expect(warnings[0]).toMatch(/out of range/);
    expect(warnings[0]).not.toContain('deepseek-chat');
  });

  it('stores the rest of a writeAll call (an embedded window) and says how many of its rows were refused', async () => {
    const events = [goodEvent(), refusedEvent(), goodEvent(), refusedEvent(), goodEvent()];
    const failure = await writer.writeAll(events).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RowsRefusedError);
    expect((failure as RowsRefusedError).rows.map(({ index }) => index)).toEqual([1, 3]);
    expect([...(await storedIds())].sort()).toEqual([events[0], events[2], events[4]].map((event) => event?.requestId).sort());
  });

  it('stores an event with lone surrogates and U+0000 in its text, mended', async () => {
    const event = surrogateEvent();
    await writer.write(event);
    expect(await store.findByRequestId(event.requestId)).toEqual({
      ...event,
      requestedModel: '\ufffd',
      conversationKey: 'conv-\ufffd',
      errorMessage: 'no channel serves model "\ufffd"',
      warnings: ['dropped \ufffd'],
    });
  });

  it('fails the whole batch without splitting it while the database refuses connections, and stores it once back', async () => {
    const name = new URL(database.url).pathname.slice(1);
    const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    const events = [goodEvent(), refusedEvent(), goodEvent()];
    try {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      const query = jest.spyOn(dataSource, 'query');

      const failure = await writer.writeAll(events).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(Error);
      expect(failure).not.toBeInstanceOf(RowsRefusedError);
      expect(query).toHaveBeenCalledTimes(1);
      query.mockRestore();
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    // The retry, as JetStream's redelivery would make it: now the bad row is found and only it is dropped.
    const retry = await writer.writeAll(events).catch((error: unknown) => error);
    expect((retry as RowsRefusedError).rows.map(({ index }) => index)).toEqual([1]);
    expect((await storedIds()).size).toBe(2);
  });
});
