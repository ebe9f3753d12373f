import { parsePrometheusText, sampleValue } from '../../../test/support/prometheus-text';
import { LabelSets } from './label-sets';
import { MetricsRegistry, OVERFLOW_METRIC } from './metrics-registry';

describe('MetricsRegistry', () => {
  it('renders counters, gauges and histograms in the text format, with HELP and TYPE', () => {
    const registry = new MetricsRegistry();
    const requests = registry.counter({ name: 'demo_requests_total', help: 'Requests.', labelNames: ['model', 'status'] });
    requests.labels('m1', '200').inc();
    requests.labels('m1', '200').inc(2);
    requests.labels('m2', '500').inc();
    registry.gauge({ name: 'demo_queue', help: 'Queue depth.', collect: (gauge) => gauge.labels().set(7) });
    const latency = registry.histogram({ name: 'demo_seconds', help: 'Latency.', labelNames: ['model'], buckets: [0.1, 1] });
    for (const value of [0.05, 0.1, 0.5, 3]) latency.labels('m1').observe(value);

    const text = registry.render();
    expect(text).toContain('# HELP demo_requests_total Requests.\n# TYPE demo_requests_total counter\n');
    expect(text).toContain('demo_requests_total{model="m1",status="200"} 3\n');
    expect(text).toContain('demo_seconds_bucket{model="m1",le="0.1"} 2\n');
    expect(text).toContain('demo_seconds_bucket{model="m1",le="1"} 3\n');
    expect(text).toContain('demo_seconds_bucket{model="m1",le="+Inf"} 4\n');
    const families = parsePrometheusText(text);
    expect(families.get('demo_requests_total')?.type).toBe('counter');
    expect(families.get('demo_seconds')?.type).toBe('histogram');
    expect(sampleValue(families, 'demo_requests_total', { model: 'm2', status: '500' })).toBe(1);
    expect(sampleValue(families, 'demo_queue')).toBe(7);
    expect(sampleValue(families, 'demo_seconds_count', { model: 'm1' })).toBe(4);
    expect(sampleValue(families, 'demo_seconds_sum', { model: 'm1' })).toBeCloseTo(3.65);
  });

  it('escapes label values and HELP text so the exposition still parses to the original strings', () => {
    const registry = new MetricsRegistry();
    const hostile = 'a "quoted" back\\slash\nnew line } { =';
    registry
      .counter({ name: 'demo_total', help: 'Help with \\ and\nline.', labelNames: ['model'] })
      .labels(hostile)
      .inc();
    const families = parsePrometheusText(registry.render());
    expect(families.get('demo_total')?.help).toBe('Help with \\ and\nline.');
    expect(families.get('demo_total')?.samples[0]?.labels.model).toBe(hostile);
  });

  it('caps distinct label sets: past the cap observations go to the "other" series and are counted', () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter({ name: 'demo_total', help: 'Demo.', labelNames: ['model'], maxLabelSets: 3 });
    for (let index = 0; index < 10; index++) counter.labels(`model-${index}`).inc();
    counter.labels('model-0').inc(); // an existing set still counts on its own

    const families = parsePrometheusText(registry.render());
    expect(families.get('demo_total')?.samples).toHaveLength(4);
    expect(sampleValue(families, 'demo_total', { model: 'model-0' })).toBe(2);
    expect(sampleValue(families, 'demo_total', { model: 'other' })).toBe(7);
    expect(sampleValue(families, OVERFLOW_METRIC, { metric: 'demo_total' })).toBe(7);
  });

  it('returns the same family for the same name, refuses a conflicting one and bad names', () => {
    const registry = new MetricsRegistry();
    const first = registry.counter({ name: 'demo_total', help: 'Demo.', labelNames: ['a'] });
    expect(registry.counter({ name: 'demo_total', help: 'Demo.', labelNames: ['a'] })).toBe(first);
    expect(() => registry.gauge({ name: 'demo_total', help: 'Demo.', labelNames: ['a'] })).toThrow(/already registered/);
    expect(() => registry.counter({ name: 'demo_total', help: 'Demo.', labelNames: ['b'] })).toThrow(/already registered/);
    expect(() => registry.counter({ name: 'bad-name', help: '' })).toThrow(/invalid metric name/);
    expect(() => registry.counter({ name: 'demo2_total', help: '', labelNames: ['__reserved'] })).toThrow(/invalid label name/);
    expect(() => registry.histogram({ name: 'demo_h', help: '', labelNames: ['le'], buckets: [1] })).toThrow(/"le"/);
    expect(() => registry.histogram({ name: 'demo_h', help: '', buckets: [2, 1] })).toThrow(/increasing/);
  });

  it('reads collected values at scrape time; a collected counter never moves back', () => {
    const registry = new MetricsRegistry();
    let total = 5;
    registry.counter({ name: 'demo_cpu_seconds_total', help: 'Demo.', collect: (counter) => counter.labels().setTotal(total) });
    expect(sampleValue(parsePrometheusText(registry.render()), 'demo_cpu_seconds_total')).toBe(5);
    total = 3;
    expect(sampleValue(parsePrometheusText(registry.render()), 'demo_cpu_seconds_total')).toBe(5);
    total = 8;
    expect(sampleValue(parsePrometheusText(registry.render()), 'demo_cpu_seconds_total')).toBe(8);
  });

  it('shows label-less metrics at zero before anything is recorded', () => {
    const registry = new MetricsRegistry();
    registry.counter({ name: 'demo_total', help: 'Demo.' });
    registry.histogram({ name: 'demo_seconds', help: 'Demo.', buckets: [1] });
    const families = parsePrometheusText(registry.render());
    expect(sampleValue(families, 'demo_total')).toBe(0);
    expect(sampleValue(families, 'demo_seconds_count')).toBe(0);
  });
});

describe('LabelSets', () => {
  it('finds a tuple of mixed keys again without creating it twice, and keeps tuples that share a prefix apart', () => {
    let created = 0;
    const sets = new LabelSets<number>(
      3,
      () => ++created,
      10,
      () => -1,
    );
    const key: (string | number | null)[] = ['chat', null, 200];
    expect(sets.get(key)).toBe(1);
    key[2] = 404;
    expect(sets.get(key)).toBe(2);
    key[2] = 200;
    expect(sets.get(key)).toBe(1);
    expect(sets.get(['chat', '', 200])).toBe(3); // null and '' are different keys
    expect(created).toBe(3);
    expect(sets.entries().map((entry) => entry.values)).toEqual([
      ['chat', null, 200],
      ['chat', null, 404],
      ['chat', '', 200],
    ]);
  });
});
