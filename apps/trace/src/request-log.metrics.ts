import type { CounterSeries, MetricsRegistry } from '@gw/metrics';

const DEAD_LETTER_REASONS = ['not_a_trace_event', 'refused', 'max_deliveries'] as const;

/** What became of the trace events this service received: rows written, refused, dead-lettered, retried. */
export class RequestLogMetrics {
  readonly written: CounterSeries;
  readonly refused: CounterSeries;
  readonly failedBatches: CounterSeries;
  readonly retried: CounterSeries;
  private readonly deadLetters;

  constructor(registry: MetricsRegistry, queueDepth: () => number) {
    this.written = registry
      .counter({ name: 'axonhub_request_log_rows_written_total', help: 'Request-log rows stored in PostgreSQL.' })
      .labels();
    this.refused = registry
      .counter({
        name: 'axonhub_request_log_rows_refused_total',
        help: 'Request-log rows PostgreSQL refused for their data (dropped, each logged).',
      })
      .labels();
    this.failedBatches = registry
      .counter({
        name: 'axonhub_request_log_batch_failures_total',
        help: 'Batch INSERTs that failed as a whole (database down); their events are retried.',
      })
      .labels();
    this.retried = registry
      .counter({
        name: 'axonhub_request_log_events_retried_total',
        help: 'Trace events handed back to JetStream for a later delivery after a failed write.',
      })
      .labels();
    this.deadLetters = registry.counter({
      name: 'axonhub_request_log_events_dead_lettered_total',
      help: 'Trace events given up on and copied to the dead-letter stream, by reason (not_a_trace_event, refused, max_deliveries).',
      labelNames: ['reason'],
    });
    // Shown at 0 from the start, so a dashboard's rate() has a series before the first dead letter.
    for (const reason of DEAD_LETTER_REASONS) this.deadLetters.labels(reason);
    registry.gauge({
      name: 'axonhub_request_log_queue_rows',
      help: 'Request-log rows accepted by the writer and not yet being written (bounded; past the bound events wait in JetStream).',
      collect: (gauge) => gauge.labels().set(queueDepth()),
    });
  }

  deadLettered(reason: (typeof DEAD_LETTER_REASONS)[number]): void {
    this.deadLetters.labels(reason).inc();
  }
}
