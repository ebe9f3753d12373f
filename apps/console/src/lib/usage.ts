/** Request-log rows folded into time buckets, per model or channel, for the usage charts. */

export interface UsageRow {
  started_at: string;
  status: number;
  latency_ms: number;
  mapped_model: string | null;
  requested_model: string | null;
  channel: string | null;
  tokens: { total: number | null };
}

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
 * One series per model (the mapped model, else the requested one) or channel, each with the same buckets from
 * `from` to `to`, so the charts line up; a series for every row's group, biggest first by requests.
 */
export function usageSeries(rows: readonly UsageRow[], grouping: UsageGrouping, from: number, to: number, width: number): UsageSeries[] {
  const first = Math.floor(from / width) * width;
  const count = Math.max(1, Math.ceil((to - first) / width));
  const groups = new Map<string, { buckets: UsageBucket[]; latencySums: number[] }>();
  for (const row of rows) {
    const at = Date.parse(row.started_at);
    const index = Math.floor((at - first) / width);
    if (!Number.isFinite(at) || index < 0 || index >= count) continue;
    const name = (grouping === 'model' ? (row.mapped_model ?? row.requested_model) : row.channel) ?? '(none)';
    let group = groups.get(name);
    if (group === undefined) {
      group = {
        buckets: Array.from({ length: count }, (_, i) => ({ start: first + i * width, requests: 0, errors: 0, tokens: 0, latency_ms: 0 })),
        latencySums: new Array<number>(count).fill(0),
      };
      groups.set(name, group);
    }
    const bucket = group.buckets[index]!;
    bucket.requests++;
    if (row.status >= 400) bucket.errors++;
    bucket.tokens += row.tokens.total ?? 0;
    group.latencySums[index]! += row.latency_ms;
  }
  const series = [...groups.entries()].map(([name, group]) => ({
    name,
    buckets: group.buckets.map((bucket, i) => ({
      ...bucket,
      latency_ms: bucket.requests === 0 ? 0 : group.latencySums[i]! / bucket.requests,
    })),
  }));
  const total = (entry: UsageSeries): number => entry.buckets.reduce((sum, bucket) => sum + bucket.requests, 0);
  return series.sort((a, b) => total(b) - total(a) || a.name.localeCompare(b.name));
}
