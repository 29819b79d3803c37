import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { POSTGRES_TEST_URL, postgresTestsEnabled } from '@casetrail/testing';
import { PLATFORM } from '../contexts';
import { ALL_MIGRATIONS } from '.';

const describePostgres = postgresTestsEnabled() ? describe : describe.skip;

describePostgres('PostgreSQL read-model migrations', () => {
  const db = `ct_mig_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = async (sql: string): Promise<void> => {
    const client = new Client({ connectionString: POSTGRES_TEST_URL });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  let ds: DataSource;

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${db}`);
    const url = new URL(POSTGRES_TEST_URL);
    url.pathname = `/${db}`;
    ds = await new DataSource({
      type: 'postgres',
      url: url.toString(),
      entities: PLATFORM.entities,
      migrations: ALL_MIGRATIONS,
      migrationsTableName: 'read_model_migrations',
    }).initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  });

  it('create exactly the schema the projection entities need (run `npm run migration:generate -- Name` when this fails)', async () => {
    await ds.runMigrations();
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('run once: a second run (another instance starting) changes nothing', async () => {
    expect(await ds.runMigrations()).toEqual([]);
  });

  it('can be undone to an empty database, newest first', async () => {
    for (let i = 0; i < ALL_MIGRATIONS.length; i++) await ds.undoLastMigration();
    const tables = await ds.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'read_model_migrations'",
    );
    expect(tables).toEqual([]);
  });
});
