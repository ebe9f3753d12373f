import { assertLabelName, assertMetricName, escapeHelp, formatSampleValue, labelPairs } from './exposition';
import { LabelSets } from './label-sets';

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricOptions {
  name: string;
  help: string;
  labelNames?: readonly string[];
  /** Distinct label sets kept; past it new sets are recorded under `other` values (and counted). Default 1000. */
  maxLabelSets?: number;
}

/** Options of a metric whose values are read at scrape time (queue depth, snapshot age, process CPU). */
export interface CollectedOptions<F> extends MetricOptions {
  /** Called before each exposition, to set the values read at scrape time. */
  collect?: (family: F) => void;
}

export const DEFAULT_MAX_LABEL_SETS = 1_000;
/** The label value every label of the overflow series takes. */
export const OVERFLOW_LABEL_VALUE = 'other';

/** One metric: a name, its HELP and TYPE, and one child (series) per distinct label set. */
export abstract class MetricFamily<Child> {
  readonly labelNames: readonly string[];
  protected readonly sets: LabelSets<Child>;
  private overflowChild?: Child;
  /** Set by the registry: counts lookups that fell into the overflow series. */
  onOverflow: () => void = () => undefined;

  constructor(
    readonly type: MetricType,
    options: MetricOptions,
  ) {
    assertMetricName(options.name);
    this.labelNames = options.labelNames ?? [];
    for (const label of this.labelNames) assertLabelName(label);
    if (new Set(this.labelNames).size !== this.labelNames.length) throw new Error(`${options.name}: duplicate label names`);
    this.name = options.name;
    this.help = options.help;
    this.sets = new LabelSets<Child>(
      this.labelNames.length,
      (values) => this.newChild(labelPairs(this.labelNames, values as string[])),
      options.maxLabelSets ?? DEFAULT_MAX_LABEL_SETS,
      () => {
        this.onOverflow();
        this.overflowChild ??= this.sets.add(
          this.labelNames.map(() => OVERFLOW_LABEL_VALUE),
          true,
        );
        return this.overflowChild;
      },
    );
  }

  readonly name: string;
  readonly help: string;

  /** The series of these label values (in the order of `labelNames`), created on first use. */
  labels(...values: string[]): Child {
    return this.sets.get(values);
  }

  /** Same, from an array the caller may reuse: no allocation when the series exists. */
  labelsOf(values: readonly string[]): Child {
    return this.sets.get(values);
  }

  render(lines: string[]): void {
    lines.push(`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`);
    for (const { value } of this.sets.entries()) this.renderChild(value, lines);
  }

  /** `pairs`: the child's labels as `a="x",b="y"`, rendered once when it is created. */
  protected abstract newChild(pairs: string): Child;
  protected abstract renderChild(child: Child, lines: string[]): void;
}

export class CounterSeries {
  value = 0;
  constructor(readonly pairs: string) {}
  /** Counters only go up: a negative amount is a bug of the caller, and is ignored rather than corrupting the series. */
  inc(amount = 1): void {
    if (amount > 0) this.value += amount;
  }
  /** For a total kept elsewhere (process CPU time), read at scrape time; never moves it back. */
  setTotal(total: number): void {
    if (total > this.value) this.value = total;
  }
}

export class Counter extends MetricFamily<CounterSeries> {
  private readonly collect?: (counter: Counter) => void;
  constructor(options: CollectedOptions<Counter>) {
    super('counter', options);
    this.collect = options.collect;
    if (this.labelNames.length === 0) this.labels(); // a label-less counter shows 0 from the start
  }
  override render(lines: string[]): void {
    this.collect?.(this);
    super.render(lines);
  }
  protected newChild(pairs: string): CounterSeries {
    return new CounterSeries(pairs);
  }
  protected renderChild(child: CounterSeries, lines: string[]): void {
    lines.push(`${this.name}${braces(child.pairs)} ${formatSampleValue(child.value)}`);
  }
}

export class GaugeSeries {
  value = 0;
  constructor(readonly pairs: string) {}
  set(value: number): void {
    this.value = value;
  }
  inc(amount = 1): void {
    this.value += amount;
  }
}

export type GaugeOptions = CollectedOptions<Gauge>;

export class Gauge extends MetricFamily<GaugeSeries> {
  private readonly collect?: (gauge: Gauge) => void;
  constructor(options: GaugeOptions) {
    super('gauge', options);
    this.collect = options.collect;
    if (this.labelNames.length === 0) this.labels();
  }
  override render(lines: string[]): void {
    this.collect?.(this);
    super.render(lines);
  }
  protected newChild(pairs: string): GaugeSeries {
    return new GaugeSeries(pairs);
  }
  protected renderChild(child: GaugeSeries, lines: string[]): void {
    lines.push(`${this.name}${braces(child.pairs)} ${formatSampleValue(child.value)}`);
  }
}

export class HistogramSeries {
  /** Observations per bucket (not cumulative); the last one is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  constructor(
    readonly pairs: string,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }
  observe(value: number): void {
    if (Number.isNaN(value)) return;
    const bounds = this.bounds;
    let index = 0;
    while (index < bounds.length && value > (bounds[index] as number)) index++;
    this.counts[index] = (this.counts[index] as number) + 1;
    this.sum += value;
    this.count++;
  }
}

export interface HistogramOptions extends MetricOptions {
  /** Upper bounds, increasing; +Inf is added. */
  buckets: readonly number[];
}

export class Histogram extends MetricFamily<HistogramSeries> {
  readonly buckets: readonly number[];
  private readonly bucketLabels: readonly string[];
  constructor(options: HistogramOptions) {
    if (options.labelNames?.includes('le')) throw new Error(`${options.name}: "le" is the bucket label of a histogram`);
    super('histogram', options);
    for (let index = 0; index < options.buckets.length; index++) {
      const bound = options.buckets[index] as number;
      if (!Number.isFinite(bound) || (index > 0 && bound <= (options.buckets[index - 1] as number))) {
        throw new Error(`${options.name}: buckets must be finite and increasing`);
      }
    }
    this.buckets = [...options.buckets];
    this.bucketLabels = [...this.buckets.map(formatSampleValue), '+Inf'];
    if (this.labelNames.length === 0) this.labels();
  }
  protected newChild(pairs: string): HistogramSeries {
    return new HistogramSeries(pairs, this.buckets);
  }
  protected renderChild(child: HistogramSeries, lines: string[]): void {
    const prefix = child.pairs === '' ? '' : `${child.pairs},`;
    let cumulative = 0;
    for (let index = 0; index < this.bucketLabels.length; index++) {
      cumulative += child.counts[index] as number;
      lines.push(`${this.name}_bucket{${prefix}le="${this.bucketLabels[index]}"} ${cumulative}`);
    }
    lines.push(`${this.name}_sum${braces(child.pairs)} ${formatSampleValue(child.sum)}`);
    lines.push(`${this.name}_count${braces(child.pairs)} ${child.count}`);
  }
}

function braces(pairs: string): string {
  return pairs === '' ? '' : `{${pairs}}`;
}
