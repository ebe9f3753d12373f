import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users with passwords and a role per project (ADR 0010). A login session is an admin token linked to its
 * user, with an expiry, so authentication stays one path.
 */
export class UsersAndSessions1767225600004 implements MigrationInterface {
  name = 'UsersAndSessions1767225600004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "users" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" text NOT NULL,
        "password_hash" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "deleted_at" timestamptz,
        CONSTRAINT "pk_users" PRIMARY KEY ("id")
      )`);
    // Deleted users keep their row (the audit names them); their login name is free again.
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_name_live" ON "users" ("name") WHERE "deleted_at" IS NULL`);
    await queryRunner.query(`
      CREATE TABLE "user_memberships" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "project_id" uuid,
        "role" text NOT NULL,
        CONSTRAINT "pk_user_memberships" PRIMARY KEY ("id"),
        CONSTRAINT "fk_user_memberships_user" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE,
        CONSTRAINT "fk_user_memberships_project" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE CASCADE
      )`);
    // One role per (user, project), and one gateway-wide role (project_id NULL) per user.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_user_memberships_user_project" ON "user_memberships" ("user_id", "project_id") WHERE "project_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_user_memberships_user_gateway" ON "user_memberships" ("user_id") WHERE "project_id" IS NULL`,
    );
    await queryRunner.query(`ALTER TABLE "admin_tokens" ADD "user_id" uuid`);
    await queryRunner.query(`ALTER TABLE "admin_tokens" ADD "expires_at" timestamptz`);
    await queryRunner.query(`CREATE INDEX "idx_admin_tokens_user_id" ON "admin_tokens" ("user_id") WHERE "user_id" IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_admin_tokens_user_id"`);
    await queryRunner.query(`ALTER TABLE "admin_tokens" DROP COLUMN "expires_at"`);
    await queryRunner.query(`ALTER TABLE "admin_tokens" DROP COLUMN "user_id"`);
    await queryRunner.query(`DROP TABLE "user_memberships"`);
    await queryRunner.query(`DROP TABLE "users"`);
  }
}
