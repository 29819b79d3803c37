/**
 * A rebuild into a SQLite read database (WAL) checkpoints once, at the end, instead of
 * letting automatic checkpoints rewrite the file as the WAL fills: afterwards the WAL is
 * empty, automatic checkpoints are back as they were (also after a failed rebuild), and the
 * rows are those of a plain catch-up.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { SqliteEventStore } from '@casetrail/event-store';
import { ProjectionCheckpoint, ProjectionRunner } from '@casetrail/projections';
import { newEvent } from '@casetrail/testing';
import { Counter, counterProjection } from './counter-projection';

describe('rebuild into a SQLite read database in WAL mode', () => {
  let dir: string;
  let store: SqliteEventStore;
  let ds: DataSource;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ct-rebuild-wal-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    ds = await new DataSource({
      type: 'better-sqlite3',
      database: join(dir, 'read.sqlite'),
      enableWAL: true,
      entities: [Counter, ProjectionCheckpoint],
    }).initialize();
    for (let n = 0; n < 40; n++) {
      await store.appendToStream(
        `counter-${n % 7}`,
        Array.from({ length: 5 }, (_, i) => newEvent('Added', { amount: n + i })),
      );
    }
  });
  afterEach(async () => {
    if (ds.isInitialized) await ds.destroy();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const autoCheckpoint = async (): Promise<number> =>
    Number(((await ds.query('PRAGMA wal_autocheckpoint')) as { wal_autocheckpoint: number }[])[0].wal_autocheckpoint);
  const rows = async (): Promise<[string, number][]> =>
    (await ds.getRepository(Counter).find({ order: { id: 'ASC' } })).map((r) => [r.id, r.total]);

  it('leaves the WAL empty and the automatic checkpoint as it was, with the rows of a catch-up', async () => {
    const runner = new ProjectionRunner(store, ds, [counterProjection()], { batchSize: 3 });
    await runner.prepare();
    await runner.catchUp();
    const caughtUp = await rows();
    await ds.query('PRAGMA wal_autocheckpoint = 777');

    await runner.rebuild();
    expect(await rows()).toEqual(caughtUp);
    expect(await autoCheckpoint()).toBe(777);
    expect(statSync(join(dir, 'read.sqlite-wal')).size).toBe(0);
  });

  it('puts the automatic checkpoint back when the rebuild fails', async () => {
    let applied = 0;
    const failing = counterProjection({
      apply: () => {
        if (++applied > 10) throw new Error('broken projection');
        return Promise.resolve();
      },
    });
    const runner = new ProjectionRunner(store, ds, [failing], { batchSize: 3 });
    await runner.prepare();
    const before = await autoCheckpoint();
    await expect(runner.rebuild()).rejects.toThrow('broken projection');
    expect(await autoCheckpoint()).toBe(before);
  });
});
