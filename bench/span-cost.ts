/**
 * What tracing costs per request, without the rest of the gateway: `RequestSpans.finished` (the two spans of
 * a finished request, as ingress builds them) for N requests like the bench's chat cell, exported OTLP/HTTP
 * to the bench's receiver (`otlp-sink`, a child process on the other core), and the process's own CPU time
 * per request (process.cpuUsage), which other load on the machine barely moves, unlike rps.
 *
 * Stages, each measured on its own so the difference between them is what a stage costs:
 *   off        – no span: the loop and its pacing alone (subtract it from the others);
 *   build      – the spans are built and handed to a queue that discards them;
 *   encode     – built and encoded in batches of 512 by the gateway's encoder (OtlpProtobufEncoder), not sent;
 *   encode-sdk – the same with the SDK's serializer (ProtobufTraceSerializer, or JsonTraceSerializer);
 *   export     – built, queued, encoded and POSTed to the receiver (what a tracing gateway pays).
 *
 * usage: node dist/bench/span-cost.js [REQUESTS=30000] [STAGES=off,build,encode,encode-sdk,export]
 *   SPAN_COST_RPS (5000): requests finish at this pace, so the export queue fills and drains as in a gateway;
 *   SPAN_COST_PROTOCOL=http/json encodes OTLP/JSON instead; SPAN_COST_CONVERSATION=1 gives every request a
 *   conversation key (a header session id, 1,000 conversations), as Codex traffic has.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { IncomingHttpHeaders } from 'node:http';
import { DEFAULT_CONFIG } from '@gw/config';
import type { RequestFinishedEvent } from '@gw/contracts';
import type { RouteDecision } from '@gw/routing-core';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { OtlpProtobufEncoder, startTelemetry, type Telemetry } from '@gw/telemetry';
import { RequestSpans } from '../apps/ingress/src/trace/request-spans';
import type { RequestSpanFacts } from '../apps/ingress/src/trace/request-span-facts';

type Stage = 'off' | 'build' | 'encode' | 'encode-sdk' | 'export';
const REQUESTS = Number(process.argv[2] ?? 30_000);
/** Requests per second, as a busy gateway finishes them (the export queue fills and drains at this pace). */
const RATE = Number(process.env.SPAN_COST_RPS ?? 5_000);
const STAGES = (process.argv[3] ?? 'off,build,encode,encode-sdk,export').split(',') as Stage[];
const PORT = 18_199;
/** Requests finishing between two turns of the event loop, as at c=64 where each turn ends a few of them. */
const PER_TURN = 16;

const decision = {
  requestedModel: 'gpt-4o',
  mappedModel: 'bench-chat',
  channel: { name: 'fast-chat', type: 'openai', baseUrl: 'http://127.0.0.1:18091/v1', models: ['bench-chat'] },
  profileName: 'default',
} as unknown as RouteDecision;

/** One request's record, as ingress would hold it when a non-streamed Chat request has finished. */
function request(i: number, conversation: boolean): { facts: RequestSpanFacts; event: RequestFinishedEvent; headers: IncomingHttpHeaders } {
  const startedAt = performance.now() - 1.2;
  const facts: RequestSpanFacts = {
    startedAt,
    upstreamStartedAt: startedAt + 0.15,
    upstreamEndedAt: startedAt + 1.0,
    decision,
    responseId: `chatcmpl-${(1_000_000 + i).toString(36)}Qm8pXk2`,
    responseModel: 'bench-chat-2024-08-06',
    finishReasons: ['stop'],
    conversation: conversation
      ? { key: `019a3c1e-7d2b-7c4e-9f1a-${String(i % 1000).padStart(12, '0')}`, source: 'session-id', explicit: true }
      : undefined,
  };
  const event: RequestFinishedEvent = {
    requestId: `019a3c1e-7d2b-7c4e-9f1a-${String(i).padStart(12, '0')}`,
    projectId: '019a3c1e-0000-7000-8000-000000000001',
    apiKeyId: '019a3c1e-0000-7000-8000-000000000002',
    conversationKey: facts.conversation?.key ?? null,
    conversationSource: facts.conversation?.source ?? null,
    threadKey: null,
    clientProtocol: 'openai-chat',
    endpoint: '/v1/chat/completions',
    stream: false,
    requestedModel: 'gpt-4o',
    mappedModel: 'bench-chat',
    channelName: 'fast-chat',
    status: 200,
    errorCode: null,
    errorMessage: null,
    startedAt: new Date().toISOString(),
    latencyMs: 1.2,
    ttftMs: null,
    inputTokens: 27,
    outputTokens: 11,
    totalTokens: 38,
    cachedInputTokens: 0,
    reasoningTokens: null,
    warnings: [],
  };
  return { facts, event, headers: {} };
}

async function runStage(stage: Stage, telemetry: Telemetry, spans: RequestSpans): Promise<number> {
  const conversation = process.env.SPAN_COST_CONVERSATION === '1';
  const inputs = Array.from({ length: 1024 }, (_, i) => request(i, conversation));
  const realEmit = telemetry.emit;
  const encoder = encoderOf(telemetry, stage === 'encode-sdk');
  let pending: ReadableSpan[] = [];
  const mutable = telemetry as { emit: Telemetry['emit'] };
  if (stage === 'build') mutable.emit = () => undefined;
  if (stage === 'encode' || stage === 'encode-sdk') {
    mutable.emit = (span) => {
      pending.push(span);
      if (pending.length === 512) {
        encoder(pending);
        pending = [];
      }
    };
  }
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < REQUESTS; i++) {
    const input = inputs[i % inputs.length]!;
    if (stage !== 'off') spans.finished(input.facts, input.event, input.headers);
    if (i % PER_TURN === PER_TURN - 1) {
      const ahead = t0 + ((i + 1) / RATE) * 1000 - performance.now();
      await new Promise((resolve) => (ahead > 1 ? setTimeout(resolve, ahead) : setImmediate(resolve)));
    }
  }
  if (stage === 'export') await telemetry.flush();
  const cpu = process.cpuUsage(cpu0);
  mutable.emit = realEmit;
  return (cpu.user + cpu.system) / REQUESTS;
}

/** The gateway's encoder for OTLP/protobuf, or the SDK's serializer of the configured protocol. */
function encoderOf(telemetry: Telemetry, sdk: boolean): (spans: ReadableSpan[]) => void {
  if (telemetry.settings.protocol === 'http/json') return (spans) => void JsonTraceSerializer.serializeRequest(spans);
  if (sdk) return (spans) => void ProtobufTraceSerializer.serializeRequest(spans);
  const encoder = new OtlpProtobufEncoder();
  return (spans) => void encoder.encode(spans);
}

async function main(): Promise<void> {
  const sink = fork(join(__dirname, 'otlp-sink.js'), [String(PORT)], { stdio: 'inherit' });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const protocol = process.env.SPAN_COST_PROTOCOL ?? 'http/protobuf';
  const telemetry = startTelemetry(DEFAULT_CONFIG, 'axonhub-gateway', {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${PORT}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
  });
  const spans = RequestSpans.create();
  if (telemetry === undefined || spans === undefined) throw new Error('tracing did not start');
  try {
    // Warm-up: every stage once, so the figures are of optimized code.
    for (const stage of STAGES) await runStage(stage, telemetry, spans);
    const figures: string[] = [];
    for (const stage of STAGES) figures.push(`${stage} ${(await runStage(stage, telemetry, spans)).toFixed(2)} µs/req`);
    const { exported, dropped, failed } = telemetry.counts;
    console.log(
      `[span-cost] ${REQUESTS} requests, ${protocol}: ${figures.join(', ')}; spans ${exported} exported, ${dropped} dropped, ${failed} failed`,
    );
  } finally {
    await telemetry.shutdown();
    sink.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
