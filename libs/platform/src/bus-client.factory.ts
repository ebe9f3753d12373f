import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { isEmbeddedMode, type GatewayConfig } from '@gw/config';
import { InProcessClient } from '@gw/transport';

/** The bus: NATS when `nats.url` is set, the in-process broker otherwise (embedded mode). Same contracts. */
export function createBusClient(config: GatewayConfig): ClientProxy {
  if (isEmbeddedMode(config)) return new InProcessClient();
  return ClientProxyFactory.create({
    transport: Transport.NATS,
    options: { servers: [config.nats.url as string], name: 'gateway-client' },
  });
}
