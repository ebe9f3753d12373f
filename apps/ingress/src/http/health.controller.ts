import { Controller, Get, Inject, Optional, Res } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import type { FastifyReply } from 'fastify';
import type Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { AuthSubjects, DATA_SOURCE, EVENTS_CLIENT, REDIS } from '@gw/contracts';
import { busRequest } from '@gw/transport';
import { InFlightRequests } from '../proxy/in-flight-requests';
import { RoutingTableHolder } from '../routing/routing-table.holder';

/** A readiness probe must answer before the prober gives up (Kubernetes: 1 s by default, 3 s in deploy/). */
const CHECK_TIMEOUT_MS = 1_000;

/**
 * Liveness and readiness on the data-plane port (what Kubernetes probes).
 *
 * Readiness answers "can this process serve requests now?", so it fails only on what every request
 * needs: a routing snapshot in memory, and the key check for keys not cached yet (the auth service and
 * its database answering). What requests do not wait for is reported in `checks` without failing it:
 * the routing service (requests route from the snapshot; it only brings changes), Redis (a cache tier in
 * front of the auth service). The trace service is not asked: trace events wait for it in JetStream.
 * While shutting down it fails, so load balancers stop sending before the listener closes.
 */
@Controller()
export class HealthController {
  constructor(
    private readonly routing: RoutingTableHolder,
    private readonly inFlight: InFlightRequests,
    @Inject(EVENTS_CLIENT) private readonly bus: ClientProxy,
    @Inject(REDIS) private readonly redis: Redis | null,
    @Optional() @Inject(DATA_SOURCE) private readonly dataSource?: DataSource,
  ) {}

  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(@Res() reply: FastifyReply): Promise<void> {
    const required: Record<string, Promise<string>> = {
      shutdown: Promise.resolve(this.inFlight.isDraining ? 'shutting down' : 'ok'),
      routing_snapshot: Promise.resolve(this.routing.isReady ? 'ok' : 'not loaded yet'),
      auth: probe(() => busRequest(this.bus, AuthSubjects.ping, {}, CHECK_TIMEOUT_MS, false), 'not answering'),
    };
    // Embedded mode: the database this process's auth, routing and trace use.
    if (this.dataSource) required.database = probe(() => this.dataSource!.query('SELECT 1'));
    const informative: Record<string, Promise<string>> = {
      routing_service: this.routing.isReady ? probe(() => this.routing.refresh(), 'not answering') : Promise.resolve('not answering yet'),
    };
    if (this.redis) informative.redis = probe(() => this.redis!.ping());

    const [requiredChecks, informativeChecks] = await Promise.all([settle(required), settle(informative)]);
    const ready = Object.values(requiredChecks).every((value) => value === 'ok');
    await reply
      .status(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not_ready', checks: { ...requiredChecks, ...informativeChecks } });
  }
}

async function settle(checks: Record<string, Promise<string>>): Promise<Record<string, string>> {
  const names = Object.keys(checks);
  const values = await Promise.all(Object.values(checks));
  return Object.fromEntries(names.map((name, index) => [name, values[index] as string]));
}

/** 'ok', or why not: `failure` when given (bus errors name internal subjects), else the error's message. */
async function probe(check: () => Promise<unknown>, failure?: string): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS)));
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch (error) {
    return failure ?? (error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
  }
}
