import { Logger } from '@nestjs/common';
import { ROOT_CONTEXT, trace, type Context, type ContextManager, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator, type InstrumentationScope } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { RandomIdGenerator, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { GatewayConfig } from '@gw/config';
import { BoundedBatchSpanProcessor, type ExportCounts } from './bounded-batch.processor';
import { resolveTelemetrySettings, type TelemetrySettings } from './telemetry-settings';

/** The tracing of this process, when it is on. Absent (`activeTelemetry()` is undefined) costs one check. */
export interface Telemetry {
  readonly settings: TelemetrySettings;
  /** For spans that run live (bus calls); request spans are built finished (`finishedSpan`). */
  readonly tracer: Tracer;
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  readonly ids: RandomIdGenerator;
  /** Exported, dropped and failed span counts of this process. */
  readonly counts: ExportCounts;
  /** Hands a finished span to the export queue (never blocks; dropped and counted when the queue is full). */
  emit(span: ReadableSpan): void;
  /** Exports what is queued, bounded in time, then stops. */
  shutdown(): Promise<void>;
}

const SCOPE: InstrumentationScope = { name: 'axonhub-gateway', version: '0.1.0' };
/** How long a stopping process waits for its last spans to be exported. */
const SHUTDOWN_FLUSH_MS = 3_000;

let active: Telemetry | undefined;

/** This process's tracing, or undefined when tracing is off (no endpoint, `OTEL_SDK_DISABLED`, not started). */
export function activeTelemetry(): Telemetry | undefined {
  return active;
}

/**
 * Starts the OpenTelemetry SDK for one app, before its Nest app is built. Off without an endpoint. No
 * context manager is registered (the API's stateless default stays): every span here gets its parent
 * explicitly, and the inference lane must not pay for async-context tracking. No instrumentation either:
 * the spans are the gateway's own.
 */
export function startTelemetry(
  config: GatewayConfig,
  defaultServiceName: string,
  env: NodeJS.ProcessEnv = process.env,
): Telemetry | undefined {
  const settings = resolveTelemetrySettings(config, defaultServiceName, env);
  if (settings === undefined) return undefined;
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
  const telemetry: Telemetry = {
    settings,
    tracer: trace.getTracer(SCOPE.name, SCOPE.version),
    resource,
    scope: SCOPE,
    ids: new RandomIdGenerator(),
    counts: processor.counts,
    emit: (span) => processor.onEnd(span),
    shutdown: async () => {
      if (active === telemetry) active = undefined;
      await Promise.race([sdk.shutdown(), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_FLUSH_MS).unref())]);
      reportCounts(processor.counts, settings.tracesUrl);
    },
  };
  active = telemetry;
  return telemetry;
}

/** Once, when the process stops: what its tracing did (a warning when spans were lost). */
function reportCounts({ exported, dropped, failed }: ExportCounts, tracesUrl: string): void {
  const logger = new Logger('Tracing');
  const summary = `Trace export to ${new URL(tracesUrl).origin}: ${exported} spans exported, ${dropped} dropped from the full queue, ${failed} lost in failed exports`;
  if (dropped > 0 || failed > 0) logger.warn(summary);
  else logger.log(summary);
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
