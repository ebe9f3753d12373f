import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, resolveConfigPath } from './load-config';

function writeConfig(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gw-config-'));
  const file = join(dir, 'config.yml');
  writeFileSync(file, yaml);
  return file;
}

describe('loadConfig', () => {
  it('uses defaults when no file exists and none was asked for', () => {
    const config = loadConfig([], { AXONHUB_CONFIG: undefined });
    expect(config.server.port).toBe(8090);
    expect(config.nats.url).toBeUndefined();
  });

  it('prefers --config over AXONHUB_CONFIG', () => {
    const flagFile = writeConfig('server: { port: 9001 }');
    const envFile = writeConfig('server: { port: 9002 }');
    expect(loadConfig(['node', 'main', '--config', flagFile], { AXONHUB_CONFIG: envFile }).server.port).toBe(9001);
    expect(loadConfig(['node', 'main'], { AXONHUB_CONFIG: envFile }).server.port).toBe(9002);
  });

  it('fails clearly when an explicitly named file is missing', () => {
    expect(() => loadConfig(['--config', '/nonexistent/x.yml'], {})).toThrow('Config file not found: /nonexistent/x.yml');
    expect(resolveConfigPath([], {}).required).toBe(false);
  });

  it('lets env override every key, including lists and optional urls', () => {
    const file = writeConfig('server:\n  port: 9001\n  trace:\n    extra_trace_headers: [X-One]\n');
    const config = loadConfig(['--config', file], {
      AXONHUB_SERVER_PORT: '9100',
      AXONHUB_SERVER_TRACE_EXTRA_TRACE_HEADERS: 'Conversation_id, X-Two',
      AXONHUB_NATS_URL: 'nats://127.0.0.1:4222',
      AXONHUB_DATA_DIR: '/tmp/gw',
      AXONHUB_CACHE_API_KEY_TTL_MS: '1000',
    });
    expect(config.server.port).toBe(9100);
    expect(config.server.trace.extra_trace_headers).toEqual(['Conversation_id', 'X-Two']);
    expect(config.nats.url).toBe('nats://127.0.0.1:4222');
    expect(config.data_dir).toBe('/tmp/gw');
    expect(config.cache.api_key_ttl_ms).toBe(1000);
  });

  it('keeps defaults for sections left empty in the file', () => {
    const file = writeConfig('db:\n  # url: postgres://...\nredis:\nnats:\nsecrets:\n');
    const config = loadConfig(['--config', file], {});
    expect(config.db.url).toBeUndefined();
    expect(config.nats.trace_stream).toBe('TRACE_EVENTS');
  });

  it('serves metrics by default, each service on its own port; env turns them off or moves them; refuses a non-port', () => {
    expect(loadConfig([], {}).metrics).toEqual({ enabled: true, auth_port: 9464, routing_port: 9465, trace_port: 9466 });
    const moved = loadConfig([], { AXONHUB_METRICS_ENABLED: 'false', AXONHUB_METRICS_TRACE_PORT: '0', AXONHUB_METRICS_AUTH_PORT: '19464' });
    expect(moved.metrics).toEqual({ enabled: false, auth_port: 19464, routing_port: 9465, trace_port: 0 });
    expect(() => loadConfig([], { AXONHUB_METRICS_ROUTING_PORT: '70000' })).toThrow('metrics.routing_port');
    expect(() => loadConfig(['--config', writeConfig('metrics:\n  enabled: "yes"\n')], {})).toThrow('metrics.enabled');
  });

  it('caps heap growth at 50% unless told otherwise, and refuses a value V8 would misread', () => {
    expect(loadConfig([], {}).runtime.heap_growing_percent).toBe(50);
    expect(loadConfig([], { AXONHUB_RUNTIME_HEAP_GROWING_PERCENT: '0' }).runtime.heap_growing_percent).toBe(0);
    expect(() => loadConfig([], { AXONHUB_RUNTIME_HEAP_GROWING_PERCENT: '-5' })).toThrow('runtime.heap_growing_percent');
    expect(() => loadConfig([], { AXONHUB_RUNTIME_HEAP_GROWING_PERCENT: '12.5' })).toThrow('runtime.heap_growing_percent');
  });

  it('refuses upstream timeouts a timer cannot hold (0 would fire at once, not mean "never")', () => {
    expect(() => loadConfig([], { AXONHUB_UPSTREAM_BODY_TIMEOUT_MS: '0' })).toThrow('upstream.body_timeout_ms');
    expect(() => loadConfig([], { AXONHUB_UPSTREAM_HEADER_TIMEOUT_MS: '2147483648' })).toThrow('upstream.header_timeout_ms');
    expect(loadConfig([], { AXONHUB_UPSTREAM_HEADER_TIMEOUT_MS: '2147483647' }).upstream.header_timeout_ms).toBe(2_147_483_647);
  });

  it('drains requests in flight for 120 s on shutdown unless told otherwise; refuses what a timer cannot hold', () => {
    expect(loadConfig([], {}).server.shutdown_drain_ms).toBe(120_000);
    expect(loadConfig([], { AXONHUB_SERVER_SHUTDOWN_DRAIN_MS: '0' }).server.shutdown_drain_ms).toBe(0);
    expect(loadConfig([], { AXONHUB_SERVER_SHUTDOWN_DRAIN_MS: '5000' }).server.shutdown_drain_ms).toBe(5_000);
    expect(() => loadConfig([], { AXONHUB_SERVER_SHUTDOWN_DRAIN_MS: '-1' })).toThrow('server.shutdown_drain_ms');
    expect(() => loadConfig([], { AXONHUB_SERVER_SHUTDOWN_DRAIN_MS: '2147483648' })).toThrow('server.shutdown_drain_ms');
    expect(() => loadConfig([], { AXONHUB_SERVER_SHUTDOWN_DRAIN_MS: '1.5' })).toThrow('server.shutdown_drain_ms');
  });

  it('gives a request body 30 s to arrive unless told otherwise, and refuses a time a timer cannot hold', () => {
    expect(loadConfig([], {}).server.request_body_timeout_ms).toBe(30_000);
    expect(loadConfig([], { AXONHUB_SERVER_REQUEST_BODY_TIMEOUT_MS: '5000' }).server.request_body_timeout_ms).toBe(5_000);
    expect(() => loadConfig([], { AXONHUB_SERVER_REQUEST_BODY_TIMEOUT_MS: '0' })).toThrow('server.request_body_timeout_ms');
    expect(() => loadConfig([], { AXONHUB_SERVER_REQUEST_BODY_TIMEOUT_MS: '1.5' })).toThrow('server.request_body_timeout_ms');
    expect(() => loadConfig([], { AXONHUB_SERVER_REQUEST_BODY_TIMEOUT_MS: '2147483648' })).toThrow('server.request_body_timeout_ms');
  });

  it('keeps request logs 30 days unless told otherwise; 0 keeps them forever, a negative number is refused', () => {
    expect(loadConfig([], {}).server.trace.retention_days).toBe(30);
    expect(loadConfig([], { AXONHUB_SERVER_TRACE_RETENTION_DAYS: '0' }).server.trace.retention_days).toBe(0);
    expect(loadConfig([], { AXONHUB_SERVER_TRACE_RETENTION_DAYS: '0.5' }).server.trace.retention_days).toBe(0.5);
    expect(() => loadConfig([], { AXONHUB_SERVER_TRACE_RETENTION_DAYS: '-1' })).toThrow('server.trace.retention_days');
  });

  it('captures no bodies unless told to; takes its settings from env too and refuses a bad cap or pattern', () => {
    expect(loadConfig([], {}).server.trace.capture).toEqual({
      enabled: false,
      max_body_bytes: 65_536,
      retention_days: 7,
      redact_patterns: [],
    });
    const fromEnv = loadConfig([], {
      AXONHUB_SERVER_TRACE_CAPTURE_ENABLED: 'true',
      AXONHUB_SERVER_TRACE_CAPTURE_MAX_BODY_BYTES: '1024',
      AXONHUB_SERVER_TRACE_CAPTURE_REDACT_PATTERNS: '["ACME-[0-9]+", "[0-9]{16}"]',
    }).server.trace.capture;
    expect(fromEnv).toEqual({ enabled: true, max_body_bytes: 1024, retention_days: 7, redact_patterns: ['ACME-[0-9]+', '[0-9]{16}'] });
    expect(() => loadConfig([], { AXONHUB_SERVER_TRACE_CAPTURE_MAX_BODY_BYTES: '0' })).toThrow('server.trace.capture.max_body_bytes');
    expect(() => loadConfig([], { AXONHUB_SERVER_TRACE_CAPTURE_MAX_BODY_BYTES: '300000' })).toThrow('server.trace.capture.max_body_bytes');
    expect(() => loadConfig([], { AXONHUB_SERVER_TRACE_CAPTURE_RETENTION_DAYS: '-1' })).toThrow('server.trace.capture.retention_days');
    expect(() => loadConfig([], { AXONHUB_SERVER_TRACE_CAPTURE_REDACT_PATTERNS: 'ACME-(' })).toThrow('redact_patterns[0]');
  });

  it('rejects a non-numeric port from env', () => {
    expect(() => loadConfig([], { AXONHUB_SERVER_PORT: 'eighty' })).toThrow('Expected a number');
  });

  it('keeps the bootstrap section for the routing service', () => {
    const file = writeConfig('bootstrap:\n  channels: [{ name: a, type: openai }]\n');
    expect(loadConfig(['--config', file], {}).bootstrap).toEqual({ channels: [{ name: 'a', type: 'openai' }] });
  });

  it('takes the admin session lifetime in hours, fractions allowed, from the file or env; refuses 0 or less', () => {
    expect(loadConfig([], { AXONHUB_CONFIG: undefined }).admin.session_ttl_hours).toBe(12);
    expect(loadConfig([], { AXONHUB_CONFIG: undefined, AXONHUB_ADMIN_SESSION_TTL_HOURS: '0.5' }).admin.session_ttl_hours).toBe(0.5);
    const file = writeConfig('admin:\n  session_ttl_hours: 0\n');
    expect(() => loadConfig(['--config', file], {})).toThrow('admin.session_ttl_hours must be a number of hours above 0');
  });

  it('takes a trace viewer link with {trace_id} from the file or env, and refuses one that is not http(s) or has no place for the id', () => {
    expect(loadConfig([], {}).otel.trace_view_url).toBeUndefined();
    const jaeger = 'http://jaeger:16686/trace/{trace_id}';
    expect(loadConfig([], { AXONHUB_OTEL_TRACE_VIEW_URL: jaeger }).otel.trace_view_url).toBe(jaeger);
    expect(loadConfig(['--config', writeConfig(`otel:\n  trace_view_url: "${jaeger}"\n`)], {}).otel.trace_view_url).toBe(jaeger);
    for (const bad of ['http://jaeger:16686/search', 'javascript:alert(1)//{trace_id}', 'jaeger/trace/{trace_id}']) {
      expect(() => loadConfig([], { AXONHUB_OTEL_TRACE_VIEW_URL: bad })).toThrow(
        'otel.trace_view_url must be an http(s) URL containing {trace_id}',
      );
    }
  });
});
