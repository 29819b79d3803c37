import { sqlMigration } from './sql-migration';

/** The immediate review's answer on audit actions: was immediate safeguarding action needed ('yes' / 'no'). */
export class ImmediateReviewAnswer1795400000000 extends sqlMigration(
  'ImmediateReviewAnswer1795400000000',
  ['ALTER TABLE "audit_actions" ADD "safeguardingActionNeeded" character varying(3)'],
  ['ALTER TABLE "audit_actions" DROP COLUMN "safeguardingActionNeeded"'],
) {}
