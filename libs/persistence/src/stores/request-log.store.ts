import type { DataSource, Repository } from 'typeorm';
import type { RequestFinishedEvent } from '@gw/contracts';
import { RequestLogEntity } from '../entities/request-log.entity';
import { RequestLogRows, serializeRow } from './request-log-rows';
import { isRowError } from './row-errors';

/** A row PostgreSQL refused on its own (its neighbours were stored): which one, and why. */
export interface RefusedRow {
  /** Its position among the rows of the batch, in the order they were appended. */
  index: number;
  requestId: string;
  /** PostgreSQL's message, cut short: it may quote a value of the row, never the whole row. */
  reason: string;
}

const MAX_REASON_LENGTH = 200;

/** The trace service's writer of request logs. */
export class RequestLogStore {
  private readonly requestLogs: Repository<RequestLogEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.requestLogs = dataSource.getRepository(RequestLogEntity);
  }

  /** Idempotent: JetStream redelivers unacknowledged events, and the first write of a request wins. */
  async insert(event: RequestFinishedEvent): Promise<RefusedRow[]> {
    return this.insertMany([event]);
  }

  /** `insertRows` for events at hand (the trace service's writer builds its rows as they arrive). */
  async insertMany(events: readonly RequestFinishedEvent[]): Promise<RefusedRow[]> {
    const rows = new RequestLogRows();
    rows.append(events.map(serializeRow));
    return this.insertRows(rows);
  }

  /**
   * One statement for a whole batch: the rows travel as one JSON array parameter, sent as the bytes they
   * already are, and `json_to_recordset` turns them back into rows, so the SQL text and parameter count do
   * not grow with the batch (per-value parameter handling, first in the query builder, then as one array
   * per column, cost more CPU than the proxying it logs). `json`, not `jsonb`: the array is read once, and
   * skipping jsonb's binary conversion cut the database's CPU per row by a quarter (18 → 13.5 µs, 800-row
   * batches). Rows already present are skipped.
   *
   * A batch PostgreSQL refuses for its data (`isRowError`) is split in halves, again and again, until the
   * refused rows stand alone: they are returned, every other row is stored. One bad row among n costs about
   * 2·log2(n) more statements (20 for 1,000 rows), and only when it happens. Any other failure (the database
   * is down...) is thrown as is, without splitting: every half would fail the same way, and the caller retries
   * the whole batch later. Thrown mid-split, some halves may already be stored; a retry skips them.
   */
  async insertRows(rows: RequestLogRows): Promise<RefusedRow[]> {
    if (rows.count === 0) return [];
    const batch = rows.toJsonArray();
    try {
      await this.dataSource.query(INSERT_BATCH_SQL, [batch]);
      return [];
    } catch (error) {
      if (!isRowError(error)) throw error;
      // The rows as separate texts, only now that they are needed: the bytes hold them back to back.
      const texts = (JSON.parse(batch.toString('utf8')) as unknown[]).map((row) => JSON.stringify(row));
      const refused: RefusedRow[] = [];
      await this.isolateRefusedRows(texts, 0, texts.length, error, refused);
      return refused;
    }
  }

  /** `texts[from, to)` was refused as one statement with `error`: stores what it can of it, collects the rest. */
  private async isolateRefusedRows(texts: string[], from: number, to: number, error: unknown, refused: RefusedRow[]): Promise<void> {
    if (to - from === 1) {
      refused.push({ index: from, requestId: requestIdOf(texts[from] ?? '{}'), reason: reasonOf(error) });
      return;
    }
    const middle = from + Math.ceil((to - from) / 2);
    await this.insertOrIsolate(texts, from, middle, refused);
    await this.insertOrIsolate(texts, middle, to, refused);
  }

  private async insertOrIsolate(texts: string[], from: number, to: number, refused: RefusedRow[]): Promise<void> {
    try {
      await this.dataSource.query(INSERT_BATCH_SQL, [`[${texts.slice(from, to).join(',')}]`]);
    } catch (error) {
      if (!isRowError(error)) throw error;
      await this.isolateRefusedRows(texts, from, to, error, refused);
    }
  }

  /**
   * Deletes up to `limit` rows that started before `cutoff`, oldest first, and says how many went. Bounded
   * so that one statement never holds locks on, or writes WAL for, millions of rows at once.
   */
  async deleteStartedBefore(cutoff: Date, limit: number): Promise<number> {
    const rows = await this.dataSource.query<{ deleted: number }[]>(DELETE_OLDEST_SQL, [cutoff.toISOString(), limit]);
    return rows[0]?.deleted ?? 0;
  }

  async findByRequestId(requestId: string): Promise<RequestFinishedEvent | null> {
    const row = await this.requestLogs.findOne({ where: { requestId } });
    return row === null ? null : toEvent(row);
  }

  async countByConversation(conversationKey: string): Promise<number> {
    return this.requestLogs.count({ where: { conversationKey } });
  }
}

function requestIdOf(rowText: string): string {
  const { requestId } = JSON.parse(rowText) as { requestId?: unknown };
  return typeof requestId === 'string' ? requestId : '(no request id)';
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > MAX_REASON_LENGTH ? `${message.slice(0, MAX_REASON_LENGTH)}…` : message;
}

function toEvent(row: RequestLogEntity): RequestFinishedEvent {
  return {
    requestId: row.requestId,
    projectId: row.projectId,
    apiKeyId: row.apiKeyId,
    conversationKey: row.conversationKey,
    conversationSource: row.conversationSource,
    threadKey: row.threadKey,
    clientProtocol: row.clientProtocol,
    endpoint: row.endpoint,
    stream: row.stream,
    requestedModel: row.requestedModel,
    mappedModel: row.mappedModel,
    upstreamModel: row.upstreamModel,
    channelName: row.channelName,
    status: row.status,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    startedAt: row.startedAt.toISOString(),
    latencyMs: row.latencyMs,
    ttftMs: row.ttftMs,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    totalTokens: row.totalTokens,
    cachedInputTokens: row.cachedInputTokens,
    reasoningTokens: row.reasoningTokens,
    warnings: row.warnings,
  };
}

/** Table column ← the event field of the same meaning, with its SQL type. */
const BATCH_COLUMNS: { column: string; field: keyof RequestFinishedEvent; sqlType: string }[] = [
  { column: 'request_id', field: 'requestId', sqlType: 'text' },
  { column: 'project_id', field: 'projectId', sqlType: 'uuid' },
  { column: 'api_key_id', field: 'apiKeyId', sqlType: 'uuid' },
  { column: 'conversation_key', field: 'conversationKey', sqlType: 'text' },
  { column: 'conversation_source', field: 'conversationSource', sqlType: 'text' },
  { column: 'thread_key', field: 'threadKey', sqlType: 'text' },
  { column: 'client_protocol', field: 'clientProtocol', sqlType: 'text' },
  { column: 'endpoint', field: 'endpoint', sqlType: 'text' },
  { column: 'stream', field: 'stream', sqlType: 'boolean' },
  { column: 'requested_model', field: 'requestedModel', sqlType: 'text' },
  { column: 'mapped_model', field: 'mappedModel', sqlType: 'text' },
  { column: 'upstream_model', field: 'upstreamModel', sqlType: 'text' },
  { column: 'channel_name', field: 'channelName', sqlType: 'text' },
  { column: 'status', field: 'status', sqlType: 'integer' },
  { column: 'error_code', field: 'errorCode', sqlType: 'text' },
  { column: 'error_message', field: 'errorMessage', sqlType: 'text' },
  { column: 'started_at', field: 'startedAt', sqlType: 'timestamptz' },
  { column: 'latency_ms', field: 'latencyMs', sqlType: 'double precision' },
  { column: 'ttft_ms', field: 'ttftMs', sqlType: 'double precision' },
  { column: 'input_tokens', field: 'inputTokens', sqlType: 'integer' },
  { column: 'output_tokens', field: 'outputTokens', sqlType: 'integer' },
  { column: 'total_tokens', field: 'totalTokens', sqlType: 'integer' },
  { column: 'cached_input_tokens', field: 'cachedInputTokens', sqlType: 'integer' },
  { column: 'reasoning_tokens', field: 'reasoningTokens', sqlType: 'integer' },
  { column: 'warnings', field: 'warnings', sqlType: 'jsonb' },
];

const INSERT_BATCH_SQL =
  `INSERT INTO "request_logs" (${BATCH_COLUMNS.map(({ column }) => `"${column}"`).join(', ')}) ` +
  `SELECT ${BATCH_COLUMNS.map(({ field }) => `"${field}"`).join(', ')} ` +
  `FROM json_to_recordset($1::json) AS batch(${BATCH_COLUMNS.map(({ field, sqlType }) => `"${field}" ${sqlType}`).join(', ')}) ` +
  `ON CONFLICT ("request_id") DO NOTHING`;

const DELETE_OLDEST_SQL =
  `WITH gone AS (DELETE FROM "request_logs" WHERE "request_id" IN ` +
  `(SELECT "request_id" FROM "request_logs" WHERE "started_at" < $1 ORDER BY "started_at" LIMIT $2) RETURNING 1) ` +
  `SELECT count(*)::int AS "deleted" FROM gone`;
