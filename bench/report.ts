/** Turns the measurements into the printed table, the pass/fail lines against the targets, and the JSON file. */
import type { TargetName } from './cells';
import type { LoadResult } from './types';

export interface Measurement {
  cell: string;
  label: string;
  /** `direct`, `thin`, `gateway`, or `gateway@vX.Y.Z` for a second gateway on another Node (BENCH_ALT_NODE). */
  target: string;
  connections: number;
  /** The rounds merged: counts summed, percentiles the median of the rounds' percentiles. */
  result?: LoadResult;
  /** Each round's own result, in round order: the checks compare targets within a round. */
  rounds?: LoadResult[];
  /** Why the cell has no result (failed sanity check, generator failure). */
  error?: string;
  /** CPU of the target's own process per request (µs); the gateway's embedded PostgreSQL is in `treeCpuUsPerReq`. */
  cpuUsPerReq?: number;
  treeCpuUsPerReq?: number;
  /** Generator + fake upstream CPU during the window, % of the load core: near 100 means the load side limited the cell. */
  loadCorePct?: number;
  /** Seconds the server stayed busy after the load stopped (deferred work, counted in cpuUsPerReq). */
  tailS?: number;
  /** The server process's resident memory at the end of the cell (MB). */
  rssMb?: number;
  /** CPU used by processes outside the bench during the window, % of the whole machine (2 cores). */
  otherCpuPct?: number;
}

export interface Memory {
  idleRssMb: number;
  startupPeakMb: number;
  loadPeakMb: number;
  /** VmRSS 3 s after the last cell. */
  afterLoadRssMb: number;
}

export interface Check {
  name: string;
  pass: boolean | null;
  detail: string;
}

const measured = (ms: Measurement[], cell: string, target: string): Measurement | undefined =>
  ms.find((m) => m.cell === cell && m.target === target && m.result);
const find = (ms: Measurement[], cell: string, target: string): LoadResult | undefined => measured(ms, cell, target)?.result;
const f = (v: number | null | undefined, d = 0): string => (typeof v !== 'number' || !Number.isFinite(v) ? '-' : v.toFixed(d));
/** Latency figures are null when a cell had no successful request; NaN then propagates to '-'. */
const n = (v: number | null | undefined): number => v ?? NaN;
export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? n(s[mid]) : (n(s[mid - 1]) + n(s[mid])) / 2;
};

/**
 * A target's figure compared within each round (`per(round results by target)`), and the median over the
 * rounds: a machine that slows down for a minute moves every target of a round, not just one of them.
 */
function perRound(ms: Measurement[], cell: string, targets: TargetName[], per: (rs: LoadResult[]) => number): number[] | undefined {
  const rounds = targets.map((t) => measured(ms, cell, t)?.rounds);
  if (rounds.some((r) => !r?.length)) return undefined;
  const count = Math.min(...rounds.map((r) => r?.length ?? 0));
  return Array.from({ length: count }, (_, i) => per(rounds.map((r) => r?.[i] as LoadResult)));
}

const list = (xs: number[], d: number, unit: string): string => xs.map((x) => f(x, d) + unit).join(', ');

export function checks(ms: Measurement[], memory: Memory | undefined): Check[] {
  const out: Check[] = [];
  const ratios = perRound(ms, 'chat-c64', ['gateway', 'thin'], ([g, t]) => (100 * n(g?.rps)) / n(t?.rps));
  const name64 = 'chat→chat c=64 rps ≥ 70% of thin proxy (median of rounds)';
  out.push(
    ratios
      ? {
          name: name64,
          pass: median(ratios) >= 70,
          detail: `${f(median(ratios), 1)}% (rounds ${list(ratios, 1, '%')}; totals ${f(find(ms, 'chat-c64', 'gateway')?.rps)} vs ${f(find(ms, 'chat-c64', 'thin')?.rps)} rps)`,
        }
      : { name: name64, pass: null, detail: 'not measured' },
  );
  // Added p50 over direct, gateway minus thin proxy: the direct terms cancel within a round.
  const added = (rs: LoadResult[], i: number): number => (n(rs[i]?.p50) - n(rs[0]?.p50)) * 1000;
  const extra = perRound(ms, 'chat-c1', ['direct', 'thin', 'gateway'], (rs) => added(rs, 2) - added(rs, 1));
  const thinAdded = perRound(ms, 'chat-c1', ['direct', 'thin'], (rs) => added(rs, 1));
  const nameC1 = 'added p50 at c=1 ≤ thin proxy added p50 + 150 µs (median of rounds)';
  out.push(
    extra && thinAdded
      ? {
          name: nameC1,
          pass: median(extra) <= 150,
          detail: `gateway ${f(median(extra))} µs over the thin proxy, which adds ${f(median(thinAdded))} µs over direct (rounds ${list(extra, 0, ' µs')})`,
        }
      : { name: nameC1, pass: null, detail: 'not measured' },
  );
  const ttfb = perRound(ms, 'ttfb-slow-c8', ['direct', 'gateway'], ([d, g]) => n(g?.ttfbP50) - n(d?.ttfbP50));
  const ttfb99 = perRound(ms, 'ttfb-slow-c8', ['direct', 'gateway'], ([d, g]) => n(g?.ttfbP99) - n(d?.ttfbP99));
  const nameTtfb = 'streamed TTFB p50 ≤ direct + 3 ms (median of rounds)';
  out.push(
    ttfb && ttfb99
      ? {
          name: nameTtfb,
          pass: median(ttfb) <= 3,
          detail: `+${f(median(ttfb), 2)} ms over direct (rounds ${list(ttfb, 2, ' ms')}; p99 +${f(median(ttfb99), 2)} ms)`,
        }
      : { name: nameTtfb, pass: null, detail: 'not measured' },
  );
  // Issue 14: every gateway of the run (a second one too, BENCH_ALT_*), each against the same rounds' thin proxy.
  const gateways = [...new Set(ms.filter((m) => m.cell === 'codex16' && m.target.startsWith('gateway')).map((m) => m.target))];
  for (const gateway of gateways.length > 0 ? gateways : ['gateway']) {
    const codex = perRound(ms, 'codex16', ['thin', gateway as TargetName], ([t, g]) => (100 * n(g?.rps)) / n(t?.rps));
    const nameCodex = `codex16 (Responses→Chat) ${gateway} rps ≥ 30% of thin proxy pass-through (median of rounds)`;
    out.push(
      codex
        ? {
            name: nameCodex,
            pass: median(codex) >= 30,
            detail: `${f(median(codex), 1)}% (rounds ${list(codex, 1, '%')}; totals ${f(find(ms, 'codex16', gateway)?.rps)} vs ${f(find(ms, 'codex16', 'thin')?.rps)} rps)`,
          }
        : { name: nameCodex, pass: null, detail: 'not measured' },
    );
  }
  // Issue 13: the same gateway with tracing on (every span exported to a local receiver) against tracing off,
  // both loaded together on the server core (`chat-c64-tracing`); the same two measured one after the other
  // in chat-c64 are printed beside it.
  const tracing = perRound(ms, 'chat-c64-tracing', ['gateway', 'traced'], ([g, t]) => (100 * n(t?.rps)) / n(g?.rps));
  const apart = perRound(ms, 'chat-c64', ['gateway', 'traced'], ([g, t]) => (100 * n(t?.rps)) / n(g?.rps));
  const nameTracing = 'chat→chat c=64 rps with tracing on ≥ 90% of tracing off, loaded together (median of rounds)';
  const off = measured(ms, 'chat-c64-tracing', 'gateway');
  const on = measured(ms, 'chat-c64-tracing', 'traced');
  out.push(
    tracing
      ? {
          name: nameTracing,
          pass: median(tracing) >= 90,
          detail:
            `${f(median(tracing), 1)}% (rounds ${list(tracing, 1, '%')}; totals ${f(on?.result?.rps)} vs ${f(off?.result?.rps)} rps; ` +
            `CPU ${f(on?.cpuUsPerReq)} vs ${f(off?.cpuUsPerReq)} µs/req)` +
            (apart ? `; one after the other in chat-c64: ${f(median(apart), 1)}% (rounds ${list(apart, 1, '%')})` : ''),
        }
      : { name: nameTracing, pass: null, detail: 'not measured' },
  );
  const peak = memory ? Math.max(memory.startupPeakMb, memory.loadPeakMb) : NaN;
  out.push({
    name: 'gateway RSS peak ≤ 200 MB',
    pass: Number.isFinite(peak) ? peak <= 200 : null,
    detail: memory
      ? `peak ${f(peak, 1)} MB (startup ${f(memory.startupPeakMb, 1)}, under load ${f(memory.loadPeakMb, 1)}; RSS idle before load ${f(memory.idleRssMb, 1)}, 3 s after load ${f(memory.afterLoadRssMb, 1)})`
      : 'not measured',
  });
  return out;
}

export function printTable(ms: Measurement[], list: Check[]): void {
  const head = [
    'cell',
    'target',
    'rps',
    'p50 ms',
    'p99 ms',
    'added p50 vs direct*',
    'TTFB p50/p99 ms',
    'errors',
    'CPU µs/req (+pg)',
    'busy after s',
    'RSS MB',
    'load core %',
    'other CPU %',
  ];
  const rows = ms.map((m) => {
    const r = m.result;
    const direct = find(ms, m.cell, 'direct');
    // The TTFB cell compares time to first byte; the others whole-response latency.
    const key = m.cell.startsWith('ttfb') ? 'ttfbP50' : 'p50';
    const added = r && direct && m.target !== 'direct' ? `+${f((n(r[key]) - n(direct[key])) * 1000)} µs` : '-';
    const cpu =
      m.cpuUsPerReq === undefined ? '-' : f(m.cpuUsPerReq) + (m.treeCpuUsPerReq !== undefined ? ` (${f(m.treeCpuUsPerReq)})` : '');
    if (!r) return [m.label, m.target, 'FAILED', '-', '-', '-', '-', '-', '-', '-', '-', '-', (m.error ?? '').slice(0, 40)];
    const load = m.loadCorePct === undefined ? '-' : f(m.loadCorePct) + (m.loadCorePct >= 90 ? ' (load-bound)' : '');
    return [
      m.label,
      m.target,
      f(r.rps),
      f(n(r.p50), 3),
      f(n(r.p99), 3),
      added,
      `${f(n(r.ttfbP50), 2)} / ${f(n(r.ttfbP99), 2)}`,
      String(r.errors),
      cpu,
      f(m.tailS, 1),
      f(m.rssMb),
      load,
      f(m.otherCpuPct),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cols: string[]): string => '| ' + cols.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ') + ' |';
  console.log('\n' + line(head));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const row of rows) console.log(line(row));
  console.log('* the TTFB cell compares time to first byte, the others whole-response latency');
  console.log('\nTargets:');
  for (const c of list) console.log(`  [${c.pass === null ? 'N/A ' : c.pass ? 'PASS' : 'FAIL'}] ${c.name}: ${c.detail}`);
  for (const m of ms)
    if (m.result?.errorSamples.length) console.log(`  errors in ${m.cell}/${m.target}: ${m.result.errorSamples.join(' || ')}`);
}
