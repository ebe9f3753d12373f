import { createServer } from 'node:net';

/**
 * A port that was free a moment ago on 127.0.0.1 (the OS picks it). Prefer letting servers listen on
 * port 0 themselves; use this only for processes that must be told their port up front.
 */
export async function getFreePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => (port === undefined ? reject(new Error('ports: no port assigned')) : resolve(port)));
    });
  });
}

/** Several distinct free ports (the OS could hand out the same one twice across separate calls). */
export async function getFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await getFreePort());
  return [...ports];
}
