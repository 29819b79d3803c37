import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each audit action keeps the revision and time of the audit event that last changed it, so an
 * action's event no longer rewrites (and versions) its audit's whole row (issue 15). The defaults
 * only fill rows made before: the audits projection's version 3 rebuilds them.
 */
export class AuditActionRevisions1799950000000 implements MigrationInterface {
  name = 'AuditActionRevisions1799950000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_actions" ADD "revision" character varying(30) NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "audit_actions" ADD "updatedAt" character varying(30) NOT NULL DEFAULT ''`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "audit_actions" DROP COLUMN "updatedAt"');
    await queryRunner.query('ALTER TABLE "audit_actions" DROP COLUMN "revision"');
  }
}
