import type { DataSource } from 'typeorm';
import type { AdminActor, RequestFinishedEvent } from '@gw/contracts';
import { AdminFailure, RequestLogQueryStore, RequestLogStore, openDatabase } from '@gw/persistence';
import { finishedEvent } from '../../support/request-finished-event';
import { createTestDatabase, type TestDatabase } from '../support/test-infra';

jest.setTimeout(60_000);

const T0 = Date.parse('2026-12-05T09:00:00.000Z');
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();
const owner: AdminActor = { token_id: 't', token_name: 'owner', role: 'owner', project_id: null };

/** `GET /admin/v1/usage` as the trace service answers it, on a real PostgreSQL. */
describe('request-log usage buckets', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let queries: RequestLogQueryStore;
  let alpha: string;
  let beta: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase(database.url);
    queries = new RequestLogQueryStore(dataSource);
    const projectId = async (name: string): Promise<string> =>
      (await dataSource.query<{ id: string }[]>('INSERT INTO projects (name) VALUES ($1) RETURNING id', [name]))[0]!.id;
    alpha = await projectId('usage-alpha');
    beta = await projectId('usage-beta');
    const row = (minutes: number, fields: Partial<RequestFinishedEvent>): RequestFinishedEvent =>
      finishedEvent({ projectId: alpha, startedAt: at(minutes), latencyMs: 100, totalTokens: 10, ...fields });
    await new RequestLogStore(dataSource).insertMany([
      row(0, { latencyMs: 100 }),
      row(4, { latencyMs: 300, status: 502, totalTokens: null }),
      row(5, { mappedModel: 'deepseek-reasoner', channelName: 'deepseek-b', totalTokens: 40 }),
      row(7, { mappedModel: null, channelName: null, requestedModel: 'gpt-4o', status: 401 }),
      row(12, { projectId: beta }),
      row(-1, {}), // before the range
      row(15, {}), // at `until`: outside (until is exclusive)
    ]);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const usage = (query: Record<string, unknown>, actor: AdminActor = owner): ReturnType<RequestLogQueryStore['usage']> =>
    queries.usage({ actor, since: at(0), until: at(15), bucket_seconds: '300', ...query });

  it('counts requests, errors, tokens and mean latency per 5-minute bucket and model, oldest first', async () => {
    const view = await usage({});
    expect(view).toMatchObject({ since: at(0), until: at(15), bucket_seconds: 300, group_by: 'model' });
    expect(view.buckets).toEqual([
      { start: at(0), name: 'deepseek-chat', requests: 2, errors: 1, tokens: 10, mean_latency_ms: 200 },
      { start: at(5), name: 'deepseek-reasoner', requests: 1, errors: 0, tokens: 40, mean_latency_ms: 100 },
      { start: at(5), name: 'gpt-4o', requests: 1, errors: 1, tokens: 10, mean_latency_ms: 100 },
      { start: at(10), name: 'deepseek-chat', requests: 1, errors: 0, tokens: 10, mean_latency_ms: 100 },
    ]);
  });

  it('groups by channel, a request without one under null', async () => {
    const view = await usage({ group_by: 'channel' });
    expect(view.buckets.map((bucket) => [bucket.start, bucket.name, bucket.requests])).toEqual([
      [at(0), 'deepseek', 2],
      [at(5), 'deepseek-b', 1],
      [at(5), null, 1],
      [at(10), 'deepseek', 1],
    ]);
  });

  it("counts only the token's project, or the project named", async () => {
    const scoped = await usage({}, { ...owner, project_id: beta });
    expect(scoped.buckets.map((bucket) => [bucket.start, bucket.requests])).toEqual([[at(10), 1]]);
    const named = await usage({ project: 'usage-alpha', bucket_seconds: '900' });
    expect(named.buckets).toEqual([
      expect.objectContaining({ start: at(0), name: 'deepseek-chat', requests: 2 }),
      expect.objectContaining({ start: at(0), name: 'deepseek-reasoner', requests: 1 }),
      expect.objectContaining({ start: at(0), name: 'gpt-4o', requests: 1 }),
    ]);
    await expect(usage({ project: 'usage-alpha' }, { ...owner, project_id: beta })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses a bad window, naming the parameter', async () => {
    const field = async (query: Record<string, unknown>): Promise<unknown> => {
      try {
        await usage(query);
      } catch (error) {
        if (error instanceof AdminFailure) return error.details?.field;
        throw error;
      }
      return undefined;
    };
    expect(await field({ bucket_seconds: '59' })).toBe('bucket_seconds');
    expect(await field({ bucket_seconds: '1.5' })).toBe('bucket_seconds');
    expect(await field({ since: at(0), until: at(60 * 24 * 7), bucket_seconds: '60' })).toBe('bucket_seconds');
    expect(await field({ since: at(15), until: at(0) })).toBe('since');
    expect(await field({ group_by: 'key' })).toBe('group_by');
  });
});
