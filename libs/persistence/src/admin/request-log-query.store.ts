import type { DataSource } from 'typeorm';
import type {
  AdminActor,
  ConversationRequestsQuery,
  ConversationView,
  GetRequestLogQuery,
  ListConversationsQuery,
  ListRequestLogsQuery,
  Page,
  RequestLogDetailView,
  RequestLogView,
  UsageQuery,
  UsageView,
} from '@gw/contracts';
import { conversationTraceId } from '@gw/telemetry';
import { ProjectEntity } from '../entities/project.entity';
import { invalid, notFound, requireName } from './admin-failure';
import {
  encodeCursor,
  optionalString,
  optionalTime,
  parseCursor,
  parseUsageWindow,
  parsePageSize,
  parseRequestLogFilters,
  type RequestLogCursor,
} from './request-log-filters';

/** A request-log row with its project's and key's names, and its exact `started_at` for the cursor. */
interface RequestLogRow {
  request_id: string;
  project_id: string | null;
  project_name: string | null;
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
  upstream_model: string | null;
  channel_name: string | null;
  status: number;
  error_code: string | null;
  error_message: string | null;
  started_at: Date;
  started_key: string;
  latency_ms: number;
  ttft_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  total_tokens: number | null;
  cached_input_tokens: number | null;
  reasoning_tokens: number | null;
  warnings: string[];
}

interface UsageRow {
  start: string;
  name: string | null;
  requests: number;
  errors: number;
  tokens: string;
  mean_latency_ms: number;
}

interface BodiesRow {
  request_body: string;
  response_body: string;
  request_truncated: boolean;
  response_truncated: boolean;
}

/** `started_at` to the microsecond, as the cursor carries it (a JS Date would round it to milliseconds). */
const STARTED_KEY = `to_char(r.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const SELECT_ROWS =
  `SELECT r.*, ${STARTED_KEY} AS started_key, p.name AS project_name, k.name AS api_key_name ` +
  `FROM request_logs r LEFT JOIN projects p ON p.id = r.project_id LEFT JOIN api_keys k ON k.id = r.api_key_id`;

/** SQL conditions with their numbered parameters. */
class Conditions {
  readonly clauses: string[] = [];
  readonly parameters: unknown[] = [];

  add(clause: (...placeholders: string[]) => string, ...values: unknown[]): void {
    const placeholders = values.map((value) => {
      this.parameters.push(value);
      return `$${this.parameters.length}`;
    });
    this.clauses.push(clause(...placeholders));
  }

  where(): string {
    return this.clauses.length === 0 ? '' : ` WHERE ${this.clauses.join(' AND ')}`;
  }

  next(value: unknown): string {
    this.parameters.push(value);
    return `$${this.parameters.length}`;
  }
}

/**
 * The admin API's reads of request logs (the trace service answers them). Keyset pagination on
 * (started_at, request_id), which the indexes of migration RequestLogQueries1767225600005 serve. A token
 * scoped to a project sees that project's rows only: another project's request is "not found", a filter
 * naming another project too (exactly like a project that does not exist).
 */
export class RequestLogQueryStore {
  /** `traceViewUrl`: `otel.trace_view_url`, the template of the links to each conversation's trace. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly traceViewUrl?: string,
  ) {}

  /** Newest first. */
  async list(query: ListRequestLogsQuery): Promise<Page<RequestLogView>> {
    const filters = parseRequestLogFilters(query.filters ?? {});
    const limit = parsePageSize(query.limit);
    const cursor = parseCursor(query.cursor);
    const conditions = this.scoped(query.actor);
    if (filters.projectName !== undefined) {
      const projectId = await this.visibleProjectId(query.actor, filters.projectName);
      conditions.add((id) => `r.project_id = ${id}`, projectId);
    }
    if (filters.apiKeyId !== undefined) conditions.add((id) => `r.api_key_id = ${id}`, filters.apiKeyId);
    if (filters.model !== undefined) conditions.add((m) => `(r.requested_model = ${m} OR r.mapped_model = ${m})`, filters.model);
    if (filters.requestedModel !== undefined) conditions.add((m) => `r.requested_model = ${m}`, filters.requestedModel);
    if (filters.mappedModel !== undefined) conditions.add((m) => `r.mapped_model = ${m}`, filters.mappedModel);
    if (filters.channel !== undefined) conditions.add((c) => `r.channel_name = ${c}`, filters.channel);
    if (filters.conversation !== undefined) conditions.add((c) => `r.conversation_key = ${c}`, filters.conversation);
    if (filters.status !== undefined) {
      conditions.add((from, to) => `r.status BETWEEN ${from} AND ${to}`, filters.status.from, filters.status.to);
    }
    if (filters.since !== undefined) conditions.add((since) => `r.started_at >= ${since}`, filters.since.toISOString());
    if (filters.until !== undefined) conditions.add((until) => `r.started_at < ${until}`, filters.until.toISOString());
    return this.page(conditions, 'DESC', limit, cursor);
  }

  /** One conversation's requests in turn order (oldest first). */
  async conversation(query: ConversationRequestsQuery): Promise<Page<RequestLogView>> {
    const key = optionalString(query.conversation_key, 'conversation_key');
    if (key === undefined) throw invalid('conversation_key must not be empty', { field: 'conversation_key' });
    const limit = parsePageSize(query.limit);
    const cursor = parseCursor(query.cursor);
    const conditions = this.scoped(query.actor);
    conditions.add((k) => `r.conversation_key = ${k}`, key);
    return this.page(conditions, 'ASC', limit, cursor);
  }

  async get(query: GetRequestLogQuery): Promise<RequestLogDetailView> {
    const id = typeof query.request_id === 'string' && query.request_id.length <= 512 ? query.request_id : undefined;
    const missing = notFound(`Request "${String(query.request_id).slice(0, 100)}" not found`);
    if (id === undefined) throw missing;
    const conditions = this.scoped(query.actor);
    conditions.add((i) => `r.request_id = ${i}`, id);
    const rows = await this.dataSource.query<RequestLogRow[]>(`${SELECT_ROWS}${conditions.where()}`, conditions.parameters);
    const row = rows[0];
    if (row === undefined) throw missing;
    const bodies = await this.dataSource.query<BodiesRow[]>(
      `SELECT request_body, response_body, request_truncated, response_truncated FROM request_log_bodies WHERE request_id = $1`,
      [id],
    );
    return { ...toRequestLogView(row, this.traceViewUrl), capture: bodies[0] ?? null };
  }

  /** Recent conversations, most recently active first: requests counted, first and last time, tokens summed. */
  async conversations(query: ListConversationsQuery): Promise<Page<ConversationView>> {
    const limit = parsePageSize(query.limit);
    const cursor = parseCursor(query.cursor);
    const since = optionalTime(query.since, 'since');
    const conditions = this.scoped(query.actor);
    conditions.add(() => `r.conversation_key IS NOT NULL`);
    const project = optionalString(query.project, 'project');
    if (project !== undefined) {
      conditions.add((id) => `r.project_id = ${id}`, await this.visibleProjectId(query.actor, requireName(project, 'project')));
    }
    if (since !== undefined) conditions.add((s) => `r.started_at >= ${s}`, since.toISOString());
    // A conversation key used in two projects is two conversations: tenants never share one.
    let having = '';
    if (cursor !== undefined) {
      having = ` HAVING (max(r.started_at), r.conversation_key) < (${conditions.next(cursor.startedAt)}::timestamptz, ${conditions.next(cursor.requestId)})`;
    }
    const rows = await this.dataSource.query<ConversationRow[]>(
      `SELECT r.conversation_key, r.project_id, p.name AS project_name, count(*)::int AS requests, min(r.started_at) AS first_at, max(r.started_at) AS last_at,
              to_char(max(r.started_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS last_key,
              coalesce(sum(r.input_tokens), 0)::bigint AS input_tokens, coalesce(sum(r.output_tokens), 0)::bigint AS output_tokens,
              coalesce(sum(r.total_tokens), 0)::bigint AS total_tokens
         FROM request_logs r LEFT JOIN projects p ON p.id = r.project_id${conditions.where()}
        GROUP BY r.conversation_key, r.project_id, p.name${having}
        ORDER BY max(r.started_at) DESC, r.conversation_key DESC, r.project_id DESC NULLS LAST
        LIMIT ${conditions.next(limit + 1)}`,
      conditions.parameters,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => toConversationView(row, this.traceViewUrl)),
      next_cursor: rows.length > limit && last ? encodeCursor({ startedAt: last.last_key, requestId: last.conversation_key }) : null,
    };
  }

  /**
   * Requests, errors, tokens and mean latency per time bucket and model (mapped, else requested) or channel:
   * one GROUP BY over the started_at index, so the console's charts count every request of the range.
   */
  async usage(query: UsageQuery, now = new Date()): Promise<UsageView> {
    const window = parseUsageWindow(query, now);
    const conditions = this.scoped(query.actor);
    const project = optionalString(query.project, 'project');
    if (project !== undefined) {
      conditions.add((id) => `r.project_id = ${id}`, await this.visibleProjectId(query.actor, requireName(project, 'project')));
    }
    conditions.add(
      (since, until) => `r.started_at >= ${since} AND r.started_at < ${until}`,
      window.since.toISOString(),
      window.until.toISOString(),
    );
    const group = window.groupBy === 'model' ? 'coalesce(r.mapped_model, r.requested_model)' : 'r.channel_name';
    const width = conditions.next(window.bucketSeconds);
    const rows = await this.dataSource.query<UsageRow[]>(
      `SELECT to_char(to_timestamp(floor(extract(epoch FROM r.started_at) / ${width}) * ${width}) AT TIME ZONE 'UTC',
                      'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS start,
              ${group} AS name, count(*)::int AS requests, (count(*) FILTER (WHERE r.status >= 400))::int AS errors,
              coalesce(sum(r.total_tokens), 0)::bigint AS tokens, avg(r.latency_ms)::float8 AS mean_latency_ms
         FROM request_logs r${conditions.where()}
        GROUP BY 1, 2
        ORDER BY 1, 2 NULLS LAST`,
      conditions.parameters,
    );
    return {
      since: window.since.toISOString(),
      until: window.until.toISOString(),
      bucket_seconds: window.bucketSeconds,
      group_by: window.groupBy,
      buckets: rows.map((row) => ({ ...row, tokens: Number(row.tokens), mean_latency_ms: Math.round(row.mean_latency_ms) })),
    };
  }

  /** The actor's scope: every query starts from it. */
  private scoped(actor: AdminActor): Conditions {
    const conditions = new Conditions();
    if (actor.project_id !== null) conditions.add((id) => `r.project_id = ${id}`, actor.project_id);
    return conditions;
  }

  /** A project outside the caller's scope is "not found", like one that does not exist: existence is not leaked. */
  private async visibleProjectId(actor: AdminActor, name: string): Promise<string> {
    const project = await this.dataSource.getRepository(ProjectEntity).findOne({ where: { name } });
    if (project === null || (actor.project_id !== null && project.id !== actor.project_id)) throw notFound(`Project "${name}" not found`);
    return project.id;
  }

  private async page(
    conditions: Conditions,
    order: 'ASC' | 'DESC',
    limit: number,
    cursor?: RequestLogCursor,
  ): Promise<Page<RequestLogView>> {
    if (cursor !== undefined) {
      const comparison = order === 'DESC' ? '<' : '>';
      conditions.add(
        (at, id) => `(r.started_at, r.request_id) ${comparison} (${at}::timestamptz, ${id})`,
        cursor.startedAt,
        cursor.requestId,
      );
    }
    const rows = await this.dataSource.query<RequestLogRow[]>(
      `${SELECT_ROWS}${conditions.where()} ORDER BY r.started_at ${order}, r.request_id ${order} LIMIT ${conditions.next(limit + 1)}`,
      conditions.parameters,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => toRequestLogView(row, this.traceViewUrl)),
      next_cursor: rows.length > limit && last ? encodeCursor({ startedAt: last.started_key, requestId: last.request_id }) : null,
    };
  }
}

interface ConversationRow {
  conversation_key: string;
  project_id: string | null;
  project_name: string | null;
  requests: number;
  first_at: Date;
  last_at: Date;
  last_key: string;
  input_tokens: string;
  output_tokens: string;
  total_tokens: string;
}

function toConversationView(row: ConversationRow, traceViewUrl: string | undefined): ConversationView {
  const traceId = conversationTraceId(row.project_id, row.conversation_key);
  return {
    conversation_key: row.conversation_key,
    project: row.project_name,
    requests: row.requests,
    first_at: row.first_at.toISOString(),
    last_at: row.last_at.toISOString(),
    tokens: { input: Number(row.input_tokens), output: Number(row.output_tokens), total: Number(row.total_tokens) },
    trace_id: traceId,
    trace_url: traceLink(traceViewUrl, traceId),
  };
}

function traceLink(template: string | undefined, traceId: string | null): string | null {
  return template === undefined || traceId === null ? null : template.replaceAll('{trace_id}', traceId);
}

export function toRequestLogView(row: RequestLogRow, traceViewUrl?: string): RequestLogView {
  const traceId = row.conversation_key === null ? null : conversationTraceId(row.project_id, row.conversation_key);
  return {
    request_id: row.request_id,
    project: row.project_name,
    api_key_id: row.api_key_id,
    api_key_name: row.api_key_name,
    conversation_key: row.conversation_key,
    conversation_source: row.conversation_source,
    thread_key: row.thread_key,
    client_protocol: row.client_protocol,
    endpoint: row.endpoint,
    stream: row.stream,
    requested_model: row.requested_model,
    mapped_model: row.mapped_model,
    upstream_model: row.upstream_model,
    channel: row.channel_name,
    status: row.status,
    error_code: row.error_code,
    error_message: row.error_message,
    started_at: row.started_at.toISOString(),
    latency_ms: row.latency_ms,
    ttft_ms: row.ttft_ms,
    tokens: {
      input: row.input_tokens,
      output: row.output_tokens,
      total: row.total_tokens,
      cached_input: row.cached_input_tokens,
      reasoning: row.reasoning_tokens,
    },
    warnings: row.warnings,
    trace_id: traceId,
    trace_url: traceLink(traceViewUrl, traceId),
  };
}
