import { execSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EMBEDDED_POSTGRES_NICE_STEPS, PERSISTENCE_MIGRATIONS, openDatabase, startEmbeddedPostgres } from '@gw/persistence';
import type { EmbeddedPostgres } from '@gw/persistence';

jest.setTimeout(120_000);

describe('startEmbeddedPostgres', () => {
  let dataDir: string;
  const started: EmbeddedPostgres[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gw-embedded-pg-'));
  });

  afterAll(async () => {
    for (const server of started) await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<{ server: EmbeddedPostgres; elapsedMs: number }> {
    const begin = performance.now();
    const server = await startEmbeddedPostgres(dataDir);
    started.push(server);
    return { server, elapsedMs: Math.round(performance.now() - begin) };
  }

  /** Lets each test run alone (`-t`): the first test normally creates the cluster. */
  async function ensureClusterExists(): Promise<void> {
    if (
      await stat(join(dataDir, 'pg', 'PG_VERSION')).then(
        () => true,
        () => false,
      )
    )
      return;
    await (await start()).server.stop();
  }

  it('initialises, migrates, stops and restarts with its data, beside the system PostgreSQL on 5432', async () => {
    // The system PostgreSQL must really be up for this to prove coexistence.
    const systemPostgres = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await systemPostgres.connect();
    await systemPostgres.end();

    const first = await start();
    expect(first.server.port).not.toBe(5432);
    expect(first.server.url).toMatch(/^postgres:\/\/postgres:[0-9a-f]{48}@127\.0\.0\.1:\d+\/gateway$/);
    const dataSource = await openDatabase(first.server.url);
    await dataSource.query(`INSERT INTO projects (name) VALUES ('kept-across-restart')`);
    const [{ count: migrationCount }] = await dataSource.query(`SELECT count(*)::int AS count FROM migrations`);
    expect(migrationCount).toBe(PERSISTENCE_MIGRATIONS.length);
    await dataSource.destroy();
    await first.server.stop();

    const second = await start();
    const reopened = await openDatabase(second.server.url);
    const rows: Array<{ name: string }> = await reopened.query(`SELECT name FROM projects`);
    expect(rows.map((row) => row.name)).toEqual(['kept-across-restart']);
    await reopened.destroy();
    await second.server.stop();

    // Left for the report: first start includes initdb, restart does not.
    console.info(`embedded postgres: first start ${first.elapsedMs} ms, restart ${second.elapsedMs} ms`);
  });

  it("runs below the gateway's scheduling priority: the postmaster, its workers and backends forked later", async () => {
    await ensureClusterExists();
    const { server } = await start();
    const postmaster = Number((await readFile(join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    // A backend forked after the start: it inherits the postmaster's priority.
    const client = new Client({ connectionString: server.url });
    await client.connect();
    const backend = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    const processes = [postmaster, ...childPids(postmaster)];
    expect(processes).toContain(backend);
    expect(processes.length).toBeGreaterThanOrEqual(4); // checkpointer, writers, launchers, the backend
    const expected = Math.min(19, getPriority() + EMBEDDED_POSTGRES_NICE_STEPS);
    expect(processes.map((pid) => getPriority(pid))).toEqual(processes.map(() => expected));
    await client.end();
    await server.stop();
  });

  it('keeps the cluster password private to the owner', async () => {
    await ensureClusterExists();
    const passwordStat = await stat(join(dataDir, 'pg.password'));
    expect(passwordStat.mode & 0o077).toBe(0);
  });

  it('starts after a killed run left its postmaster.pid behind', async () => {
    await ensureClusterExists();
    const pidFile = join(dataDir, 'pg', 'postmaster.pid');
    await startEmbeddedPostgres(dataDir);
    const postmasterPid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
    process.kill(postmasterPid, 'SIGKILL');
    await waitUntil(() => !isAlive(postmasterPid));
    // Not stopped afterwards: its process is gone, which is the point.
    expect((await readFile(pidFile, 'utf8')).split('\n')[0]).toBe(String(postmasterPid));

    const { server } = await start();
    expect(await selectOne(server.url)).toBe(1);
    await server.stop();
  });

  it('starts when the stale postmaster.pid names a live process that is not postgres (pid reuse)', async () => {
    await ensureClusterExists();
    // PostgreSQL alone refuses this ("lock file already exists"): the pid is alive and runs as its user.
    const postgresUid = process.getuid?.() === 0 ? Number(execSync('id -u postgres').toString().trim()) : undefined;
    const impostor = spawn('sleep', ['60'], { uid: postgresUid, stdio: 'ignore' });
    try {
      const pidFile = join(dataDir, 'pg', 'postmaster.pid');
      await writeFile(pidFile, `${impostor.pid}\n${join(dataDir, 'pg')}\n`);
      const { server } = await start();
      expect(await selectOne(server.url)).toBe(1);
      expect((await readFile(pidFile, 'utf8')).split('\n')[0]).not.toBe(String(impostor.pid));
      await server.stop();
    } finally {
      impostor.kill();
    }
  });

  it('refuses a data dir a running postgres is using', async () => {
    const { server } = await start();
    await expect(startEmbeddedPostgres(dataDir)).rejects.toThrow(/is in use by a running postgres/);
    await server.stop();
  });

  it('stops a postgres left running by a process that is gone (a gateway killed with SIGKILL), then starts', async () => {
    await ensureClusterExists();
    const { server: orphan } = await start();
    const orphanPid = Number((await readFile(join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    // The process that ran it is gone: its owner record names a pid that has exited.
    const gone = spawn('true');
    await new Promise((resolve) => gone.once('exit', resolve));
    await writeFile(join(dataDir, 'postgres.owner'), `${gone.pid}\n`);
    expect(isAlive(orphanPid)).toBe(true);

    const { server } = await start();
    expect(isAlive(orphanPid)).toBe(false);
    expect(await selectOne(server.url)).toBe(1);
    await orphan.stop(); // already stopped: returns at once
    await server.stop();
  });

  it('runs two clusters side by side from two data dirs', async () => {
    const otherDir = await mkdtemp(join(tmpdir(), 'gw-embedded-pg-other-'));
    try {
      const [one, two] = await Promise.all([startEmbeddedPostgres(dataDir), startEmbeddedPostgres(otherDir)]);
      started.push(one, two);
      expect(one.port).not.toBe(two.port);
      for (const server of [one, two]) {
        expect(await selectOne(server.url)).toBe(1);
      }
      await Promise.all([one.stop(), two.stop()]);
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });
});

async function selectOne(url: string): Promise<number | undefined> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ one: number; db: string }>('SELECT 1 AS one, current_database() AS db');
    expect(result.rows[0]?.db).toBe('gateway');
    return result.rows[0]?.one;
  } finally {
    await client.end();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Direct children of a process, from `ps` (a second reading, independent of the code under test). */
function childPids(parent: number): number[] {
  return execSync(`ps -o pid= --ppid ${parent}`, { encoding: 'utf8' })
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => pid > 0);
}
