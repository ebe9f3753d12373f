import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { EMBEDDED_POSTGRES_NICE_STEPS, lowerPriorityOfProcessTree } from './background-priority';
import { findFreePort } from './free-port';
import { loadEmbeddedPostgres, tolerateDeadPostmaster } from './embedded-postgres-module';
import type { EmbeddedPostgresInstance } from './embedded-postgres-module';
import {
  claimDataDir,
  ensureTraversableByOthers,
  isClusterInitialised,
  loadOrCreatePostgresPassword,
  postmasterPid,
  releaseDataDir,
  takeOverDataDir,
} from './postgres-data-dir';

export interface EmbeddedPostgres {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/gateway`. */
  url: string;
  port: number;
  /** Fast shutdown (SIGINT); idempotent. */
  stop(): Promise<void>;
}

/**
 * The embedded-postgres package stops its servers on SIGINT/SIGTERM by itself, at the moment the app's own
 * shutdown begins (its last request-log rows then met a database shutting down), and exits the process 10 s
 * later whatever is still running. Its signal hooks are therefore removed when it is loaded: the process
 * that starts the cluster stops it on its signals, after its app has closed. The package's hook on `exit`
 * stays as the last resort: a process that exits with the cluster still up sends it SIGINT on the way out.
 */
export interface EmbeddedPostgresSettings {
  /** Receives PostgreSQL's ERROR/FATAL/PANIC lines (and the stop of an orphan); everything else is dropped. Default: stderr. */
  onError?: (line: string) => void;
}

const HOST = '127.0.0.1';
const SUPERUSER = 'postgres';
const DATABASE = 'gateway';
const START_ATTEMPTS = 3;
const RECENT_LOG_LINES = 30;
/** Fast shutdown ends sessions still closing (a pool's last sockets) with this FATAL; it is not a problem. */
const EXPECTED_AT_SHUTDOWN = /terminating connection due to administrator command/;

/**
 * Runs a private PostgreSQL cluster under `<dataDir>/pg` on a free port of 127.0.0.1, so it coexists with a
 * system PostgreSQL on 5432 and with other gateways using other data dirs. Data persists across restarts.
 */
export async function startEmbeddedPostgres(dataDir: string, settings: EmbeddedPostgresSettings = {}): Promise<EmbeddedPostgres> {
  const absoluteDataDir = resolve(dataDir);
  const pgDir = join(absoluteDataDir, 'pg');
  await mkdir(absoluteDataDir, { recursive: true });
  const runningAsRoot = process.getuid?.() === 0;
  if (runningAsRoot) await ensureTraversableByOthers(absoluteDataDir);

  const initialised = await isClusterInitialised(pgDir);
  const password = await loadOrCreatePostgresPassword(join(absoluteDataDir, 'pg.password'), initialised);
  const report = settings.onError ?? ((line: string) => process.stderr.write(`[embedded-postgres] ${line}\n`));
  const log = new PostgresLogFilter(report);
  const EmbeddedPostgresClass = loadEmbeddedPostgres();

  const createServer = (port: number): EmbeddedPostgresInstance =>
    tolerateDeadPostmaster(
      new EmbeddedPostgresClass({
        databaseDir: pgDir,
        port,
        user: SUPERUSER,
        password,
        authMethod: 'scram-sha-256',
        persistent: true,
        // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user, creating
        // that user when missing (a one-time change to the host, acceptable in a container).
        createPostgresUser: true,
        initdbFlags: ['--encoding=UTF8', '--locale=C'],
        postgresFlags: [
          `--listen_addresses=${HOST}`,
          // No Unix socket: its default directory may belong to a system PostgreSQL, and TCP is all we use.
          '--unix_socket_directories=',
          // Failing statements could carry parameters we would rather not print.
          '--log_min_error_statement=panic',
        ],
        onLog: (message) => log.accept(message),
        onError: (error) => log.accept(`ERROR: ${error instanceof Error ? error.message : String(error)}`),
      }),
    );

  if (!initialised) await createServer(0).initialise();
  const ownerFile = join(absoluteDataDir, OWNER_FILE);
  await takeOverDataDir(pgDir, ownerFile, report);
  await claimDataDir(ownerFile);
  try {
    return await startCluster();
  } catch (error) {
    await releaseDataDir(ownerFile);
    throw error;
  }

  async function startCluster(): Promise<EmbeddedPostgres> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      // Chosen per attempt: another process may grab a free port between our probe and postgres' bind.
      const port = await findFreePort(HOST);
      const server = createServer(port);
      const ownStop = async (): Promise<void> => {
        await server.stop();
        await releaseDataDir(ownerFile);
      };
      try {
        await server.start();
      } catch (error) {
        lastError = error ?? new Error('postgres exited during start');
        continue;
      }
      try {
        await ensureDatabase(port, password);
        const pid = await postmasterPid(pgDir);
        if (pid !== null && pid > 0) await lowerPriorityOfProcessTree(pid, EMBEDDED_POSTGRES_NICE_STEPS);
      } catch (error) {
        await ownStop();
        throw error;
      }
      return {
        url: `postgres://${SUPERUSER}:${encodeURIComponent(password)}@${HOST}:${port}/${DATABASE}`,
        port,
        stop: onlyOnce(ownStop),
      };
    }
    const reason = lastError instanceof Error ? lastError.message : String(lastError);
    throw new Error(`embedded PostgreSQL did not start in ${pgDir}: ${reason}\n${log.recent().join('\n')}`);
  }
}

/** `<data_dir>/postgres.owner`: the pid of the process running the cluster (see takeOverDataDir). */
const OWNER_FILE = 'postgres.owner';

async function ensureDatabase(port: number, password: string): Promise<void> {
  const client = new Client({ host: HOST, port, user: SUPERUSER, password, database: 'postgres' });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE "${DATABASE}"`);
  } finally {
    await client.end();
  }
}

function onlyOnce(action: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= action());
}

/** Keeps recent lines for a start failure report and forwards only problems. */
class PostgresLogFilter {
  private readonly lines: string[] = [];

  constructor(private readonly onProblem: (line: string) => void) {}

  accept(message: string): void {
    for (const line of message.split('\n')) {
      const trimmed = line.trimEnd();
      if (trimmed.length === 0) continue;
      this.lines.push(trimmed);
      if (this.lines.length > RECENT_LOG_LINES) this.lines.shift();
      if (/\b(ERROR|FATAL|PANIC):/.test(trimmed) && !EXPECTED_AT_SHUTDOWN.test(trimmed)) this.onProblem(trimmed);
    }
  }

  recent(): string[] {
    return [...this.lines];
  }
}
