import type { MetricsRegistry } from '@gw/metrics';

/**
 * The process's CPU time and memory, read at scrape time (nothing runs between scrapes), under the names
 * Prometheus client libraries use, so the usual dashboards and alerts apply.
 */
export function registerProcessMetrics(registry: MetricsRegistry): void {
  registry.counter({
    name: 'process_cpu_seconds_total',
    help: 'User and system CPU time spent by this process, in seconds.',
    collect: (counter) => {
      const usage = process.cpuUsage();
      counter.labels().setTotal((usage.user + usage.system) / 1e6);
    },
  });
  registry.gauge({
    name: 'process_resident_memory_bytes',
    help: 'Resident set size of this process, in bytes.',
    collect: (gauge) => gauge.labels().set(process.memoryUsage.rss()),
  });
  registry.gauge({
    name: 'nodejs_heap_size_used_bytes',
    help: 'V8 heap in use, in bytes.',
    collect: (gauge) => gauge.labels().set(process.memoryUsage().heapUsed),
  });
  const startedAtSeconds = Math.round((Date.now() - process.uptime() * 1000) / 1000);
  registry.gauge({
    name: 'process_start_time_seconds',
    help: 'When this process started, in seconds since the Unix epoch.',
    collect: (gauge) => gauge.labels().set(startedAtSeconds),
  });
}
