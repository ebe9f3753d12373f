import 'reflect-metadata';
import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { loadConfig, type GatewayConfig } from '@gw/config';
import { busServerOptions } from './bus-server.factory';
import { DatabaseModule } from './database.module';
import { logLevels } from './logger';
import { PlatformModule } from './platform.module';

/**
 * Distributed mode entry point shared by auth, routing and trace: one service per process, serving its
 * subjects over NATS (queue group = service name, so replicas share the load) with its own DataSource.
 */
export async function runBusService(
  service: string,
  serviceModule: (config: GatewayConfig) => Type | DynamicModule,
): Promise<void> {
  const config = loadConfig();
  if (!config.nats.url || !config.db.url) throw new Error(`apps/${service} runs in distributed mode: set nats.url and db.url`);

  @Module({ imports: [PlatformModule.forRoot(config), DatabaseModule.forRoot(), serviceModule(config)] })
  class ServiceAppModule {}

  const app = await NestFactory.createMicroservice<MicroserviceOptions>(ServiceAppModule, {
    ...busServerOptions(config, service),
    logger: logLevels(config),
  });
  app.enableShutdownHooks();
  await app.listen();
}

export function exitOnStartupFailure(error: unknown): never {
  console.error(error);
  process.exit(1);
}
