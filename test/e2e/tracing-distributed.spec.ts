/**
 * Tracing end to end, distributed mode (four processes over NATS): the same scenarios as embedded, plus the
 * services' spans for the bus calls they serve. Run as `flock /tmp/gw-distributed.lock npx jest ...`.
 */
import { startDistributedGateway } from './support/gateway-under-test';
import { tracingScenarios } from './support/tracing.scenarios';

jest.setTimeout(150_000);

tracingScenarios('distributed', startDistributedGateway, ['axonhub-ingress', 'axonhub-auth']);
