import type { UsageBucketView } from '@gw/contracts';
import { bucketLabel, bucketWidth, usageSeries } from './usage';

const T0 = Date.parse('2026-12-05T09:00:00Z');
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();
const bucket = (minutes: number, name: string | null, fields: Partial<UsageBucketView> = {}): UsageBucketView => ({
  start: at(minutes),
  name,
  requests: 1,
  errors: 0,
  tokens: 10,
  mean_latency_ms: 100,
  ...fields,
});

describe('usage series', () => {
  it('picks the smallest bucket width that keeps the chart readable, and names it', () => {
    expect(bucketWidth(3_600_000)).toBe(60_000);
    expect(bucketWidth(86_400_000)).toBe(3_600_000);
    expect(bucketWidth(7 * 86_400_000)).toBe(21_600_000);
    expect(bucketWidth(365 * 86_400_000)).toBe(86_400_000);
    expect([60_000, 900_000, 3_600_000, 21_600_000, 86_400_000].map(bucketLabel)).toEqual(['1 min', '15 min', '1 h', '6 h', '1 d']);
  });

  it("lays the server's buckets out per model with every bucket of the range, biggest series first", () => {
    const series = usageSeries(
      [
        bucket(0, 'deepseek-chat', { requests: 2, errors: 1, mean_latency_ms: 200 }),
        bucket(5, 'deepseek-reasoner', { tokens: 40 }),
        bucket(5, 'deepseek-chat'),
        bucket(500, 'outside'),
      ],
      T0 + 60_000,
      T0 + 10 * 60_000,
      300_000,
    );
    expect(series.map((entry) => entry.name)).toEqual(['deepseek-chat', 'deepseek-reasoner']);
    expect(series[0]!.buckets).toEqual([
      { start: T0, requests: 2, errors: 1, tokens: 10, latency_ms: 200 },
      { start: T0 + 300_000, requests: 1, errors: 0, tokens: 10, latency_ms: 100 },
    ]);
    expect(series[1]!.buckets[0]).toEqual({ start: T0, requests: 0, errors: 0, tokens: 0, latency_ms: 0 });
  });

  it('puts requests without a model or channel under "(none)", ties sorted by name', () => {
    const series = usageSeries([bucket(0, 'deepseek'), bucket(0, null)], T0, T0 + 60_000, 60_000);
    expect(series.map((entry) => [entry.name, entry.buckets[0]!.requests])).toEqual([
      ['(none)', 1],
      ['deepseek', 1],
    ]);
  });
});
