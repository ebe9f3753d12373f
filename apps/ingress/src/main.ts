import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@gw/config';
import { applyHeapGrowth, exitOnStartupFailure, ownProcessExit } from '@gw/platform';
import { activeTelemetry, startTelemetry } from '@gw/telemetry';
import { drainAndClose } from './graceful-shutdown';
import { createIngressApp } from './ingress-app.factory';
import { InFlightRequests } from './proxy/in-flight-requests';

/** Distributed mode: the ingress alone; auth, routing and trace answer over NATS. */
async function main(): Promise<void> {
  const config = loadConfig();
  applyHeapGrowth(config);
  if (!config.nats.url) throw new Error('apps/ingress runs in distributed mode: set nats.url (or run `npm start` for embedded mode)');
  startTelemetry(config, 'axonhub-ingress');
  let app: INestApplication | undefined = undefined; // set once started
  // Registered before the start: a signal while waiting for the routing service ends the process cleanly too.
  ownProcessExit({
    shutdown: async () => {
      if (app) await drainAndClose(app, config);
      await activeTelemetry()?.shutdown();
    },
    hurry: () => app?.get(InFlightRequests).hurry(),
  });
  app = await createIngressApp(config);
}

main().catch(exitOnStartupFailure);
