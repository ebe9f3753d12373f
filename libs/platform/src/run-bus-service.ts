import 'reflect-metadata';
import { Module, type DynamicModule, type INestMicroservice, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { Server } from 'node:http';
import { loadConfig, type GatewayConfig } from '@gw/config';
import type { MetricsRegistry } from '@gw/metrics';
import { activeTelemetry, startTelemetry } from '@gw/telemetry';
import { BusSpanInterceptor } from './bus-span.interceptor';
import { applyHeapGrowth } from './heap-growth';
import { busServerOptions } from './bus-server.factory';
import { DatabaseModule } from './database.module';
import { gatewayLogger } from './logger';
import { closeMetricsServer, serveMetrics } from './metrics-http-server';
import { METRICS_REGISTRY } from './metrics-registry.provider';
import { PlatformModule } from './platform.module';
import { ownProcessExit } from './process-exit';

export type ServiceModuleFactory = (config: GatewayConfig) => Type | DynamicModule;

/**
 * Starts one service (auth, routing or trace) serving its subjects over NATS, with its own DataSource.
 * The queue group is the service name, so replicas share the load.
 */
export async function startBusService(
  config: GatewayConfig,
  service: string,
  serviceModule: ServiceModuleFactory,
): Promise<INestMicroservice> {
  if (!config.nats.url || !config.db.url) throw new Error(`apps/${service} runs in distributed mode: set nats.url and db.url`);

  @Module({ imports: [PlatformModule.forRoot(config), DatabaseModule.forRoot(), serviceModule(config)] })
  class ServiceAppModule {}

  const app = await NestFactory.createMicroservice<MicroserviceOptions>(ServiceAppModule, {
    ...busServerOptions(config, service),
    logger: gatewayLogger(config),
  });
  app.useGlobalInterceptors(new BusSpanInterceptor());
  await app.listen();
  return app;
}

/**
 * Distributed mode entry point of a service process. On SIGTERM/SIGINT the app closes (the bus listener
 * stops, handlers finish, the trace writer writes what it holds, the database closes), then it exits 0.
 */
export async function runBusService(service: BusServiceName, serviceModule: ServiceModuleFactory): Promise<void> {
  const config = loadConfig();
  applyHeapGrowth(config);
  startTelemetry(config, `axonhub-${service}`);
  let app: INestMicroservice | undefined = undefined; // set once started
  let metrics: Server | undefined;
  ownProcessExit({
    shutdown: async () => {
      await closeMetricsServer(metrics);
      await app?.close();
      await activeTelemetry()?.shutdown();
    },
  });
  app = await startBusService(config, service, serviceModule);
  const metricsPort = config.metrics[`${service}_port`];
  if (config.metrics.enabled && metricsPort > 0) {
    metrics = await serveMetrics(app.get<MetricsRegistry>(METRICS_REGISTRY), config.server.host, metricsPort, service);
  }
}

export type BusServiceName = 'auth' | 'routing' | 'trace';

export function exitOnStartupFailure(error: unknown): never {
  console.error(error);
  process.exit(1);
}
