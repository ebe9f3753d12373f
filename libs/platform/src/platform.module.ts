import { Global, Module, type DynamicModule, type OnApplicationShutdown, Inject } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import type { GatewayConfig } from '@gw/config';
import { EVENTS_CLIENT, GATEWAY_CONFIG } from '@gw/contracts';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { createBusClient } from './bus-client.factory';
import { BusMetricsInterceptor } from './bus-metrics.interceptor';
import { METRICS_REGISTRY, metricsRegistryProvider } from './metrics-registry.provider';

class BusClientCloser implements OnApplicationShutdown {
  constructor(@Inject(EVENTS_CLIENT) private readonly client: ClientProxy) {}
  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

/** Config, the bus client and the metrics registry, shared by every app module of one process. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: PlatformModule,
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: EVENTS_CLIENT, useFactory: () => createBusClient(config) },
        BusClientCloser,
        metricsRegistryProvider,
        { provide: APP_INTERCEPTOR, useClass: BusMetricsInterceptor },
      ],
      exports: [GATEWAY_CONFIG, EVENTS_CLIENT, METRICS_REGISTRY],
    };
  }
}
