/**
 * Trace export against the collector's states (embedded mode, the built gateway): down, absent, and
 * OTLP/protobuf. The request path must not notice any of them.
 */
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { conversationTraceId } from '@gw/telemetry';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver';
import { getFreePort } from '../support/ports';
import { textAnswer } from '../support/upstream-rules';
import { uniqueMarker } from './support/e2e-context';
import { MODELS, startEmbeddedGateway, type EmbeddedGatewayUnderTest } from './support/gateway-under-test';
import { expectNoSecret } from './support/tracing.scenarios';

jest.setTimeout(120_000);

async function chat(
  gateway: EmbeddedGatewayUnderTest,
  headers: Record<string, string> = {},
): Promise<{ status: number; content: unknown }> {
  const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gateway.apiKey}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: MODELS.sdkChat, messages: [{ role: 'user', content: 'hello' }] }),
  });
  const body = (await response.json()) as { choices?: Array<{ message?: { content?: unknown } }> };
  return { status: response.status, content: body.choices?.[0]?.message?.content };
}

/** Every line of the gateway's output that speaks of tracing. */
function tracingLines(gateway: EmbeddedGatewayUnderTest): string[] {
  return gateway
    .output()
    .split('\n')
    .filter((line) => /trac(e|ing) export|Tracing|OTLP|opentelemetry/i.test(line));
}

describe('trace export', () => {
  let upstream: FakeUpstream;
  let receiver: OtlpReceiver;
  const started: EmbeddedGatewayUnderTest[] = [];

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    receiver = await startOtlpReceiver();
  });

  afterAll(async () => {
    await Promise.all(started.map((gateway) => gateway.stop()));
    await upstream?.close();
    await receiver?.close();
  });

  it('costs the requests nothing while the collector is down: same answers, a bounded queue, drops counted, one warning', async () => {
    const closedPort = await getFreePort(); // nothing listens there: every export is refused
    const gateway = await startEmbeddedGateway(upstream, {
      config: { otel: { exporter_otlp_endpoint: `http://127.0.0.1:${closedPort}`, max_queue_size: 8, max_export_batch_size: 4 } },
    });
    started.push(gateway);
    const answer = `Still answered ${uniqueMarker('collector-down')}.`;
    upstream.script(textAnswer(answer));

    const answers: Array<{ status: number; content: unknown }> = [];
    for (let round = 0; round < 10; round++) answers.push(...(await Promise.all(Array.from({ length: 6 }, () => chat(gateway)))));

    expect(answers).toEqual(Array.from({ length: 60 }, () => ({ status: 200, content: answer })));
    // The exporter retries a refused connection for up to its 10 s timeout before the batch counts as failed.
    const deadline = Date.now() + 30_000;
    while (!tracingLines(gateway).some((line) => line.includes('failed (')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // The operator sees the drops on /metrics too.
    const scraped = await (await fetch(`${gateway.origin}/metrics`)).text();
    const droppedSeries = /^axonhub_spans_total\{outcome="dropped"\} (\d+)$/m.exec(scraped);
    expect(Number(droppedSeries?.[1])).toBeGreaterThan(0);
    await gateway.terminate();
    // 60 requests made 120 spans; the queue held 8 at most, the rest were dropped (counted) or failed to export.
    const summary = tracingLines(gateway).find((line) => line.includes('spans exported'));
    const counts = /(\d+) spans exported, (\d+) dropped from the full queue, (\d+) lost in failed exports/.exec(summary ?? '');
    expect(counts).not.toBeNull(); // the summary when the process stops
    const [exported, dropped, failed] = counts!.slice(1).map(Number) as [number, number, number];
    expect(exported).toBe(0);
    expect(dropped).toBeGreaterThan(0);
    expect(dropped + failed).toBeLessThanOrEqual(120);
    expect(dropped).toBeGreaterThanOrEqual(120 - 8 - 512);
    // No error per request or per batch: one warning on the first failure (then one a minute at most), one summary.
    expect(tracingLines(gateway).filter((line) => line.includes('failed ('))).toHaveLength(1);
    expect(tracingLines(gateway)).toHaveLength(2);
  });

  it('exports nothing and logs nothing about tracing without an endpoint', async () => {
    const gateway = await startEmbeddedGateway(upstream, { config: { log: { level: 'log' } } });
    started.push(gateway);
    upstream.script(textAnswer('No tracing.'));
    const before = receiver.exports.length;
    for (let index = 0; index < 5; index++)
      expect(await chat(gateway, { 'AH-Trace-Id': 'no-endpoint' })).toEqual({ status: 200, content: 'No tracing.' });
    expect(await (await fetch(`${gateway.origin}/metrics`)).text()).not.toContain('axonhub_spans_total{');
    await gateway.terminate();
    expect(tracingLines(gateway)).toEqual([]);
    expect(receiver.exports.length).toBe(before);
  });

  it('exports OTLP/protobuf when asked, into the conversation trace derived from the key', async () => {
    const gateway = await startEmbeddedGateway(upstream, {
      config: { otel: { exporter_otlp_endpoint: receiver.url, exporter_otlp_protocol: 'http/protobuf', service_name: 'gw-protobuf' } },
    });
    started.push(gateway);
    upstream.script(textAnswer('Over protobuf.'));
    const conversation = uniqueMarker('ah-trace');
    expect(await chat(gateway, { 'AH-Trace-Id': conversation })).toEqual({ status: 200, content: 'Over protobuf.' });
    expect(await chat(gateway, { 'AH-Trace-Id': conversation })).toEqual({ status: 200, content: 'Over protobuf.' });

    const spans = await receiver.waitFor(
      (received) => received.filter((span) => span.attributes['ah.conversation.key'] === conversation).length >= 4,
      'both requests of the conversation, server and GenAI spans',
    );
    expect(receiver.exports.every((entry) => entry.contentType === 'application/x-protobuf')).toBe(true);
    const mine = spans.filter((span) => span.attributes['ah.conversation.key'] === conversation);
    const projectId = mine[0]!.attributes['ah.project.id'] as string;
    expect(new Set(mine.map((span) => span.traceId))).toEqual(new Set([conversationTraceId(projectId, conversation)]));
    expect(mine.map((span) => span.name).sort()).toEqual([
      'POST /v1/chat/completions',
      'POST /v1/chat/completions',
      `chat ${MODELS.chatUpstream}`,
      `chat ${MODELS.chatUpstream}`,
    ]);
    const call = mine.find((span) => span.name.startsWith('chat '))!;
    expect(call.resource['service.name']).toBe('gw-protobuf');
    expect(call.attributes).toMatchObject({
      'gen_ai.conversation.id': conversation,
      'ah.conversation.source': 'ah-trace-id',
      'gen_ai.usage.input_tokens': expect.any(Number),
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.request.stream': false,
    });
    expectNoSecret(receiver, gateway);
  });

  it('puts captured bodies on the GenAI span only when capture is on (as the client sent and received them, redacted)', async () => {
    const gateway = await startEmbeddedGateway(upstream, {
      config: {
        otel: { exporter_otlp_endpoint: receiver.url, exporter_otlp_protocol: 'http/json' },
        server: { trace: { extra_trace_headers: [], client_conventions: true, retention_days: 30, capture: { enabled: true } } },
      },
    });
    started.push(gateway);
    const answer = `Captured ${uniqueMarker('capture-span')}.`;
    upstream.script(textAnswer(answer));
    const capturedConversation = uniqueMarker('capture-on');
    expect(await chat(gateway, { 'AH-Trace-Id': capturedConversation })).toEqual({ status: 200, content: answer });
    const spans = await receiver.waitFor(
      (received) =>
        received.some((span) => span.attributes['ah.conversation.key'] === capturedConversation && span.name.startsWith('chat ')),
      'the GenAI span of the captured request',
    );
    const call = spans.find((span) => span.attributes['ah.conversation.key'] === capturedConversation && span.name.startsWith('chat '))!;
    expect(JSON.parse(call.attributes['gen_ai.input.messages'] as string)).toMatchObject({
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(call.attributes['gen_ai.output.messages']).toContain(answer);
    expect(call.attributes['ah.capture.response_truncated']).toBe(false);
    expectNoSecret(receiver, gateway);

    // The protobuf test's gateway runs without capture: its GenAI spans carry no bodies.
    const uncaptured = receiver
      .spans()
      .filter((span) => span.name.startsWith('chat ') && span.attributes['ah.conversation.key'] !== capturedConversation);
    expect(uncaptured.length).toBeGreaterThan(0);
    expect(uncaptured.filter((span) => span.attributes['gen_ai.input.messages'] !== undefined)).toEqual([]);
  });

  it('logs a Gemini pass-through stream whose call precedes the STOP chunk as tool_calls, as the translated path does', async () => {
    const gateway = await startEmbeddedGateway(upstream, {
      config: { otel: { exporter_otlp_endpoint: receiver.url, exporter_otlp_protocol: 'http/json' } },
    });
    started.push(gateway);
    // Gemini's recording: the functionCall in one chunk, `finishReason: STOP` in the next.
    upstream.script((request) => (request.path.includes(':streamGenerateContent') ? { fixture: 'gemini/tool-call.sse' } : undefined));
    const conversation = uniqueMarker('gemini-call');
    const headers = { 'AH-Trace-Id': conversation };
    const weather = { name: 'weather', description: 'Current weather', parametersJsonSchema: { type: 'object', properties: {} } };

    // Pass-through: a Gemini client on the Gemini channel.
    const genai = new GoogleGenAI({ apiKey: gateway.apiKey, httpOptions: { baseUrl: gateway.origin, timeout: 20_000, fetch, headers } });
    const stream = await genai.models.generateContentStream({
      model: MODELS.genaiGemini,
      contents: 'Weather in San Francisco?',
      config: { tools: [{ functionDeclarations: [weather] }] },
    });
    const passthroughCalls: string[] = [];
    for await (const chunk of stream) passthroughCalls.push(...(chunk.functionCalls ?? []).map((call) => call.name ?? ''));
    expect(passthroughCalls).toEqual(['weather']);

    // Translated: an OpenAI Chat client on the same channel and recording.
    const openai = new OpenAI({
      apiKey: gateway.apiKey,
      baseURL: gateway.baseUrl,
      maxRetries: 0,
      timeout: 20_000,
      defaultHeaders: headers,
    });
    const chunks = await openai.chat.completions.create({
      model: MODELS.sdkGemini,
      messages: [{ role: 'user', content: 'Weather in San Francisco?' }],
      tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: {} } } }],
      stream: true,
    });
    let translatedFinish: string | null | undefined;
    for await (const chunk of chunks) translatedFinish ??= chunk.choices[0]?.finish_reason;
    expect(translatedFinish).toBe('tool_calls');

    const mine = (received: ReturnType<OtlpReceiver['spans']>) =>
      received.filter((span) => span.kind === 3 && span.attributes['ah.conversation.key'] === conversation);
    const spans = mine(await receiver.waitFor((received) => mine(received).length >= 2, 'the GenAI spans of both requests'));
    const byModel = (model: string) => spans.find((span) => span.attributes['ah.model.requested'] === model)?.attributes;
    expect(byModel(MODELS.genaiGemini)).toMatchObject({ 'gen_ai.response.finish_reasons': ['tool_calls'], 'gen_ai.request.stream': true });
    expect(byModel(MODELS.sdkGemini)).toMatchObject({ 'gen_ai.response.finish_reasons': ['tool_calls'], 'gen_ai.request.stream': true });
    expectNoSecret(receiver, gateway);
  });
});
