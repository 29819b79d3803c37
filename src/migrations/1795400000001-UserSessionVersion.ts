import type { MigrationInterface, QueryRunner } from 'typeorm';

/** users.sessionVersion: sign-out, a new password and deactivation end every web session of the user. */
export class UserSessionVersion1795400000001 implements MigrationInterface {
  name = 'UserSessionVersion1795400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "users" ADD "sessionVersion" integer NOT NULL DEFAULT \'0\'');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "sessionVersion"');
  }
}
