/** Child processes for the bench: start pinned to a core, wait until they answer, read /proc counters, stop. */
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const HAS_TASKSET = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
const started: ChildProcess[] = [];

/**
 * `taskset -c CPU node ARGS...` (plain node without taskset, or when `cpu` is undefined), with this process's
 * environment plus `opts.env`. Each child leads its own process group.
 */
export function spawnNode(
  cpu: number | undefined,
  args: string[],
  opts: { stdio?: StdioOptions; name: string; env?: Record<string, string>; node?: string },
): ChildProcess {
  const node = opts.node ?? process.execPath;
  const pinned = HAS_TASKSET && cpu !== undefined;
  const cmd = pinned ? 'taskset' : node;
  const argv = pinned ? ['-c', String(cpu), node, ...args] : args;
  const env = { ...process.env, ...opts.env };
  const child = spawn(cmd, argv, { stdio: opts.stdio ?? ['ignore', 'inherit', 'inherit'], detached: true, env });
  started.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping.has(child) && code !== 0) console.error(`[bench] ${opts.name} exited early (code ${code}, signal ${signal})`);
  });
  return child;
}
export const tasksetAvailable = HAS_TASKSET;

/** Pins every thread of a running process to one core; processes it started earlier keep their own affinity. */
export function pinThreads(pid: number, cpu: number): void {
  if (HAS_TASKSET) spawnSync('taskset', ['-a', '-cp', String(cpu), String(pid)], { stdio: 'ignore' });
}

const stopping = new Set<ChildProcess>();

/** SIGTERM, then SIGKILL to the whole process group (embedded PostgreSQL included) after graceMs. */
export async function stop(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  stopping.add(child);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs));
  if ((await Promise.race([exited, timer])) === 'timeout') {
    console.error(`[bench] pid ${child.pid} ignored SIGTERM for ${graceMs} ms, killing its process group`);
    killGroup(child.pid);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
  }
  killGroup(child.pid); // leftovers of the group (e.g. postgres workers), normally none
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* group already gone */
  }
}

/** Last-resort cleanup (exceptions, Ctrl-C): kill every group this run started. */
export function killAllStarted(): void {
  for (const c of started) if (c.pid !== undefined) killGroup(c.pid);
}

export async function waitHttp(url: string, timeoutMs: number, isAlive: () => boolean = () => true): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && isAlive()) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return true;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

/** The node process behind `taskset -c N node ...`: taskset execs, so the pid is the same. */
export function cpuSeconds(pid: number, withReapedChildren = false): number {
  try {
    // Fields after the `(comm)` (which may contain spaces): state is [0], utime [11], stime [12], cutime [13], cstime [14].
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const reaped = withReapedChildren ? Number(f[13]) + Number(f[14]) : 0;
    return (Number(f[11]) + Number(f[12]) + reaped) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/**
 * CPU seconds of pid and all its descendants (embedded PostgreSQL runs under the gateway). Exited processes
 * count through their parent's cutime/cstime: PostgreSQL backends come and go with the pool's connections.
 */
export function treeCpuSeconds(root: number): number {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* exited meanwhile */
    }
  }
  let total = 0;
  for (const pid of parent.keys()) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        total += cpuSeconds(pid, true) || 0;
        break;
      }
    }
  }
  return total;
}

/** CPU seconds the whole machine spent busy (user + nice + system, all cores). */
export function machineBusySeconds(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]?.trim().split(/\s+/) ?? [];
  return (Number(f[1]) + Number(f[2]) + Number(f[3])) / CLK_TCK;
}

/** VmHWM / VmRSS in MB. */
export function memoryMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}
