/**
 * What tracing costs per request, without the rest of the gateway: `RequestSpans.finished` (the two spans of
 * a finished request, as ingress builds them) for N requests like the bench's chat cell, exported OTLP/HTTP
 * to the bench's receiver (`otlp-sink`, a child process on the other core), and the process's own CPU time
 * per request (process.cpuUsage), which other load on the machine barely moves, unlike rps.
 *
 * Stages, each measured on its own so the difference between them is what a stage costs:
 *   off         – no span: the loop and its pacing alone (subtract it from the others);
 *   objects     – the spans as the SDK's span objects (`ObjectSpanWriter`), queued, batched, dropped unsent;
 *   objects-sdk – the same, each batch serialized by the SDK (ProtobufTraceSerializer): the export path before
 *                 the gateway wrote its own, without the network;
 *   protobuf    – the spans written in place as OTLP/protobuf (`ProtobufSpanWriter`) and framed per batch, unsent;
 *   export      – what a tracing gateway pays: the gateway's own writer, and each batch POSTed to the receiver.
 *
 * usage: node dist/bench/span-cost.js [REQUESTS=30000] [STAGES=off,objects,objects-sdk,protobuf,export]
 *   SPAN_COST_ROUNDS (3): rounds of every stage, the median reported;
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
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  BoundedBatchSpanProcessor,
  EncodedSpanQueue,
  ObjectSpanWriter,
  OtlpProtobufWriter,
  ProtobufSpanWriter,
  startTelemetry,
  writeExportRequest,
  type EncodedBatch,
  type FinishedSpanWriter,
  type Telemetry,
} from '@gw/telemetry';
import { RequestSpans } from '../apps/ingress/src/trace/request-spans';
import type { RequestSpanFacts } from '../apps/ingress/src/trace/request-span-facts';

type Stage = 'off' | 'objects' | 'objects-sdk' | 'protobuf' | 'export';
const REQUESTS = Number(process.argv[2] ?? 30_000);
/** Requests per second, as a busy gateway finishes them (the export queue fills and drains at this pace). */
const RATE = Number(process.env.SPAN_COST_RPS ?? 5_000);
const STAGES = (process.argv[3] ?? 'off,objects,objects-sdk,protobuf,export').split(',') as Stage[];
const ROUNDS = Number(process.env.SPAN_COST_ROUNDS ?? 3);
const PORT = 18_199;
/** Requests finishing between two turns of the event loop, as at c=64 where each turn ends a few of them. */
const PER_TURN = 32;

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

/**
 * The span writer a stage's requests are written with, and what it takes to drain it. `export` is the
 * gateway's own (the settings': OTLP/protobuf written in place, or span objects for OTLP/JSON); the others
 * stop short of the network.
 */
function stageWriter(stage: Stage, telemetry: Telemetry): { writer: FinishedSpanWriter; drain: () => Promise<void> } {
  const limits = { maxQueueSize: 1_000_000, maxExportBatchSize: 512, scheduledDelayMs: 1_000, exportTimeoutMs: 15_000 };
  const done = (callback: (result: ExportResult) => void): void => callback({ code: ExportResultCode.SUCCESS });
  if (stage === 'objects' || stage === 'objects-sdk') {
    // The spans as the SDK's objects, queued; exported nowhere, or serialized by the SDK's own serializer.
    const serializer = telemetry.settings.protocol === 'http/json' ? JsonTraceSerializer : ProtobufTraceSerializer;
    const exporter = {
      export: (spans: ReadableSpan[], callback: (result: ExportResult) => void) => {
        if (stage === 'objects-sdk') serializer.serializeRequest(spans);
        done(callback);
      },
      shutdown: () => Promise.resolve(),
    };
    const processor = new BoundedBatchSpanProcessor(exporter, limits, 'nowhere');
    return {
      writer: new ObjectSpanWriter(telemetry.resource, telemetry.scope, (span) => processor.onEnd(span)),
      drain: () => processor.forceFlush(),
    };
  }
  if (stage === 'protobuf') {
    // Written in place as OTLP/protobuf and framed per batch, as the gateway does, but not sent.
    const requestWriter = new OtlpProtobufWriter();
    const exporter = {
      export: (batch: EncodedBatch, callback: (result: ExportResult) => void) => {
        // As the gateway's exporter (framedInPlace): around the spans where they are, else into a reused writer.
        if (batch.framedInPlace() === undefined) {
          writeExportRequest(requestWriter, batch.parts);
          requestWriter.reset();
        }
        batch.release();
        done(callback);
      },
      shutdown: () => Promise.resolve(),
    };
    const queue = new EncodedSpanQueue(limits.maxExportBatchSize);
    const processor = new BoundedBatchSpanProcessor(exporter, limits, 'nowhere', queue);
    return { writer: new ProtobufSpanWriter(processor, queue, telemetry.resource, telemetry.scope), drain: () => processor.forceFlush() };
  }
  return { writer: telemetry.spans, drain: () => telemetry.flush() };
}

async function runStage(stage: Stage, telemetry: Telemetry, spans: RequestSpans): Promise<number> {
  const conversation = process.env.SPAN_COST_CONVERSATION === '1';
  const inputs = Array.from({ length: 1024 }, (_, i) => request(i, conversation));
  const own = telemetry.spans;
  const { writer, drain } = stageWriter(stage, telemetry);
  (telemetry as { spans: FinishedSpanWriter }).spans = writer;
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
  await drain();
  const cpu = process.cpuUsage(cpu0);
  (telemetry as { spans: FinishedSpanWriter }).spans = own;
  return (cpu.user + cpu.system) / REQUESTS;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
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
    // Warm-up: every stage once, so the figures are of optimized code. Then rounds of every stage in turn
    // (this machine's speed drifts): each stage's figure is the median of its rounds.
    for (const stage of STAGES) await runStage(stage, telemetry, spans);
    const samples = new Map<Stage, number[]>(STAGES.map((stage) => [stage, []]));
    for (let round = 0; round < ROUNDS; round++)
      for (const stage of STAGES) samples.get(stage)!.push(await runStage(stage, telemetry, spans));
    const figures = STAGES.map((stage) => `${stage} ${median(samples.get(stage)!).toFixed(2)}`);
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
