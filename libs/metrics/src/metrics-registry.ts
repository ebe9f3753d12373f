import {
  Counter,
  Gauge,
  type CounterSeries,
  Histogram,
  type GaugeOptions,
  type HistogramOptions,
  type MetricFamily,
  type MetricOptions,
  type CollectedOptions,
} from './metric-families';

/** Counts observations that fell into a metric's `other` series because it had reached its label-set cap. */
export const OVERFLOW_METRIC = 'axonhub_metric_label_sets_overflowed_total';

/**
 * The metrics of one process. Embedded mode has one for all four apps, so `/metrics` shows them all.
 * Asking twice for the same metric (same name, type and labels) returns the same family: modules hosted in
 * one process may share a metric.
 */
export class MetricsRegistry {
  private readonly families = new Map<string, MetricFamily<unknown>>();
  private readonly overflowed: Counter;

  constructor() {
    this.overflowed = this.counter({
      name: OVERFLOW_METRIC,
      help: 'Observations recorded under the "other" label values because the metric had reached its distinct label-set cap.',
      labelNames: ['metric'],
    });
  }

  counter(options: CollectedOptions<Counter>): Counter {
    return this.register(options, 'counter', () => new Counter(options));
  }

  gauge(options: GaugeOptions): Gauge {
    return this.register(options, 'gauge', () => new Gauge(options));
  }

  histogram(options: HistogramOptions): Histogram {
    return this.register(options, 'histogram', () => new Histogram(options));
  }

  /** The overflow count of a metric whose label sets are capped elsewhere (a bundle of series resolved together). */
  overflowCounterFor(metric: string): CounterSeries {
    return this.overflowed.labels(metric);
  }

  /** The whole exposition: every family, HELP and TYPE first, one line per sample, ending with a line feed. */
  render(): string {
    const lines: string[] = [];
    for (const family of this.families.values()) family.render(lines);
    lines.push('');
    return lines.join('\n');
  }

  private register<F extends MetricFamily<unknown>>(options: MetricOptions, type: F['type'], create: () => F): F {
    const existing = this.families.get(options.name);
    if (existing) {
      const sameLabels = existing.labelNames.join(',') === (options.labelNames ?? []).join(',');
      if (existing.type !== type || !sameLabels) throw new Error(`metric ${options.name} is already registered differently`);
      return existing as F;
    }
    const family = create();
    if (this.overflowed !== undefined) {
      const overflowed = this.overflowed.labels(family.name);
      family.onOverflow = () => overflowed.inc();
    }
    this.families.set(family.name, family);
    return family;
  }
}
