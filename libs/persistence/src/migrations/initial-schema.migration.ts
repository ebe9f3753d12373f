import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Projects, API keys, model profiles and channels. Constraint names match the entities' so that
 * `typeorm migration:generate` against a migrated database reports no difference.
 * `gen_random_uuid()` is built into PostgreSQL 13+, so no extension is needed.
 */
export class InitialSchema1767225600000 implements MigrationInterface {
  name = 'InitialSchema1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "projects" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_projects" PRIMARY KEY ("id"),
        CONSTRAINT "uq_projects_name" UNIQUE ("name")
      )`);
    await queryRunner.query(`
      CREATE TABLE "api_keys" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "project_id" uuid NOT NULL,
        "name" text NOT NULL,
        "key_lookup" text NOT NULL,
        "key_hash" text NOT NULL,
        "active_profile" text,
        "revoked_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_api_keys" PRIMARY KEY ("id"),
        CONSTRAINT "uq_api_keys_name" UNIQUE ("name"),
        CONSTRAINT "fk_api_keys_project" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE RESTRICT
      )`);
    await queryRunner.query(`CREATE INDEX "idx_api_keys_key_lookup" ON "api_keys" ("key_lookup")`);
    await queryRunner.query(`
      CREATE TABLE "model_profiles" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "api_key_id" uuid NOT NULL,
        "name" text NOT NULL,
        "rules" jsonb NOT NULL,
        CONSTRAINT "pk_model_profiles" PRIMARY KEY ("id"),
        CONSTRAINT "uq_model_profiles_api_key_name" UNIQUE ("api_key_id", "name"),
        CONSTRAINT "fk_model_profiles_api_key" FOREIGN KEY ("api_key_id") REFERENCES "api_keys" ("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`
      CREATE TABLE "channels" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" text NOT NULL,
        "type" text NOT NULL,
        "base_url" text NOT NULL,
        "api_key_encrypted" text NOT NULL,
        "models" jsonb NOT NULL DEFAULT '[]'::jsonb,
        "enabled" boolean NOT NULL DEFAULT true,
        "timeout_ms" integer,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_channels" PRIMARY KEY ("id"),
        CONSTRAINT "uq_channels_name" UNIQUE ("name")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "channels"`);
    await queryRunner.query(`DROP TABLE "model_profiles"`);
    await queryRunner.query(`DROP TABLE "api_keys"`);
    await queryRunner.query(`DROP TABLE "projects"`);
  }
}
