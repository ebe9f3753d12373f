/**
 * Embedded mode end to end: the built gateway as ONE process (`dist/apps/gateway/src/main.js`) with its
 * own embedded PostgreSQL, real clients over real HTTP, the fake upstream replaying real recordings.
 */
import { gatewaySuite } from './support/gateway-suite';
import { startEmbeddedGateway } from './support/gateway-under-test';

jest.setTimeout(90_000);

gatewaySuite('embedded gateway (one process, embedded PostgreSQL)', startEmbeddedGateway);
