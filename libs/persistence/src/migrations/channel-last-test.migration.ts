import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The result of a channel's latest "test this channel" call, shown with the channel by the admin API. */
export class ChannelLastTest1767225600003 implements MigrationInterface {
  name = 'ChannelLastTest1767225600003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "channels" ADD "last_test" jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "channels" DROP COLUMN "last_test"`);
  }
}
