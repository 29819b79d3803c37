import { sqlMigration } from './sql-migration';

/** The bank holidays an administrator records (read model bank-holidays). */
export class BankHolidays1795330000000 extends sqlMigration(
  'BankHolidays1795330000000',
  [
    'CREATE TABLE "bank_holidays" ("date" character varying(10) NOT NULL, "reason" character varying(500) NOT NULL, "replaces" character varying(10), "position" character varying(30) NOT NULL, "addedAt" character varying(30) NOT NULL, "addedBy" character varying(100) NOT NULL, CONSTRAINT "PK_29eb0904eb8a93d246ba526b908" PRIMARY KEY ("date"))',
  ],
  ['DROP TABLE "bank_holidays"'],
) {}
