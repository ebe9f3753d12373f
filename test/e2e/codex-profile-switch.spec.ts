/**
 * The story: Codex keeps running while its key's active profile is switched through the admin API.
 * The real Codex CLI against the built gateway (embedded mode), the fake upstream recording which model
 * each request reached. No restart of the gateway, no edit of Codex's config.
 */
import { randomBytes } from 'node:crypto';
import type { ApiKeyView } from '@gw/contracts';
import { expectCodexRanEcho } from '../support/codex-assertions';
import { cleanupCodexDirectories, describeRun, runCodex, type CodexRun } from '../support/codex-runner';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { codexExecCommand } from '../support/templated-replay';
import { textAnswer, toolRoundTrip } from '../support/upstream-rules';
import { adminClient, type AdminCall } from './support/admin-client';
import { uniqueMarker, waitForRequestLogs } from './support/e2e-context';
import { MODELS, startEmbeddedGateway, type EmbeddedGatewayUnderTest } from './support/gateway-under-test';

jest.setTimeout(180_000);

/** How long the fake upstream holds the turn's first answer: the profile is switched meanwhile. */
const HOLD_MS = 3_000;

describe('Codex while its key’s active profile is switched (embedded gateway, admin API)', () => {
  const bootstrapToken = `ahadm-e2e-${randomBytes(16).toString('hex')}`;
  let upstream: FakeUpstream;
  let gateway: EmbeddedGatewayUnderTest;
  let owner: AdminCall;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    gateway = await startEmbeddedGateway(upstream, { config: { admin: { bootstrap_token: bootstrapToken } } });
    owner = adminClient(gateway.origin, bootstrapToken);
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    await cleanupCodexDirectories();
  });

  const assertSucceeded = (run: CodexRun): void => {
    if (run.exitCode !== 0 || run.timedOut) {
      throw new Error(`Codex failed:\n${describeRun(run)}\n--- gateway output ---\n${gateway.output().slice(-10_000)}`);
    }
  };
  const upstreamModels = (): unknown[] => upstream.requests.map((request) => (request.body as { model?: unknown } | undefined)?.model);

  it('the running turn’s next request and the next turn reach the upstream with the new mapping', async () => {
    const keys = await owner<{ items: ApiKeyView[] }>('GET', '/api-keys');
    const keyId = keys.body.items.find((key) => key.name === 'e2e-client')?.id;
    expect(keyId).toBeDefined();
    const rules = [{ from: MODELS.codex, to: MODELS.slowUpstream }];
    expect((await owner('POST', `/api-keys/${keyId}/profiles`, { name: 'switched', rules })).status).toBe(201);

    // One Codex turn with a tool round trip: two upstream requests. The first answer is held while the
    // profile is switched, so the switch lands between the two requests of the same running Codex process.
    const marker = uniqueMarker('codex-switch');
    const answer = `The command printed ${marker}.`;
    const roundTrip = toolRoundTrip({ toolCall: codexExecCommand(`echo ${marker}`), answerText: answer });
    let held = false;
    upstream.script((request) => {
      const reply = roundTrip(request);
      if (reply === undefined || held) return reply;
      held = true;
      return { ...reply, firstByteDelayMs: HOLD_MS };
    });
    const running = runCodex({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, prompt: 'Run echo with the marker.' });
    await upstream.waitForRequests(1, 60_000);
    const firstSeenAt = Date.now();
    expect((await owner('PUT', `/api-keys/${keyId}/active-profile`, { profile: 'switched' })).status).toBe(200);
    expect(Date.now() - firstSeenAt).toBeLessThan(HOLD_MS); // the switch answered while the turn was waiting
    const turn = await running;

    assertSucceeded(turn);
    expectCodexRanEcho(turn, marker, answer);
    expect(upstreamModels()).toEqual([MODELS.chatUpstream, MODELS.slowUpstream]);

    // The next turn of the same session (same CODEX_HOME, same config): the new mapping again.
    const nextAnswer = `Next turn ${uniqueMarker('codex-next')}.`;
    upstream.script(textAnswer(nextAnswer));
    const resume = { codexHome: turn.codexHome, workdir: turn.workdir, resumeThreadId: turn.threadId };
    const next = await runCodex({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, prompt: 'And now?', ...resume });
    assertSucceeded(next);
    expect(next.lastMessage).toBe(nextAnswer);
    expect(upstreamModels()).toEqual([MODELS.chatUpstream, MODELS.slowUpstream, MODELS.slowUpstream]);

    // Switched back: the turn after that reaches the first mapping again.
    expect((await owner('PUT', `/api-keys/${keyId}/active-profile`, { profile: 'e2e-profile' })).status).toBe(200);
    const last = await runCodex({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, prompt: 'Once more.', ...resume });
    assertSucceeded(last);
    expect(upstreamModels()).toEqual([MODELS.chatUpstream, MODELS.slowUpstream, MODELS.slowUpstream, MODELS.chatUpstream]);

    // One conversation in the request log, each row with the mapping it was served with.
    const rows = await waitForRequestLogs(gateway, { conversationKey: turn.threadId }, 4);
    expect(rows.map((row) => [row.status, row.requested_model, row.mapped_model, row.channel_name])).toEqual([
      [200, MODELS.codex, MODELS.chatUpstream, gateway.channelNames.chat],
      [200, MODELS.codex, MODELS.slowUpstream, gateway.channelNames.slow],
      [200, MODELS.codex, MODELS.slowUpstream, gateway.channelNames.slow],
      [200, MODELS.codex, MODELS.chatUpstream, gateway.channelNames.chat],
    ]);
  });
});
