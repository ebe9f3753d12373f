import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './gateway-under-test';

/** The `axonhub` command as a user runs it: the package's bin launcher, a real child process. */
export const CLI_BIN = join(REPO_ROOT, 'bin', 'axonhub');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** Written to the CLI's stdin, then closed (for --token-stdin, --password-stdin, --api-key-stdin). */
  stdin?: string;
  /** Merged over the base environment; undefined removes a variable. */
  env?: Record<string, string | undefined>;
}

/**
 * Runs `axonhub ARGS` with its own config home (the saved login lives there) and without the caller's
 * AXONHUB_URL / AXONHUB_ADMIN_TOKEN, so only what a test sets reaches it.
 */
export function cliRunner(configHome: string): (args: string[], options?: CliRunOptions) => Promise<CliRun> {
  return (args, options = {}) =>
    new Promise((resolve, reject) => {
      const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: configHome, HOME: configHome, NO_COLOR: '1' };
      delete env.AXONHUB_URL;
      delete env.AXONHUB_ADMIN_TOKEN;
      for (const [name, value] of Object.entries(options.env ?? {})) {
        if (value === undefined) delete env[name];
        else env[name] = value;
      }
      const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(options.stdin ?? '');
    });
}
