import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row per finished request (`RequestFinishedEvent`). `request_id` is the primary key so a trace event
 * redelivered by JetStream is written once. Project and key ids carry no foreign key: logs outlive keys
 * and the trace writer must never fail on a deleted key.
 */
@Entity({ name: 'request_logs' })
// Keyset pagination of the admin API's queries (migration RequestLogQueries1767225600005).
@Index('idx_request_logs_started', ['startedAt', 'requestId'])
@Index('idx_request_logs_project_started', ['projectId', 'startedAt', 'requestId'])
@Index('idx_request_logs_api_key_started', ['apiKeyId', 'startedAt', 'requestId'])
@Index('idx_request_logs_conversation_started', ['conversationKey', 'startedAt', 'requestId'])
export class RequestLogEntity {
  @PrimaryColumn({ name: 'request_id', type: 'text', primaryKeyConstraintName: 'pk_request_logs' })
  requestId!: string;

  @Column({ name: 'project_id', type: 'uuid', nullable: true })
  projectId!: string | null;

  @Column({ name: 'api_key_id', type: 'uuid', nullable: true })
  apiKeyId!: string | null;

  @Column({ name: 'conversation_key', type: 'text', nullable: true })
  conversationKey!: string | null;

  @Column({ name: 'conversation_source', type: 'text', nullable: true })
  conversationSource!: string | null;

  @Column({ name: 'thread_key', type: 'text', nullable: true })
  threadKey!: string | null;

  @Column({ name: 'client_protocol', type: 'text' })
  clientProtocol!: string;

  @Column({ type: 'text' })
  endpoint!: string;

  @Column({ type: 'boolean' })
  stream!: boolean;

  @Column({ name: 'requested_model', type: 'text', nullable: true })
  requestedModel!: string | null;

  @Column({ name: 'mapped_model', type: 'text', nullable: true })
  mappedModel!: string | null;

  /** `mapped_model` through the channel's `model_map`: the name its upstream was sent (null in older rows). */
  @Column({ name: 'upstream_model', type: 'text', nullable: true })
  upstreamModel!: string | null;

  @Column({ name: 'channel_name', type: 'text', nullable: true })
  channelName!: string | null;

  @Column({ type: 'integer' })
  status!: number;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'latency_ms', type: 'double precision' })
  latencyMs!: number;

  @Column({ name: 'ttft_ms', type: 'double precision', nullable: true })
  ttftMs!: number | null;

  @Column({ name: 'input_tokens', type: 'integer', nullable: true })
  inputTokens!: number | null;

  @Column({ name: 'output_tokens', type: 'integer', nullable: true })
  outputTokens!: number | null;

  @Column({ name: 'total_tokens', type: 'integer', nullable: true })
  totalTokens!: number | null;

  @Column({ name: 'cached_input_tokens', type: 'integer', nullable: true })
  cachedInputTokens!: number | null;

  @Column({ name: 'reasoning_tokens', type: 'integer', nullable: true })
  reasoningTokens!: number | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  warnings!: string[];
}
