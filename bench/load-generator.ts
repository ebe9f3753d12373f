/**
 * Closed-loop load generator, run as a child process (pinned to the load core) driven over IPC: for each
 * `run` message it opens N undici connections per target, keeps one request in flight on each for warm-up +
 * duration, and answers `measuring` when the measured window starts (so the orchestrator can snapshot the
 * servers' CPU counters) and `result` when it ends.
 *
 * A request is counted in the window it completes in, like wrk. Latency is taken with performance.now()
 * around the whole exchange; TTFB is the arrival of the first body bytes.
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'undici';
import type { FromGenerator, LoadResult, LoadSpec, ToGenerator } from './types';

const send = (msg: FromGenerator): void => void process.send?.(msg);

class Recorder {
  latencies: number[] = [];
  ttfbs: number[] = [];
  errors = 0;
  errorSamples = new Set<string>();
  fail(what: string): void {
    this.errors++;
    if (this.errorSamples.size < 5) this.errorSamples.add(what.slice(0, 300));
  }
}

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null; // (NaN would not survive IPC's JSON anyway)
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

/** Whether `needle` occurs in a stream, without buffering it: each chunk plus the previous chunk's last bytes. */
class StreamSearch {
  found = false;
  private carry: Buffer = Buffer.alloc(0);
  constructor(private readonly needle: Buffer) {}
  push(chunk: Buffer): void {
    if (this.found) return;
    const n = this.needle.length - 1;
    const seam = Buffer.concat([this.carry, chunk.subarray(0, n)]);
    this.found = seam.includes(this.needle) || chunk.includes(this.needle);
    this.carry = chunk.length >= n ? chunk.subarray(chunk.length - n) : Buffer.concat([this.carry, chunk]).subarray(-n);
  }
}

async function one(
  client: Client,
  path: string,
  spec: LoadSpec,
  body: Buffer,
  expect: Buffer,
): Promise<{ ok: boolean; ttfb: number; total: number; why: string }> {
  const t0 = performance.now();
  const res = await client.request({ path, method: 'POST', headers: spec.headers, body });
  let ttfb = 0;
  let head = '';
  const search = new StreamSearch(expect);
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    if (ttfb === 0) {
      ttfb = performance.now() - t0;
      head = chunk.subarray(0, 300).toString('utf8');
    }
    search.push(chunk);
  }
  const total = performance.now() - t0;
  const ok = res.statusCode === 200 && search.found;
  return { ok, ttfb, total, why: ok ? '' : `HTTP ${res.statusCode}, ${JSON.stringify(spec.expect)} missing: ${head.slice(0, 200)}` };
}

/** One target's load within a window: its connections, each with one request in flight, and what they saw. */
class TargetLoad {
  readonly rec = new Recorder();
  requests = 0;
  private readonly clients: Client[];
  private readonly workers: Promise<void>[];

  constructor(
    private readonly spec: LoadSpec,
    private readonly window: { phase: 'warmup' | 'measure' | 'stop' },
  ) {
    const url = new URL(spec.url);
    const body = Buffer.from(spec.body);
    const expect = Buffer.from(spec.expect);
    this.clients = Array.from(
      { length: spec.connections },
      () => new Client(url.origin, { pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 15_000, bodyTimeout: 15_000 }),
    );
    this.workers = this.clients.map((client) => this.worker(client, url.pathname, body, expect));
  }

  private async worker(client: Client, path: string, body: Buffer, expect: Buffer): Promise<void> {
    while (this.window.phase !== 'stop') {
      try {
        const r = await one(client, path, this.spec, body, expect);
        if (this.window.phase !== 'measure') continue;
        if (!r.ok) {
          this.rec.fail(r.why);
          continue;
        }
        this.requests++;
        this.rec.latencies.push(r.total);
        this.rec.ttfbs.push(r.ttfb);
      } catch (e) {
        if (this.window.phase === 'measure') this.rec.fail(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
        await new Promise((r) => setTimeout(r, 10)); // a refused connection must not become a busy loop
      }
    }
  }

  /** In-flight requests finish (bounded by the client timeouts) before the next cell starts. */
  async drain(): Promise<void> {
    await Promise.all(this.workers);
    await Promise.all(this.clients.map((c) => c.close()));
  }

  result(seconds: number, generatorCpuPct: number): LoadResult {
    const rec = this.rec;
    return {
      requests: this.requests,
      errors: rec.errors,
      errorSamples: [...rec.errorSamples],
      seconds,
      rps: this.requests / seconds,
      p50: percentile(rec.latencies, 50),
      p90: percentile(rec.latencies, 90),
      p99: percentile(rec.latencies, 99),
      max: percentile(rec.latencies, 100),
      ttfbP50: percentile(rec.ttfbs, 50),
      ttfbP99: percentile(rec.ttfbs, 99),
      generatorCpuPct,
    };
  }
}

/**
 * One window (warm-up, then the measured seconds) over every target given, loaded at the same time: one
 * target is the usual cell; two are an A/B whose targets share the same seconds of the machine.
 */
async function run(msg: Extract<ToGenerator, { type: 'run' }>): Promise<LoadResult[]> {
  const window = { phase: 'warmup' as 'warmup' | 'measure' | 'stop' };
  const loads = msg.specs.map((spec) => new TargetLoad(spec, window));
  await new Promise((r) => setTimeout(r, msg.warmupS * 1000));
  window.phase = 'measure';
  send({ type: 'measuring' });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, msg.durationS * 1000));
  window.phase = 'stop';
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await Promise.all(loads.map((load) => load.drain()));
  const generatorCpuPct = ((cpu.user + cpu.system) / 1e6 / seconds) * 100;
  return loads.map((load) => load.result(seconds, generatorCpuPct));
}

process.on('message', (msg: ToGenerator) => {
  if (msg.type === 'exit') process.exit(0);
  run(msg).then(
    (results) => send({ type: 'result', results }),
    (e: unknown) => send({ type: 'failed', error: String(e) }),
  );
});
// Orphaned (orchestrator died): leave instead of lingering.
process.on('disconnect', () => process.exit(0));
