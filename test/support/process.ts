import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';

/**
 * Runs the built gateway apps (or any process) for end-to-end tests: spawns it in its own process
 * group (so teardown also ends the children it started), keeps its output for failure messages, and
 * waits until an HTTP URL answers 200.
 */

export interface StartProcessOptions {
  /** Used in diagnostics, e.g. `ingress`. */
  name: string;
  /** Defaults to the running node binary. */
  command?: string;
  /** E.g. `['dist/apps/ingress/main.js']`. */
  args: string[];
  cwd?: string;
  /** Merged over `process.env`; an `undefined` value removes the variable. */
  env?: Record<string, string | undefined>;
  /** Poll this URL (e.g. `http://127.0.0.1:PORT/healthz`) until it answers 200. */
  readyUrl?: string;
  readyTimeoutMs?: number;
  /** Bytes of output kept for diagnostics (the most recent ones). Default 1 MiB. */
  outputLimit?: number;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  name: string;
  pid: number;
  /** Interleaved stdout and stderr so far (the last `outputLimit` bytes). */
  output(): string;
  /** Settles when the process has exited. */
  exited: Promise<ProcessExit>;
  exit: ProcessExit | undefined;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs`. Resolves once it has exited. */
  stop(graceMs?: number): Promise<ProcessExit>;
}

const running = new Set<ManagedProcess>();

// Safety net: a test that fails before its teardown must not leave servers behind.
process.once('exit', () => {
  for (const managed of running) signalGroup(managed.pid, 'SIGKILL');
});

export async function startProcess(options: StartProcessOptions): Promise<ManagedProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const child: ChildProcess = spawn(options.command ?? process.execPath, options.args, {
    cwd: options.cwd,
    env,
    detached: true, // own process group: stop() signals -pid, reaching its children too
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) {
    const spawnError = await new Promise<unknown>((resolve) => child.once('error', resolve));
    throw new Error(`process ${options.name}: failed to spawn: ${String(spawnError)}`);
  }

  const limit = options.outputLimit ?? 1024 * 1024;
  let output = '';
  const append = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    if (output.length > limit) output = output.slice(output.length - limit);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);

  const managed: ManagedProcess = {
    name: options.name,
    pid,
    output: () => output,
    exit: undefined,
    exited: new Promise<ProcessExit>((resolve) => {
      child.once('exit', (code, signal) => {
        managed.exit = { code, signal };
        running.delete(managed);
        resolve(managed.exit);
      });
    }),
    stop: async (graceMs = 5_000) => {
      if (managed.exit) return managed.exit;
      signalGroup(pid, 'SIGTERM');
      const killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
      const result = await managed.exited;
      clearTimeout(killTimer);
      signalGroup(pid, 'SIGKILL'); // children that ignored SIGTERM or outlived their parent
      return result;
    },
  };
  running.add(managed);

  if (options.readyUrl) {
    try {
      await waitForHttpOk(options.readyUrl, { timeoutMs: options.readyTimeoutMs ?? 30_000, process: managed });
    } catch (error) {
      await managed.stop(1_000);
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}\n--- output of ${options.name} ---\n${output.slice(-20_000)}`,
      );
    }
  }
  return managed;
}

export interface WaitForHttpOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Give up at once if this process exits first. */
  process?: ManagedProcess;
}

/** Polls `url` until it answers 200. */
export async function waitForHttpOk(url: string, options: WaitForHttpOptions = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let lastProblem = 'no attempt';
  while (Date.now() < deadline) {
    const exit = options.process?.exit;
    if (exit)
      throw new Error(`process ${options.process?.name} exited (code ${exit.code}, signal ${exit.signal}) before ${url} answered 200`);
    const status = await httpStatus(url).catch((error: unknown) => {
      lastProblem = String(error);
      return undefined;
    });
    if (status === 200) return;
    if (status !== undefined) lastProblem = `status ${status}`;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
  throw new Error(`${url} did not answer 200 within ${options.timeoutMs ?? 30_000} ms (last: ${lastProblem})`);
}

function httpStatus(url: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const request = get(url, { agent: false, timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.once('timeout', () => request.destroy(new Error('request timed out')));
    request.once('error', reject);
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
