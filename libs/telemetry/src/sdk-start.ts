import { ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import { ProtobufTraceSerializer, TraceExporterMetricsHelper } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { RandomIdGenerator, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { BoundedBatchSpanProcessor } from './bounded-batch.processor';
import { OtlpProtobufEncoder } from './otlp-protobuf-encoder';
import type { TelemetrySettings } from './telemetry-settings';

/**
 * The OpenTelemetry SDK and its OTLP exporter, started. A module of its own so that `startTelemetry` loads
 * it only when tracing is on: these packages are most of the tracing's memory.
 */
export function startSdk(settings: TelemetrySettings): {
  sdk: NodeSDK;
  processor: BoundedBatchSpanProcessor;
  resource: Resource;
  ids: RandomIdGenerator;
} {
  const exporterOptions = { url: settings.tracesUrl, headers: settings.headers, timeoutMillis: 10_000 };
  const exporter = settings.protocol === 'http/json' ? new OtlpJsonTraceExporter(exporterOptions) : protobufExporter(exporterOptions);
  const processor = new BoundedBatchSpanProcessor(
    exporter,
    { maxQueueSize: settings.maxQueueSize, maxExportBatchSize: 512, scheduledDelayMs: 1_000, exportTimeoutMs: 15_000 },
    new URL(settings.tracesUrl).origin,
  );
  const resource = resourceFromAttributes(settings.resourceAttributes);
  const sdk = new NodeSDK({
    resource,
    autoDetectResources: false,
    spanProcessors: [processor],
    contextManager: new StatelessContextManager(),
    textMapPropagator: new W3CTraceContextPropagator(),
    instrumentations: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return { sdk, processor, resource, ids: new RandomIdGenerator() };
}

/**
 * The SDK's OTLP/HTTP protobuf exporter (its transport, retries, timeout, `OTEL_EXPORTER_OTLP_*HEADERS`,
 * keep-alive agent and response handling), with the gateway's encoder in place of the SDK's serializer: same
 * bytes, a fraction of the CPU (ADR 0014, "What tracing costs").
 */
function protobufExporter(options: { url: string; headers: Record<string, string>; timeoutMillis: number }): SpanExporter {
  // A subpath export, which this project's module resolution types only through its file.
  type NodeHttp = typeof import('@opentelemetry/otlp-exporter-base/build/src/index-node-http');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const http = require('@opentelemetry/otlp-exporter-base/node-http') as NodeHttp;
  const encoder = new OtlpProtobufEncoder();
  const delegate = http.createOtlpHttpExportDelegate<ReadableSpan[], ReturnType<typeof ProtobufTraceSerializer.deserializeResponse>>(
    http.convertLegacyHttpOptions(options, 'TRACES', 'v1/traces', { 'Content-Type': 'application/x-protobuf' }),
    {
      serializeRequest: (spans) => encoder.encode(spans),
      deserializeResponse: (data) => ProtobufTraceSerializer.deserializeResponse(data),
    },
    'otlp_http_span_exporter',
    TraceExporterMetricsHelper,
    undefined,
  );
  return new OTLPExporterBase(delegate);
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
