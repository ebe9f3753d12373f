import { useState, type ReactNode } from 'react';
import type { Page, RequestLogView } from '@gw/contracts';
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

/** Read at most this many request-log rows for the charts (5 pages of 200): the page says when it stopped there. */
const MAX_ROWS = 1_000;

/** Requests, tokens, errors and latency over time, by model or channel, drawn from the request log. */
export function UsagePage({ api }: PageProps): ReactNode {
  const [range, setRange] = useState<number>(RANGES[1].ms);
  const [grouping, setGrouping] = useState<UsageGrouping>('model');
  const usage = useLoad(async () => {
    const to = Date.now();
    const from = to - range;
    const rows: RequestLogView[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ since: new Date(from).toISOString(), limit: '200' });
      if (cursor !== null) query.set('cursor', cursor);
      const page: Page<RequestLogView> = await api.get<Page<RequestLogView>>(`/request-logs?${query.toString()}`);
      rows.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor !== null && rows.length < MAX_ROWS);
    return { rows, from, to, truncated: cursor !== null };
  }, [api, range]);

  const data = usage.data;
  const width = bucketWidth(range);
  const series = data ? usageSeries(data.rows, grouping, data.from, data.to, width) : [];
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
          {data.truncated ? <p className="notice warn">Only the newest {MAX_ROWS} requests of this range are counted.</p> : null}
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
