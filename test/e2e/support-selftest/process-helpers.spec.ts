/** The process helpers start a server, wait for its health URL, keep its output, and end its children too. */
import { readFileSync } from 'node:fs';
import { getFreePort, getFreePorts } from '../../support/ports';
import { startProcess } from '../../support/process';

jest.setTimeout(30_000);

// A server that also starts a long-lived child process (as a Nest app with workers might).
const SERVER = `
const http = require('node:http');
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
console.log('child-pid=' + child.pid);
http.createServer((req, res) => { res.statusCode = req.url === '/healthz' ? 200 : 404; res.end('ok'); })
  .listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening on ' + process.env.PORT));
`;

/** Alive and not a zombie (an orphan is reaped by PID 1 a moment after it dies). */
function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitUntilDead(pid: number, timeoutMs = 3_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return !isAlive(pid);
}

describe('process helpers', () => {
  it('waits for /healthz, collects output, and stops the process group', async () => {
    const port = await getFreePort();
    const server = await startProcess({
      name: 'health-server',
      args: ['-e', SERVER],
      env: { PORT: String(port) },
      readyUrl: `http://127.0.0.1:${port}/healthz`,
    });
    expect(server.output()).toContain(`listening on ${port}`);
    const childPid = Number(/child-pid=(\d+)/.exec(server.output())?.[1]);
    expect(isAlive(childPid)).toBe(true);

    const exit = await server.stop();

    expect(exit.signal).toBe('SIGTERM');
    expect(await waitUntilDead(server.pid)).toBe(true);
    expect(await waitUntilDead(childPid)).toBe(true);
  });

  it('fails fast with the output when the process exits before it is ready', async () => {
    const port = await getFreePort();
    await expect(
      startProcess({
        name: 'crasher',
        args: ['-e', 'console.error("boom: missing config"); process.exit(3)'],
        readyUrl: `http://127.0.0.1:${port}/healthz`,
        readyTimeoutMs: 10_000,
      }),
    ).rejects.toThrow(/exited \(code 3[\s\S]*boom: missing config/);
  });

  it('hands out distinct free ports', async () => {
    const ports = await getFreePorts(5);
    expect(new Set(ports).size).toBe(5);
  });
});
