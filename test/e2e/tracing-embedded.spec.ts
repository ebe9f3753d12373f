/**
 * Tracing end to end, embedded mode: the built gateway exporting OTLP/JSON to an in-process receiver, the
 * real Codex CLI as the client. Distributed mode: tracing-distributed.spec.ts.
 */
import { startEmbeddedGateway } from './support/gateway-under-test';
import { tracingScenarios } from './support/tracing.scenarios';

jest.setTimeout(120_000);

tracingScenarios('embedded', startEmbeddedGateway, ['axonhub-gateway']);
