import { Controller, Get, Inject, NotFoundException, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { GatewayConfig } from '@gw/config';
import { GATEWAY_CONFIG } from '@gw/contracts';
import { PROMETHEUS_CONTENT_TYPE, type MetricsRegistry } from '@gw/metrics';
import { METRICS_REGISTRY } from '@gw/platform';

/**
 * `GET /metrics` on the data-plane port, in Prometheus text: served by Fastify, like health checks, so it
 * needs no API key and never goes through the inference lane. Embedded mode's registry holds the services'
 * metrics too. `metrics.enabled: false` makes it a 404.
 */
@Controller()
export class MetricsController {
  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: MetricsRegistry,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get('metrics')
  async metrics(@Res() reply: FastifyReply): Promise<void> {
    if (!this.config.metrics.enabled) throw new NotFoundException();
    await reply.header('content-type', PROMETHEUS_CONTENT_TYPE).send(this.registry.render());
  }
}
