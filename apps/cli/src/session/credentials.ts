import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError, ExitCode } from '../exit-codes';

/** What `axonhub login` keeps between runs (mode 0600: it holds a bearer token). */
export interface SavedSession {
  url: string;
  token: string;
  /** `token`: logged in with an admin token (logout only forgets it); `password`: a session from `POST /login`. */
  method: 'token' | 'password';
  user?: string;
  role?: string;
  project?: string | null;
  expires_at?: string | null;
  saved_at: string;
}

export const DEFAULT_URL = 'http://127.0.0.1:8090';

/** `$XDG_CONFIG_HOME/axonhub/cli.json`, else `~/.config/axonhub/cli.json`. */
export function sessionFile(env: NodeJS.ProcessEnv, home: string = homedir()): string {
  const base = env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(base, 'axonhub', 'cli.json');
}

export async function loadSession(file: string): Promise<SavedSession | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, ExitCode.failure);
  }
  try {
    const session = JSON.parse(text) as Partial<SavedSession>;
    if (typeof session.url !== 'string' || typeof session.token !== 'string') throw new Error('no url or token');
    return session as SavedSession;
  } catch (error) {
    throw new CliError(
      `${file} is not a saved login (${(error as Error).message}): run \`axonhub login\` again or delete it`,
      ExitCode.failure,
    );
  }
}

/** Written to a temporary file (0600) and renamed, so a crash never leaves half a file or a readable token. */
export async function saveSession(file: string, session: SavedSession): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600); // writeFile's mode is masked by the umask and ignored for an existing file
  await rename(temporary, file);
}

export async function forgetSession(file: string): Promise<boolean> {
  try {
    await rm(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

export interface Connection {
  url: string;
  token: string | undefined;
  /** Where the token came from, for `whoami` and for the "not logged in" hint. */
  tokenSource: 'env' | 'file' | 'none';
}

/** `--url` over `AXONHUB_URL` over the saved login over the default; `AXONHUB_ADMIN_TOKEN` over the saved token. */
export function resolveConnection(urlFlag: string | undefined, env: NodeJS.ProcessEnv, saved: SavedSession | undefined): Connection {
  const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);
  const url = nonEmpty(urlFlag) ?? nonEmpty(env.AXONHUB_URL) ?? saved?.url ?? DEFAULT_URL;
  const envToken = nonEmpty(env.AXONHUB_ADMIN_TOKEN);
  if (envToken !== undefined) return { url, token: envToken, tokenSource: 'env' };
  if (saved !== undefined) return { url, token: saved.token, tokenSource: 'file' };
  return { url, token: undefined, tokenSource: 'none' };
}
