import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Runs the real Codex CLI (`@openai/codex`, a devDependency) in `exec` mode against a base URL, with
 * the configuration users paste (docs/codex-wire.md) plus the settings that keep it offline and
 * deterministic. Each run gets a fresh CODEX_HOME unless `codexHome` is passed (required to resume,
 * since Codex keeps its threads there).
 *
 * Sandbox: `-s read-only` works in this environment (root, no seccomp filter in place): Codex runs the
 * `exec_command` tool with the filesystem mounted read-only, so `echo` works and writes fail with
 * "Read-only file system". No `danger-full-access` is needed for the tool round trip.
 */

export type CodexSandbox = 'read-only' | 'workspace-write' | 'danger-full-access';

export interface RunCodexOptions {
  /** The provider base URL including `/v1`, e.g. the gateway's `http://127.0.0.1:PORT/v1`. */
  baseUrl: string;
  apiKey: string;
  prompt: string;
  /** Directory Codex works in (`-C`); a fresh empty temp dir by default. */
  workdir?: string;
  /** Continue a thread (`exec resume <id>`); needs the `codexHome` of the run that started it. */
  resumeThreadId?: string;
  /** CODEX_HOME of an earlier run (its `codexHome`), to resume it. A new temp one by default. */
  codexHome?: string;
  /** Default `gpt-5`, as in the config users paste. */
  model?: string;
  /** Killed (process group, SIGKILL) after this long. Default 60 s. */
  timeoutMs?: number;
  sandbox?: CodexSandbox;
  /** Adds `web_search = "disabled"` (fewer tools in the request). */
  disableWebSearch?: boolean;
  /** Extra TOML appended to config.toml. */
  extraConfig?: string;
  /**
   * Kill Codex as soon as it reports "Reconnecting..." (default true). When it cannot connect it waits
   * for the network indefinitely, ignoring `request_max_retries = 0`; a test would only see a timeout.
   */
  stopOnReconnect?: boolean;
}

export interface CodexEvent {
  type: string;
  [key: string]: unknown;
}

export interface CodexRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Killed because Codex started reconnecting (see `stopOnReconnect`). */
  stoppedOnReconnect: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
  /** Parsed `--json` lines (`thread.started`, `turn.started`, `item.started/completed`, `turn.completed`, ...). */
  events: CodexEvent[];
  /** Contents of the `-o` file: the final agent message; undefined if Codex wrote none. */
  lastMessage: string | undefined;
  threadId: string | undefined;
  codexHome: string;
  workdir: string;
  /** The exact argv after the binary, for failure messages. */
  args: string[];
}

/** Name of the environment variable the provider table points at (`env_key`). */
export const CODEX_API_KEY_ENV = 'AXONHUB_API_KEY';

const createdDirectories = new Set<string>();

/** The `codex` launcher of the installed `@openai/codex` devDependency (`$CODEX_BIN` overrides it). */
export function codexBinary(): string {
  const fromEnv = process.env['CODEX_BIN'];
  if (fromEnv) return fromEnv;
  const packageJson = require.resolve('@openai/codex/package.json', { paths: [process.cwd(), __dirname] });
  const binary = join(dirname(packageJson), 'bin', 'codex.js');
  if (!existsSync(binary)) throw new Error(`codex-runner: ${binary} not found; install devDependencies`);
  return binary;
}

/** config.toml as users paste it (docs/codex-wire.md), plus the offline/deterministic settings. */
export function codexConfigToml(options: Pick<RunCodexOptions, 'baseUrl' | 'model' | 'disableWebSearch' | 'extraConfig'>): string {
  return [
    `model = ${JSON.stringify(options.model ?? 'gpt-5')}`,
    'model_provider = "axonhub-responses"',
    'check_for_update_on_startup = false',
    ...(options.disableWebSearch ? ['web_search = "disabled"'] : []),
    '',
    '[model_providers.axonhub-responses]',
    'name = "AxonHub using Chat Completions"',
    `base_url = ${JSON.stringify(options.baseUrl)}`,
    `env_key = "${CODEX_API_KEY_ENV}"`,
    'wire_api = "responses"',
    'query_params = {}',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    '',
    '[analytics]',
    'enabled = false',
    '',
    '[feedback]',
    'enabled = false',
    '',
    '[otel]',
    'exporter = "none"',
    '',
    '[features]',
    'plugins = false',
    'remote_plugin = false',
    'apps = false',
    '',
    options.extraConfig ?? '',
  ].join('\n');
}

export async function runCodex(options: RunCodexOptions): Promise<CodexRun> {
  if (options.resumeThreadId && !options.codexHome) {
    throw new Error('codex-runner: resuming needs the codexHome of the run that started the thread');
  }
  const codexHome = options.codexHome ?? (await makeTempDirectory('codex-home-'));
  const workdir = options.workdir ?? (await makeTempDirectory('codex-work-'));
  // A separate HOME keeps the login shell Codex uses for exec_command (`bash -lc`) away from the
  // machine's profile scripts (pyenv etc. print noise into the tool output otherwise).
  const home = join(codexHome, 'home');
  await mkdir(home, { recursive: true });
  await writeFile(join(codexHome, 'config.toml'), codexConfigToml(options));
  const lastMessageFile = join(codexHome, `last-message-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);

  const args = [
    'exec',
    '--skip-git-repo-check',
    '--json',
    '--color',
    'never',
    '-s',
    options.sandbox ?? 'read-only',
    '-C',
    workdir,
    '-o',
    lastMessageFile,
    ...(options.resumeThreadId ? ['resume', options.resumeThreadId] : []),
    options.prompt,
  ];
  const started = Date.now();
  const child = spawn(codexBinary(), args, {
    cwd: workdir,
    env: { ...process.env, CODEX_HOME: codexHome, HOME: home, [CODEX_API_KEY_ENV]: options.apiKey, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'], // stdin is /dev/null: Codex otherwise waits to read more input
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  let stoppedOnReconnect = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    if (options.stopOnReconnect !== false && !stoppedOnReconnect && stdout.includes('"message":"Reconnecting...')) {
      stoppedOnReconnect = true;
      killGroup(child.pid);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, options.timeoutMs ?? 60_000);
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode, exitSignal) => resolveExit({ code: exitCode, signal: exitSignal }));
  }).finally(() => clearTimeout(timer));
  killGroup(child.pid); // anything Codex spawned and left behind

  const events = parseJsonLines(stdout);
  const threadStarted = events.find((event) => event.type === 'thread.started');
  return {
    exitCode: code,
    signal,
    timedOut,
    stoppedOnReconnect,
    durationMs: Date.now() - started,
    stdout,
    stderr,
    events,
    lastMessage: existsSync(lastMessageFile) ? await readFile(lastMessageFile, 'utf8') : undefined,
    threadId: typeof threadStarted?.['thread_id'] === 'string' ? threadStarted['thread_id'] : undefined,
    codexHome,
    workdir,
    args,
  };
}

/** Items of one kind from the completed-item events, e.g. `command_execution` or `agent_message`. */
export function completedItems(run: CodexRun, itemType: string): Array<Record<string, unknown>> {
  return run.events
    .filter((event) => event.type === 'item.completed')
    .map((event) => event['item'] as Record<string, unknown>)
    .filter((item) => item['type'] === itemType);
}

/** A compact description of a run for assertion messages. */
export function describeRun(run: CodexRun): string {
  return [
    `codex ${run.args.join(' ')}`,
    `exit ${run.exitCode} signal ${run.signal} timedOut ${run.timedOut} stoppedOnReconnect ${run.stoppedOnReconnect} in ${run.durationMs} ms`,
    `stdout:\n${run.stdout}`,
    `stderr:\n${run.stderr.slice(-5_000)}`,
  ].join('\n');
}

/** Removes the temp CODEX_HOME and work directories created by runCodex in this process. */
export async function cleanupCodexDirectories(): Promise<void> {
  await Promise.all([...createdDirectories].map((directory) => rm(directory, { recursive: true, force: true })));
  createdDirectories.clear();
}

/** A temp directory removed by `cleanupCodexDirectories` (the Claude Code runner uses it too). */
export async function makeTempDirectory(prefix: string): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), prefix));
  createdDirectories.add(directory);
  return directory;
}

function parseJsonLines(text: string): CodexEvent[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as CodexEvent];
      } catch {
        return [];
      }
    });
}

/** SIGKILL to a detached child and everything it spawned. */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
