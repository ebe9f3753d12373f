import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { isEmbeddedMode, type GatewayConfig } from '@gw/config';
import { InProcessServer } from '@gw/transport';

/**
 * Options for a service's bus listener. `queue` load-balances requests among replicas of one service
 * (auth, routing); ingress listens without a queue so every replica gets every change event.
 */
export function busServerOptions(config: GatewayConfig, queue?: string): MicroserviceOptions {
  if (isEmbeddedMode(config)) return { strategy: new InProcessServer() };
  return { transport: Transport.NATS, options: { servers: [config.nats.url as string], queue } };
}
