import type { GatewayConfig } from '@gw/config';

/** What trace export needs, resolved once at start from the `OTEL_*` environment and `otel:` in config.yml. */
export interface TelemetrySettings {
  /** Full URL spans are POSTed to (`<endpoint>/v1/traces`). */
  tracesUrl: string;
  protocol: OtlpProtocol;
  /** Extra export headers from config.yml (the exporter itself reads `OTEL_EXPORTER_OTLP_HEADERS`). */
  headers: Record<string, string>;
  serviceName: string;
  resourceAttributes: Record<string, string>;
  maxQueueSize: number;
  /** Spans per export request at most; never more than `maxQueueSize`. */
  maxExportBatchSize: number;
}

export type OtlpProtocol = 'http/protobuf' | 'http/json';
const PROTOCOLS: readonly string[] = ['http/protobuf', 'http/json'];

/**
 * `undefined` means tracing is off: `OTEL_SDK_DISABLED=true` (or `otel.sdk_disabled`), or no endpoint at all.
 * Unlike the OpenTelemetry default (`http://localhost:4318`), no endpoint exports nothing: a gateway without
 * a collector must not try, fail and log on every batch.
 *
 * Precedence: the `OTEL_*` variables, then config.yml (and its `AXONHUB_OTEL_*` overrides), then defaults.
 * A bad protocol, queue size or batch size stops the start with a message naming the setting.
 */
export function resolveTelemetrySettings(
  config: GatewayConfig,
  defaultServiceName: string,
  env: NodeJS.ProcessEnv = process.env,
): TelemetrySettings | undefined {
  const disabled = nonEmpty(env.OTEL_SDK_DISABLED);
  if (disabled !== undefined ? disabled.trim().toLowerCase() === 'true' : config.otel.sdk_disabled) return undefined;
  const tracesUrl = tracesEndpoint(env, config);
  if (tracesUrl === undefined) return undefined;

  const protocol = (
    nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL) ??
    nonEmpty(env.OTEL_EXPORTER_OTLP_PROTOCOL) ??
    config.otel.exporter_otlp_protocol
  ).trim();
  if (!PROTOCOLS.includes(protocol)) {
    throw new Error(`OTEL_EXPORTER_OTLP_PROTOCOL / otel.exporter_otlp_protocol must be http/protobuf or http/json, got "${protocol}"`);
  }
  const maxQueueSize = spanCount(env.OTEL_BSP_MAX_QUEUE_SIZE, config.otel.max_queue_size, 'OTEL_BSP_MAX_QUEUE_SIZE / otel.max_queue_size');
  const maxExportBatchSize = spanCount(
    env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE,
    config.otel.max_export_batch_size,
    'OTEL_BSP_MAX_EXPORT_BATCH_SIZE / otel.max_export_batch_size',
  );
  if (maxExportBatchSize > maxQueueSize) {
    // The OpenTelemetry SDK shrinks such a batch size to the queue's; a setting that cannot hold is said instead.
    throw new Error(
      `The export batch size (${maxExportBatchSize}) must not exceed the queue size (${maxQueueSize}): otel.max_export_batch_size, otel.max_queue_size`,
    );
  }
  const fromConfig = parseKeyValueList(config.otel.resource_attributes, 'otel.resource_attributes');
  const fromEnv = parseKeyValueList(env.OTEL_RESOURCE_ATTRIBUTES, 'OTEL_RESOURCE_ATTRIBUTES');
  const serviceName =
    nonEmpty(env.OTEL_SERVICE_NAME) ??
    fromEnv['service.name'] ??
    nonEmpty(config.otel.service_name) ??
    fromConfig['service.name'] ??
    defaultServiceName;
  return {
    tracesUrl,
    protocol: protocol as OtlpProtocol,
    headers: parseKeyValueList(config.otel.exporter_otlp_headers, 'otel.exporter_otlp_headers'),
    serviceName,
    resourceAttributes: { ...fromConfig, ...fromEnv, 'service.name': serviceName },
    maxQueueSize,
    maxExportBatchSize,
  };
}

/** A number of spans from an `OTEL_BSP_*` variable, else from config.yml: a whole number from 1 to 1,000,000. */
function spanCount(fromEnv: string | undefined, fromConfig: number, names: string): number {
  const raw = nonEmpty(fromEnv);
  const value = raw !== undefined ? Number(raw.trim()) : fromConfig;
  if (!Number.isInteger(value) || value < 1 || value > 1_000_000) {
    throw new Error(`${names} must be a whole number from 1 to 1000000, got ${raw !== undefined ? `"${raw}"` : String(value)}`);
  }
  return value;
}

/** The signal-specific variable is the whole URL; the general one and config.yml are a base that gets `/v1/traces`. */
function tracesEndpoint(env: NodeJS.ProcessEnv, config: GatewayConfig): string | undefined {
  const tracesOnly = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  if (tracesOnly !== undefined) return checkedUrl(tracesOnly.trim(), 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const fromEnv = nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  const base = fromEnv ?? nonEmpty(config.otel.exporter_otlp_endpoint);
  if (base === undefined) return undefined;
  const name = fromEnv !== undefined ? 'OTEL_EXPORTER_OTLP_ENDPOINT' : 'otel.exporter_otlp_endpoint';
  return checkedUrl(`${base.trim().replace(/\/+$/, '')}/v1/traces`, name);
}

function checkedUrl(url: string, name: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${name} must be an http(s) URL, got "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`${name} must be an http(s) URL, got "${url}"`);
  return url;
}

/** The W3C Baggage-like `key=value,key2=value2` list of the OTEL variables (values percent-decoded). */
export function parseKeyValueList(raw: string | undefined, name: string): Record<string, string> {
  const result: Record<string, string> = {};
  if (raw === undefined || raw === null) return result;
  if (typeof raw !== 'string') throw new Error(`${name} must be a "key=value,..." string`);
  for (const [index, pair] of raw.split(',').entries()) {
    if (pair.trim() === '') continue;
    const equals = pair.indexOf('=');
    // The entry itself is not quoted: in a headers list it may be a credential.
    if (equals <= 0) throw new Error(`${name}: entry ${index + 1} is not key=value`);
    const key = pair.slice(0, equals).trim();
    try {
      result[key] = decodeURIComponent(pair.slice(equals + 1).trim());
    } catch {
      throw new Error(`${name}: the value of "${key}" is not valid percent-encoding`);
    }
  }
  return result;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === null || value.trim() === '' ? undefined : value;
}
