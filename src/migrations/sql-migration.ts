import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One statement: its SQL, or its SQL and parameters. */
type Statement = string | readonly [string, readonly unknown[]];
const run = async (queryRunner: QueryRunner, statements: readonly Statement[]): Promise<void> => {
  for (const statement of statements) {
    if (typeof statement === 'string') await queryRunner.query(statement);
    else await queryRunner.query(statement[0], [...statement[1]]);
  }
};

/**
 * A read-model migration as TypeORM runs it: `name` (its class name, with the timestamp) and the
 * statements of `up` and of `down`, each run in order. `npm run migration:generate` writes them so.
 */
export function sqlMigration(name: string, up: readonly Statement[], down: readonly Statement[]): new () => MigrationInterface {
  return class implements MigrationInterface {
    name = name;
    up = (queryRunner: QueryRunner): Promise<void> => run(queryRunner, up);
    down = (queryRunner: QueryRunner): Promise<void> => run(queryRunner, down);
  };
}
