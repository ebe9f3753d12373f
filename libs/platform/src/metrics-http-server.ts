import { createServer, type Server } from 'node:http';
import { Logger } from '@nestjs/common';
import { PROMETHEUS_CONTENT_TYPE, type MetricsRegistry } from '@gw/metrics';

/**
 * Distributed mode: a service without an HTTP port of its own (auth, routing, trace) answers `GET /metrics`
 * on a small one. A port it cannot bind is logged, not fatal: the service's work does not depend on it.
 */
export async function serveMetrics(registry: MetricsRegistry, host: string, port: number, service: string): Promise<Server | undefined> {
  const logger = new Logger('Metrics');
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/metrics') {
      response.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(registry.render());
    } else {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: metrics are at GET /metrics\n');
    }
  });
  return new Promise((resolve) => {
    server.once('error', (error) => {
      logger.error(`${service}: /metrics not served on ${host}:${port}: ${error.message}`);
      resolve(undefined);
    });
    server.listen(port, host, () => {
      logger.log(`${service}: metrics on http://${host}:${port}/metrics`);
      resolve(server);
    });
  });
}

export async function closeMetricsServer(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
