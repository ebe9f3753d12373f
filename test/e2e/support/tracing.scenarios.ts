import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeRun, runCodex, type CodexRun } from '../../support/codex-runner';
import { startFakeUpstream, type FakeUpstream } from '../../support/fake-upstream';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../support/otlp-receiver';
import { textAnswer } from '../../support/upstream-rules';
import { RECORDED_USAGE, uniqueMarker } from './e2e-context';
import { MODELS, REPO_ROOT, type GatewayStartOptions, type GatewayUnderTest } from './gateway-under-test';

type StartGateway = (upstream: FakeUpstream, options?: GatewayStartOptions) => Promise<GatewayUnderTest>;

const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;
const CLIENT_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN_ID = '00f067aa0ba902b7';

/** The upstream's own id and model in the Chat recording the fake upstream replays. */
const RECORDED_CHAT = JSON.parse(
  readFileSync(join(REPO_ROOT, 'test/fixtures/upstream/openai-chat/text.sse'), 'utf8').split('\n')[0]!.slice('data: '.length),
) as { id: string; model: string };

function assertSucceeded(run: CodexRun, gateway: GatewayUnderTest): void {
  if (run.exitCode !== 0 || run.timedOut) throw new Error(`Codex failed:\n${describeRun(run)}\n${gateway.output().slice(-8_000)}`);
}

function turnsOf(spans: ReceivedSpan[], conversationKey: string | undefined): ReceivedSpan[] {
  return spans.filter((span) => span.kind === SERVER && span.attributes['ah.conversation.key'] === conversationKey);
}

/**
 * Issue 13 item 7: the real Codex CLI, two turns of one session and a second session, through the built
 * gateway exporting to an in-process OTLP receiver.
 */
export function tracingScenarios(mode: string, start: StartGateway, serviceNames: string[]): void {
  describe(`tracing (${mode}): one trace per conversation, GenAI spans, no secret`, () => {
    let receiver: OtlpReceiver;
    let upstream: FakeUpstream;
    let gateway: GatewayUnderTest;

    beforeAll(async () => {
      receiver = await startOtlpReceiver();
      upstream = await startFakeUpstream();
      gateway = await start(upstream, {
        config: {
          otel: {
            exporter_otlp_endpoint: receiver.url,
            exporter_otlp_protocol: 'http/json',
            resource_attributes: 'deployment.environment=e2e',
          },
          server: { trace: { extra_trace_headers: ['Conversation_id'] } },
        },
      });
    });

    afterAll(async () => {
      await gateway?.stop();
      await upstream?.close();
      await receiver?.close();
    });

    it('puts both turns of a Codex session in one trace and a second session in another, with the GenAI attributes', async () => {
      upstream.script(textAnswer(`First turn ${uniqueMarker('trace-1')}.`));
      const first = await runCodex({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, prompt: 'First question.' });
      assertSucceeded(first, gateway);
      upstream.script(textAnswer(`Second turn ${uniqueMarker('trace-2')}.`));
      const resumed = await runCodex({
        baseUrl: gateway.baseUrl,
        apiKey: gateway.apiKey,
        prompt: 'Second question.',
        codexHome: first.codexHome,
        workdir: first.workdir,
        resumeThreadId: first.threadId,
      });
      assertSucceeded(resumed, gateway);
      upstream.script(textAnswer(`Other session ${uniqueMarker('trace-3')}.`));
      const other = await runCodex({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, prompt: 'Another question.' });
      assertSucceeded(other, gateway);
      expect(other.threadId).not.toBe(first.threadId);

      const spans = await receiver.waitFor(
        (received) => turnsOf(received, first.threadId).length >= 2 && turnsOf(received, other.threadId).length >= 1,
        'the server spans of both sessions',
      );
      const firstTurns = turnsOf(spans, first.threadId);
      const otherTurns = turnsOf(spans, other.threadId);
      expect(firstTurns).toHaveLength(2);
      expect(new Set(firstTurns.map((span) => span.traceId)).size).toBe(1);
      expect(otherTurns).toHaveLength(1);
      expect(otherTurns[0]!.traceId).not.toBe(firstTurns[0]!.traceId);
      // Each turn is a root of the conversation's trace, in time order.
      expect(firstTurns.every((span) => span.parentSpanId === '')).toBe(true);

      for (const turn of [...firstTurns, ...otherTurns]) {
        expect(turn.name).toBe('POST /v1/responses');
        expect(turn.resource['service.name']).toBe(serviceNames[0]);
        expect(turn.resource['deployment.environment']).toBe('e2e');
        expect(turn.attributes).toMatchObject({
          'http.response.status_code': 200,
          'ah.model.requested': MODELS.codex,
          'ah.model.mapped': MODELS.chatUpstream,
          'ah.channel': gateway.channelNames.chat,
          'ah.profile': 'e2e-profile',
          'ah.conversation.source': 'session-id',
          // Codex's session header is an id the client supplied.
          'gen_ai.conversation.id': turn.attributes['ah.conversation.key'],
        });
        expect(turn.attributes['ah.api_key.id']).toMatch(/^[0-9a-f-]{36}$/);
        expect(turn.attributes['ah.project.id']).toMatch(/^[0-9a-f-]{36}$/);
        expect(String(turn.attributes['ah.warnings'])).toContain('web_search');

        const calls = spans.filter((span) => span.parentSpanId === turn.spanId && span.kind === CLIENT);
        expect(calls).toHaveLength(1);
        const call = calls[0]!;
        expect(call.traceId).toBe(turn.traceId);
        expect(call.name).toBe(`chat ${MODELS.chatUpstream}`);
        expect(call.attributes).toMatchObject({
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': MODELS.chatUpstream,
          'gen_ai.response.model': RECORDED_CHAT.model,
          'gen_ai.response.id': RECORDED_CHAT.id,
          'gen_ai.response.finish_reasons': ['stop'],
          'gen_ai.usage.input_tokens': RECORDED_USAGE.chatTextStream.input,
          'gen_ai.usage.output_tokens': RECORDED_USAGE.chatTextStream.output,
          'server.address': '127.0.0.1',
          'server.port': Number(new URL(upstream.url).port),
          'ah.model.requested': MODELS.codex,
        });
        expect(call.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThan(0);
        expect(call.startNanos).toBeGreaterThanOrEqual(turn.startNanos);
        expect(call.endNanos).toBeLessThanOrEqual(turn.endNanos);
      }
      expectNoSecret(receiver, gateway);
    });

    it('joins the conversation of a Conversation_id header (extra_trace_headers) and links the client traceparent', async () => {
      upstream.script(textAnswer(`Joined ${uniqueMarker('trace-join')}.`));
      const codex = await runCodex({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, prompt: 'A question.' });
      assertSucceeded(codex, gateway);
      upstream.script(textAnswer('Plain answer.'));
      const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${gateway.apiKey}`,
          'content-type': 'application/json',
          Conversation_id: codex.threadId!,
          traceparent: `00-${CLIENT_TRACE_ID}-${CLIENT_SPAN_ID}-01`,
        },
        body: JSON.stringify({ model: MODELS.sdkChat, messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(response.status).toBe(200);

      const spans = await receiver.waitFor(
        (received) => turnsOf(received, codex.threadId).length >= 2,
        'the Codex turn and the Conversation_id request',
      );
      const [codexTurn, joined] = turnsOf(spans, codex.threadId).sort((a, b) => Number(a.startNanos - b.startNanos));
      expect(joined!.name).toBe('POST /v1/chat/completions');
      expect(joined!.traceId).toBe(codexTurn!.traceId);
      expect(joined!.attributes).toMatchObject({ 'ah.conversation.source': 'conversation-id', 'gen_ai.conversation.id': codex.threadId });
      expect(joined!.links).toEqual([{ traceId: CLIENT_TRACE_ID, spanId: CLIENT_SPAN_ID, attributes: { 'ah.link.kind': 'client_trace' } }]);
      expectNoSecret(receiver, gateway);
    });

    it('continues a client trace when the request has no conversation', async () => {
      upstream.script(textAnswer('Standalone answer.'));
      const marker = uniqueMarker('standalone');
      const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${gateway.apiKey}`,
          'content-type': 'application/json',
          traceparent: `00-${CLIENT_TRACE_ID}-${CLIENT_SPAN_ID}-01`,
        },
        body: JSON.stringify({ model: MODELS.sdkChat, messages: [{ role: 'user', content: marker }] }),
      });
      const requestId = response.headers.get('ah-request-id');
      expect(response.status).toBe(200);
      const spans = await receiver.waitFor(
        (received) => received.some((span) => span.attributes['ah.request_id'] === requestId),
        'the request',
      );
      const server = spans.find((span) => span.attributes['ah.request_id'] === requestId)!;
      expect(server).toMatchObject({ traceId: CLIENT_TRACE_ID, parentSpanId: CLIENT_SPAN_ID, links: [] });
      expect(server.attributes['ah.conversation.key']).toBeUndefined();
      expect(server.attributes['gen_ai.conversation.id']).toBeUndefined();
    });

    if (serviceNames.length > 1) {
      it('gives the services spans for the bus calls they serve, children of the caller through NATS headers', async () => {
        // An unknown key is asked of the auth service over NATS (no cache has it).
        const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer sk-unknown-${uniqueMarker('key')}`, 'content-type': 'application/json' },
          body: '{}',
        });
        expect(response.status).toBe(401);
        const spans = await receiver.waitFor(
          (received) => received.some((span) => span.name === 'process auth.api-key.verify' && span.parentSpanId !== ''),
          'the auth service span of a key check',
        );
        const served = spans.filter((span) => span.name === 'process auth.api-key.verify' && span.parentSpanId !== '');
        const callers = spans.filter((span) => span.name === 'send auth.api-key.verify');
        const pair = served.find((span) =>
          callers.some((caller) => caller.spanId === span.parentSpanId && caller.traceId === span.traceId),
        );
        expect(pair).toBeDefined();
        expect(pair!.resource['service.name']).toBe('axonhub-auth');
        expect(callers.find((caller) => caller.spanId === pair!.parentSpanId)!.resource['service.name']).toBe('axonhub-ingress');
        expectNoSecret(receiver, gateway);
      });

      it('shows the request-log write of each request as a child of its server span (traceparent in the JetStream headers)', async () => {
        upstream.script(textAnswer('Logged.'));
        const conversation = uniqueMarker('logged');
        const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${gateway.apiKey}`, 'content-type': 'application/json', 'AH-Trace-Id': conversation },
          body: JSON.stringify({ model: MODELS.sdkChat, messages: [{ role: 'user', content: 'hi' }] }),
        });
        expect(response.status).toBe(200);
        const requestId = response.headers.get('ah-request-id');
        const spans = await receiver.waitFor(
          (received) => received.some((span) => span.kind === CONSUMER && span.attributes['ah.request_id'] === requestId),
          'the trace service span of the request-log write',
        );
        const server = spans.find((span) => span.kind === SERVER && span.attributes['ah.request_id'] === requestId)!;
        const write = spans.find((span) => span.kind === CONSUMER && span.attributes['ah.request_id'] === requestId)!;
        expect(write).toMatchObject({ traceId: server.traceId, parentSpanId: server.spanId });
        expect(write.name).toMatch(/^process .*request\.finished$/);
        expect(write.resource['service.name']).toBe('axonhub-trace');
      });
    }
  });
}

/** No API key, channel credential or Authorization header in anything exported. */
export function expectNoSecret(receiver: OtlpReceiver, gateway: GatewayUnderTest): void {
  const everything = receiver.exports.map((entry) => entry.body.toString('latin1')).join('\n');
  expect(everything.length).toBeGreaterThan(0);
  for (const secret of [gateway.apiKey, ...Object.values(gateway.channelKeys)]) {
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(secret.slice(-16));
  }
  expect(everything.toLowerCase()).not.toContain('bearer');
  expect(everything.toLowerCase()).not.toContain('authorization');
}
