import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_CONFIG, MAX_TIMER_MS, type CaptureConfig, type GatewayConfig } from './gateway-config';

const ENV_PREFIX = 'AXONHUB_';
/** An owner credential short enough to guess is worse than none. */
const MIN_ADMIN_TOKEN_LENGTH = 16;

/** `--config FILE`, else `AXONHUB_CONFIG`, else `./config.yml` (optional: a fresh machine runs without one). */
export function resolveConfigPath(argv: readonly string[], env: NodeJS.ProcessEnv): { path: string; required: boolean } {
  const flagIndex = argv.indexOf('--config');
  const flagValue = flagIndex >= 0 ? argv[flagIndex + 1] : argv.find((arg) => arg.startsWith('--config='))?.slice('--config='.length);
  if (flagValue) return { path: resolve(flagValue), required: true };
  if (env.AXONHUB_CONFIG) return { path: resolve(env.AXONHUB_CONFIG), required: true };
  return { path: resolve('config.yml'), required: false };
}

export function loadConfig(argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const { path, required } = resolveConfigPath(argv, env);
  let fromFile: unknown = {};
  if (existsSync(path)) {
    fromFile = parseYaml(readFileSync(path, 'utf8')) ?? {};
  } else if (required) {
    throw new Error(`Config file not found: ${path}`);
  }
  if (typeof fromFile !== 'object' || fromFile === null || Array.isArray(fromFile)) {
    throw new Error(`Config file ${path} must contain a YAML mapping`);
  }
  const merged = deepMerge(structuredClone(DEFAULT_CONFIG) as unknown as Record<string, unknown>, fromFile as Record<string, unknown>);
  applyEnvOverrides(merged, env);
  return validateConfig(merged as unknown as GatewayConfig);
}

function deepMerge(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(source)) {
    const current = target[key];
    // A section left empty in YAML (`db:` with only comments under it) reads as null: keep the defaults.
    if (isPlainObject(current) && (value === null || value === undefined)) continue;
    if (isPlainObject(current) && isPlainObject(value)) deepMerge(current, value);
    else target[key] = value;
  }
  return target;
}

/**
 * Every key is overridable by an env var named after its path: `server.port` → `AXONHUB_SERVER_PORT`,
 * `server.trace.extra_trace_headers` → `AXONHUB_SERVER_TRACE_EXTRA_TRACE_HEADERS` (comma-separated or JSON).
 * The names come from the known keys (defaults plus keys with optional values), so underscores inside
 * key names are not ambiguous.
 */
function applyEnvOverrides(config: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  for (const path of knownLeafPaths()) {
    const value = env[ENV_PREFIX + path.join('_').toUpperCase()];
    if (value === undefined) continue;
    setPath(config, path, coerceEnvValue(value, getPath(DEFAULT_CONFIG as unknown as Record<string, unknown>, path)));
  }
}

const OPTIONAL_LEAVES: string[][] = [
  ['db', 'url'],
  ['redis', 'url'],
  ['nats', 'url'],
  ['secrets', 'encryption_key'],
  ['admin', 'bootstrap_token'],
  ['otel', 'exporter_otlp_endpoint'],
  ['otel', 'exporter_otlp_headers'],
  ['otel', 'service_name'],
  ['otel', 'resource_attributes'],
  ['otel', 'trace_view_url'],
];

function knownLeafPaths(): string[][] {
  const paths: string[][] = [...OPTIONAL_LEAVES];
  const walk = (node: Record<string, unknown>, prefix: string[]): void => {
    for (const [key, value] of Object.entries(node)) {
      if (isPlainObject(value)) walk(value, [...prefix, key]);
      else paths.push([...prefix, key]);
    }
  };
  walk(DEFAULT_CONFIG as unknown as Record<string, unknown>, []);
  return paths;
}

function coerceEnvValue(raw: string, defaultValue: unknown): unknown {
  if (typeof defaultValue === 'number') {
    const parsed = Number(raw);
    if (!Number.isFinite(parsed)) throw new Error(`Expected a number in environment, got "${raw}"`);
    return parsed;
  }
  if (typeof defaultValue === 'boolean') return raw === 'true' || raw === '1';
  if (Array.isArray(defaultValue)) {
    const trimmed = raw.trim();
    if (trimmed.startsWith('[')) return JSON.parse(trimmed) as unknown;
    return trimmed === '' ? [] : trimmed.split(',').map((part) => part.trim());
  }
  return raw;
}

function validateConfig(config: GatewayConfig): GatewayConfig {
  const port = config.server.port;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`server.port must be a port number, got ${String(port)}`);
  if (
    !Array.isArray(config.server.trace.extra_trace_headers) ||
    !config.server.trace.extra_trace_headers.every((h) => typeof h === 'string')
  ) {
    throw new Error('server.trace.extra_trace_headers must be a list of header names');
  }
  const retention = config.server.trace.retention_days;
  if (typeof retention !== 'number' || !Number.isFinite(retention) || retention < 0) {
    throw new Error(
      `server.trace.retention_days must be a number of days, 0 or more (0 keeps request logs forever), got ${String(retention)}`,
    );
  }
  validateCapture(config.server.trace.capture);
  validateTraceViewUrl(config.otel.trace_view_url);
  const bodyTimeout = config.server.request_body_timeout_ms;
  if (!Number.isInteger(bodyTimeout) || bodyTimeout < 1 || bodyTimeout > MAX_TIMER_MS) {
    throw new Error(
      `server.request_body_timeout_ms must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS}, got ${String(bodyTimeout)}`,
    );
  }
  for (const key of ['connect_timeout_ms', 'header_timeout_ms', 'body_timeout_ms'] as const) {
    const ms = config.upstream[key];
    if (!Number.isInteger(ms) || ms < 1 || ms > MAX_TIMER_MS) {
      throw new Error(`upstream.${key} must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS}, got ${String(ms)}`);
    }
  }
  const drain = config.server.shutdown_drain_ms;
  if (!Number.isInteger(drain) || drain < 0 || drain > MAX_TIMER_MS) {
    throw new Error(
      `server.shutdown_drain_ms must be a whole number of milliseconds from 0 to ${MAX_TIMER_MS} (0 ends requests in flight at once), got ${String(drain)}`,
    );
  }
  for (const key of ['auth_port', 'routing_port', 'trace_port'] as const) {
    const metricsPort = config.metrics[key];
    if (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65_535) {
      throw new Error(`metrics.${key} must be a port number (0 turns it off), got ${String(metricsPort)}`);
    }
  }
  if (typeof config.metrics.enabled !== 'boolean') throw new Error('metrics.enabled must be true or false');
  const growth = config.runtime.heap_growing_percent;
  if (!Number.isInteger(growth) || growth < 0 || growth > 1_000) {
    throw new Error(`runtime.heap_growing_percent must be a whole number from 0 to 1000, got ${String(growth)}`);
  }
  const bootstrapToken = config.admin.bootstrap_token;
  if (bootstrapToken === null || bootstrapToken === '') delete config.admin.bootstrap_token;
  else if (bootstrapToken !== undefined && (typeof bootstrapToken !== 'string' || bootstrapToken.length < MIN_ADMIN_TOKEN_LENGTH)) {
    throw new Error(`admin.bootstrap_token must be a string of at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  }
  const sessionHours = config.admin.session_ttl_hours;
  if (typeof sessionHours !== 'number' || !Number.isFinite(sessionHours) || sessionHours <= 0 || sessionHours > 24 * 366) {
    throw new Error(`admin.session_ttl_hours must be a number of hours above 0 and at most 8784 (a year), got ${String(sessionHours)}`);
  }
  for (const key of ['db', 'redis', 'nats'] as const) {
    const url = config[key].url;
    if (url !== undefined && url !== null && typeof url !== 'string') throw new Error(`${key}.url must be a string`);
    if (url === null || url === '') delete config[key].url;
  }
  return config;
}

/** Both bodies travel in one trace event: a NATS message (1 MB by default) must hold them, escaped. */
export const MAX_CAPTURE_BODY_BYTES = 262_144;

function validateCapture(capture: CaptureConfig): void {
  if (typeof capture.enabled !== 'boolean')
    throw new Error(`server.trace.capture.enabled must be true or false, got ${String(capture.enabled)}`);
  const cap = capture.max_body_bytes;
  if (!Number.isInteger(cap) || cap < 1 || cap > MAX_CAPTURE_BODY_BYTES) {
    throw new Error(`server.trace.capture.max_body_bytes must be a whole number from 1 to ${MAX_CAPTURE_BODY_BYTES}, got ${String(cap)}`);
  }
  const days = capture.retention_days;
  if (typeof days !== 'number' || !Number.isFinite(days) || days < 0) {
    throw new Error(`server.trace.capture.retention_days must be a number of days, 0 or more, got ${String(days)}`);
  }
  if (!Array.isArray(capture.redact_patterns))
    throw new Error('server.trace.capture.redact_patterns must be a list of regular expressions');
  capture.redact_patterns.forEach((pattern, index) => {
    if (typeof pattern !== 'string' || pattern === '')
      throw new Error(`server.trace.capture.redact_patterns[${index}] must be a regular expression`);
    try {
      new RegExp(pattern, 'g');
    } catch (error) {
      throw new Error(`server.trace.capture.redact_patterns[${index}]: ${(error as Error).message}`);
    }
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function getPath(node: Record<string, unknown>, path: string[]): unknown {
  let current: unknown = node;
  for (const key of path) current = isPlainObject(current) ? current[key] : undefined;
  return current;
}

function setPath(node: Record<string, unknown>, path: string[], value: unknown): void {
  let current = node;
  for (const key of path.slice(0, -1)) {
    const next = current[key];
    if (!isPlainObject(next)) current[key] = {};
    current = current[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (last !== undefined) current[last] = value;
}

/** A link template the console puts in an href: http(s) only, and it must say where the trace id goes. */
function validateTraceViewUrl(url: unknown): void {
  if (url === undefined) return;
  if (typeof url !== 'string' || !/^https?:\/\/[^\s]+$/.test(url) || !url.includes('{trace_id}')) {
    throw new Error(`otel.trace_view_url must be an http(s) URL containing {trace_id}, got ${JSON.stringify(url)}`);
  }
}
