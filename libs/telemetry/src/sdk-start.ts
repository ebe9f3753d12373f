import { ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { RandomIdGenerator } from '@opentelemetry/sdk-trace-base';
import { BoundedBatchSpanProcessor } from './bounded-batch.processor';
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
  const exporter =
    settings.protocol === 'http/json' ? new OtlpJsonTraceExporter(exporterOptions) : new OtlpProtobufTraceExporter(exporterOptions);
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
