import { Global, Module, type DynamicModule, type OnApplicationShutdown, Inject } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import type { GatewayConfig } from '@gw/config';
import { EVENTS_CLIENT, GATEWAY_CONFIG } from '@gw/contracts';
import { createBusClient } from './bus-client.factory';

class BusClientCloser implements OnApplicationShutdown {
  constructor(@Inject(EVENTS_CLIENT) private readonly client: ClientProxy) {}
  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

/** Config and the bus client, shared by every app module of one process. */
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
      ],
      exports: [GATEWAY_CONFIG, EVENTS_CLIENT],
    };
  }
}
