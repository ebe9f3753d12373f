import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The bodies of one request, captured when prompt and response capture was on for it (ADR 0011): as the
 * client sent its request and received its answer, redacted, each cut at `server.trace.capture.max_body_bytes`.
 * Apart from `request_logs`: large, present for few rows, and kept for a retention of their own.
 */
@Entity({ name: 'request_log_bodies' })
export class RequestLogBodiesEntity {
  @PrimaryColumn({ name: 'request_id', type: 'text', primaryKeyConstraintName: 'pk_request_log_bodies' })
  requestId!: string;

  /** The request's start, as in its row: retention deletes by it. */
  @Index('idx_request_log_bodies_started_at')
  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'request_body', type: 'text' })
  requestBody!: string;

  @Column({ name: 'response_body', type: 'text' })
  responseBody!: string;

  @Column({ name: 'request_truncated', type: 'boolean' })
  requestTruncated!: boolean;

  @Column({ name: 'response_truncated', type: 'boolean' })
  responseTruncated!: boolean;
}
