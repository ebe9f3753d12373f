import type { Server } from 'node:http';
import { Logger, type INestApplication } from '@nestjs/common';
import type { GatewayConfig } from '@gw/config';
import { InFlightRequests } from './proxy/in-flight-requests';

/** How long interrupted requests get to write their error and end before their connections are cut. */
const INTERRUPT_GRACE_MS = 5_000;
/** Connections whose last answer is complete are closed this often while draining. */
const IDLE_SWEEP_MS = 200;

/**
 * Ends the ingress in order: readiness fails and no new connection or request is accepted; requests in
 * flight run on for up to `server.shutdown_drain_ms`, then the rest are ended with a 503 in their own
 * protocol; every connection is closed; then the app closes (the last request-log events are published
 * and written, then the database and the bus close). The caller stops the embedded PostgreSQL after.
 */
export async function drainAndClose(app: INestApplication, config: Pick<GatewayConfig, 'server'>): Promise<void> {
  const logger = new Logger('Shutdown');
  const inFlight = app.get(InFlightRequests);
  const server = app.getHttpServer() as Server;
  inFlight.beginDraining();
  // No new connections. Node closes idle keep-alive connections now; requests that still arrive on busy
  // ones are answered 503 with `connection: close` (see InFlightRequests.admit).
  server.close();
  const idleSweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  try {
    if (inFlight.size > 0) {
      logger.log(`waiting up to ${config.server.shutdown_drain_ms} ms for ${inFlight.size} request(s) in flight`);
    }
    const outcome = await inFlight.drain(config.server.shutdown_drain_ms, INTERRUPT_GRACE_MS);
    if (outcome.interrupted > 0) logger.warn(`${outcome.interrupted} request(s) still running at the drain deadline were ended with a 503`);
    if (outcome.abandoned > 0)
      logger.warn(`${outcome.abandoned} request(s) did not end after their interruption; their connections are cut`);
  } finally {
    clearInterval(idleSweep);
    server.closeAllConnections();
  }
  // Cut connections end their requests (client gone): let them record their rows before the app closes.
  await inFlight.whenAllEnded(1_000);
  await app.close();
}
