import { bucketLabel, bucketWidth, usageSeries, type UsageRow } from './usage';

const T0 = Date.parse('2026-12-05T09:00:00Z');
const row = (minute: number, fields: Partial<UsageRow> = {}): UsageRow => ({
  started_at: new Date(T0 + minute * 60_000).toISOString(),
  status: 200,
  latency_ms: 100,
  requested_model: 'gpt-5',
  mapped_model: 'deepseek-chat',
  channel: 'deepseek',
  tokens: { total: 10 },
  ...fields,
});

describe('usage series', () => {
  it('picks the smallest bucket width that keeps the chart readable', () => {
    expect(bucketWidth(3_600_000)).toBe(60_000);
    expect(bucketWidth(86_400_000)).toBe(3_600_000);
    expect(bucketWidth(7 * 86_400_000)).toBe(21_600_000);
    expect(bucketWidth(365 * 86_400_000)).toBe(86_400_000);
    expect([60_000, 900_000, 3_600_000, 21_600_000, 86_400_000].map(bucketLabel)).toEqual(['1 min', '15 min', '1 h', '6 h', '1 d']);
  });

  it('counts requests, errors, tokens and mean latency per bucket and model, biggest series first', () => {
    const rows = [
      row(0, { latency_ms: 100 }),
      row(1, { latency_ms: 300, status: 502, tokens: { total: null } }),
      row(5, { mapped_model: 'deepseek-reasoner', tokens: { total: 40 } }),
      row(6, { mapped_model: null, requested_model: 'gpt-4o' }),
      row(500), // outside the range
    ];
    const series = usageSeries(rows, 'model', T0, T0 + 10 * 60_000, 300_000);
    expect(series.map((entry) => entry.name)).toEqual(['deepseek-chat', 'deepseek-reasoner', 'gpt-4o']);
    const chat = series[0]!.buckets;
    expect(chat).toHaveLength(2);
    expect(chat[0]).toEqual({ start: T0, requests: 2, errors: 1, tokens: 10, latency_ms: 200 });
    expect(chat[1]).toEqual({ start: T0 + 300_000, requests: 0, errors: 0, tokens: 0, latency_ms: 0 });
    expect(series[1]!.buckets[1]).toMatchObject({ requests: 1, tokens: 40 });
  });

  it('groups by channel, a row without one under "(none)"', () => {
    const series = usageSeries([row(0), row(0, { channel: null, status: 401 })], 'channel', T0, T0 + 60_000, 60_000);
    expect(series.map((entry) => [entry.name, entry.buckets[0]!.requests, entry.buckets[0]!.errors])).toEqual([
      ['(none)', 1, 1],
      ['deepseek', 1, 0],
    ]);
  });
});
