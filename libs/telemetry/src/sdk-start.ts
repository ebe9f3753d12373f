import { ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';
import { W3CTraceContextPropagator, type InstrumentationScope } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { BoundedBatchSpanProcessor, type ExportCounts } from './bounded-batch.processor';
import { EncodedSpanQueue, type EncodedBatch } from './encoded-span-queue';
import { ObjectSpanWriter, ProtobufSpanWriter, type FinishedSpanWriter } from './finished-span-writer';
import { protobufBatchExporter } from './protobuf-batch-exporter';
import { SpanIds } from './span-ids';
import type { TelemetrySettings } from './telemetry-settings';

/**
 * The OpenTelemetry SDK and its OTLP exporter, started. A module of its own so that `startTelemetry` loads
 * it only when tracing is on: these packages are most of the tracing's memory.
 *
 * OTLP/protobuf (the default): spans are encoded as they finish, request spans written in place with no
 * object (`ProtobufSpanWriter`), and the SDK's HTTP exporter sends the batches. OTLP/JSON: span objects, and
 * the SDK's JSON exporter.
 */
export function startSdk(
  settings: TelemetrySettings,
  scope: InstrumentationScope,
): {
  sdk: NodeSDK;
  processor: { counts: ExportCounts; forceFlush(): Promise<void> };
  spans: FinishedSpanWriter;
  resource: Resource;
  ids: SpanIds;
} {
  const exporterOptions = { url: settings.tracesUrl, headers: settings.headers, timeoutMillis: 10_000 };
  const limits = {
    maxQueueSize: settings.maxQueueSize,
    // 2048 by default, not the SDK's 512: each export request costs the event loop ~1 ms of CPU whatever its
    // size (the HTTP client's code, cold between requests, and the socket write), a quarter as many of them
    // took ~4 µs off every request at 10k requests/s (ADR 0014).
    maxExportBatchSize: settings.maxExportBatchSize,
    scheduledDelayMs: 1_000,
    exportTimeoutMs: 15_000,
  };
  const target = new URL(settings.tracesUrl).origin;
  const resource = resourceFromAttributes(settings.resourceAttributes);
  let processor: BoundedBatchSpanProcessor<ReadableSpan[]> | BoundedBatchSpanProcessor<EncodedBatch>;
  let spans: FinishedSpanWriter;
  if (settings.protocol === 'http/json') {
    const objects = new BoundedBatchSpanProcessor(new OtlpJsonTraceExporter(exporterOptions), limits, target);
    spans = new ObjectSpanWriter(resource, scope, (span) => objects.onEnd(span));
    processor = objects;
  } else {
    const queue = new EncodedSpanQueue(limits.maxExportBatchSize);
    const encoded = new BoundedBatchSpanProcessor(protobufBatchExporter(exporterOptions), limits, target, queue);
    spans = new ProtobufSpanWriter(encoded, queue, resource, scope);
    processor = encoded;
  }
  const sdk = new NodeSDK({
    resource,
    autoDetectResources: false,
    spanProcessors: [processor],
    contextManager: new StatelessContextManager(),
    textMapPropagator: new W3CTraceContextPropagator(),
    instrumentations: [],
    logRecordProcessors: [],
    // Metrics are the gateway's own, on /metrics (Prometheus). Without readers given, the SDK would start an
    // OTLP metrics exporter of its own, POSTing to the collector's /v1/metrics every minute.
    metricReaders: [],
  });
  sdk.start();
  return { sdk, processor, spans, resource, ids: new SpanIds() };
}

/**
 * The context manager the SDK registers: none of its own state. `active()` is always the root context and
 * `with()` just calls the function, so no AsyncLocalStorage runs under any request. Spans made here always
 * name their parent context explicitly.
 */
class StatelessContextManager implements ContextManager {
  active(): Context {
    return ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    _context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return fn.call(thisArg, ...args);
  }

  bind<T>(_context: Context, target: T): T {
    return target;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    return this;
  }
}
