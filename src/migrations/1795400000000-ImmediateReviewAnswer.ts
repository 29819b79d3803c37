import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The immediate review's answer on audit actions: was immediate safeguarding action needed ('yes' / 'no'). */
export class ImmediateReviewAnswer1795400000000 implements MigrationInterface {
  name = 'ImmediateReviewAnswer1795400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "audit_actions" ADD "safeguardingActionNeeded" character varying(3)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "audit_actions" DROP COLUMN "safeguardingActionNeeded"');
  }
}
