import type { DataSource, Repository } from 'typeorm';
import type { RequestFinishedEvent } from '@gw/contracts';
import { RequestLogEntity } from '../entities/request-log.entity';

/** The trace service's writer of request logs. */
export class RequestLogStore {
  private readonly requestLogs: Repository<RequestLogEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.requestLogs = dataSource.getRepository(RequestLogEntity);
  }

  /** Idempotent: JetStream redelivers unacknowledged events, and the first write of a request wins. */
  async insert(event: RequestFinishedEvent): Promise<void> {
    await this.requestLogs.createQueryBuilder().insert().into(RequestLogEntity).values(toRow(event)).orIgnore().execute();
  }

  /**
   * One statement for a whole batch: each column travels as one array parameter and `unnest` turns them
   * back into rows, so the SQL text and parameter count do not grow with the batch (the query builder's
   * per-value parameter handling cost more CPU than the proxying it logs). Rows already present are skipped.
   */
  async insertMany(events: readonly RequestFinishedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const columns = BATCH_COLUMNS.map((column) => events.map(column.value));
    await this.dataSource.query(INSERT_BATCH_SQL, columns);
  }

  async findByRequestId(requestId: string): Promise<RequestFinishedEvent | null> {
    const row = await this.requestLogs.findOne({ where: { requestId } });
    return row === null ? null : toEvent(row);
  }

  async countByConversation(conversationKey: string): Promise<number> {
    return this.requestLogs.count({ where: { conversationKey } });
  }
}

function toRow(event: RequestFinishedEvent): RequestLogEntity {
  return Object.assign(new RequestLogEntity(), { ...event, startedAt: new Date(event.startedAt) });
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

interface BatchColumn {
  name: string;
  sqlType: string;
  value: (event: RequestFinishedEvent) => unknown;
}

const BATCH_COLUMNS: BatchColumn[] = [
  { name: 'request_id', sqlType: 'text', value: (event) => event.requestId },
  { name: 'project_id', sqlType: 'uuid', value: (event) => event.projectId },
  { name: 'api_key_id', sqlType: 'uuid', value: (event) => event.apiKeyId },
  { name: 'conversation_key', sqlType: 'text', value: (event) => event.conversationKey },
  { name: 'conversation_source', sqlType: 'text', value: (event) => event.conversationSource },
  { name: 'thread_key', sqlType: 'text', value: (event) => event.threadKey },
  { name: 'client_protocol', sqlType: 'text', value: (event) => event.clientProtocol },
  { name: 'endpoint', sqlType: 'text', value: (event) => event.endpoint },
  { name: 'stream', sqlType: 'boolean', value: (event) => event.stream },
  { name: 'requested_model', sqlType: 'text', value: (event) => event.requestedModel },
  { name: 'mapped_model', sqlType: 'text', value: (event) => event.mappedModel },
  { name: 'channel_name', sqlType: 'text', value: (event) => event.channelName },
  { name: 'status', sqlType: 'integer', value: (event) => event.status },
  { name: 'error_code', sqlType: 'text', value: (event) => event.errorCode },
  { name: 'error_message', sqlType: 'text', value: (event) => event.errorMessage },
  { name: 'started_at', sqlType: 'timestamptz', value: (event) => event.startedAt },
  { name: 'latency_ms', sqlType: 'double precision', value: (event) => event.latencyMs },
  { name: 'ttft_ms', sqlType: 'double precision', value: (event) => event.ttftMs },
  { name: 'input_tokens', sqlType: 'integer', value: (event) => event.inputTokens },
  { name: 'output_tokens', sqlType: 'integer', value: (event) => event.outputTokens },
  { name: 'total_tokens', sqlType: 'integer', value: (event) => event.totalTokens },
  { name: 'cached_input_tokens', sqlType: 'integer', value: (event) => event.cachedInputTokens },
  { name: 'reasoning_tokens', sqlType: 'integer', value: (event) => event.reasoningTokens },
  // jsonb has no array-of-rows form in unnest: travel as text, cast per row.
  { name: 'warnings', sqlType: 'text', value: (event) => JSON.stringify(event.warnings) },
];

const INSERT_BATCH_SQL =
  `INSERT INTO "request_logs" (${BATCH_COLUMNS.map((column) => `"${column.name}"`).join(', ')}) ` +
  `SELECT ${BATCH_COLUMNS.map((column) => (column.name === 'warnings' ? 'warnings::jsonb' : `"${column.name}"`)).join(', ')} ` +
  `FROM unnest(${BATCH_COLUMNS.map((column, index) => `$${index + 1}::${column.sqlType}[]`).join(', ')}) ` +
  `AS batch(${BATCH_COLUMNS.map((column) => `"${column.name}"`).join(', ')}) ` +
  `ON CONFLICT ("request_id") DO NOTHING`;
