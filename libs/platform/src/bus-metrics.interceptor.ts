import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { tap, type Observable } from 'rxjs';
import type { CounterSeries, Histogram, HistogramSeries, MetricsRegistry } from '@gw/metrics';
import { METRICS_REGISTRY } from './metrics-registry.provider';

/** Bus handlers answer in milliseconds (a cached lookup) to seconds (a database under load). */
const BUS_DURATION_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface HandlerSeries {
  ok: CounterSeries;
  error: CounterSeries;
  duration: HistogramSeries;
}

/**
 * Counts the bus messages this process's handlers answered (auth, routing and admin requests; trace and
 * control events), by subject and outcome, and times them. Subjects are a fixed set (libs/contracts), so
 * the label is bounded. HTTP handlers pass through untouched.
 */
@Injectable()
export class BusMetricsInterceptor implements NestInterceptor {
  private readonly handled;
  private readonly duration: Histogram;
  /** Per handler: its subject's series, resolved once. */
  private readonly byHandler = new WeakMap<object, HandlerSeries>();

  constructor(@Inject(METRICS_REGISTRY) registry: MetricsRegistry) {
    this.handled = registry.counter({
      name: 'axonhub_bus_messages_handled_total',
      help: 'Bus messages (requests and events) this process handled, by subject and outcome (ok, error).',
      labelNames: ['subject', 'outcome'],
    });
    this.duration = registry.histogram({
      name: 'axonhub_bus_message_duration_seconds',
      help: 'Time a bus handler took, by subject.',
      labelNames: ['subject'],
      buckets: BUS_DURATION_BUCKETS_S,
    });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const series = this.seriesOf(context.getHandler());
    const started = performance.now();
    return next.handle().pipe(
      tap({
        complete: () => {
          series.ok.inc();
          series.duration.observe((performance.now() - started) / 1000);
        },
        error: () => {
          series.error.inc();
          series.duration.observe((performance.now() - started) / 1000);
        },
      }),
    );
  }

  private seriesOf(handler: object): HandlerSeries {
    let series = this.byHandler.get(handler);
    if (!series) {
      const patterns = Reflect.getMetadata(PATTERN_METADATA, handler) as unknown;
      const subject = Array.isArray(patterns) && typeof patterns[0] === 'string' ? patterns[0] : 'unknown';
      series = {
        ok: this.handled.labels(subject, 'ok'),
        error: this.handled.labels(subject, 'error'),
        duration: this.duration.labels(subject),
      };
      this.byHandler.set(handler, series);
    }
    return series;
  }
}
