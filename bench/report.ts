/** Turns the measurements into the printed table, the pass/fail lines against the targets, and the JSON file. */
import type { TargetName } from './cells';
import type { LoadResult } from './types';

export interface Measurement {
  cell: string;
  label: string;
  target: TargetName;
  connections: number;
  result?: LoadResult;
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

const find = (ms: Measurement[], cell: string, target: TargetName): LoadResult | undefined =>
  ms.find((m) => m.cell === cell && m.target === target)?.result;
const f = (v: number | null | undefined, d = 0): string => (typeof v !== 'number' || !Number.isFinite(v) ? '-' : v.toFixed(d));
/** Latency figures are null when a cell had no successful request; NaN then propagates to '-'. */
const n = (v: number | null | undefined): number => v ?? NaN;

export function checks(ms: Measurement[], memory: Memory | undefined): Check[] {
  const out: Check[] = [];
  const gw64 = find(ms, 'chat-c64', 'gateway');
  const thin64 = find(ms, 'chat-c64', 'thin');
  out.push(
    gw64 && thin64
      ? {
          name: 'chat→chat c=64 rps ≥ 70% of thin proxy',
          pass: gw64.rps >= 0.7 * thin64.rps,
          detail: `${f(gw64.rps)} vs ${f(thin64.rps)} rps = ${f((100 * gw64.rps) / thin64.rps, 1)}%`,
        }
      : { name: 'chat→chat c=64 rps ≥ 70% of thin proxy', pass: null, detail: 'not measured' },
  );
  const [d1, t1, g1] = (['direct', 'thin', 'gateway'] as const).map((t) => find(ms, 'chat-c1', t));
  out.push(
    d1 && t1 && g1
      ? {
          name: 'added p50 at c=1 ≤ thin proxy added p50 + 150 µs',
          pass: (n(g1.p50) - n(d1.p50)) * 1000 <= (n(t1.p50) - n(d1.p50)) * 1000 + 150,
          detail: `gateway +${f((n(g1.p50) - n(d1.p50)) * 1000)} µs, thin proxy +${f((n(t1.p50) - n(d1.p50)) * 1000)} µs`,
        }
      : { name: 'added p50 at c=1 ≤ thin proxy added p50 + 150 µs', pass: null, detail: 'not measured' },
  );
  const [dT, gT] = (['direct', 'gateway'] as const).map((t) => find(ms, 'ttfb-slow-c8', t));
  out.push(
    dT && gT
      ? {
          name: 'streamed TTFB p50 ≤ direct + 3 ms',
          pass: n(gT.ttfbP50) <= n(dT.ttfbP50) + 3,
          detail: `gateway ${f(n(gT.ttfbP50), 2)} ms, direct ${f(n(dT.ttfbP50), 2)} ms (+${f(n(gT.ttfbP50) - n(dT.ttfbP50), 2)} ms; p99 +${f(n(gT.ttfbP99) - n(dT.ttfbP99), 2)} ms)`,
        }
      : { name: 'streamed TTFB p50 ≤ direct + 3 ms', pass: null, detail: 'not measured' },
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
