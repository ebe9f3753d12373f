import type { AdminCommand } from './admin.contracts';

/**
 * Request-log queries of the admin API, answered by the trace service (it writes `request_logs`). Field
 * names are the API's own (snake_case), so a reply is the HTTP body as is.
 */

/** One request-log row as the admin API shows it. Never a secret: keys appear by id, channels by name. */
export interface RequestLogView {
  request_id: string;
  /** Project name (null: the request failed before its key was known). */
  project: string | null;
  api_key_id: string | null;
  api_key_name: string | null;
  conversation_key: string | null;
  conversation_source: string | null;
  thread_key: string | null;
  client_protocol: string;
  endpoint: string;
  stream: boolean;
  requested_model: string | null;
  mapped_model: string | null;
  /** `mapped_model` through the channel's `model_map`: what the upstream was sent (null in rows from before model maps). */
  upstream_model: string | null;
  channel: string | null;
  status: number;
  error_code: string | null;
  error_message: string | null;
  started_at: string;
  latency_ms: number;
  ttft_ms: number | null;
  tokens: {
    input: number | null;
    output: number | null;
    total: number | null;
    cached_input: number | null;
    reasoning: number | null;
  };
  warnings: string[];
  /** The trace of the request's conversation (ADR 0014: derived from project and key); null without a conversation. */
  trace_id: string | null;
  /** That trace in the trace viewer (`otel.trace_view_url`); null when none is configured or no conversation. */
  trace_url: string | null;
}

/** The bodies captured for one request (prompt and response capture), as the client sent and received them. */
export interface CapturedBodiesView {
  request_body: string;
  response_body: string;
  request_truncated: boolean;
  response_truncated: boolean;
}

/** `GET /admin/v1/request-logs/{id}`: the row, and its bodies when capture was on for it (else null). */
export interface RequestLogDetailView extends RequestLogView {
  capture: CapturedBodiesView | null;
}

/**
 * Filters of `GET /admin/v1/request-logs`, as the query string gave them: the trace service validates them
 * (a wrong value is a 400 naming the parameter), so ingress stays a pass-through.
 */
export interface RequestLogFilters {
  project?: unknown;
  api_key?: unknown;
  model?: unknown;
  requested_model?: unknown;
  mapped_model?: unknown;
  channel?: unknown;
  status?: unknown;
  conversation?: unknown;
  since?: unknown;
  until?: unknown;
}

export interface ListRequestLogsQuery extends AdminCommand {
  filters: RequestLogFilters;
  limit?: unknown;
  cursor?: unknown;
}

export interface GetRequestLogQuery extends AdminCommand {
  request_id: string;
}

export interface ConversationRequestsQuery extends AdminCommand {
  conversation_key: string;
  limit?: unknown;
  cursor?: unknown;
}

export interface ListConversationsQuery extends AdminCommand {
  project?: unknown;
  since?: unknown;
  limit?: unknown;
  cursor?: unknown;
}

/** One conversation: its requests counted, its first and last request, its tokens summed. */
export interface ConversationView {
  conversation_key: string;
  project: string | null;
  requests: number;
  first_at: string;
  last_at: string;
  tokens: { input: number; output: number; total: number };
  /** The trace all its requests joined (ADR 0014). */
  trace_id: string;
  /** That trace in the trace viewer (`otel.trace_view_url`); null when none is configured. */
  trace_url: string | null;
}

/** `GET /admin/v1/usage`: request-log rows counted per time bucket and model or channel. Validated by the trace service. */
export interface UsageQuery extends AdminCommand {
  project?: unknown;
  since?: unknown;
  until?: unknown;
  bucket_seconds?: unknown;
  group_by?: unknown;
}

export type UsageGroupBy = 'model' | 'channel';

/** One bucket of one group; buckets without requests are left out. */
export interface UsageBucketView {
  /** The bucket's start (buckets are aligned on multiples of their width since the epoch). */
  start: string;
  /** The model (mapped, else requested) or the channel; null when the request had none (refused early). */
  name: string | null;
  requests: number;
  /** Requests answered 400 or above. */
  errors: number;
  tokens: number;
  mean_latency_ms: number;
}

export interface UsageView {
  since: string;
  until: string;
  bucket_seconds: number;
  group_by: UsageGroupBy;
  buckets: UsageBucketView[];
}
