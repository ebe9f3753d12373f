import { useState, type ReactNode } from 'react';
import type { UsageView } from '@gw/contracts';
import type { PageProps } from '../app';
import { formatCount, formatDuration } from '../lib/format';
import { bucketLabel, bucketWidth, usageSeries, type UsageBucket, type UsageGrouping } from '../lib/usage';
import { LineChart } from '../components/line-chart';
import { ErrorNotice, Loading, PageHeader, useLoad } from '../components/ui';

const RANGES = [
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 24 hours', ms: 86_400_000 },
  { label: 'Last 7 days', ms: 7 * 86_400_000 },
] as const;

/** Requests, tokens, errors and latency over time, by model or channel (`GET /admin/v1/usage`, counted by the trace service). */
export function UsagePage({ api }: PageProps): ReactNode {
  const [range, setRange] = useState<number>(RANGES[1].ms);
  const [grouping, setGrouping] = useState<UsageGrouping>('model');
  const width = bucketWidth(range);
  const usage = useLoad(async () => {
    const to = Date.now();
    const from = to - range;
    const query = new URLSearchParams({
      since: new Date(from).toISOString(),
      until: new Date(to).toISOString(),
      bucket_seconds: String(width / 1_000),
      group_by: grouping,
    });
    return { view: await api.get<UsageView>(`/usage?${query.toString()}`), from, to };
  }, [api, range, grouping]);

  const data = usage.data;
  const series = data ? usageSeries(data.view.buckets, data.from, data.to, width) : [];
  const times = series[0]?.buckets.map((bucket) => bucket.start) ?? [];
  const chart = (title: string, pick: (bucket: UsageBucket) => number, format: (value: number) => string): ReactNode => (
    <LineChart
      title={title}
      times={times}
      format={format}
      series={series.map((entry) => ({ name: entry.name, values: entry.buckets.map(pick) }))}
    />
  );
  const total = (pick: (bucket: UsageBucket) => number): number =>
    series.reduce((sum, entry) => sum + entry.buckets.reduce((s, b) => s + pick(b), 0), 0);

  return (
    <section>
      <PageHeader title="Usage">
        <label className="field inline">
          Range
          <select value={range} onChange={(event) => setRange(Number(event.target.value))}>
            {RANGES.map((item) => (
              <option key={item.ms} value={item.ms}>
                {item.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline">
          By
          <select value={grouping} onChange={(event) => setGrouping(event.target.value as UsageGrouping)}>
            <option value="model">Model</option>
            <option value="channel">Channel</option>
          </select>
        </label>
        <button type="button" onClick={usage.reload}>
          Refresh
        </button>
      </PageHeader>
      <ErrorNotice error={usage.error} />
      <Loading loading={usage.loading && data === undefined} />
      {data ? (
        <>
          <p className="totals" data-testid="usage-totals">
            {formatCount(total((b) => b.requests))} requests · {formatCount(total((b) => b.tokens))} tokens ·{' '}
            {formatCount(total((b) => b.errors))} errors
            <span className="muted"> · buckets of {bucketLabel(width)}</span>
          </p>
          <div className="charts">
            {chart('Requests', (b) => b.requests, formatCount)}
            {chart('Tokens', (b) => b.tokens, formatCount)}
            {chart('Errors', (b) => b.errors, formatCount)}
            {chart('Mean latency', (b) => b.latency_ms, formatDuration)}
          </div>
        </>
      ) : null}
    </section>
  );
}
