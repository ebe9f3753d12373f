/**
 * `npm run bench`: the gateway side by side with the upstream called directly (the physical limit) and a thin
 * Node reverse proxy (what forwarding alone costs in Node), in one run so the ratios hold on a noisy machine.
 *
 * Layout on 2 cores: the server under test (thin proxy, then the gateway — never both at once) on cpu0; the
 * fake upstream and the load generator on cpu1. Every phase is bounded; every process started is stopped.
 *
 * env: BENCH_DURATION_S (8) BENCH_WARMUP_S (2) BENCH_TARGETS (direct,thin,gateway) BENCH_CELLS (all)
 *      BENCH_PORT_BASE (18090) BENCH_CPU_PROF (1 → gateway runs with --cpu-prof, top functions printed)
 *      BENCH_GATEWAY_MAIN (dist/apps/gateway/src/main.js of this checkout)
 */
import { chmodSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { buildCells, API_KEY, type Cell, type TargetName } from './cells';
import { summarizeCpuProfile } from './cpu-profile';
import {
  cpuSeconds,
  killAllStarted,
  machineBusySeconds,
  memoryMb,
  pinThreads,
  spawnNode,
  stop,
  tasksetAvailable,
  treeCpuSeconds,
  waitHttp,
} from './processes';
import { checks, printTable, type Measurement, type Memory } from './report';
import type { FromGenerator, LoadResult, LoadSpec } from './types';

const ROOT = resolve(__dirname, '../..');
const FIXTURES = join(ROOT, 'bench/fixtures');
const OUT_DIR = join(ROOT, 'bench-results');
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 2);
const TARGETS = (process.env.BENCH_TARGETS ?? 'direct,thin,gateway').split(',') as TargetName[];
const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 18090);
const PORTS = { gateway: PORT_BASE, upstream: PORT_BASE + 1, thin: PORT_BASE + 2 };
const CPU_PROF = process.env.BENCH_CPU_PROF === '1';
// Another build of the gateway (e.g. a patched copy) can be benched in place of this checkout's.
const GATEWAY_MAIN = process.env.BENCH_GATEWAY_MAIN ?? join(ROOT, 'dist/apps/gateway/src/main.js');
const SERVER_CPU = 0;
const LOAD_CPU = 1;

const upstreamUrl = `http://127.0.0.1:${PORTS.upstream}`;
const log = (msg: string): void => console.log(`[bench] ${msg}`);

/** The gateway runs with the Node flags `npm start` gives it (its young-generation size), unless NODE_OPTIONS is set. */
function startScriptNodeFlags(): string[] {
  if (process.env.NODE_OPTIONS) return [];
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return manifest.scripts.start.match(/--max-semi-space-size=\d+/g) ?? [];
}

/** The load generator child: one cell at a time; `onMeasuring` fires when the measured window opens. */
function runLoad(gen: ChildProcess, spec: LoadSpec, onMeasuring: () => void): Promise<LoadResult> {
  return new Promise((res, rej) => {
    const timeout = setTimeout(() => rej(new Error('load generator timed out')), (spec.warmupS + spec.durationS + 40) * 1000);
    const onMsg = (msg: FromGenerator): void => {
      if (msg.type === 'measuring') return onMeasuring();
      clearTimeout(timeout);
      gen.off('message', onMsg);
      if (msg.type === 'result') res(msg.result);
      else rej(new Error(msg.error));
    };
    gen.on('message', onMsg);
    gen.send({ type: 'run', spec });
  });
}

async function upstreamRequests(): Promise<number> {
  const res = await fetch(`${upstreamUrl}/__stats`);
  return ((await res.json()) as { requests: number }).requests;
}

/** One request before loading a cell: right status, right body, and exactly one upstream call behind it. */
async function sanity(url: string, cell: Cell, body: string): Promise<string | undefined> {
  try {
    const before = await upstreamRequests();
    const res = await fetch(url, { method: 'POST', headers: cell.headers, body, signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    const upstreamCalls = (await upstreamRequests()) - before;
    if (res.status !== 200 || !text.includes(cell.expect)) return `HTTP ${res.status}: ${text.slice(0, 300)}`;
    if (upstreamCalls !== 1) return `expected 1 upstream call, saw ${upstreamCalls}`;
    return undefined;
  } catch (e) {
    return String(e);
  }
}

/** Seconds until pid uses < 5% of a core over 250 ms (at most 10 s): how long it stays busy after the load stops. */
async function waitIdle(pid: number): Promise<number> {
  const t0 = Date.now();
  for (let last = cpuSeconds(pid); Date.now() - t0 < 10_000;) {
    await new Promise((r) => setTimeout(r, 250));
    const now = cpuSeconds(pid);
    if (now - last < 0.0125) break;
    last = now;
  }
  return (Date.now() - t0) / 1000 - 0.25;
}

async function measureTarget(
  target: TargetName,
  origin: string,
  serverPid: number | undefined,
  cells: Cell[],
  gen: ChildProcess,
  upstreamPid: number,
): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (const cell of cells.filter((c) => c.targets.includes(target))) {
    const url = origin + (target === 'gateway' ? cell.gatewayPath : cell.path);
    const body = target === 'gateway' ? (cell.gatewayBody ?? cell.body) : cell.body;
    const m: Measurement = { cell: cell.id, label: cell.label, target, connections: cell.connections };
    out.push(m);
    const bad = await sanity(url, cell, body);
    if (bad) {
      m.error = `sanity check failed: ${bad}`;
      log(`${cell.id} ${target}: ${m.error}`);
      continue;
    }
    const spec: LoadSpec = {
      url,
      headers: cell.headers,
      body,
      connections: cell.connections,
      warmupS: WARMUP_S,
      durationS: DURATION_S,
      expect: cell.expect,
    };
    const pid = serverPid ?? upstreamPid; // direct: the server under test is the upstream itself
    let cpu0 = 0;
    let tree0 = 0;
    let up0 = 0;
    let busy0 = 0;
    try {
      const result = await runLoad(gen, spec, () => {
        cpu0 = cpuSeconds(pid);
        tree0 = treeCpuSeconds(pid);
        up0 = cpuSeconds(upstreamPid);
        busy0 = machineBusySeconds();
      });
      const busy = machineBusySeconds() - busy0;
      const upstream = cpuSeconds(upstreamPid) - up0;
      m.result = result;
      m.rssMb = memoryMb(pid, 'VmRSS');
      m.loadCorePct = result.generatorCpuPct + (upstream / result.seconds) * 100;
      // Everything else the machine did meanwhile (other people's builds and tests): noise indicator.
      const ours = (target === 'direct' ? 0 : treeCpuSeconds(pid) - tree0) + upstream + (result.generatorCpuPct / 100) * result.seconds;
      m.otherCpuPct = Math.max(0, ((busy - ours) / (result.seconds * 2)) * 100);
      // Work a server defers (e.g. queued trace writes) is part of what a request costs: wait until it idles.
      m.tailS = await waitIdle(pid);
      const n = Math.max(1, result.requests + result.errors);
      m.cpuUsPerReq = ((cpuSeconds(pid) - cpu0) * 1e6) / n;
      if (target === 'gateway') m.treeCpuUsPerReq = ((treeCpuSeconds(pid) - tree0) * 1e6) / n;
      log(
        `${cell.id} ${target}: ${result.rps.toFixed(0)} rps, p50 ${result.p50?.toFixed(3) ?? '-'} ms, p99 ${result.p99?.toFixed(3) ?? '-'} ms, errors ${result.errors}`,
      );
    } catch (e) {
      m.error = String(e);
      log(`${cell.id} ${target}: ${m.error}`);
    }
  }
  return out;
}

function gatewayConfig(dataDir: string): string {
  const up = `http://127.0.0.1:${PORTS.upstream}`;
  return `server: { port: ${PORTS.gateway}, host: 127.0.0.1 }
data_dir: ${dataDir}
log: { level: warn }
bootstrap:
  channels:
    - { name: fast-chat, type: openai, base_url: ${up}/v1, api_key: sk-upstream, models: [bench-chat] }
    - { name: slow-chat, type: openai, base_url: ${up}/slow/v1, api_key: sk-upstream, models: [bench-slow] }
  api_keys:
    - name: bench
      key: ${API_KEY}
      active_profile: default
      profiles:
        - name: default
          rules:
            - { from: gpt-4o, to: bench-chat }
            - { from: gpt-4o-slow, to: bench-slow }
`;
}

async function benchGateway(
  cells: Cell[],
  gen: ChildProcess,
  upstreamPid: number,
): Promise<{ ms: Measurement[]; memory?: Memory; startupS?: number }> {
  const tmp = mkdtempSync(join(tmpdir(), 'gw-bench-'));
  chmodSync(tmp, 0o755); // as root, embedded PostgreSQL runs as `postgres` and must traverse this dir
  const configFile = join(tmp, 'config.yml');
  writeFileSync(configFile, gatewayConfig(join(tmp, 'data')));
  const logFile = join(OUT_DIR, 'gateway.log');
  const logFd = openSync(logFile, 'w');
  const profDir = join(OUT_DIR, 'cpu-prof');
  if (CPU_PROF) rmSync(profDir, { recursive: true, force: true });
  const nodeFlags = [...startScriptNodeFlags(), ...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [])];
  log(`starting gateway on :${PORTS.gateway} (data in ${tmp}, log ${logFile})`);
  const t0 = Date.now();
  // Pinned once ready, as ../shared/bench does: the gateway's threads on the server core, its embedded
  // PostgreSQL (started meanwhile) left to the scheduler. Pinned from the start, PostgreSQL would inherit
  // the server core and compete with the gateway for it, which no deployment does on purpose.
  const gw = spawnNode(undefined, [...nodeFlags, GATEWAY_MAIN, '--config', configFile], {
    name: 'gateway',
    stdio: ['ignore', logFd, logFd],
  });
  const alive = (): boolean => gw.exitCode === null && gw.signalCode === null;
  try {
    const base = `http://127.0.0.1:${PORTS.gateway}`;
    const ready = (await waitHttp(`${base}/healthz`, 120_000, alive)) && (await waitHttp(`${base}/readyz`, 60_000, alive));
    if (!ready || gw.pid === undefined) {
      const error = `gateway not ready (${alive() ? 'timed out' : 'exited'}); see ${logFile}`;
      log(error);
      return {
        ms: cells
          .filter((c) => c.targets.includes('gateway'))
          .map((c) => ({ cell: c.id, label: c.label, target: 'gateway', connections: c.connections, error })),
      };
    }
    pinThreads(gw.pid, SERVER_CPU);
    const startupS = (Date.now() - t0) / 1000;
    log(`gateway ready in ${startupS.toFixed(1)} s, pid ${gw.pid}`);
    const idleRssMb = memoryMb(gw.pid, 'VmRSS');
    const startupPeakMb = memoryMb(gw.pid, 'VmHWM');
    writeFileSync(`/proc/${gw.pid}/clear_refs`, '5'); // reset VmHWM: the next reading is the peak under load
    const ms = await measureTarget('gateway', base, gw.pid, cells, gen, upstreamPid);
    const loadPeakMb = memoryMb(gw.pid, 'VmHWM');
    await new Promise((r) => setTimeout(r, 3000)); // idle a moment: memory that stays is retained, not in flight
    const memory = { idleRssMb, startupPeakMb, loadPeakMb, afterLoadRssMb: memoryMb(gw.pid, 'VmRSS') };
    return { ms, memory, startupS };
  } finally {
    await stop(gw, 20_000); // graceful: lets it stop PostgreSQL and write the CPU profile
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const only = process.env.BENCH_CELLS?.split(',');
  const cells = buildCells(FIXTURES).filter((c) => !only || only.includes(c.id));
  log(
    `duration ${DURATION_S} s + warm-up ${WARMUP_S} s per cell; taskset ${tasksetAvailable ? 'yes' : 'NOT available: processes not pinned'}`,
  );

  const upstream = spawnNode(LOAD_CPU, [join(__dirname, 'fake-upstream.js'), String(PORTS.upstream), FIXTURES], { name: 'fake-upstream' });
  const gen = spawnNode(LOAD_CPU, [join(__dirname, 'load-generator.js')], {
    name: 'load-generator',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const children = [upstream, gen];
  const measurements: Measurement[] = [];
  let memory: Memory | undefined;
  let gatewayStartupS = 0;
  try {
    if (!(await waitHttp(`${upstreamUrl}/__stats`, 10_000)) || upstream.pid === undefined) throw new Error('fake upstream did not start');
    if (TARGETS.includes('direct')) measurements.push(...(await measureTarget('direct', upstreamUrl, undefined, cells, gen, upstream.pid)));
    if (TARGETS.includes('thin')) {
      const thin = spawnNode(SERVER_CPU, [join(__dirname, 'thin-proxy.js'), String(PORTS.thin), upstreamUrl], { name: 'thin-proxy' });
      children.push(thin);
      try {
        // GET /__stats through the proxy: answers once the proxy listens and reaches the upstream.
        if (!(await waitHttp(`http://127.0.0.1:${PORTS.thin}/__stats`, 10_000)) || thin.pid === undefined)
          throw new Error('thin proxy did not start');
        measurements.push(...(await measureTarget('thin', `http://127.0.0.1:${PORTS.thin}`, thin.pid, cells, gen, upstream.pid)));
      } finally {
        await stop(thin);
      }
    }
    if (TARGETS.includes('gateway')) {
      const g = await benchGateway(cells, gen, upstream.pid);
      measurements.push(...g.ms);
      memory = g.memory;
      gatewayStartupS = g.startupS ?? 0;
    }
  } finally {
    gen.send({ type: 'exit' });
    for (const c of children) await stop(c);
  }

  // Group rows by cell so direct / thin / gateway read side by side.
  const order = cells.map((c) => c.id);
  const targetOrder: TargetName[] = ['direct', 'thin', 'gateway'];
  measurements.sort(
    (a, b) => order.indexOf(a.cell) - order.indexOf(b.cell) || targetOrder.indexOf(a.target) - targetOrder.indexOf(b.target),
  );
  const list = checks(measurements, memory);
  printTable(measurements, list);
  if (CPU_PROF) {
    const files = readdirSync(join(OUT_DIR, 'cpu-prof')).filter((f) => f.endsWith('.cpuprofile'));
    if (files[0]) console.log('\n' + summarizeCpuProfile(join(OUT_DIR, 'cpu-prof', files[0]), 25, gatewayStartupS));
  }
  const json = {
    date: new Date().toISOString(),
    node: process.version,
    durationS: DURATION_S,
    warmupS: WARMUP_S,
    measurements,
    memory,
    checks: list,
  };
  writeFileSync(join(OUT_DIR, 'latest.json'), JSON.stringify(json, null, 2) + '\n');
  log(`results written to ${join(OUT_DIR, 'latest.json')}`);
}

const bail = (): void => {
  killAllStarted();
  process.exit(130);
};
process.once('SIGINT', bail);
process.once('SIGTERM', bail);
main().catch((e: unknown) => {
  console.error('[bench] failed:', e);
  killAllStarted();
  process.exit(1);
});
