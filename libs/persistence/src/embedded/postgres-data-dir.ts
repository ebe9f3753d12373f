import { randomBytes } from 'node:crypto';
import { chmod, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

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
 * A postmaster killed with SIGKILL leaves `postmaster.pid` behind. PostgreSQL ignores a stale file whose
 * pid is dead, but not one whose pid was reused by an unrelated process (common after a reboot in a
 * container), so a file not pointing at a live postgres is removed. A live postgres means another
 * process is using this data dir, which is reported instead.
 */
export async function clearStalePostmasterPid(pgDir: string): Promise<void> {
  const pidFile = join(pgDir, 'postmaster.pid');
  const pid = await postmasterPid(pgDir);
  if (pid === null) return;
  if (pid > 0 && (await isLivePostgres(pid))) {
    throw new Error(`embedded PostgreSQL: ${pgDir} is in use by a running postgres (pid ${pid}); stop it or use another data dir`);
  }
  await unlink(pidFile);
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
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive but owned by another user (postgres runs as its own user when we are root).
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return (await readFile(`/proc/${pid}/comm`, 'utf8')).trim() === 'postgres';
  } catch {
    return true; // no procfs (macOS): a live pid is assumed to be the postmaster
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
