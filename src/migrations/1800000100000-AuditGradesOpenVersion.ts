import { sqlMigration } from './sql-migration';

/**
 * Each domain grade's row keeps its open version (`_from`, the position of the event that wrote it),
 * so its as-at history holds only closed versions: most grades are written once, and were stored
 * twice (issue 15). The audits projection's version 4 rebuilds the rows with it.
 */
export class AuditGradesOpenVersion1800000100000 extends sqlMigration(
  'AuditGradesOpenVersion1800000100000',
  ['ALTER TABLE "audit_grades" ADD "_from" bigint'],
  ['ALTER TABLE "audit_grades" DROP COLUMN "_from"'],
) {}
