import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type ObjectLiteral } from 'typeorm';
import { SqliteEventStore, type NewEvent } from '@casetrail/event-store';
import { ProjectionCheckpoint, ProjectionRunner, type AnyProjection } from '@casetrail/projections';
import { newEvent } from './event-fixtures';

interface OpenStorage {
  dir: string;
  store: SqliteEventStore;
  db: DataSource;
  runner: ProjectionRunner;
}

/**
 * A projection on real storage (a SQLite log and SQLite read models in a temp dir):
 * record events, run the projection, read rows, rebuild, compare.
 */
export class ProjectionHarness {
  private storage: OpenStorage | undefined;

  private constructor(private readonly projection: AnyProjection) {}

  /** A harness opened now; the caller closes it. */
  static async open(projection: AnyProjection): Promise<ProjectionHarness> {
    const harness = new ProjectionHarness(projection);
    await harness.openStorage();
    return harness;
  }

  /** A harness for every test of the enclosing describe: fresh storage before each test, removed after it. */
  static perTest(projection: AnyProjection): ProjectionHarness {
    const harness = new ProjectionHarness(projection);
    beforeEach(() => harness.openStorage());
    afterEach(() => harness.close());
    return harness;
  }

  private async openStorage(): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'ct-harness-'));
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    const db = await new DataSource({
      type: 'better-sqlite3',
      database: join(dir, 'read.sqlite'),
      entities: [ProjectionCheckpoint, ...this.projection.entities],
    }).initialize();
    const runner = new ProjectionRunner(store, db, [this.projection]);
    await runner.prepare();
    this.storage = { dir, store, db, runner };
  }

  private get open(): OpenStorage {
    if (!this.storage) throw new Error('The projection harness is not open: use it inside a test');
    return this.storage;
  }

  get store(): SqliteEventStore {
    return this.open.store;
  }

  get db(): DataSource {
    return this.open.db;
  }

  get runner(): ProjectionRunner {
    return this.open.runner;
  }

  /** Records domain events on a stream, with test metadata (`occurredAt` overridable). */
  async record(
    streamId: string,
    events: { type: string; data: unknown }[],
    occurredAt = '2026-04-01T09:00:00.000Z',
  ): Promise<void> {
    const toAppend: NewEvent[] = events.map((e) => {
      const event = newEvent(e.type, e.data);
      return { ...event, metadata: { ...event.metadata, occurredAt } };
    });
    await this.store.appendToStream(streamId, toAppend);
  }

  async project(): Promise<void> {
    await this.runner.catchUp();
  }

  rows<E extends ObjectLiteral>(entity: new () => E, orderBy: keyof E & string): Promise<E[]> {
    return this.db.getRepository(entity).find({ order: { [orderBy]: 'ASC' } as never });
  }

  async rebuild(): Promise<void> {
    await this.runner.rebuild();
  }

  /** Rebuilding from the log gives the rows `read` returned before: a projection depends on its events alone. */
  async expectRebuildKeeps(read: () => Promise<unknown>): Promise<void> {
    const before = await read();
    await this.rebuild();
    expect(await read()).toEqual(before);
  }

  async close(): Promise<void> {
    // After a failed open there is nothing to remove; the open's own error is the one to read.
    if (!this.storage) return;
    const { dir, db, store } = this.storage;
    this.storage = undefined;
    await db.destroy();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
