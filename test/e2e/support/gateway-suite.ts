import { cleanupCodexDirectories } from '../../support/codex-runner';
import { startFakeUpstream, type FakeUpstream } from '../../support/fake-upstream';
import { anthropicSdkScenarios } from './anthropic-sdk.scenarios';
import { claudeCodeScenarios } from './claude-code.scenarios';
import { codexScenarios } from './codex.scenarios';
import type { E2eContext } from './e2e-context';
import { endpointScenarios } from './endpoints.scenarios';
import { errorScenarios } from './errors.scenarios';
import { codexOnGeminiScenarios, openAiSdkOnGeminiScenarios } from './gemini-channel.scenarios';
import { geminiHttpScenarios, geminiSdkScenarios } from './gemini-sdk.scenarios';
import type { GatewayUnderTest } from './gateway-under-test';
import { modelCatalogScenarios } from './model-catalog.scenarios';
import { openAiSdkScenarios } from './openai-sdk.scenarios';
import { profileScenarios } from './profile.scenarios';

/**
 * Every end-to-end scenario against one gateway started by `start` (embedded or distributed mode): the
 * same assertions hold in both modes, which is the point of having two modes on one code base.
 */
export function gatewaySuite(title: string, start: (upstream: FakeUpstream) => Promise<GatewayUnderTest>): void {
  describe(title, () => {
    let upstream: FakeUpstream | undefined;
    let gateway: GatewayUnderTest | undefined;

    beforeAll(async () => {
      upstream = await startFakeUpstream();
      gateway = await start(upstream);
    }, 90_000);
    afterEach(() => upstream?.reset());
    afterAll(async () => {
      await gateway?.stop();
      await upstream?.close();
      await cleanupCodexDirectories();
    }, 30_000);

    const context = (): E2eContext => {
      if (!gateway || !upstream) throw new Error(`e2e: the gateway did not start for "${title}" (see the beforeAll failure)`);
      return { gateway, upstream };
    };

    endpointScenarios(context);
    codexScenarios(context);
    openAiSdkScenarios(context);
    anthropicSdkScenarios(context);
    claudeCodeScenarios(context);
    errorScenarios(context);
    profileScenarios(context);
    geminiSdkScenarios(context);
    geminiHttpScenarios(context);
    modelCatalogScenarios(context);
    openAiSdkOnGeminiScenarios(context);
    codexOnGeminiScenarios(context);
  });
}
