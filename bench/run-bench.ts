/**
 * `npm run bench`: the gateway side by side with the upstream called directly (the physical limit) and a thin
 * Node reverse proxy (what forwarding alone costs in Node), in one run so the ratios hold on a noisy machine.
 *
 * Layout on 2 cores: the servers under test (thin proxy and gateway, loaded one at a time) on cpu0; the fake
 * upstream and the load generator on cpu1. Each cell runs in rounds; in each round every target gets the same
 * load in turn, and the targets are compared round by round. Every phase is bounded; every process started
 * is stopped.
 *
 * Tracing's cost (issue 13): `traced` is a second gateway of the same build with tracing on, exporting
 * OTLP/protobuf to a local receiver (`otlp-sink`, on the load core) as a collector would take it; the check
 * compares it with the gateway round by round in `chat-c64-tracing`, where the two are loaded together (each
 * at c=64, sharing the server core), and prints the same comparison from chat c=64, one after the other.
 *
 * env: BENCH_ROUNDS (3) BENCH_DURATION_S (3, measured per round) BENCH_WARMUP_S (1, per round)
 *      BENCH_TARGETS (direct,thin,gateway,traced) BENCH_CELLS (all)
 *      BENCH_PORT_BASE (18090) BENCH_CPU_PROF (1 → gateway runs with --cpu-prof, top functions printed)
 *      BENCH_GATEWAY_MAIN (dist/apps/gateway/src/main.js of this checkout)
 *      BENCH_ALT_NODE (a path to another Node binary: a second gateway runs on it, measured in the same rounds
 *      as `gateway@<its version>`, e.g. the machine's Node 20 beside the project's Node 24)
 *      BENCH_ALT_GATEWAY_MAIN (the second gateway's entry point: another build, e.g. an older commit's, for an
 *      A/B of two code versions in the same rounds; default: this checkout's)
 *      BENCH_ALT_NODE_FLAGS (the second gateway's Node flags instead of `npm start`'s, space-separated; empty: none)
 *      BENCH_ALT_MALLOC_ARENA_MAX (the second gateway's MALLOC_ARENA_MAX instead of `npm start`'s; glibc's own
 *      default is 8 per core, 16 on this 2-core machine)
 *      BENCH_OTLP (gateway | alt | both: which other gateway exports its spans too, OTLP/protobuf, to the local
 *      receiver on cpu1; `traced` always does; leave `traced` out of BENCH_TARGETS to skip it)
 *      BENCH_GATEWAY_NODE_FLAGS (more Node flags for every gateway, space-separated, e.g. --perf-basic-prof)
 *      BENCH_AA (1 → `traced` starts with tracing off: an A/A run of two identical gateways, which shows the
 *      noise of the tracing comparison itself)
 */
import { chmodSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync, type ChildProcess } from 'node:child_process';
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
import { checks, median, printTable, type Measurement, type Memory } from './report';
import type { FromGenerator, LoadResult, LoadSpec, ToGenerator } from './types';

const ROOT = resolve(__dirname, '../..');
const FIXTURES = join(ROOT, 'bench/fixtures');
const OUT_DIR = join(ROOT, 'bench-results');
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 3);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 1);
const TARGETS = (process.env.BENCH_TARGETS ?? 'direct,thin,gateway,traced').split(',') as TargetName[];
const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 18090);
const PORTS = {
  gateway: PORT_BASE,
  upstream: PORT_BASE + 1,
  thin: PORT_BASE + 2,
  altGateway: PORT_BASE + 3,
  otlp: PORT_BASE + 4,
  traced: PORT_BASE + 5,
};
const OTLP = process.env.BENCH_OTLP;
const AA = process.env.BENCH_AA === '1';
/** Node flags for every gateway on top of `npm start`'s (V8's are refused in NODE_OPTIONS): --perf-basic-prof, --trace-deopt. */
const EXTRA_NODE_FLAGS = (process.env.BENCH_GATEWAY_NODE_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
const ALT_NODE = process.env.BENCH_ALT_NODE;
const ALT_GATEWAY_MAIN = process.env.BENCH_ALT_GATEWAY_MAIN;
const ALT_NODE_FLAGS = process.env.BENCH_ALT_NODE_FLAGS;
const ALT_ARENAS = process.env.BENCH_ALT_MALLOC_ARENA_MAX;
const CPU_PROF = process.env.BENCH_CPU_PROF === '1';
// Another build of the gateway (e.g. a patched copy) can be benched in place of this checkout's.
const GATEWAY_MAIN = process.env.BENCH_GATEWAY_MAIN ?? join(ROOT, 'dist/apps/gateway/src/main.js');
const SERVER_CPU = 0;
const LOAD_CPU = 1;

const upstreamUrl = `http://127.0.0.1:${PORTS.upstream}`;
/** A server under test; `pid` is undefined for direct (the fake upstream itself). */
interface Target {
  /** What it is (which cells apply, which path it is sent); `name` tells two gateways apart. */
  kind: TargetName;
  name: string;
  origin: string;
  pid?: number;
}
const log = (msg: string): void => console.log(`[bench] ${msg}`);

/**
 * The gateway runs with what `npm start` gives it: its Node flags (the young-generation size) unless NODE_OPTIONS
 * is set, and its malloc arena limit unless MALLOC_ARENA_MAX is set.
 */
function startScriptSettings(): { nodeFlags: string[]; env: Record<string, string> } {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const script = manifest.scripts.start;
  const arenas = /MALLOC_ARENA_MAX=\$\{MALLOC_ARENA_MAX:-(\d+)\}/.exec(script)?.[1];
  return {
    nodeFlags: process.env.NODE_OPTIONS ? [] : (script.match(/--max-semi-space-size=\d+/g) ?? []),
    env: process.env.MALLOC_ARENA_MAX || !arenas ? {} : { MALLOC_ARENA_MAX: arenas },
  };
}

/** The load generator child: one window at a time, over one or more targets; `onMeasuring` fires when the measured window opens. */
function runLoad(gen: ChildProcess, specs: LoadSpec[], onMeasuring: () => void): Promise<LoadResult[]> {
  return new Promise((res, rej) => {
    const timeout = setTimeout(() => rej(new Error('load generator timed out')), (WARMUP_S + DURATION_S + 40) * 1000);
    const onMsg = (msg: FromGenerator): void => {
      if (msg.type === 'measuring') return onMeasuring();
      clearTimeout(timeout);
      gen.off('message', onMsg);
      if (msg.type === 'result') res(msg.results);
      else rej(new Error(msg.error));
    };
    gen.on('message', onMsg);
    const run: ToGenerator = { type: 'run', specs, warmupS: WARMUP_S, durationS: DURATION_S };
    gen.send(run);
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

/**
 * Seconds until a server uses < 5% of a core over 250 ms (at most 10 s): how long it stays busy after the load
 * stops. `cpu` reads its CPU seconds: a gateway's with its embedded PostgreSQL, whose writes of the round's
 * rows would otherwise go on into the next target's round.
 */
async function waitIdle(cpu: () => number): Promise<number> {
  const t0 = Date.now();
  for (let last = cpu(); Date.now() - t0 < 10_000;) {
    await new Promise((r) => setTimeout(r, 250));
    const now = cpu();
    if (now - last < 0.0125) break;
    last = now;
  }
  return (Date.now() - t0) / 1000 - 0.25;
}

/** What one target did in one round of one cell. */
interface Round {
  result: LoadResult;
  cpuS: number;
  treeCpuS?: number;
  loadCorePct: number;
  otherCpuPct: number;
  tailS: number;
  rssMb: number;
}

/** A gateway of this bench (with tracing off or on), not the upstream or the thin proxy. */
const isGateway = (target: Target): boolean => target.kind === 'gateway' || target.kind === 'traced';

/** What a target is sent for a cell: the gateway routes by model, so it has its own path (and body, for the slow channel). */
function requestFor(target: Target, cell: Cell): { url: string; body: string } {
  const gateway = isGateway(target);
  return { url: target.origin + (gateway ? cell.gatewayPath : cell.path), body: gateway ? (cell.gatewayBody ?? cell.body) : cell.body };
}

/**
 * One round of a cell: every target given loaded in the same window (one target, or the two of an A/B cell),
 * each server's CPU counted from when the measured window opens until it is idle again.
 */
async function measureRound(targets: Target[], cell: Cell, gen: ChildProcess, upstreamPid: number): Promise<Round[]> {
  const specs: LoadSpec[] = targets.map((target) => ({
    ...requestFor(target, cell),
    headers: cell.headers,
    connections: cell.connections,
    expect: cell.expect,
  }));
  // direct: the server under test is the upstream itself
  const pids = targets.map((target) => target.pid ?? upstreamPid);
  let cpu0: number[] = [];
  let tree0: number[] = [];
  let up0 = 0;
  let busy0 = 0;
  const results = await runLoad(gen, specs, () => {
    cpu0 = pids.map((pid) => cpuSeconds(pid));
    tree0 = pids.map((pid) => treeCpuSeconds(pid));
    up0 = cpuSeconds(upstreamPid);
    busy0 = machineBusySeconds();
  });
  const busy = machineBusySeconds() - busy0;
  const upstream = cpuSeconds(upstreamPid) - up0;
  const rssMb = pids.map((pid) => memoryMb(pid, 'VmRSS'));
  const seconds = results[0]?.seconds ?? DURATION_S;
  const generatorCpuPct = results[0]?.generatorCpuPct ?? 0;
  // Everything else the machine did meanwhile (other people's builds and tests): noise indicator.
  const servers = sum(targets.map((target, i) => (target.pid === undefined ? 0 : treeCpuSeconds(pids[i] as number) - (tree0[i] ?? 0))));
  const ours = servers + upstream + (generatorCpuPct / 100) * seconds;
  const otherCpuPct = Math.max(0, ((busy - ours) / (seconds * 2)) * 100);
  // Work a server defers (e.g. queued trace writes) is part of what a request costs: wait until it idles.
  const tails = await Promise.all(
    targets.map((target, i) => {
      const pid = pids[i] as number;
      return waitIdle(isGateway(target) ? () => treeCpuSeconds(pid) : () => cpuSeconds(pid));
    }),
  );
  return targets.map((target, i) => {
    const pid = pids[i] as number;
    const result = results[i] as LoadResult;
    return {
      result,
      cpuS: cpuSeconds(pid) - (cpu0[i] ?? 0),
      treeCpuS: isGateway(target) ? treeCpuSeconds(pid) - (tree0[i] ?? 0) : undefined,
      loadCorePct: generatorCpuPct + (upstream / seconds) * 100,
      otherCpuPct,
      tailS: tails[i] ?? 0,
      rssMb: rssMb[i] ?? 0,
    };
  });
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const medianOf = (rs: LoadResult[], key: 'p50' | 'p90' | 'p99' | 'ttfbP50' | 'ttfbP99'): number | null => {
  const xs = rs.map((r) => r[key]).filter((v): v is number => v !== null);
  return xs.length ? median(xs) : null;
};

/** One row of the table from a target's rounds: counts summed, percentiles the median of the rounds' percentiles. */
function merge(m: Measurement, rounds: Round[]): void {
  const rs = rounds.map((r) => r.result);
  const requests = sum(rs.map((r) => r.requests));
  const seconds = sum(rs.map((r) => r.seconds));
  const n = Math.max(1, requests + sum(rs.map((r) => r.errors)));
  m.rounds = rs;
  m.result = {
    requests,
    errors: sum(rs.map((r) => r.errors)),
    errorSamples: [...new Set(rs.flatMap((r) => r.errorSamples))].slice(0, 5),
    seconds,
    rps: requests / seconds,
    p50: medianOf(rs, 'p50'),
    p90: medianOf(rs, 'p90'),
    p99: medianOf(rs, 'p99'),
    max: Math.max(...rs.map((r) => r.max ?? NaN)),
    ttfbP50: medianOf(rs, 'ttfbP50'),
    ttfbP99: medianOf(rs, 'ttfbP99'),
    generatorCpuPct: sum(rs.map((r) => r.generatorCpuPct * r.seconds)) / seconds,
  };
  m.cpuUsPerReq = (sum(rounds.map((r) => r.cpuS)) * 1e6) / n;
  if (rounds[0]?.treeCpuS !== undefined) m.treeCpuUsPerReq = (sum(rounds.map((r) => r.treeCpuS ?? 0)) * 1e6) / n;
  m.loadCorePct = sum(rounds.map((r) => r.loadCorePct * r.result.seconds)) / seconds;
  m.otherCpuPct = sum(rounds.map((r) => r.otherCpuPct * r.result.seconds)) / seconds;
  m.tailS = Math.max(...rounds.map((r) => r.tailS));
  m.rssMb = rounds[rounds.length - 1]?.rssMb;
}

/**
 * Every cell, round by round: within a round each target gets the same load back to back, so the ratios
 * compare targets measured seconds apart, not minutes apart (this machine's speed drifts up to 2x over minutes);
 * a together cell loads its targets in the same window instead.
 * Every other round runs the targets in reverse order, so that no target always goes first or always follows
 * the same one (a gateway's embedded PostgreSQL may still be writing the last round's rows).
 */
async function measureAll(targets: Target[], cells: Cell[], gen: ChildProcess, upstreamPid: number): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (const cell of cells) {
    const runs: { target: Target; m: Measurement; rounds: Round[] }[] = [];
    for (const target of targets.filter((t) => cell.targets.includes(t.kind))) {
      const m: Measurement = { cell: cell.id, label: cell.label, target: target.name, connections: cell.connections };
      out.push(m);
      const { url, body } = requestFor(target, cell);
      const bad = await sanity(url, cell, body);
      if (bad) {
        m.error = `sanity check failed: ${bad}`;
        log(`${cell.id} ${target.name}: ${m.error}`);
      } else runs.push({ target, m, rounds: [] });
    }
    for (let round = 1; round <= Math.max(ROUNDS, cell.minRounds ?? 0); round++) {
      const order = round % 2 === 1 ? runs : [...runs].reverse();
      // A together cell loads its targets in one window; the others one target after the other.
      for (const group of cell.together ? [order] : order.map((run) => [run])) {
        const live = group.filter((run) => !run.m.error);
        if (live.length === 0 || (cell.together && live.length < group.length)) continue;
        try {
          const rounds = await measureRound(
            live.map((run) => run.target),
            cell,
            gen,
            upstreamPid,
          );
          live.forEach((run, i) => {
            const r = rounds[i] as Round;
            run.rounds.push(r);
            log(
              `${cell.id} ${run.target.name} round ${round}: ${r.result.rps.toFixed(0)} rps, p50 ${r.result.p50?.toFixed(3) ?? '-'} ms, ` +
                `TTFB p50 ${r.result.ttfbP50?.toFixed(3) ?? '-'} ms, errors ${r.result.errors}, ` +
                `CPU ${((r.cpuS * 1e6) / Math.max(1, r.result.requests + r.result.errors)).toFixed(0)} µs/req`,
            );
          });
        } catch (e) {
          for (const run of live) {
            run.m.error = String(e);
            log(`${cell.id} ${run.target.name}: ${run.m.error}`);
          }
        }
      }
    }
    for (const run of runs) if (!run.m.error && run.rounds.length) merge(run.m, run.rounds);
  }
  return out;
}

function gatewayConfig(dataDir: string, port: number): string {
  const up = `http://127.0.0.1:${PORTS.upstream}`;
  return `server: { port: ${port}, host: 127.0.0.1 }
data_dir: ${dataDir}
log: { level: warn }
bootstrap:
  channels:
    - { name: fast-chat, type: openai, base_url: ${up}/v1, api_key: sk-upstream, models: [bench-chat] }
    - { name: slow-chat, type: openai, base_url: ${up}/slow/v1, api_key: sk-upstream, models: [bench-slow] }
    - { name: short-chat, type: openai, base_url: ${up}/short/v1, api_key: sk-upstream, models: [bench-short] }
    - { name: responses, type: openai-responses, base_url: ${up}/v1, api_key: sk-upstream, models: [bench-responses] }
  api_keys:
    - name: bench
      key: ${API_KEY}
      active_profile: default
      profiles:
        - name: default
          rules:
            - { from: gpt-4o, to: bench-chat }
            - { from: gpt-4o-slow, to: bench-slow }
            - { from: gpt-4o-short, to: bench-short }
            - { from: gpt-4o-responses, to: bench-responses }
`;
}

interface RunningGateway {
  target: Target;
  child: ChildProcess;
  startupS: number;
  idleRssMb: number;
  startupPeakMb: number;
  dataDir: string;
}

/**
 * Which gateway: the bench's own (`gateway`); the same with tracing on (`traced`); or a second one on another
 * Node or build (`alt`: BENCH_ALT_NODE, BENCH_ALT_GATEWAY_MAIN, BENCH_ALT_NODE_FLAGS, BENCH_ALT_MALLOC_ARENA_MAX).
 */
type GatewayVariant = { role: 'gateway' } | { role: 'traced' } | { role: 'alt'; node: string; name: string; main?: string };

async function startGateway(variant: GatewayVariant): Promise<RunningGateway | string> {
  const alt = variant.role === 'alt' ? variant : undefined;
  const name = alt?.name ?? variant.role;
  const port = alt ? PORTS.altGateway : variant.role === 'traced' ? PORTS.traced : PORTS.gateway;
  const tmp = mkdtempSync(join(tmpdir(), 'gw-bench-'));
  chmodSync(tmp, 0o755); // as root, embedded PostgreSQL runs as `postgres` and must traverse this dir
  const configFile = join(tmp, 'config.yml');
  writeFileSync(configFile, gatewayConfig(join(tmp, 'data'), port));
  const logFile = join(OUT_DIR, alt ? 'gateway-alt.log' : `${variant.role}.log`);
  const logFd = openSync(logFile, 'w');
  const profDir = join(OUT_DIR, 'cpu-prof');
  const settings = startScriptSettings();
  if (alt && ALT_NODE_FLAGS !== undefined) settings.nodeFlags = ALT_NODE_FLAGS.split(' ').filter((flag) => flag !== '');
  if (alt && ALT_ARENAS !== undefined) settings.env = { MALLOC_ARENA_MAX: ALT_ARENAS };
  const tracing = (variant.role === 'traced' && !AA) || OTLP === 'both' || OTLP === variant.role;
  if (tracing) settings.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${PORTS.otlp}`;
  const nodeFlags = [...settings.nodeFlags, ...EXTRA_NODE_FLAGS, ...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [])];
  log(`starting ${name} on :${port}${tracing ? ', tracing on' : ''} (data in ${tmp}, log ${logFile})`);
  const t0 = Date.now();
  // Pinned once ready, as ../shared/bench does: the gateway's threads on the server core, its embedded
  // PostgreSQL (started meanwhile) left to the scheduler. Pinned from the start, PostgreSQL would inherit
  // the server core and compete with the gateway for it, which no deployment does on purpose.
  const child = spawnNode(undefined, [...nodeFlags, alt?.main ?? GATEWAY_MAIN, '--config', configFile], {
    name,
    stdio: ['ignore', logFd, logFd],
    env: settings.env,
    node: alt?.node,
  });
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  const base = `http://127.0.0.1:${port}`;
  const ready = (await waitHttp(`${base}/healthz`, 120_000, alive)) && (await waitHttp(`${base}/readyz`, 60_000, alive));
  if (!ready || child.pid === undefined) {
    await stop(child, 20_000);
    rmSync(tmp, { recursive: true, force: true });
    return `${name} not ready (${alive() ? 'timed out' : 'exited'}); see ${logFile}`;
  }
  pinThreads(child.pid, SERVER_CPU);
  const startupS = (Date.now() - t0) / 1000;
  log(`${name} ready in ${startupS.toFixed(1)} s, pid ${child.pid}`);
  const idleRssMb = memoryMb(child.pid, 'VmRSS');
  const startupPeakMb = memoryMb(child.pid, 'VmHWM');
  writeFileSync(`/proc/${child.pid}/clear_refs`, '5'); // reset VmHWM: the next reading is the peak under load
  return {
    target: { kind: variant.role === 'traced' ? 'traced' : 'gateway', name, origin: base, pid: child.pid },
    child,
    startupS,
    idleRssMb,
    startupPeakMb,
    dataDir: tmp,
  };
}

/**
 * What became of the spans of each gateway exporting them (its /metrics `axonhub_spans_total`): spans dropped
 * from a full queue cost nothing to export, so a tracing figure only counts with its drops beside it.
 */
async function spanExportCounts(gateways: (RunningGateway | string | undefined)[]): Promise<string[]> {
  const lines: string[] = [];
  for (const running of gateways) {
    if (!running || typeof running === 'string') continue;
    try {
      const text = await (await fetch(`${running.target.origin}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
      const counts = [...text.matchAll(/^axonhub_spans_total\{outcome="(\w+)"\} (\d+)/gm)].map(([, outcome, n]) => `${n} ${outcome}`);
      if (counts.length > 0) lines.push(`${running.target.name} spans: ${counts.join(', ')}`);
    } catch (e) {
      lines.push(`${running.target.name} spans: /metrics unreadable (${String(e)})`);
    }
  }
  return lines;
}

async function startThinProxy(children: ChildProcess[]): Promise<Target> {
  const thin = spawnNode(SERVER_CPU, [join(__dirname, 'thin-proxy.js'), String(PORTS.thin), upstreamUrl], { name: 'thin-proxy' });
  children.push(thin);
  // GET /__stats through the proxy: answers once the proxy listens and reaches the upstream.
  if (!(await waitHttp(`http://127.0.0.1:${PORTS.thin}/__stats`, 10_000)) || thin.pid === undefined)
    throw new Error('thin proxy did not start');
  return { kind: 'thin', name: 'thin', origin: `http://127.0.0.1:${PORTS.thin}`, pid: thin.pid };
}

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const only = process.env.BENCH_CELLS?.split(',');
  const cells = buildCells(FIXTURES).filter((c) => !only || only.includes(c.id));
  log(
    `${ROUNDS} rounds per cell, each target ${WARMUP_S} s warm-up + ${DURATION_S} s measured per round; taskset ${tasksetAvailable ? 'yes' : 'NOT available: processes not pinned'}`,
  );

  const upstream = spawnNode(LOAD_CPU, [join(__dirname, 'fake-upstream.js'), String(PORTS.upstream), FIXTURES], { name: 'fake-upstream' });
  const gen = spawnNode(LOAD_CPU, [join(__dirname, 'load-generator.js')], {
    name: 'load-generator',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const children = [upstream, gen];
  const traced = TARGETS.includes('traced') && cells.some((c) => c.targets.includes('traced'));
  if (OTLP !== undefined || traced) {
    children.push(spawnNode(LOAD_CPU, [join(__dirname, 'otlp-sink.js'), String(PORTS.otlp)], { name: 'otlp-sink' }));
  }
  if (CPU_PROF) rmSync(join(OUT_DIR, 'cpu-prof'), { recursive: true, force: true });
  let measurements: Measurement[] = [];
  let memory: Memory | undefined;
  let gateway: RunningGateway | string | undefined;
  /** The other gateways (tracing on, BENCH_ALT_*): their memory is printed, the RSS target is the gateway's. */
  const others: (RunningGateway | string)[] = [];
  const otherMemory = new Map<string, Memory>();
  let spanCounts: string[] = [];
  try {
    if (!(await waitHttp(`${upstreamUrl}/__stats`, 10_000)) || upstream.pid === undefined) throw new Error('fake upstream did not start');
    // All servers run for the whole bench (the thin proxy and the gateway share the server core; the one
    // not under load is idle), so each round can measure them back to back.
    const targets: Target[] = [];
    if (TARGETS.includes('direct')) targets.push({ kind: 'direct', name: 'direct', origin: upstreamUrl });
    if (TARGETS.includes('thin')) targets.push(await startThinProxy(children));
    if (TARGETS.includes('gateway')) {
      gateway = await startGateway({ role: 'gateway' });
      if (typeof gateway === 'string') log(gateway);
      else targets.push(gateway.target);
      if (traced) others.push(await startGateway({ role: 'traced' }));
      if (ALT_NODE) {
        const version = spawnSync(ALT_NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
        const variant = ALT_GATEWAY_MAIN || ALT_NODE_FLAGS !== undefined || ALT_ARENAS !== undefined;
        const name = variant ? `gateway-alt@${version}` : `gateway@${version}`;
        others.push(await startGateway({ role: 'alt', node: ALT_NODE, name, main: ALT_GATEWAY_MAIN }));
      }
      for (const other of others) {
        if (typeof other === 'string') log(other);
        else targets.push(other.target);
      }
    }
    measurements = await measureAll(targets, cells, gen, upstream.pid);
    if (typeof gateway === 'string') {
      const error = gateway;
      for (const c of cells.filter((c) => c.targets.includes('gateway')))
        measurements.push({ cell: c.id, label: c.label, target: 'gateway', connections: c.connections, error });
    } else if (gateway) {
      const pid = gateway.target.pid as number;
      const loadPeakMb = memoryMb(pid, 'VmHWM');
      await new Promise((r) => setTimeout(r, 3000)); // idle a moment: memory that stays is retained, not in flight
      memory = {
        idleRssMb: gateway.idleRssMb,
        startupPeakMb: gateway.startupPeakMb,
        loadPeakMb,
        afterLoadRssMb: memoryMb(pid, 'VmRSS'),
      };
      for (const other of others) {
        if (typeof other === 'string') continue;
        const otherPid = other.target.pid as number;
        otherMemory.set(other.target.name, {
          idleRssMb: other.idleRssMb,
          startupPeakMb: other.startupPeakMb,
          loadPeakMb: memoryMb(otherPid, 'VmHWM'),
          afterLoadRssMb: memoryMb(otherPid, 'VmRSS'),
        });
      }
    }
    spanCounts = await spanExportCounts([gateway, ...others]);
  } finally {
    for (const running of [gateway, ...others]) {
      if (!running || typeof running === 'string') continue;
      await stop(running.child, 20_000); // graceful: lets it stop PostgreSQL and write the CPU profile
      rmSync(running.dataDir, { recursive: true, force: true });
    }
    gen.send({ type: 'exit' });
    for (const c of children) await stop(c);
  }

  // Group rows by cell so direct / thin / gateway read side by side.
  const order = cells.map((c) => c.id);
  const targetOrder = ['direct', 'thin', 'gateway', 'traced'];
  const rank = (target: string): number => (targetOrder.includes(target) ? targetOrder.indexOf(target) : targetOrder.length);
  measurements.sort((a, b) => order.indexOf(a.cell) - order.indexOf(b.cell) || rank(a.target) - rank(b.target));
  const list = checks(measurements, memory);
  printTable(measurements, list);
  for (const [name, m] of otherMemory) {
    console.log(
      `${name} memory: idle ${m.idleRssMb.toFixed(1)} MB, peak ${Math.max(m.startupPeakMb, m.loadPeakMb).toFixed(1)} MB ` +
        `(startup ${m.startupPeakMb.toFixed(1)}, under load ${m.loadPeakMb.toFixed(1)}), 3 s after load ${m.afterLoadRssMb.toFixed(1)} MB`,
    );
  }
  for (const line of spanCounts) console.log(line);
  if (CPU_PROF) {
    // One profile per gateway (file names end in .<pid>.<tid>.<seq>.cpuprofile), each summarized: tracing off
    // and on side by side.
    const files = readdirSync(join(OUT_DIR, 'cpu-prof')).filter((f) => f.endsWith('.cpuprofile'));
    for (const running of [gateway, ...others]) {
      if (!running || typeof running === 'string') continue;
      const file = files.find((f) => f.split('.').at(-4) === String(running.target.pid));
      if (file) console.log(`\n${running.target.name}: ` + summarizeCpuProfile(join(OUT_DIR, 'cpu-prof', file), 25, running.startupS));
    }
  }
  const json = {
    date: new Date().toISOString(),
    node: process.version,
    rounds: ROUNDS,
    durationS: DURATION_S,
    warmupS: WARMUP_S,
    measurements,
    memory,
    otherMemory: Object.fromEntries(otherMemory),
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
