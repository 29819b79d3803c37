/**
 * An as-at request on PostgreSQL reads through one pooled client, and query handlers read with
 * Promise.all: its queries must take turns on that client (pg 8 warns on overlapping queries
 * on one client, pg 9 refuses them). Counted at the pg client itself: how many of its queries
 * were in flight at once (a plain runner had all five at once, and pg printed the warning).
 */
import { DataSource, type QueryRunner } from 'typeorm';
import { POSTGRES_TEST_URL, postgresTestsEnabled } from '@casetrail/testing';
import { oneQueryAtATime } from './as-at-reader';

const describePostgres = postgresTestsEnabled() ? describe : describe.skip;

type Query = (...args: unknown[]) => Promise<unknown>;

/** Connects `runner` and counts, at its pg client, the most queries in flight at once. */
async function countOverlap(runner: QueryRunner): Promise<{ most: () => number }> {
  const client = (await runner.connect()) as { query: Query };
  const query = client.query.bind(client);
  let inFlight = 0;
  let most = 0;
  client.query = (...args) => {
    most = Math.max(most, ++inFlight);
    return query(...args).finally(() => inFlight--);
  };
  return { most: () => most };
}

/** What a query handler does: several reads at once, one of them failing, in a read-only transaction. */
async function readsAtOnce(runner: QueryRunner): Promise<unknown[]> {
  await runner.startTransaction();
  try {
    const reads = [1, 2, 3, 4].map((n) =>
      runner.manager.query(`SELECT $1::int AS n`, [n]).then((rows: { n: number }[]) => rows[0].n),
    );
    const failing = runner.manager.query('SELECT * FROM no_such_table_here').catch(() => 'refused');
    return await Promise.all([...reads, failing]);
  } finally {
    await runner.rollbackTransaction();
  }
}

describePostgres('as-at queries on one PostgreSQL client', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await new DataSource({ type: 'postgres', url: POSTGRES_TEST_URL }).initialize();
  });
  afterAll(() => db.destroy());

  it('oneQueryAtATime sends them one at a time, in order, a failing one not stopping the rest', async () => {
    const runner = oneQueryAtATime(db.createQueryRunner('slave'));
    try {
      const overlap = await countOverlap(runner);
      await expect(readsAtOnce(runner)).resolves.toEqual([1, 2, 3, 4, 'refused']);
      expect(overlap.most()).toBe(1);
    } finally {
      await runner.release();
    }
  });
});
