import type { UsageBucketView } from '@gw/contracts';

/** The usage endpoint's buckets (only those with requests) laid out as chart series with every bucket of the range. */

export interface UsageBucket {
  start: number;
  requests: number;
  errors: number;
  tokens: number;
  /** Mean latency of the bucket's requests (0 when none). */
  latency_ms: number;
}

export interface UsageSeries {
  name: string;
  buckets: UsageBucket[];
}

export type UsageGrouping = 'model' | 'channel';

/** A bucket width that gives at most `maxBuckets` buckets over the span: 1 min, 5 min, 15 min, 1 h, 6 h or 1 day. */
export function bucketWidth(spanMs: number, maxBuckets = 60): number {
  const widths = [60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000];
  return widths.find((width) => spanMs / width <= maxBuckets) ?? widths[widths.length - 1]!;
}

/** `1 min`, `5 min`, `1 h`, `6 h`, `1 d`: a bucket width as the page says it. */
export function bucketLabel(width: number): string {
  if (width < 3_600_000) return `${width / 60_000} min`;
  if (width < 86_400_000) return `${width / 3_600_000} h`;
  return `${width / 86_400_000} d`;
}

/**
 * One series per model or channel (a request without one under "(none)"), each with the same buckets from
 * `from` to `to` (aligned as the server aligns them: multiples of the width since the epoch), so the charts
 * line up; biggest series first by requests.
 */
export function usageSeries(buckets: readonly UsageBucketView[], from: number, to: number, width: number): UsageSeries[] {
  const first = Math.floor(from / width) * width;
  const count = Math.max(1, Math.ceil((to - first) / width));
  const groups = new Map<string, UsageBucket[]>();
  for (const bucket of buckets) {
    const index = Math.floor((Date.parse(bucket.start) - first) / width);
    if (!Number.isFinite(index) || index < 0 || index >= count) continue;
    const name = bucket.name ?? '(none)';
    let series = groups.get(name);
    if (series === undefined) {
      series = Array.from({ length: count }, (_, i) => ({ start: first + i * width, requests: 0, errors: 0, tokens: 0, latency_ms: 0 }));
      groups.set(name, series);
    }
    series[index] = {
      start: series[index]!.start,
      requests: bucket.requests,
      errors: bucket.errors,
      tokens: bucket.tokens,
      latency_ms: bucket.mean_latency_ms,
    };
  }
  const total = (series: UsageBucket[]): number => series.reduce((sum, bucket) => sum + bucket.requests, 0);
  return [...groups.entries()]
    .map(([name, series]) => ({ name, buckets: series }))
    .sort((a, b) => total(b.buckets) - total(a.buckets) || a.name.localeCompare(b.name));
}
