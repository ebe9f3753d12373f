import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { killGroup, makeTempDirectory } from './codex-runner';

/**
 * Runs the real Claude Code CLI (`@anthropic-ai/claude-code`, a devDependency: the npm package ships the
 * native binary for this platform) in print mode (`claude -p`) against a base URL, configured the way users
 * point it at a gateway: `ANTHROPIC_BASE_URL` and the gateway key as `ANTHROPIC_API_KEY` (sent as
 * `x-api-key`) or `ANTHROPIC_AUTH_TOKEN` (sent as a Bearer token). A fresh HOME per run keeps the machine's
 * settings and sessions out; non-essential traffic (telemetry, update checks) is switched off.
 */

export interface RunClaudeCodeOptions {
  /** The gateway's origin, without `/v1` (Claude Code adds `/v1/messages`). */
  baseUrl: string;
  apiKey: string;
  /** Send the key as `ANTHROPIC_AUTH_TOKEN` (Bearer) instead of `ANTHROPIC_API_KEY` (x-api-key). */
  asAuthToken?: boolean;
  prompt: string;
  /** `--model`, also used for Claude Code's small/fast requests. */
  model: string;
  /** `--allowedTools`: tools it may run without asking (print mode cannot ask). */
  allowedTools?: string[];
  /** Killed (process group, SIGKILL) after this long. Default 90 s. */
  timeoutMs?: number;
}

/** The `--output-format json` result. */
export interface ClaudeCodeResult {
  result: string;
  session_id: string;
  is_error: boolean;
  num_turns: number;
  subtype: string;
}

export interface ClaudeCodeRun {
  exitCode: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** Parsed stdout; undefined when it was not the JSON result. */
  result: ClaudeCodeResult | undefined;
  workdir: string;
  args: string[];
}

/** The `claude` binary of the installed devDependency (`$CLAUDE_CODE_BIN` overrides it). */
export function claudeCodeBinary(): string {
  const fromEnv = process.env['CLAUDE_CODE_BIN'];
  if (fromEnv) return fromEnv;
  const packageJson = require.resolve('@anthropic-ai/claude-code/package.json', { paths: [process.cwd(), __dirname] });
  const binary = join(dirname(packageJson), 'bin', 'claude.exe');
  if (!existsSync(binary)) throw new Error(`claude-code-runner: ${binary} not found; install devDependencies`);
  return binary;
}

export async function runClaudeCode(options: RunClaudeCodeOptions): Promise<ClaudeCodeRun> {
  const root = await makeTempDirectory('claude-code-');
  const home = join(root, 'home');
  const workdir = join(root, 'work');
  await mkdir(home, { recursive: true });
  await mkdir(workdir, { recursive: true });
  const args = [
    '-p',
    options.prompt,
    '--output-format',
    'json',
    '--model',
    options.model,
    ...(options.allowedTools === undefined ? [] : ['--allowedTools', options.allowedTools.join(',')]),
  ];
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('ANTHROPIC_') && !name.startsWith('CLAUDE')),
  );
  const child = spawn(claudeCodeBinary(), args, {
    cwd: workdir,
    env: {
      ...inherited,
      HOME: home,
      ANTHROPIC_BASE_URL: options.baseUrl,
      [options.asAuthToken ? 'ANTHROPIC_AUTH_TOKEN' : 'ANTHROPIC_API_KEY']: options.apiKey,
      ANTHROPIC_SMALL_FAST_MODEL: options.model,
      ANTHROPIC_DEFAULT_HAIKU_MODEL: options.model,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_AUTOUPDATER: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_ERROR_REPORTING: '1',
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, options.timeoutMs ?? 90_000);
  const exitCode = await new Promise<number | null>((resolveExit, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolveExit(code));
  }).finally(() => clearTimeout(timer));
  killGroup(child.pid);
  let result: ClaudeCodeResult | undefined;
  try {
    result = JSON.parse(stdout) as ClaudeCodeResult;
  } catch {
    result = undefined;
  }
  return { exitCode, timedOut, stdout, stderr, result, workdir, args };
}

export function describeClaudeCodeRun(run: ClaudeCodeRun): string {
  return [
    `claude ${run.args.join(' ')}`,
    `exit ${run.exitCode} timedOut ${run.timedOut}`,
    `stdout:\n${run.stdout.slice(-5_000)}`,
    `stderr:\n${run.stderr.slice(-5_000)}`,
  ].join('\n');
}
