import { readFile, readdir } from 'node:fs/promises';
import { getPriority, setPriority } from 'node:os';

/**
 * Nice steps between the gateway and its embedded PostgreSQL. On a busy machine the two compete for the
 * same cores, and the database's work there is almost all request-log inserts, which are batched and wait
 * happily; proxying a request does not. Lower priority lets the scheduler run the data plane first and
 * move the database to a less busy core. Measured on 2 cores, gateway pinned to one: 78% of the thin
 * proxy's rps at 64 connections instead of 73% (3 interleaved pairs each, ADR 0004).
 */
export const EMBEDDED_POSTGRES_NICE_STEPS = 10;

/** Highest nice value (lowest priority) on Linux and macOS. */
const LOWEST_PRIORITY = 19;

/**
 * Lowers the scheduling priority of a process and of every process it has started (PostgreSQL's
 * background workers are forked before we can act; backends forked later inherit the postmaster's). Never
 * raises a priority: only by `steps` below our own, and not above what a process already has. Best
 * effort: returns how many processes were lowered, and a system without `/proc` lowers only the root.
 */
export async function lowerPriorityOfProcessTree(rootPid: number, steps: number): Promise<number> {
  const target = Math.min(LOWEST_PRIORITY, getPriority() + steps);
  let lowered = 0;
  for (const pid of [rootPid, ...(await descendantsOf(rootPid))]) {
    try {
      if (getPriority(pid) >= target) continue;
      setPriority(pid, target);
      lowered++;
    } catch {
      // Gone meanwhile, or not ours to change: it keeps the priority it had.
    }
  }
  return lowered;
}

async function descendantsOf(rootPid: number): Promise<number[]> {
  const parents = await parentPids();
  const found: number[] = [];
  const queue = [rootPid];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const [child, parent] of parents) {
      if (parent === pid) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** pid → parent pid of every process we can see, read from `/proc/<pid>/stat`; empty without `/proc`. */
async function parentPids(): Promise<Map<number, number>> {
  const parents = new Map<number, number>();
  const entries = await readdir('/proc').catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (entry) => {
        const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
        // `pid (comm) state ppid ...`: comm may hold spaces and parentheses, so fields count from the last `)`.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const parent = Number(fields[1]);
        if (Number.isInteger(parent)) parents.set(Number(entry), parent);
      }),
  );
  return parents;
}
