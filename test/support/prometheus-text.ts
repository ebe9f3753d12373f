/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: it throws on anything the
 * format does not allow (a sample before its TYPE, a bad name, an unterminated or badly escaped label value,
 * a value Go's ParseFloat would refuse, histogram buckets that are not cumulative or do not end at +Inf
 * with `_count`), so a test that parses `/metrics` checks the format too.
 * @see https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help?: string;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|Inf|NaN)$/;

export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const lines = text.split('\n');
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('exposition must end with a line feed');
  lines.forEach((line, index) => {
    const where = `line ${index + 1} (${JSON.stringify(line.slice(0, 120))})`;
    if (line === '') return;
    if (line.startsWith('#')) {
      const match = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!match) return; // a plain comment
      const [, keyword, name, rest] = match as unknown as [string, string, string, string];
      if (!METRIC_NAME.test(name)) throw new Error(`${where}: bad metric name`);
      const family = families.get(name) ?? { name, type: 'untyped' as const, samples: [] };
      if (keyword === 'HELP') {
        if (family.help !== undefined) throw new Error(`${where}: second HELP for ${name}`);
        family.help = unescape(rest, where, false);
      } else {
        if (family.samples.length > 0) throw new Error(`${where}: TYPE after samples of ${name}`);
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) throw new Error(`${where}: unknown type`);
        family.type = rest as Family['type'];
      }
      families.set(name, family);
      return;
    }
    const sample = parseSample(line, where);
    const family = familyOf(sample.name, families);
    if (!family) throw new Error(`${where}: sample of no declared family`);
    family.samples.push(sample);
  });
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

function familyOf(sampleName: string, families: Map<string, Family>): Family | undefined {
  const own = families.get(sampleName);
  if (own) return own;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!sampleName.endsWith(suffix)) continue;
    const family = families.get(sampleName.slice(0, -suffix.length));
    if (family && (family.type === 'histogram' || family.type === 'summary')) return family;
  }
  return undefined;
}

function parseSample(line: string, where: string): Sample {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (!nameMatch) throw new Error(`${where}: bad sample name`);
  const name = nameMatch[0];
  let position = name.length;
  const labels: Record<string, string> = {};
  if (line[position] === '{') {
    position++;
    while (line[position] !== '}') {
      const labelMatch = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(position));
      if (!labelMatch || !LABEL_NAME.test(labelMatch[1] as string)) throw new Error(`${where}: bad label at ${position}`);
      const label = labelMatch[1] as string;
      position += labelMatch[0].length;
      let raw = '';
      while (line[position] !== '"') {
        if (position >= line.length) throw new Error(`${where}: unterminated label value`);
        if (line[position] === '\\') {
          raw += line.slice(position, position + 2);
          position += 2;
        } else {
          raw += line[position];
          position++;
        }
      }
      position++; // closing quote
      if (label in labels) throw new Error(`${where}: label ${label} twice`);
      labels[label] = unescape(raw, where, true);
      if (line[position] === ',') position++;
      else if (line[position] !== '}') throw new Error(`${where}: expected , or } at ${position}`);
    }
    position++;
  }
  const rest = line.slice(position);
  const valueMatch = /^ (\S+)(?: (-?\d+))?$/.exec(rest);
  if (!valueMatch || !FLOAT.test(valueMatch[1] as string)) throw new Error(`${where}: bad value`);
  return { name, labels, value: parseValue(valueMatch[1] as string) };
}

function parseValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  return Number(text);
}

/** HELP allows `\\` and `\n`; label values also `\"`. Any other escape is an error. */
function unescape(text: string, where: string, quotes: boolean): string {
  return text.replace(/\\(.)/g, (_, escaped: string) => {
    if (escaped === '\\') return '\\';
    if (escaped === 'n') return '\n';
    if (escaped === '"' && quotes) return '"';
    throw new Error(`${where}: bad escape \\${escaped}`);
  });
}

/** Per label set: buckets cumulative and ending at +Inf, which equals `_count`; `_sum` present. */
function checkHistogram(family: Family): void {
  const series = new Map<string, { buckets: [number, number][]; count?: number; sum?: number }>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const entry = series.get(key) ?? { buckets: [] };
    if (sample.name === `${family.name}_bucket`) {
      if (le === undefined) throw new Error(`${family.name}: bucket without le`);
      entry.buckets.push([parseValue(le), sample.value]);
    } else if (sample.name === `${family.name}_count`) entry.count = sample.value;
    else if (sample.name === `${family.name}_sum`) entry.sum = sample.value;
    else throw new Error(`${family.name}: unexpected sample ${sample.name}`);
    series.set(key, entry);
  }
  for (const [key, entry] of series) {
    const last = entry.buckets[entry.buckets.length - 1];
    if (!last || last[0] !== Number.POSITIVE_INFINITY) throw new Error(`${family.name}${key}: no +Inf bucket`);
    for (let index = 1; index < entry.buckets.length; index++) {
      const [bound, count] = entry.buckets[index] as [number, number];
      const [previousBound, previousCount] = entry.buckets[index - 1] as [number, number];
      if (bound <= previousBound || count < previousCount) throw new Error(`${family.name}${key}: buckets not increasing/cumulative`);
    }
    if (entry.count !== last[1] || entry.sum === undefined)
      throw new Error(`${family.name}${key}: _count/_sum missing or not the +Inf bucket`);
  }
}

/** The sum of the samples of that name whose labels include the given ones (0 when none does). */
export function sampleValue(families: Map<string, Family>, sampleName: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const family of families.values()) {
    for (const sample of family.samples) {
      if (sample.name !== sampleName) continue;
      if (Object.entries(labels).every(([label, value]) => sample.labels[label] === value)) total += sample.value;
    }
  }
  return total;
}

/** Every sample name a live exposition has a sample of (histograms: `_bucket`, `_sum`, `_count`); a family declared without samples does not count. */
export function exposedNames(families: Map<string, Family>): Set<string> {
  const names = new Set<string>();
  for (const family of families.values()) for (const sample of family.samples) names.add(sample.name);
  return names;
}
