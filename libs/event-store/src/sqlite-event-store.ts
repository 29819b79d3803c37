import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { assertExpectedRevision, nextRecordedAt, replayedAppend, sealEvents, type StoredEventRef } from './append-plan';
import type { AppendOptions, AppendResult, NewEvent } from './event-store.port';
import {
  allPageClause,
  type AppendOutcome,
  type AppendRequest,
  SqlEventStoreBase,
  streamPageClause,
  type AllPageQuery,
  toIsoInstant,
  type EventRow,
  type SqlEventStoreOptions,
  type StreamPageQuery,
} from './sql-event-store.base';

export interface SqliteEventStoreOptions extends SqlEventStoreOptions {
  /** Path of the database file (created if missing), or ':memory:'. */
  file: string;
}

/** The log's table, indexes and immutability triggers (the benchmark's raw baseline uses it too). */
export const SQLITE_EVENTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position       INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id      TEXT    NOT NULL,
  category       TEXT    NOT NULL,
  revision       INTEGER NOT NULL,
  event_id       TEXT    NOT NULL UNIQUE,
  type           TEXT    NOT NULL,
  schema_version INTEGER NOT NULL,
  data           TEXT    NOT NULL,
  metadata       TEXT    NOT NULL,
  recorded_at    TEXT    NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE INDEX IF NOT EXISTS events_by_category ON events (category, position);
CREATE INDEX IF NOT EXISTS events_by_type ON events (type, position);
CREATE INDEX IF NOT EXISTS events_by_recorded_at ON events (recorded_at);
-- The log is append-only: nothing edits or deletes an event.
CREATE TRIGGER IF NOT EXISTS events_are_immutable_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are immutable'); END;
CREATE TRIGGER IF NOT EXISTS events_are_immutable_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are immutable'); END;
`;

const COLUMNS = `position, stream_id AS streamId, revision, event_id AS eventId, type,
  schema_version AS schemaVersion, data, metadata`;

/** A row as COLUMNS lists it, fetched as an array (better-sqlite3's raw mode: about twice as fast as its objects). */
type RawRow = [number, string, number, string, string, number, string, string];

const toRow = (r: RawRow): EventRow => ({
  position: BigInt(r[0]),
  streamId: r[1],
  revision: BigInt(r[2]),
  eventId: r[3],
  type: r[4],
  schemaVersion: r[5],
  data: r[6],
  metadata: r[7],
});

/** An insert of this append hit an event id already stored: the append is rolled back and checked id by id. */
class EventIdTaken extends Error {}

/** An insert failed after others of the same group may have been written: `cause` is why. */
class PartlyWritten extends Error {
  constructor(override readonly cause: unknown) {
    super('An insert failed part way through an append');
  }
}

const isEventIdTaken = (error: unknown): boolean =>
  (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && /events\.event_id/.test((error as Error).message);

/** The embedded default: one file, WAL, no server. Several processes may share the file. */
export class SqliteEventStore extends SqlEventStoreBase {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly statementCache = new Map<string, Database.Statement<unknown[], RawRow>>();
  private readonly groupTransaction;
  private readonly isolatedGroupTransaction;

  constructor(options: SqliteEventStoreOptions) {
    super(options);
    if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    // FULL: an acknowledged append survives a power cut, not just a process crash.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 10000');
    this.db.exec(SQLITE_EVENTS_SCHEMA);
    this.statements = {
      tail: this.db.prepare<[string], { revision: number; metadata: string }>(
        'SELECT revision, metadata FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
      ),
      lastRecordedAt: this.db.prepare<[], { recorded_at: string }>(
        'SELECT recorded_at FROM events ORDER BY position DESC LIMIT 1',
      ),
      head: this.db.prepare<[], { head: number | null }>('SELECT max(position) AS head FROM events'),
      // One statement for any batch size: the ids arrive as a JSON array.
      storedRefs: this.db.prepare<[string], { eventId: string; streamId: string; revision: number; position: number }>(
        `SELECT event_id AS eventId, stream_id AS streamId, revision, position FROM events
         WHERE event_id IN (SELECT value FROM json_each(?))`,
      ),
      storedRef: this.db.prepare<[string], { position: number }>('SELECT position FROM events WHERE event_id = ?'),
      // Positional parameters: better-sqlite3 binds them with less work per row than named ones.
      insert: this.db.prepare<[string, string, bigint, string, string, number, string, string, string]>(
        `INSERT INTO events (stream_id, category, revision, event_id, type, schema_version, data, metadata, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
    // One append's checks and inserts. Every refusal (expected revision, a replay that does not
    // match, data that is not JSON) comes before the first insert, so a refused append has written
    // nothing; only an insert itself can fail half way, and that is thrown as PartlyWritten.
    const append = (streamId: string, events: NewEvent[], options: AppendOptions, checkEveryId: boolean): AppendResult => {
      const expected = options.expectedRevision ?? 'any';
      // A retry sends its first event again, so one look-up tells a retry from a new append; an id
      // stored elsewhere further down the batch fails its insert (event_id is unique) and the
      // append is tried again, checking every id, for the same error as before.
      if (checkEveryId || this.statements.storedRef.get(events[0].eventId)) {
        const replay = replayedAppend(streamId, events, expected, this.storedRefs(events));
        if (replay) return replay;
      }
      const tail = this.statements.tail.get(streamId);
      const tailRevision = tail ? BigInt(tail.revision) : null;
      assertExpectedRevision(streamId, expected, tailRevision);
      const lastRecorded = this.statements.lastRecordedAt.get()?.recorded_at ?? null;
      const sealed = sealEvents(
        streamId,
        events,
        { revision: tailRevision, hash: tail ? (JSON.parse(tail.metadata) as { hash: string }).hash : null },
        nextRecordedAt(new Date(), lastRecorded),
      );
      let position = 0n;
      try {
        let rowid: number | bigint = 0;
        for (const e of sealed) {
          rowid = this.statements.insert.run(
            e.streamId,
            e.category,
            e.revision,
            e.eventId,
            e.type,
            e.schemaVersion,
            e.data,
            e.metadata,
            e.recordedAt,
          ).lastInsertRowid;
        }
        position = BigInt(rowid);
      } catch (error) {
        throw new PartlyWritten(!checkEveryId && isEventIdTaken(error) ? new EventIdTaken() : error);
      }
      return { nextRevision: sealed[sealed.length - 1].revision, position };
    };
    // The group: one transaction, each append checked and written in turn, reading its stream's
    // tail after the appends before it in the group, so the hash chain and the expected-revision
    // checks are exactly as if sequential. No savepoints: a refused append wrote nothing, so the
    // others commit around it. (A savepoint would also cost a copy of every page an append first
    // touches, a few MB for 1,000 events: more than the rest of the append's own work.)
    this.groupTransaction = this.db.transaction((requests: AppendRequest[]): AppendOutcome[] =>
      requests.map((r) => {
        try {
          return { ok: true, result: append(r.streamId, r.events, r.options, false) };
        } catch (error) {
          if (error instanceof PartlyWritten) throw error; // the whole group is rolled back and written again, below
          return { ok: false, error };
        }
      }),
    );
    // When an insert failed half way (an event id stored elsewhere, a full disk), the group is
    // written again with each append in a savepoint of its own (better-sqlite3 nests transaction
    // functions that way), so the failing append rolls back alone and the rest commit.
    const appendInSavepoint = this.db.transaction(append);
    this.isolatedGroupTransaction = this.db.transaction((requests: AppendRequest[]): AppendOutcome[] =>
      requests.map((r) => {
        try {
          try {
            return { ok: true, result: appendInSavepoint(r.streamId, r.events, r.options, false) };
          } catch (error) {
            if (!(error instanceof PartlyWritten && error.cause instanceof EventIdTaken)) throw error;
            return { ok: true, result: appendInSavepoint(r.streamId, r.events, r.options, true) };
          }
        } catch (error) {
          return { ok: false, error: error instanceof PartlyWritten ? error.cause : error };
        }
      }),
    );
  }

  private storedRefs(events: NewEvent[]): StoredEventRef[] {
    const rows = this.statements.storedRefs.all(JSON.stringify(events.map((e) => e.eventId)));
    return rows.map((r) => ({ ...r, revision: BigInt(r.revision), position: BigInt(r.position) }));
  }

  protected commitGroup(requests: AppendRequest[]): Promise<AppendOutcome[]> {
    // IMMEDIATE takes the write lock before reading any tail, so two processes cannot interleave;
    // with synchronous=FULL the COMMIT returns once the group is on disk.
    try {
      return Promise.resolve(this.groupTransaction.immediate(requests));
    } catch (error) {
      if (!(error instanceof PartlyWritten)) throw error;
      // Rolled back, nothing of the group written: again, each append able to roll back alone.
      return Promise.resolve(this.isolatedGroupTransaction.immediate(requests));
    }
  }

  headPosition(): Promise<bigint> {
    return Promise.resolve(BigInt(this.statements.head.get()?.head ?? 0));
  }

  positionAt(instant: Date | string): Promise<bigint> {
    // recordedAt never decreases along positions, so the newest recorded_at at or before the
    // instant, then the highest position with it: two lookups in events_by_recorded_at.
    const row = this.select(
      `SELECT max(position) AS position FROM events
        WHERE recorded_at = (SELECT max(recorded_at) FROM events WHERE recorded_at <= ?)`,
    ).get(toIsoInstant(instant)) as unknown as [number | bigint | null] | undefined;
    return Promise.resolve(BigInt(row?.[0] ?? 0));
  }

  protected fetchAllPage(q: AllPageQuery): Promise<EventRow[]> {
    const { sql, params } = allPageClause(q);
    return Promise.resolve(
      this.select(`SELECT ${COLUMNS} FROM events ${sql}`)
        .all(...params)
        .map(toRow),
    );
  }

  protected fetchStreamPage(streamId: string, q: StreamPageQuery): Promise<EventRow[]> {
    const { sql, params } = streamPageClause(streamId, q);
    return Promise.resolve(
      this.select(`SELECT ${COLUMNS} FROM events ${sql}`)
        .all(...params)
        .map(toRow),
    );
  }

  /** Page queries differ only by which bounds and filters are present: prepare each shape once. */
  private select(sql: string): Database.Statement<unknown[], RawRow> {
    let statement = this.statementCache.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[], RawRow>(sql).raw(true);
      this.statementCache.set(sql, statement);
    }
    return statement;
  }

  async close(): Promise<void> {
    await this.drainAppends();
    this.markClosed();
    if (this.db.open) this.db.close();
  }
}
