import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * OpenAI-compatible vendor presets on channels (`preset`), per-channel model-name mapping (`model_map`) and
 * extra request headers, stored encrypted like the credential (`headers_encrypted`: values may be secrets);
 * request logs record the model name the upstream was sent (`upstream_model`).
 */
export class ChannelPresets1767225600006 implements MigrationInterface {
  name = 'ChannelPresets1767225600006';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "channels" ADD "preset" text`);
    await queryRunner.query(`ALTER TABLE "channels" ADD "model_map" jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "channels" ADD "headers_encrypted" text`);
    await queryRunner.query(`ALTER TABLE "request_logs" ADD "upstream_model" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "request_logs" DROP COLUMN "upstream_model"`);
    await queryRunner.query(`ALTER TABLE "channels" DROP COLUMN "headers_encrypted"`);
    await queryRunner.query(`ALTER TABLE "channels" DROP COLUMN "model_map"`);
    await queryRunner.query(`ALTER TABLE "channels" DROP COLUMN "preset"`);
  }
}
