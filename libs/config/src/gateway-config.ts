/** The whole configuration, as read from config.yml and the environment. Keys are snake_case like the file. */
export interface GatewayConfig {
  server: {
    port: number;
    host: string;
    /** Largest request body accepted; larger ones get a 413 in the client's protocol. */
    body_limit_bytes: number;
    /**
     * On SIGTERM/SIGINT, how long requests in flight may run on before they are ended with an error in
     * their own protocol (503 `service_unavailable`). Keep it below the orchestrator's kill deadline.
     */
    shutdown_drain_ms: number;
    /**
     * Time allowed for a request body to arrive, from the moment the gateway starts reading it; a client
     * still sending after that gets a 408 and the connection is closed.
     */
    request_body_timeout_ms: number;
    trace: {
      /** Headers that carry a conversation id, tried in order after `AH-Trace-Id`. */
      extra_trace_headers: string[];
      /** Also infer conversations from client conventions (Codex `session-id`, Responses `prompt_cache_key`). */
      client_conventions: boolean;
      /** Request-log rows older than this many days are deleted (hourly); 0 keeps them forever. */
      retention_days: number;
      /** Prompt and response capture (ADR 0011): off unless enabled here or per project. */
      capture: CaptureConfig;
    };
  };
  upstream: {
    connect_timeout_ms: number;
    /** Time allowed until the upstream's response headers (a channel's `timeout_ms` overrides it). */
    header_timeout_ms: number;
    /** Longest silence allowed between two chunks of an upstream body. */
    body_timeout_ms: number;
  };
  data_dir: string;
  db: { url?: string };
  redis: {
    url?: string;
    /** Prefix of every key the gateway writes, so gateways (or test runs) can share one Redis without meeting. */
    key_prefix: string;
  };
  nats: {
    url?: string;
    /** JetStream stream holding trace events (durable while the trace service is down). */
    trace_stream: string;
    /** Subject trace events are published on; must not overlap another stream's subjects. */
    trace_subject: string;
  };
  secrets: {
    /** Key material for encrypting upstream credentials; absent in embedded mode → `<data_dir>/secret.key`. */
    encryption_key?: string;
  };
  cache: {
    api_key_ttl_ms: number;
    api_key_max_entries: number;
    /** How long an unknown key is remembered as unknown (limits bus traffic from bad keys). */
    api_key_negative_ttl_ms: number;
    /** Safety net for a missed change event: ingress re-reads the routing snapshot this often. */
    routing_refresh_ms: number;
  };
  admin: {
    /**
     * An owner token for the admin API (`Authorization: Bearer`), compared with what callers send and never
     * stored. Absent, and no admin token stored yet: the first start creates one and prints it once.
     */
    bootstrap_token?: string;
    /** How long a user's login session (`POST /admin/v1/login`) lasts, in hours. */
    session_ttl_hours: number;
  };
  log: { level: 'error' | 'warn' | 'log' | 'debug' };
  metrics: {
    /** `GET /metrics` (Prometheus text) on the ingress port, and the services' metrics ports in distributed mode. */
    enabled: boolean;
    /** Distributed mode: each service's own HTTP port for `GET /metrics` (on server.host); 0 turns it off. */
    auth_port: number;
    routing_port: number;
    trace_port: number;
  };
  runtime: {
    /**
     * How far (in %) the old generation may grow past the live heap before V8 collects it in full; 0 keeps
     * V8's own factor (up to 300% on a large machine). Lower means less memory and more collection work.
     */
    heap_growing_percent: number;
  };
  /**
   * OpenTelemetry trace export: the standard `OTEL_*` variables under their own names, lower-case. The
   * `OTEL_*` environment variables win over these; without an endpoint nothing is exported.
   */
  otel: {
    /** Base URL of an OTLP/HTTP receiver (`/v1/traces` is appended), like `OTEL_EXPORTER_OTLP_ENDPOINT`. */
    exporter_otlp_endpoint?: string;
    exporter_otlp_protocol: 'http/protobuf' | 'http/json';
    /** `key=value,...` sent with every export (a collector's auth header), like `OTEL_EXPORTER_OTLP_HEADERS`. */
    exporter_otlp_headers?: string;
    /** Absent: `axonhub-<app>` (`axonhub-gateway` in embedded mode). */
    service_name?: string;
    /** `key=value,...` added to every span's resource, like `OTEL_RESOURCE_ATTRIBUTES`. */
    resource_attributes?: string;
    /**
     * Where a person opens one trace, with `{trace_id}` in it: Jaeger `http://jaeger:16686/trace/{trace_id}`,
     * Grafana's Explore with Tempo likewise. The admin API and the console link each conversation to it.
     */
    trace_view_url?: string;
    sdk_disabled: boolean;
    /** Finished spans waiting for export at most; past it new spans are dropped (and counted), never queued. */
    max_queue_size: number;
    /** Spans per export request at most (`OTEL_BSP_MAX_EXPORT_BATCH_SIZE`); no more than `max_queue_size`. */
    max_export_batch_size: number;
  };
  bootstrap?: unknown;
}

/** `server.trace.capture`: the bodies of requests and answers, as the client saw them, in the request log. */
export interface CaptureConfig {
  /** Capture every project's requests; a project's `capture_bodies` (admin API) overrides it either way. */
  enabled: boolean;
  /** Each body is cut after this many bytes (and marked truncated). */
  max_body_bytes: number;
  /** Captured bodies older than this many days are deleted (hourly); 0 keeps them as long as their rows. */
  retention_days: number;
  /** Regular expressions; every match in a captured body becomes `[REDACTED]` (after the credential redactor). */
  redact_patterns: string[];
}

/** The longest delay a Node timer takes (2^31-1 ms); 0 or anything larger fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;

export const DEFAULT_CONFIG: GatewayConfig = {
  server: {
    port: 8090,
    host: '0.0.0.0',
    body_limit_bytes: 32 * 1024 * 1024,
    shutdown_drain_ms: 120_000,
    request_body_timeout_ms: 30_000,
    trace: {
      extra_trace_headers: [],
      client_conventions: true,
      retention_days: 30,
      capture: { enabled: false, max_body_bytes: 65_536, retention_days: 7, redact_patterns: [] },
    },
  },
  upstream: { connect_timeout_ms: 10_000, header_timeout_ms: 600_000, body_timeout_ms: 300_000 },
  data_dir: './data',
  db: {},
  redis: { key_prefix: 'ah:' },
  nats: { trace_stream: 'TRACE_EVENTS', trace_subject: 'trace.request.finished' },
  secrets: {},
  cache: { api_key_ttl_ms: 60_000, api_key_max_entries: 10_000, api_key_negative_ttl_ms: 5_000, routing_refresh_ms: 30_000 },
  admin: { session_ttl_hours: 12 },
  log: { level: 'log' },
  metrics: { enabled: true, auth_port: 9464, routing_port: 9465, trace_port: 9466 },
  runtime: { heap_growing_percent: 50 },
  otel: { exporter_otlp_protocol: 'http/protobuf', sdk_disabled: false, max_queue_size: 8192, max_export_batch_size: 2048 },
};

/** Embedded mode: no NATS configured, so every app runs in this one process. */
export function isEmbeddedMode(config: GatewayConfig): boolean {
  return !config.nats.url;
}
