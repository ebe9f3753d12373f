import { createServer } from 'node:net';

/** A TCP port nothing listens on right now (the kernel picks it); the caller binds it soon after. */
export function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() => (port === undefined ? reject(new Error('could not determine a free port')) : resolve(port)));
    });
  });
}
