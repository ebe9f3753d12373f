/**
 * Distributed mode end to end: the built auth, routing, trace and ingress apps as FOUR processes on the
 * machine's NATS, PostgreSQL and Redis, real clients over real HTTP, the fake upstream replaying real recordings.
 */
import { gatewaySuite } from './support/gateway-suite';
import { startDistributedGateway } from './support/gateway-under-test';

jest.setTimeout(90_000);

gatewaySuite('distributed gateway (auth, routing, trace, ingress processes over NATS)', startDistributedGateway);
