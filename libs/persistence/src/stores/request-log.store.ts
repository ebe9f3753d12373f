import type { DataSource, Repository } from 'typeorm';
import type { RequestFinishedEvent } from '@gw/contracts';
import { RequestLogEntity } from '../entities/request-log.entity';

/** The trace service's writer of request logs. */
export class RequestLogStore {
  private readonly requestLogs: Repository<RequestLogEntity>;

  constructor(dataSource: DataSource) {
    this.requestLogs = dataSource.getRepository(RequestLogEntity);
  }

  /** Idempotent: JetStream redelivers unacknowledged events, and the first write of a request wins. */
  async insert(event: RequestFinishedEvent): Promise<void> {
    await this.requestLogs.createQueryBuilder().insert().into(RequestLogEntity).values(toRow(event)).orIgnore().execute();
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
