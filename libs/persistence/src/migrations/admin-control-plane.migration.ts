import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The admin API's tables (admin tokens, audit log, last-applied bootstrap forms) and the API-key fields it
 * manages. Key names become unique per project (projects are real now), not across the gateway.
 */
export class AdminControlPlane1767225600002 implements MigrationInterface {
  name = 'AdminControlPlane1767225600002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "prefix" text NOT NULL DEFAULT ''`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "expires_at" timestamptz`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "allowed_models" jsonb`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "limits" jsonb`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "uq_api_keys_name"`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD CONSTRAINT "uq_api_keys_project_name" UNIQUE ("project_id", "name")`);
    await queryRunner.query(`
      CREATE TABLE "admin_tokens" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" text NOT NULL,
        "role" text NOT NULL,
        "project_id" uuid,
        "prefix" text NOT NULL,
        "token_lookup" text NOT NULL,
        "token_hash" text NOT NULL,
        "revoked_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_admin_tokens" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "idx_admin_tokens_token_lookup" ON "admin_tokens" ("token_lookup")`);
    await queryRunner.query(`
      CREATE TABLE "audit_log" (
        "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
        "at" timestamptz NOT NULL DEFAULT now(),
        "actor_token_id" text NOT NULL,
        "actor_name" text NOT NULL,
        "action" text NOT NULL,
        "resource_type" text NOT NULL,
        "resource_id" text,
        "project_id" uuid,
        "before" jsonb,
        "after" jsonb,
        CONSTRAINT "pk_audit_log" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "idx_audit_log_project_id" ON "audit_log" ("project_id", "id")`);
    await queryRunner.query(`
      CREATE TABLE "bootstrap_items" (
        "kind" text NOT NULL,
        "name" text NOT NULL,
        "form_hash" text NOT NULL,
        "applied_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_bootstrap_items" PRIMARY KEY ("kind", "name")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "bootstrap_items"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
    await queryRunner.query(`DROP TABLE "admin_tokens"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "uq_api_keys_project_name"`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD CONSTRAINT "uq_api_keys_name" UNIQUE ("name")`);
    for (const column of ['limits', 'allowed_models', 'expires_at', 'prefix']) {
      await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "${column}"`);
    }
  }
}
