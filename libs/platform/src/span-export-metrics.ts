import type { MetricsRegistry } from '@gw/metrics';
import { activeTelemetry } from '@gw/telemetry';

/**
 * What became of this process's spans, read at scrape time from the bounded exporter (libs/telemetry):
 * a collector that is down shows as `dropped` and `failed` growing while `exported` stands still. No
 * series while tracing is off (no endpoint, or OTEL_SDK_DISABLED).
 */
export function registerSpanExportMetrics(registry: MetricsRegistry): void {
  registry.counter({
    name: 'axonhub_spans_total',
    help: 'Spans of this process by outcome: exported, dropped (the export queue was full) or failed (the collector refused or did not answer).',
    labelNames: ['outcome'],
    collect: (counter) => {
      const counts = activeTelemetry()?.counts;
      if (counts === undefined) return;
      counter.labels('exported').setTotal(counts.exported);
      counter.labels('dropped').setTotal(counts.dropped);
      counter.labels('failed').setTotal(counts.failed);
    },
  });
}
