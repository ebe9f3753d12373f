import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFreePort } from '../../support/ports';
import { startProcess, type ManagedProcess } from '../../support/process';
import { builtEntryPoint, REPO_ROOT } from './gateway-under-test';

export interface FreshGateway {
  process: ManagedProcess;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** A temporary folder of the test's own (the gateway's data is under `data/`); removed by `stop`. */
  directory: string;
  stop(): Promise<void>;
}

/**
 * The built gateway as a fresh machine starts it: a port and a data directory (embedded PostgreSQL), no
 * channel, no key, no admin token, so it prints its first owner token. `server` settings are merged into the
 * server section; other sections are added as given.
 */
export async function startFreshGateway(
  name: string,
  settings: { server?: Record<string, unknown>; [section: string]: unknown } = {},
): Promise<FreshGateway> {
  const directory = await mkdtemp(join(tmpdir(), 'gw-e2e-fresh-'));
  await chmod(directory, 0o755); // as root, embedded PostgreSQL runs as `postgres` and must enter it
  const port = await getFreePort();
  const origin = `http://127.0.0.1:${port}`;
  const { server, ...sections } = settings;
  const configFile = join(directory, 'config.yml');
  await writeFile(
    configFile,
    JSON.stringify({
      ...sections,
      server: { port, host: '127.0.0.1', ...server },
      data_dir: join(directory, 'data'),
      log: { level: 'warn' },
    }),
  );
  const gateway = await startProcess({
    name: `gateway (${name})`,
    args: [builtEntryPoint('gateway'), '--config', configFile],
    cwd: REPO_ROOT,
    env: { AXONHUB_CONFIG: undefined, AXONHUB_NATS_URL: undefined, AXONHUB_DB_URL: undefined, AXONHUB_ADMIN_BOOTSTRAP_TOKEN: undefined },
    readyUrl: `${origin}/healthz`,
    readyTimeoutMs: 60_000,
  });
  return {
    process: gateway,
    origin,
    directory,
    stop: async () => {
      await gateway.stop(10_000);
      await rm(directory, { recursive: true, force: true });
    },
  };
}
