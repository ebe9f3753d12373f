import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One row per `RequestFinishedEvent`; the text primary key makes redelivered events idempotent. */
export class RequestLogs1767225600001 implements MigrationInterface {
  name = 'RequestLogs1767225600001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "request_logs" (
        "request_id" text NOT NULL,
        "project_id" uuid,
        "api_key_id" uuid,
        "conversation_key" text,
        "conversation_source" text,
        "thread_key" text,
        "client_protocol" text NOT NULL,
        "endpoint" text NOT NULL,
        "stream" boolean NOT NULL,
        "requested_model" text,
        "mapped_model" text,
        "channel_name" text,
        "status" integer NOT NULL,
        "error_code" text,
        "error_message" text,
        "started_at" timestamptz NOT NULL,
        "latency_ms" double precision NOT NULL,
        "ttft_ms" double precision,
        "input_tokens" integer,
        "output_tokens" integer,
        "total_tokens" integer,
        "cached_input_tokens" integer,
        "reasoning_tokens" integer,
        "warnings" jsonb NOT NULL DEFAULT '[]'::jsonb,
        CONSTRAINT "pk_request_logs" PRIMARY KEY ("request_id")
      )`);
    await queryRunner.query(`CREATE INDEX "idx_request_logs_conversation_key" ON "request_logs" ("conversation_key")`);
    await queryRunner.query(`CREATE INDEX "idx_request_logs_started_at" ON "request_logs" ("started_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "request_logs"`);
  }
}
