import { Logger } from '@nestjs/common';
import { trace, type Tracer } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { GatewayConfig } from '@gw/config';
import type { ExportCounts } from './bounded-batch.processor';
import type { FinishedSpanWriter } from './finished-span-writer';
import type { SpanIds } from './span-ids';
import { resolveTelemetrySettings, type TelemetrySettings } from './telemetry-settings';

/** The tracing of this process, when it is on. Absent (`activeTelemetry()` is undefined) costs one check. */
export interface Telemetry {
  readonly settings: TelemetrySettings;
  /** For spans that run live (bus calls); request spans are built finished (`finishedSpan`). */
  readonly tracer: Tracer;
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  readonly ids: SpanIds;
  /** Exported, dropped and failed span counts of this process. */
  readonly counts: ExportCounts;
  /** Writes a span that already happened to the export queue (never blocks; dropped and counted when full). */
  readonly spans: FinishedSpanWriter;
  /** Exports what is queued now (for measurements and tests; stopping does it too). */
  flush(): Promise<void>;
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
  // Loaded only now: the SDK and its exporters weigh ~35 MB of RSS, which a gateway without tracing
  // should not carry (type imports above are erased).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startSdk } = require('./sdk-start') as typeof import('./sdk-start');
  const { sdk, processor, spans, resource, ids } = startSdk(settings, SCOPE);
  const telemetry: Telemetry = {
    settings,
    tracer: trace.getTracer(SCOPE.name, SCOPE.version),
    resource,
    scope: SCOPE,
    ids,
    counts: processor.counts,
    spans,
    flush: () => processor.forceFlush(),
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
