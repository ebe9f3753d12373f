/**
 * Distributed mode end to end: the built auth, routing, trace and ingress apps as FOUR processes on the
 * machine's NATS, PostgreSQL and Redis, real clients over real HTTP, the fake upstream replaying real recordings.
 */
import { cleanupCodexDirectories } from '../support/codex-runner';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { codexScenarios } from './support/codex.scenarios';
import type { E2eContext } from './support/e2e-context';
import { errorScenarios } from './support/errors.scenarios';
import { startDistributedGateway, type GatewayUnderTest } from './support/gateway-under-test';
import { endpointScenarios } from './support/endpoints.scenarios';
import { openAiSdkScenarios } from './support/openai-sdk.scenarios';

jest.setTimeout(90_000);

describe('distributed gateway (auth, routing, trace, ingress processes over NATS)', () => {
  let upstream: FakeUpstream | undefined;
  let gateway: GatewayUnderTest | undefined;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    gateway = await startDistributedGateway(upstream);
  }, 90_000);
  afterEach(() => upstream?.reset());
  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    await cleanupCodexDirectories();
  }, 30_000);

  const context = (): E2eContext => {
    if (!gateway || !upstream) throw new Error('e2e: the distributed gateway did not start (see the beforeAll failure)');
    return { gateway, upstream };
  };

  endpointScenarios(context);
  codexScenarios(context);
  openAiSdkScenarios(context);
  errorScenarios(context);
});
