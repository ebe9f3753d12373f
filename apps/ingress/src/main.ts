import { loadConfig } from '@gw/config';
import { applyHeapGrowth, exitOnStartupFailure } from '@gw/platform';
import { createIngressApp } from './ingress-app.factory';

/** Distributed mode: the ingress alone; auth, routing and trace answer over NATS. */
async function main(): Promise<void> {
  const config = loadConfig();
  applyHeapGrowth(config);
  if (!config.nats.url) throw new Error('apps/ingress runs in distributed mode: set nats.url (or run `npm start` for embedded mode)');
  const app = await createIngressApp(config);
  app.enableShutdownHooks();
}

main().catch(exitOnStartupFailure);
