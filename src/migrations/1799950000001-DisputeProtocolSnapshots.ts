import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A DR's row names the protocol it started under (`protocolKey`, a snapshot kept once in
 * `dispute_protocol_snapshots`) instead of carrying it, so that its history versions no longer
 * copy it (issue 15). The default only fills rows made before: the disputes projection's
 * version 3 rebuilds them.
 */
export class DisputeProtocolSnapshots1799950000001 implements MigrationInterface {
  name = 'DisputeProtocolSnapshots1799950000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "dispute_protocol_snapshots" ("protocolKey" character varying(64) NOT NULL, "protocol" text NOT NULL, CONSTRAINT "PK_062841f3a215e58c4f8550faceb" PRIMARY KEY ("protocolKey"))',
    );
    await queryRunner.query('ALTER TABLE "disputes" DROP COLUMN "protocol"');
    await queryRunner.query(`ALTER TABLE "disputes" ADD "protocolKey" character varying(64) NOT NULL DEFAULT ''`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "disputes" DROP COLUMN "protocolKey"');
    await queryRunner.query(`ALTER TABLE "disputes" ADD "protocol" text NOT NULL DEFAULT '{}'`);
    await queryRunner.query('DROP TABLE "dispute_protocol_snapshots"');
  }
}
