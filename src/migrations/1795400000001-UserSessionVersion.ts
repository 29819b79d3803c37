import { sqlMigration } from './sql-migration';

/** users.sessionVersion: sign-out, a new password and deactivation end every web session of the user. */
export class UserSessionVersion1795400000001 extends sqlMigration(
  'UserSessionVersion1795400000001',
  ['ALTER TABLE "users" ADD "sessionVersion" integer NOT NULL DEFAULT \'0\''],
  ['ALTER TABLE "users" DROP COLUMN "sessionVersion"'],
) {}
