/**
 * Distributed mode under load while services crash: the trace service is SIGKILLed and restarted, then the
 * routing service is SIGKILLed (ingress keeps serving from its routing snapshot) and restarted. Afterwards
 * every request that was answered with an `AH-Request-Id` must have its request-log row, exactly once:
 * trace events wait in JetStream while the trace service is down, and one redelivered after the crash
 * (stored, not yet acked) must not be written twice.
 */
import { startDistributedGateway, type DistributedGatewayUnderTest } from '../e2e/support/gateway-under-test';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startLoad, until, type LoadOutcome } from './support/load-driver';
import { RequestLogRows } from './support/request-log-rows';

const TOTAL_REQUESTS = 600;
const CONCURRENCY = 16;
/** Past JetStream's ack wait (30 s): events the killed trace service had taken but not acked come back after it. */
const ROWS_DEADLINE_MS = 60_000;

jest.setTimeout(180_000);

describe('services killed under load, distributed gateway', () => {
  let upstream: FakeUpstream | undefined;
  let gateway: DistributedGatewayUnderTest | undefined;
  let rows: RequestLogRows | undefined;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    gateway = await startDistributedGateway(upstream);
    rows = await RequestLogRows.connect(await gateway.databaseUrl());
  }, 90_000);
  afterAll(async () => {
    await rows?.close();
    await gateway?.stop();
    await upstream?.close();
  }, 30_000);

  it('every answered request has its request-log row exactly once; ingress serves from its snapshot while routing is down', async () => {
    if (!gateway || !rows) throw new Error('faults: the gateway did not start (see the beforeAll failure)');
    const running = gateway;
    let routingDown = false;
    const load = startLoad(running.origin, running.apiKey, TOTAL_REQUESTS, CONCURRENCY, () => routingDown);

    await until(() => load.finished() >= TOTAL_REQUESTS / 4, 'a quarter of the requests', 60_000);
    const traceKilled = await running.kill('trace', 'SIGKILL');
    await running.restart('trace');
    await until(() => load.finished() >= TOTAL_REQUESTS / 2, 'half of the requests', 60_000);
    const routingKilled = await running.kill('routing', 'SIGKILL');
    routingDown = true;
    await until(() => load.finished() >= (TOTAL_REQUESTS * 3) / 4, 'three quarters of the requests', 60_000);
    routingDown = false;
    await running.restart('routing');
    const outcomes = await load.done;

    const answered = outcomes.filter((outcome): outcome is LoadOutcome & { requestId: string } => outcome.requestId !== undefined);
    const ids = answered.map((outcome) => outcome.requestId);
    const deadline = Date.now() + ROWS_DEADLINE_MS;
    let counts = await rows.countByRequestId(ids);
    while (counts.size < ids.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      counts = await rows.countByRequestId(ids);
    }
    const missing = ids.filter((id) => !counts.has(id));
    const duplicated = [...counts].filter(([, count]) => count > 1);
    const whileRoutingDown = outcomes.filter((outcome) => outcome.inWindow);
    const statuses = countBy(outcomes.map((outcome) => outcome.status));
    console.log(
      [
        'services killed under load (distributed):',
        `  requests ${outcomes.length}, answered with AH-Request-Id ${answered.length}, statuses ${JSON.stringify(statuses)}`,
        `  rows ${[...counts.values()].reduce((sum, count) => sum + count, 0)} for ${counts.size} ids, missing ${missing.length}, duplicated ${duplicated.length}`,
        `  trace SIGKILLed (${JSON.stringify(traceKilled)}) and restarted; routing SIGKILLed (${JSON.stringify(routingKilled)}),`,
        `  ${whileRoutingDown.length} requests sent and answered while it was down (statuses ${JSON.stringify(countBy(whileRoutingDown.map((outcome) => outcome.status)))}), then restarted`,
      ].join('\n'),
    );

    expect(traceKilled.signal).toBe('SIGKILL');
    expect(routingKilled.signal).toBe('SIGKILL');
    expect(answered.length).toBe(outcomes.length);
    expect({ missing: missing.slice(0, 10), duplicated: duplicated.slice(0, 10) }).toEqual({ missing: [], duplicated: [] });
    // The snapshot serves every route: no request may fail for want of the routing service.
    expect(whileRoutingDown.length).toBeGreaterThan(0);
    expect(countBy(whileRoutingDown.map((outcome) => outcome.status))).toEqual({ 200: whileRoutingDown.length });
  });
});

function countBy(values: readonly number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
