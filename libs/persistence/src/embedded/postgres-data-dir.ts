import { randomBytes } from 'node:crypto';
import { chmod, readFile, readlink, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A cluster counts as initialised once initdb has written PG_VERSION. */
export async function isClusterInitialised(pgDir: string): Promise<boolean> {
  return stat(join(pgDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
}

/**
 * The superuser password is chosen at initdb time and kept next to the cluster (owner-only), so that other
 * local users cannot connect to the TCP port with a well-known password.
 */
export async function loadOrCreatePostgresPassword(passwordFile: string, clusterExists: boolean): Promise<string> {
  try {
    const password = (await readFile(passwordFile, 'utf8')).trim();
    if (password.length > 0) return password;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (clusterExists) {
    throw new Error(
      `embedded PostgreSQL: ${passwordFile} is missing or empty but the cluster exists; restore the file or delete the cluster`,
    );
  }
  const password = randomBytes(24).toString('hex');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  return password;
}

/**
 * Makes the cluster under `pgDir` ours to start: a postmaster still running there is either another live
 * gateway's (refused) or an orphan left by a gateway killed with SIGKILL (stopped, so this start works).
 * Whose it is comes from `ownerFile`, where the process running the cluster writes its pid: a live node
 * process there is a gateway using the data dir. Without that file (written by older versions), a
 * postmaster whose parent is a live node process counts as in use.
 *
 * A postmaster killed with SIGKILL leaves `postmaster.pid` behind. PostgreSQL ignores a stale file whose
 * pid is dead, but not one whose pid was reused by an unrelated process (common after a reboot in a
 * container), so a file not pointing at a live postgres is removed.
 */
export async function takeOverDataDir(pgDir: string, ownerFile: string, log: (line: string) => void): Promise<void> {
  const pid = await postmasterPid(pgDir);
  if (pid === null) return;
  if (pid > 0 && (await isLivePostgres(pid))) {
    const owner = await readPid(ownerFile);
    // Without an owner record (older versions wrote none), the postmaster's parent tells: a gateway started it.
    const user = owner ?? (await parentPid(pid));
    if (user !== null && user > 1 && (await isLiveNodeProcess(user))) {
      throw new Error(
        `embedded PostgreSQL: ${pgDir} is in use by a running postgres (pid ${pid}) of process ${user}; stop it or use another data dir`,
      );
    }
    log(`stopping postgres ${pid}, left running in ${pgDir} by a gateway that is gone`);
    await stopOrphanedPostmaster(pid);
  }
  await unlink(join(pgDir, 'postmaster.pid')).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

/** The process running the cluster records itself, so a later start can tell an orphan from a cluster in use. */
export async function claimDataDir(ownerFile: string): Promise<void> {
  await writeFile(ownerFile, `${process.pid}\n`, { mode: 0o600 });
}

/** Removes the owner record if it is still ours (a start that lost a race must not remove the winner's). */
export async function releaseDataDir(ownerFile: string): Promise<void> {
  if ((await readPid(ownerFile).catch(() => null)) === process.pid) await unlink(ownerFile).catch(() => undefined);
}

/**
 * Fast shutdown first (SIGINT: sessions are ended, a checkpoint is written); a postmaster that does not
 * exit in time gets an immediate shutdown (SIGQUIT: it and its children stop without a checkpoint, WAL
 * replay repairs that at the next start), and SIGKILL as the last resort.
 */
async function stopOrphanedPostmaster(pid: number): Promise<void> {
  for (const [signal, waitMs] of ORPHAN_STOP_STEPS) {
    try {
      process.kill(pid, signal);
    } catch {
      return; // gone already
    }
    if (await exitsWithin(pid, waitMs)) return;
  }
  throw new Error(`embedded PostgreSQL: the postgres left running (pid ${pid}) did not stop, even on SIGKILL`);
}

const ORPHAN_STOP_STEPS: [NodeJS.Signals, number][] = [
  ['SIGINT', 15_000],
  ['SIGQUIT', 5_000],
  ['SIGKILL', 5_000],
];

async function exitsWithin(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await isLivePostgres(pid))) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

async function readPid(file: string): Promise<number | null> {
  try {
    const pid = Number.parseInt((await readFile(file, 'utf8')).trim(), 10);
    return Number.isInteger(pid) ? pid : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The pid in `postmaster.pid` (its first line); null when there is no such file, NaN when it holds none. */
export async function postmasterPid(pgDir: string): Promise<number | null> {
  let content: string;
  try {
    content = await readFile(join(pgDir, 'postmaster.pid'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return Number.parseInt(content.split('\n')[0] ?? '', 10);
}

async function isLivePostgres(pid: number): Promise<boolean> {
  return isLiveProcessNamed(pid, (name) => name === 'postgres');
}

/**
 * A gateway runs as `node` (the Docker image and `npm start` both do). Told by the executable, not by
 * `comm`: Node 24 names its main thread `MainThread`, and that is what `/proc/<pid>/comm` shows.
 */
async function isLiveNodeProcess(pid: number): Promise<boolean> {
  if (!(await isLiveProcessNamed(pid, () => true))) return false;
  try {
    return basename(await readlink(`/proc/${pid}/exe`)).startsWith('node');
  } catch {
    // No procfs, or not allowed to read the link: fall back on the name the process gives itself.
    return isLiveProcessNamed(pid, (name) => name.startsWith('node') || name === 'MainThread');
  }
}

async function isLiveProcessNamed(pid: number, matches: (name: string) => boolean): Promise<boolean> {
  if (!isAlive(pid)) return false;
  try {
    const [comm, stat] = await Promise.all([readFile(`/proc/${pid}/comm`, 'utf8'), readFile(`/proc/${pid}/stat`, 'utf8')]);
    // A zombie (exited, not yet reaped by its parent) is no longer running.
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
    return matches(comm.trim());
  } catch {
    return true; // no procfs (macOS): a live pid is assumed to be what we look for
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive but owned by another user (postgres runs as its own user when we are root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The parent of a process, from `/proc/<pid>/stat`; null without procfs. */
async function parentPid(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid ...`: comm may hold spaces and parentheses, so fields count from the last `)`.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(parent) ? parent : null;
  } catch {
    return null;
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to traverse every directory down to
 * the cluster. The data dir is ours, so it gets the traverse bit for others (not read: nothing is listed);
 * an ancestor without it (e.g. /root) is reported rather than changed.
 */
export async function ensureTraversableByOthers(dataDir: string): Promise<void> {
  const dataDirStat = await stat(dataDir);
  if ((dataDirStat.mode & 0o001) === 0) await chmod(dataDir, (dataDirStat.mode & 0o7777) | 0o001);
  for (let ancestor = dirname(dataDir); ; ancestor = dirname(ancestor)) {
    const ancestorStat = await stat(ancestor);
    if ((ancestorStat.mode & 0o001) === 0) {
      throw new Error(
        `embedded PostgreSQL runs as the "postgres" user when started as root, and it cannot enter ${ancestor} ` +
          `(mode ${(ancestorStat.mode & 0o777).toString(8)}); choose a data dir outside it or run "chmod o+x ${ancestor}"`,
      );
    }
    if (dirname(ancestor) === ancestor) return;
  }
}
