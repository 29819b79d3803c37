import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type ObjectLiteral } from 'typeorm';
import { SqliteEventStore, type NewEvent } from '@casetrail/event-store';
import { ProjectionCheckpoint, ProjectionRunner, type AnyProjection } from '@casetrail/projections';
import { newEvent } from './event-fixtures';

/**
 * A projection on real storage (a SQLite log and SQLite read models in a temp dir):
 * record events, run the projection, read rows, rebuild, compare.
 */
export class ProjectionHarness {
  private constructor(
    private readonly dir: string,
    readonly store: SqliteEventStore,
    readonly db: DataSource,
    readonly runner: ProjectionRunner,
  ) {}

  static async open(projection: AnyProjection): Promise<ProjectionHarness> {
    const dir = mkdtempSync(join(tmpdir(), 'ct-harness-'));
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    const db = await new DataSource({
      type: 'better-sqlite3',
      database: join(dir, 'read.sqlite'),
      entities: [ProjectionCheckpoint, ...projection.entities],
    }).initialize();
    const runner = new ProjectionRunner(store, db, [projection]);
    await runner.prepare();
    return new ProjectionHarness(dir, store, db, runner);
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

  async close(): Promise<void> {
    await this.db.destroy();
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
