import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { SqliteEventStore } from '@casetrail/event-store';
import { PostgresAdvisoryLease, ProjectionCheckpoint, ProjectionRunner } from '@casetrail/projections';
import { newEvent, POSTGRES_TEST_URL, postgresTestsEnabled, scratchSchema } from '@casetrail/testing';
import { Counter, counterProjection } from './counter-projection';

const describePostgres = postgresTestsEnabled() ? describe : describe.skip;

/** Two "instances" (runners with their own connections) sharing one PostgreSQL read database. */
describePostgres('projection lease on PostgreSQL', () => {
  const schema = scratchSchema('lease');
  // Advisory locks are per database: a key of its own keeps this test apart from parallel runs.
  const key = 900_000_000 + Math.floor(Math.random() * 1_000_000);
  const options = {
    type: 'postgres',
    url: POSTGRES_TEST_URL,
    schema,
    entities: [Counter, ProjectionCheckpoint],
  } as DataSourceOptions;
  let dir: string;
  let store: SqliteEventStore;
  const dataSources: DataSource[] = [];
  const runners: ProjectionRunner[] = [];

  const instance = async (): Promise<{ ds: DataSource; runner: ProjectionRunner; lease: PostgresAdvisoryLease }> => {
    const ds = await new DataSource(options).initialize();
    dataSources.push(ds);
    const runner = new ProjectionRunner(store, ds, [counterProjection()], {
      logger: { log: () => {}, warn: () => {}, error: () => {} },
    });
    runners.push(runner);
    await runner.ensureSchema();
    return { ds, runner, lease: new PostgresAdvisoryLease(ds, key, 200) };
  };
  const total = async (ds: DataSource): Promise<number> =>
    (await ds.getRepository(Counter).find()).reduce((sum, row) => sum + row.total, 0);

  beforeAll(async () => {
    const ds = await new DataSource({ type: 'postgres', url: POSTGRES_TEST_URL }).initialize();
    await ds.query(`CREATE SCHEMA "${schema}"`);
    await ds.destroy();
    dir = mkdtempSync(join(tmpdir(), 'ct-lease-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), pollIntervalMs: 20 });
  });

  afterAll(async () => {
    for (const r of runners) await r.stop();
    for (const ds of dataSources) if (ds.isInitialized) await ds.destroy();
    await store.close();
    const ds = await new DataSource({ type: 'postgres', url: POSTGRES_TEST_URL }).initialize();
    await ds.query(`DROP SCHEMA "${schema}" CASCADE`);
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('only one instance projects; the other serves read-your-writes from the shared checkpoints and takes over when the first dies', async () => {
    const a = await instance();
    const b = await instance();
    await a.runner.runWhileLeading(a.lease, 100);
    await b.runner.runWhileLeading(b.lease, 100);
    expect(a.runner.leading).toBe(true);
    expect(b.runner.leading).toBe(false);

    const first = await store.appendToStream('counter-1', [newEvent('Added', { amount: 5 })]);
    // The follower waits on the checkpoint the leader commits.
    expect(await b.runner.waitFor(first.position)).toBe(true);
    expect(await total(b.ds)).toBe(5);

    // The leader's process dies: its session ends and PostgreSQL frees the lock.
    await a.ds.query('SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = $1 AND objid = $2', ['advisory', key]);
    // b takes over; a's heartbeat notices the lost session and stops it. (Until then both may
    // run: the checkpoint claim still keeps every event applied exactly once.)
    for (let waited = 0; (!b.runner.leading || a.runner.leading) && waited < 10_000; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(b.runner.leading).toBe(true);
    expect(a.runner.leading).toBe(false);
    const second = await store.appendToStream('counter-1', [newEvent('Added', { amount: 7 })]);
    expect(await b.runner.waitFor(second.position, 10_000)).toBe(true);
    expect(await total(b.ds)).toBe(12); // applied exactly once
  });
});
