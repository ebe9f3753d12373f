import { Controller, Get, Inject, Optional, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE, REDIS } from '@gw/contracts';
import { RoutingTableHolder } from '../routing/routing-table.holder';

/** Liveness and readiness on the data-plane port (what Kubernetes probes). */
@Controller()
export class HealthController {
  constructor(
    private readonly routing: RoutingTableHolder,
    @Inject(REDIS) private readonly redis: Redis | null,
    @Optional() @Inject(DATA_SOURCE) private readonly dataSource?: DataSource,
  ) {}

  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready when routing is loaded (so the bus and routing service answered) and every configured store answers. */
  @Get('readyz')
  async readyz(@Res() reply: FastifyReply): Promise<void> {
    const checks: Record<string, string> = { routing: this.routing.isReady ? 'ok' : 'routing snapshot not loaded' };
    if (this.redis) checks.redis = await probe(() => this.redis!.ping());
    if (this.dataSource) checks.database = await probe(() => this.dataSource!.query('SELECT 1'));
    if (this.routing.isReady) checks.routing = await probe(() => this.routing.refresh());
    const ready = Object.values(checks).every((value) => value === 'ok');
    await reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  }
}

async function probe(check: () => Promise<unknown>): Promise<string> {
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 2_000).unref())]);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
