import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { SqliteEventStore, type EventFilter, type RecordedEvent } from '@casetrail/event-store';
import { matchesFilter, ProjectionCheckpoint, ProjectionRunner, type Projection } from '@casetrail/projections';
import { newEvent, POSTGRES_TEST_URL, postgresTestsEnabled, scratchSchema } from '@casetrail/testing';
import { Counter, counterProjection } from './counter-projection';

interface ReadDb {
  name: string;
  enabled: boolean;
  options(): DataSourceOptions;
}

const READ_DBS: ReadDb[] = [
  {
    name: 'sqlite',
    enabled: true,
    options: () => ({ type: 'better-sqlite3', database: join(mkdtempSync(join(tmpdir(), 'ct-read-')), 'read.sqlite') }),
  },
  {
    name: 'postgres',
    enabled: postgresTestsEnabled(),
    options: () => ({ type: 'postgres', url: POSTGRES_TEST_URL, schema: scratchSchema('read') }),
  },
];

describe.each(READ_DBS.filter((d) => d.enabled))('projection runner on $name read models', (readDb) => {
  let dir: string;
  let store: SqliteEventStore;
  let options: DataSourceOptions;
  const dataSources: DataSource[] = [];

  const openReadDb = async (): Promise<DataSource> => {
    const ds = new DataSource({ ...options, entities: [Counter, ProjectionCheckpoint] } as DataSourceOptions);
    await ds.initialize();
    dataSources.push(ds);
    return ds;
  };
  const rows = async (ds: DataSource): Promise<Counter[]> => ds.getRepository(Counter).find({ order: { id: 'ASC' } });
  const add = (n: number, amount: number) => store.appendToStream(`counter-${n}`, [newEvent('Added', { amount })]);

  /** Runs a statement outside the test's read database (creating and dropping scratch schemas). */
  const admin = async (sql: string): Promise<void> => {
    const ds = new DataSource({ type: 'postgres', url: POSTGRES_TEST_URL });
    await ds.initialize();
    await ds.query(sql);
    await ds.destroy();
  };

  beforeEach(async () => {
    options = readDb.options();
    if (options.type === 'postgres') await admin(`CREATE SCHEMA "${options.schema}"`);
    dir = mkdtempSync(join(tmpdir(), 'ct-proj-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), pollIntervalMs: 20 });
  });

  afterEach(async () => {
    for (const ds of dataSources.splice(0)) if (ds.isInitialized) await ds.destroy();
    if (options.type === 'postgres') await admin(`DROP SCHEMA "${options.schema}" CASCADE`);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies the events its filter selects and records the checkpoint with the rows', async () => {
    await add(1, 5);
    await store.appendToStream('other-1', [newEvent('Added', { amount: 100 })]);
    await add(2, 7);
    await add(1, 3);
    const ds = await openReadDb();
    const runner = new ProjectionRunner(store, ds, [counterProjection()], { batchSize: 2 });
    await runner.prepare();
    await runner.catchUp();
    expect((await rows(ds)).map((r) => [r.id, r.total])).toEqual([
      ['counter-1', 8],
      ['counter-2', 7],
    ]);
    const [status] = await runner.status();
    expect(status).toMatchObject({ name: 'counters', position: (await store.headPosition()).toString(), lag: 0 });
  });

  it('applying the same log twice yields the same rows (a rebuild equals the original)', async () => {
    for (let i = 0; i < 30; i++) await add(i % 4, i);
    const ds = await openReadDb();
    const runner = new ProjectionRunner(store, ds, [counterProjection()], { batchSize: 7 });
    await runner.prepare();
    await runner.catchUp();
    const first = await rows(ds);
    await runner.rebuild(['counters']);
    expect(await rows(ds)).toEqual(first);
    await runner.catchUp(); // nothing new: nothing re-applied
    expect(await rows(ds)).toEqual(first);
  });

  it('a batch that fails part-way commits neither rows nor checkpoint, and a retry applies it exactly once', async () => {
    await add(1, 1);
    await add(1, 2);
    await add(1, 4);
    const ds = await openReadDb();
    let crash = true;
    const projection = counterProjection();
    const crashing: Projection = {
      ...projection,
      apply: async (event, manager) => {
        await projection.apply(event, manager);
        if (crash && (event.data as { amount: number }).amount === 4) throw new Error('power cut');
      },
    };
    const runner = new ProjectionRunner(store, ds, [crashing], { batchSize: 10 });
    await runner.prepare();
    await expect(runner.catchUp()).rejects.toThrow('power cut');
    expect(await rows(ds)).toEqual([]);
    expect((await runner.status())[0]).toMatchObject({ position: '0', lag: 3 });
    crash = false;
    await runner.catchUp();
    expect((await rows(ds)).map((r) => r.total)).toEqual([7]);
  });

  it('a new version empties the tables and rebuilds from position 0', async () => {
    await add(1, 10);
    const ds = await openReadDb();
    const v1 = new ProjectionRunner(store, ds, [counterProjection()]);
    await v1.prepare();
    await v1.catchUp();
    const doubled = counterProjection({
      version: 2,
      apply: async (event, manager) => {
        await manager.save(Counter, {
          id: event.streamId,
          total: (event.data as { amount: number }).amount * 2,
          lastPosition: '0',
        });
      },
    });
    const v2 = new ProjectionRunner(store, ds, [doubled]);
    await v2.prepare();
    await v2.catchUp();
    expect((await rows(ds)).map((r) => r.total)).toEqual([20]);
  });

  it('a dropped read-model table is recreated and rebuilt on start', async () => {
    await add(1, 10);
    await add(2, 1);
    const ds = await openReadDb();
    const runner = new ProjectionRunner(store, ds, [counterProjection()]);
    await runner.prepare();
    await runner.catchUp();
    const before = await rows(ds);
    await ds.query(`DROP TABLE ${ds.getMetadata(Counter).tablePath}`);
    const restarted = new ProjectionRunner(store, ds, [counterProjection()]);
    await restarted.prepare();
    await restarted.catchUp();
    expect(await rows(ds)).toEqual(before);
  });

  it('follows live appends, and waitFor resolves once the read model has the written position', async () => {
    const ds = await openReadDb();
    const runner = new ProjectionRunner(store, ds, [counterProjection()]);
    await runner.start();
    try {
      const { position } = await add(3, 9);
      expect(await runner.waitFor(position, 5000)).toBe(true);
      expect((await rows(ds)).map((r) => [r.id, r.total])).toEqual([['counter-3', 9]]);
      const unrelated = await store.appendToStream('other-2', [newEvent('Added', { amount: 1 })]);
      expect(await runner.waitFor(unrelated.position, 5000)).toBe(true);
    } finally {
      await runner.stop();
    }
  });

  it('a projection that keeps failing holds up only the waits that need it (skipFailing, only), never the others', async () => {
    await add(1, 1);
    const ds = await openReadDb();
    const broken: Projection = {
      ...counterProjection(),
      name: 'broken',
      entities: [],
      apply: async () => {
        throw new Error('unexpected data');
      },
    };
    const runner = new ProjectionRunner(store, ds, [counterProjection(), broken], { retryDelayMs: 10 });
    await runner.start();
    try {
      const { position } = await add(1, 2);
      expect(await runner.waitFor(position, 5000, { skipFailing: true })).toBe(true);
      expect(await runner.waitFor(position, 5000, { only: ['counters'] })).toBe(true);
      expect((await rows(ds)).map((r) => r.total)).toEqual([3]);
      // A plain wait (as-at and Consistent-With use it) still needs every projection: it times out.
      expect(await runner.waitFor(position, 300)).toBe(false);
      expect((await runner.status()).find((s) => s.name === 'broken')?.lastError).toBe('unexpected data');
    } finally {
      await runner.stop();
    }
  });

  it('a catch-up whose range another runner applied first resumes from there: no error, nothing applied twice', async () => {
    for (let i = 0; i < 5; i++) await add(1, 1);
    const ds = await openReadDb();
    const other = new ProjectionRunner(store, await openReadDb(), [counterProjection()]);
    // The CLI's reads: just as it starts reading, the other runner applies everything.
    let raced = false;
    const racing = Object.create(store) as SqliteEventStore;
    racing.readAll = (options) => {
      const events = store.readAll(options);
      return (async function* () {
        if (!raced) {
          raced = true;
          await other.catchUp();
        }
        yield* events;
      })();
    };
    const cli = new ProjectionRunner(racing, ds, [counterProjection()]);
    await cli.prepare();
    await other.prepare();
    await cli.catchUp();
    expect(raced).toBe(true);
    expect((await rows(ds)).map((r) => r.total)).toEqual([5]);
  });

  /** The store, counting the subscriptions and whole-log reads made on it. */
  const counted = (): { store: SqliteEventStore; subscriptions: number; reads: number } => {
    const spy = { store: Object.create(store) as SqliteEventStore, subscriptions: 0, reads: 0 };
    spy.store.subscribeToAll = (options) => {
      spy.subscriptions++;
      return store.subscribeToAll(options);
    };
    spy.store.readAll = (options) => {
      spy.reads++;
      return store.readAll(options);
    };
    return spy;
  };
  /** A projection without tables that remembers the positions it was given. */
  const recorder = (name: string, filter?: EventFilter): Projection & { seen: bigint[] } => {
    const seen: bigint[] = [];
    return {
      name,
      version: 1,
      filter: filter ?? {},
      entities: [],
      seen,
      apply: (event: RecordedEvent) => {
        seen.push(event.position);
        return Promise.resolve();
      },
    };
  };

  it('every projection of the process follows the live log through ONE subscription, each with its own filter', async () => {
    const spy = counted();
    const ds = await openReadDb();
    const all = recorder('everything');
    const others = recorder('others', { streamPrefixes: ['other-'] });
    const typed = recorder('removed-only', { eventTypes: ['Removed'] });
    const runner = new ProjectionRunner(spy.store, ds, [counterProjection(), all, others, typed]);
    await runner.start();
    try {
      // Once every projection has applied a first event, each has joined the shared reader.
      const first = await store.appendToStream('warm-1', [newEvent('Added', {})]);
      expect(await runner.waitFor(first.position, 5000)).toBe(true);
      const before = spy.reads;
      const a = await add(1, 5);
      const b = await store.appendToStream('other-1', [newEvent('Added', { amount: 100 }), newEvent('Removed', {})]);
      const c = await add(1, 2);
      expect(await runner.waitFor(c.position, 5000)).toBe(true);
      expect(spy.subscriptions).toBe(1);
      expect(spy.reads).toBe(before); // nothing behind the live edge: no projection read the log alone
      expect((await rows(ds)).map((r) => [r.id, r.total])).toEqual([['counter-1', 7]]);
      expect(all.seen).toEqual([first.position, a.position, b.position - 1n, b.position, c.position]);
      expect(others.seen).toEqual([b.position - 1n, b.position]);
      expect(typed.seen).toEqual([b.position]);
      const checkpoints = await ds.getRepository(ProjectionCheckpoint).find();
      expect(checkpoints.map((cp) => cp.position)).toEqual(checkpoints.map(() => c.position.toString()));
    } finally {
      await runner.stop();
    }
  });

  it('a catch-up reads the log ONCE for all its projections, each from its own checkpoint and with its own filter', async () => {
    const ds = await openReadDb();
    const a = await add(1, 5);
    const b = await store.appendToStream('other-1', [newEvent('Added', { amount: 100 }), newEvent('Removed', {})]);
    // `others` is already at b's first event: it must get only what follows.
    const early = recorder('others', { streamPrefixes: ['other-'] });
    const warm = new ProjectionRunner(store, ds, [early]);
    await warm.prepare();
    await warm.catchUp();
    await ds.getRepository(ProjectionCheckpoint).update({ name: 'others' }, { position: (b.position - 1n).toString() });
    const c = await add(1, 2);

    const spy = counted();
    const all = recorder('everything');
    const others = recorder('others', { streamPrefixes: ['other-'] });
    const typed = recorder('removed-only', { eventTypes: ['Removed'] });
    const runner = new ProjectionRunner(spy.store, ds, [counterProjection(), all, others, typed], { batchSize: 2 });
    await runner.prepare();
    await runner.catchUp();
    expect(spy.reads).toBe(1);
    expect(all.seen).toEqual([a.position, b.position - 1n, b.position, c.position]);
    expect(others.seen).toEqual([b.position]);
    expect(typed.seen).toEqual([b.position]);
    expect((await rows(ds)).map((r) => [r.id, r.total])).toEqual([['counter-1', 7]]);
    const checkpoints = await ds.getRepository(ProjectionCheckpoint).find();
    expect(checkpoints.map((cp) => cp.position)).toEqual(checkpoints.map(() => c.position.toString()));
  });

  it('projections that start behind the live edge catch up alone, then join the shared reader without a gap', async () => {
    for (let i = 0; i < 7; i++) await add(i % 2, 1);
    const spy = counted();
    const ds = await openReadDb();
    const all = recorder('everything');
    const runner = new ProjectionRunner(spy.store, ds, [counterProjection(), all], { batchSize: 3 });
    await runner.start();
    try {
      const live = await Promise.all([
        add(0, 10),
        add(1, 10),
        store.appendToStream('other-9', [newEvent('Added', { amount: 1 })]),
      ]);
      const head = live.map((r) => r.position).reduce((x, y) => (x > y ? x : y));
      expect(await runner.waitFor(head, 5000)).toBe(true);
      expect(spy.subscriptions).toBe(1);
      expect((await rows(ds)).map((r) => r.total)).toEqual([14, 13]);
      expect(all.seen).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(i + 1)));
    } finally {
      await runner.stop();
    }
  });

  it('a wait for a write concerns only the projections its events pass the filter of', async () => {
    const ds = await openReadDb();
    const others = recorder('others', { streamPrefixes: ['other-'] });
    const runner = new ProjectionRunner(store, ds, [counterProjection(), others]);
    await runner.prepare();
    await store.appendToStream('other-1', [newEvent('Added', {})]);
    const { position } = await add(1, 4);
    await runner.catchUp([runner.projections[0]]); // the counters are there, "others" is not
    expect(await runner.waitFor(position, 50, { concerning: [{ streamId: 'counter-1', type: 'Added' }] })).toBe(true);
    expect(await runner.waitFor(position, 50, { concerning: [{ streamId: 'other-1', type: 'Added' }] })).toBe(false);
    expect(await runner.waitFor(position, 50)).toBe(false);
  });

  it("the shared reader's filter decides exactly as the store's", async () => {
    const streams = ['counter-1', 'counter', 'counterx-1', 'other-1', 'team-a-b', 'teams-1'];
    for (const streamId of streams) await store.appendToStream(streamId, [newEvent('Added', {}), newEvent('Removed', {})]);
    const filters: EventFilter[] = [
      { streamPrefixes: ['counter-'] },
      { streamPrefixes: ['counter'] },
      { streamPrefixes: ['team-a', 'other-'] },
      { streamPrefixes: [] },
      { eventTypes: ['Removed'] },
      { eventTypes: [] },
      { streamPrefixes: ['team-', 'teams-'], eventTypes: ['Added'] },
      {},
    ];
    const everything: RecordedEvent[] = [];
    for await (const e of store.readAll()) everything.push(e);
    for (const filter of filters) {
      const fromStore: bigint[] = [];
      for await (const e of store.readAll({ filter })) fromStore.push(e.position);
      expect(everything.filter((e) => matchesFilter(e, filter)).map((e) => e.position)).toEqual(fromStore);
    }
  });

  it('a rebuild by another runner while one is following never double-applies', async () => {
    for (let i = 0; i < 20; i++) await add(i % 3, 1);
    const ds = await openReadDb();
    const server = new ProjectionRunner(store, ds, [counterProjection()], { batchSize: 3, retryDelayMs: 10 });
    await server.start();
    try {
      await server.waitFor(await store.headPosition());
      const cli = new ProjectionRunner(store, await openReadDb(), [counterProjection()], { batchSize: 3 });
      await cli.rebuild();
      const { position } = await add(0, 1);
      expect(await server.waitFor(position, 5000)).toBe(true);
      expect((await rows(ds)).map((r) => r.total)).toEqual([8, 7, 6]);
    } finally {
      await server.stop();
    }
  });
});
