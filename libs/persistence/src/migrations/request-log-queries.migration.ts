import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Request-log queries of the admin API, and prompt and response capture (ADR 0011):
 * - keyset indexes on (…, started_at, request_id): the whole log, one project, one key and one conversation,
 *   each read newest (or oldest) first from a cursor. They replace the single-column indexes on started_at
 *   (retention deletes by it: the composite serves that too) and on conversation_key. Filters on model,
 *   channel and status stay unindexed: they narrow a time-ordered scan, and every index costs the trace
 *   writer on each row;
 * - `projects.capture_bodies`: the project's capture override (null: the config decides);
 * - `request_log_bodies`: captured bodies, apart from the rows (large, optional, their own retention).
 */
export class RequestLogQueries1767225600005 implements MigrationInterface {
  name = 'RequestLogQueries1767225600005';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_request_logs_started_at"`);
    await queryRunner.query(`DROP INDEX "idx_request_logs_conversation_key"`);
    await queryRunner.query(`CREATE INDEX "idx_request_logs_started" ON "request_logs" ("started_at", "request_id")`);
    await queryRunner.query(`CREATE INDEX "idx_request_logs_project_started" ON "request_logs" ("project_id", "started_at", "request_id")`);
    await queryRunner.query(`CREATE INDEX "idx_request_logs_api_key_started" ON "request_logs" ("api_key_id", "started_at", "request_id")`);
    await queryRunner.query(
      `CREATE INDEX "idx_request_logs_conversation_started" ON "request_logs" ("conversation_key", "started_at", "request_id")`,
    );
    await queryRunner.query(`ALTER TABLE "projects" ADD "capture_bodies" boolean`);
    await queryRunner.query(`
      CREATE TABLE "request_log_bodies" (
        "request_id" text NOT NULL,
        "started_at" timestamptz NOT NULL,
        "request_body" text NOT NULL,
        "response_body" text NOT NULL,
        "request_truncated" boolean NOT NULL,
        "response_truncated" boolean NOT NULL,
        CONSTRAINT "pk_request_log_bodies" PRIMARY KEY ("request_id")
      )`);
    await queryRunner.query(`CREATE INDEX "idx_request_log_bodies_started_at" ON "request_log_bodies" ("started_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "request_log_bodies"`);
    await queryRunner.query(`ALTER TABLE "projects" DROP COLUMN "capture_bodies"`);
    await queryRunner.query(`DROP INDEX "idx_request_logs_conversation_started"`);
    await queryRunner.query(`DROP INDEX "idx_request_logs_api_key_started"`);
    await queryRunner.query(`DROP INDEX "idx_request_logs_project_started"`);
    await queryRunner.query(`DROP INDEX "idx_request_logs_started"`);
    await queryRunner.query(`CREATE INDEX "idx_request_logs_conversation_key" ON "request_logs" ("conversation_key")`);
    await queryRunner.query(`CREATE INDEX "idx_request_logs_started_at" ON "request_logs" ("started_at")`);
  }
}
