import { Pool, type PoolClient, type PoolConfig, type QueryResult } from 'pg';
import {
  assertExpectedRevision,
  nextRecordedAt,
  replayedAppend,
  sealEvents,
  type SealedEvent,
  type StreamTail,
} from './append-plan';
import type { AppendResult } from './event-store.port';
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

export interface PostgresEventStoreOptions extends SqlEventStoreOptions {
  connectionString: string;
  /** Schema holding the events table (created if missing). */
  schema?: string;
  poolSize?: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** What may be inlined between single quotes in SQL as it is: a validated stream id or a uuid. */
const LITERAL_SAFE = /^[A-Za-z0-9_.:-]+$/;

/** SQLSTATE unique_violation. */
const UNIQUE_VIOLATION = '23505';

/** An insert of this append hit a unique key (an event id already stored): tried again with every id checked. */
class EventIdTaken extends Error {}

/** A statement failed on the server (or the connection): the transaction is aborted; `cause` is why. */
class StatementFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('A statement of the append transaction failed');
  }
}

/** Checked before any statement of the append is sent (validateAppend already holds ids to this). */
function assertInlinable({ streamId, events }: AppendRequest): void {
  if (!LITERAL_SAFE.test(streamId) || !events.every((e) => LITERAL_SAFE.test(e.eventId))) {
    throw new Error(`Cannot inline stream id ${streamId} or its event ids`);
  }
}

/** A simple query of several statements answers one result each: the last is the one asked for. */
const lastResult = (results: QueryResult | QueryResult[]): QueryResult =>
  Array.isArray(results) ? results[results.length - 1] : results;

/** Numbers `?` placeholders as $1, $2... */
const numbered = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

interface PgRow {
  position: string;
  streamId: string;
  revision: string;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
}

interface StoredRef {
  eventId: string;
  streamId: string;
  revision: string;
  position: string;
}

const toRow = (r: PgRow): EventRow => ({ ...r, position: BigInt(r.position), revision: BigInt(r.revision) });

const COLUMNS = `position, stream_id AS "streamId", revision, event_id AS "eventId", type,
  schema_version AS "schemaVersion", data, metadata`;

/**
 * PostgreSQL adapter. Appends take one transaction-scoped advisory lock, so positions are
 * allocated and committed in the same order: a reader that has seen position N has seen
 * everything before N (a plain sequence can commit out of order and make readers skip).
 * Other processes' appends wake live subscriptions through LISTEN/NOTIFY, with polling as
 * the fallback.
 */
export class PostgresEventStore extends SqlEventStoreBase {
  private readonly pool: Pool;
  private readonly table: string;
  private readonly channel: string;
  private listener: PoolClient | null = null;

  private constructor(
    options: PostgresEventStoreOptions,
    private readonly schema: string,
  ) {
    super(options);
    const config: PoolConfig = { connectionString: options.connectionString, max: options.poolSize ?? 10 };
    this.pool = new Pool(config);
    this.pool.on('error', () => undefined); // an idle client dropped by the server; the next query reconnects
    this.table = `"${schema}".events`;
    this.channel = `casetrail_events_${schema}`;
  }

  static async connect(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const schema = options.schema ?? 'public';
    if (!IDENTIFIER.test(schema)) throw new Error(`Invalid schema name "${schema}"`);
    const store = new PostgresEventStore(options, schema);
    try {
      await store.createSchema();
      await store.listen();
    } catch (error) {
      await store.pool.end();
      throw error;
    }
    return store;
  }

  private async createSchema(): Promise<void> {
    const s = `"${this.schema}"`;
    // Serialise schema creation between processes starting together.
    await this.inTransaction(`BEGIN; SELECT pg_advisory_xact_lock(hashtext('${this.schema}.events.schema'))`, async (client) => {
      await client.query(`
        CREATE SCHEMA IF NOT EXISTS ${s};
        CREATE TABLE IF NOT EXISTS ${this.table} (
          position       BIGSERIAL   PRIMARY KEY,
          stream_id      TEXT        NOT NULL,
          category       TEXT        NOT NULL,
          revision       BIGINT      NOT NULL,
          event_id       UUID        NOT NULL UNIQUE,
          type           TEXT        NOT NULL,
          schema_version INTEGER     NOT NULL,
          data           TEXT        NOT NULL,
          metadata       TEXT        NOT NULL,
          recorded_at    TIMESTAMPTZ NOT NULL,
          UNIQUE (stream_id, revision)
        );
        CREATE INDEX IF NOT EXISTS events_by_category ON ${this.table} (category, position);
        CREATE INDEX IF NOT EXISTS events_by_type ON ${this.table} (type, position);
        CREATE INDEX IF NOT EXISTS events_by_recorded_at ON ${this.table} (recorded_at);
        CREATE OR REPLACE FUNCTION ${s}.events_are_immutable() RETURNS trigger LANGUAGE plpgsql AS
          $$ BEGIN RAISE EXCEPTION 'events are immutable'; END $$;
        CREATE OR REPLACE TRIGGER events_are_immutable BEFORE UPDATE OR DELETE ON ${this.table}
          FOR EACH ROW EXECUTE FUNCTION ${s}.events_are_immutable();
        CREATE OR REPLACE TRIGGER events_are_immutable_truncate BEFORE TRUNCATE ON ${this.table}
          FOR EACH STATEMENT EXECUTE FUNCTION ${s}.events_are_immutable();
      `);
    });
  }

  private async listen(): Promise<void> {
    this.listener = await this.pool.connect();
    this.listener.on('notification', () => this.wakeSubscribers());
    this.listener.on('error', () => undefined); // polling still finds new events
    await this.listener.query(`LISTEN "${this.channel}"`);
  }

  private async inTransaction<T>(begin: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * One transaction for the group, one COMMIT, so one WAL flush for the whole group. A group of
   * more than one goes in three round trips in all (writeBatched: the checks of every append, the
   * insert of all their events, COMMIT); a group of one, or one holding a retry, takes per append
   * one round trip for its checks (BEGIN with the lock goes out in front of the first one, as one
   * simple query) and one for its insert (which also notifies listeners; identical notifications
   * in a transaction are delivered once). No savepoints: every
   * refusal (expected revision, a replay that does not match, data that is not JSON) comes before
   * an append's insert, so a refused append has written nothing and the others commit around it.
   * A statement that fails (an event id stored elsewhere, a lost connection) aborts the whole
   * transaction: then the group is rolled back and written again with a savepoint per append
   * (writeIsolated), so the failing append rolls back alone, as on SQLite.
   */
  protected async commitGroup(requests: AppendRequest[]): Promise<AppendOutcome[]> {
    // The schema name is a validated identifier, so the lock key can be inlined.
    const begin = `BEGIN; SELECT pg_advisory_xact_lock(hashtext('${this.schema}.events.append')); `;
    const client = await this.pool.connect();
    try {
      if (requests.length === 1) return await this.writeOne(client, begin, requests[0]);
      try {
        const batched = await this.writeBatched(client, begin, requests);
        if (batched.outcomes) {
          await this.commit(client, '');
          return batched.outcomes;
        }
        return await this.writeGroup(client, batched.pending, requests);
      } catch (error) {
        if (!(error instanceof StatementFailed)) throw error;
        // Nothing of the group is left once rolled back; a ROLLBACK that fails too answers the first error.
        await client.query('ROLLBACK').catch(() => Promise.reject(error.cause));
      }
      return await this.writeIsolated(client, begin, requests);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** A group of one: its own error (a conflict, a refused id), nothing written, as a plain append. */
  private async writeOne(client: PoolClient, begin: string, request: AppendRequest): Promise<AppendOutcome[]> {
    let result: AppendResult;
    try {
      assertInlinable(request);
      try {
        result = await this.appendIn(client, request, begin, false);
      } catch (error) {
        if (!(error instanceof EventIdTaken)) throw error;
        // Nothing of this append is left; check every id this time, for the error (or replay) it deserves.
        result = await this.appendIn(client, request, `ROLLBACK; ${begin}`, true);
      }
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      return [{ ok: false, error: error instanceof StatementFailed ? error.cause : error }];
    }
    await this.commit(client, '');
    return [{ ok: true, result }];
  }

  /**
   * The whole group in two round trips before its COMMIT (not two per append): one query for every
   * append's checks (BEGIN and the lock in front), then one insert of every accepted append's events. Each append
   * is checked and sealed in turn, on its stream's tail after the appends before it in the group,
   * so the expected-revision checks and the hash chain are exactly as if sequential. When a first
   * event id is already stored (a retry) or an id comes twice in the group, it answers the
   * statements still to send instead, and writeGroup checks each append in turn. Throws
   * StatementFailed when a statement failed (the insert: an event id stored elsewhere further down).
   */
  private async writeBatched(
    client: PoolClient,
    begin: string,
    requests: AppendRequest[],
  ): Promise<{ outcomes: AppendOutcome[]; pending?: undefined } | { outcomes?: undefined; pending: string }> {
    const outcomes: AppendOutcome[] = new Array(requests.length);
    const firstIds: string[] = [];
    const streams = new Set<string>();
    const ids = new Set<string>();
    for (const [i, request] of requests.entries()) {
      try {
        assertInlinable(request);
      } catch (error) {
        outcomes[i] = { ok: false, error };
        continue;
      }
      firstIds.push(request.events[0].eventId);
      streams.add(request.streamId);
      for (const { eventId } of request.events) {
        if (ids.has(eventId)) return { pending: begin };
        ids.add(eventId);
      }
    }
    if (firstIds.length === 0) return { pending: begin };
    let results: QueryResult | QueryResult[];
    try {
      // Inlined: validated uuids and stream ids (double-quoted, so no id reads as NULL in the array).
      results = (await client.query(
        `${begin}SELECT
           (SELECT count(*) FROM ${this.table} WHERE event_id = ANY('{${firstIds.join(',')}}'::uuid[]))::int AS stored,
           (SELECT json_agg(json_build_object('streamId', s.stream_id, 'revision', t.revision::text, 'hash', t.hash))
              FROM unnest('{${[...streams].map((id) => `"${id}"`).join(',')}}'::text[]) AS s(stream_id)
              JOIN LATERAL (SELECT revision, metadata::json->>'hash' AS hash FROM ${this.table}
                             WHERE stream_id = s.stream_id ORDER BY revision DESC LIMIT 1) t ON true) AS tails,
           (SELECT metadata::json->>'recordedAt' FROM ${this.table} ORDER BY position DESC LIMIT 1) AS "lastRecordedAt"`,
      )) as QueryResult | QueryResult[];
    } catch (error) {
      throw new StatementFailed(error);
    }
    const checks = lastResult(results) as QueryResult<{
      stored: number;
      tails: { streamId: string; revision: string; hash: string }[] | null;
      lastRecordedAt: string | null;
    }>;
    const { stored, tails: found, lastRecordedAt } = checks.rows[0];
    if (stored > 0) return { pending: '' };
    const tails = new Map<string, StreamTail>(
      (found ?? []).map((t) => [t.streamId, { revision: BigInt(t.revision), hash: t.hash }]),
    );
    const recordedAt = nextRecordedAt(new Date(), lastRecordedAt);
    const rows: SealedEvent[] = [];
    /** Index in `rows` of each accepted append's last event. */
    const lastRow = new Map<number, number>();
    for (const [i, { streamId, events, options }] of requests.entries()) {
      if (outcomes[i]) continue;
      try {
        const tail = tails.get(streamId) ?? { revision: null, hash: null };
        assertExpectedRevision(streamId, options.expectedRevision ?? 'any', tail.revision);
        const sealed = sealEvents(streamId, events, tail, recordedAt);
        const last = sealed[sealed.length - 1];
        tails.set(streamId, { revision: last.revision, hash: last.hash });
        rows.push(...sealed);
        lastRow.set(i, rows.length - 1);
      } catch (error) {
        outcomes[i] = { ok: false, error };
      }
    }
    if (rows.length === 0) return { outcomes };
    let positions: string[];
    try {
      positions = await this.insertSealed(client, rows, recordedAt);
    } catch (error) {
      throw new StatementFailed(error);
    }
    for (const [i, row] of lastRow) {
      outcomes[i] = { ok: true, result: { nextRevision: rows[row].revision, position: BigInt(positions[row]) } };
    }
    return { outcomes };
  }

  /** Each append in turn in the one transaction, without savepoints; throws StatementFailed when a statement failed. */
  private async writeGroup(client: PoolClient, begin: string, requests: AppendRequest[]): Promise<AppendOutcome[]> {
    const outcomes: AppendOutcome[] = [];
    // Statements still to send, in front of the next query: they run in order, before it.
    let pending = begin;
    for (const request of requests) {
      try {
        assertInlinable(request);
        const sent = pending;
        pending = '';
        outcomes.push({ ok: true, result: await this.appendIn(client, request, sent, false) });
      } catch (error) {
        if (error instanceof StatementFailed || error instanceof EventIdTaken) throw new StatementFailed(error);
        outcomes.push({ ok: false, error });
      }
    }
    await this.commit(client, pending);
    return outcomes;
  }

  /** The group again, each append in a savepoint, so an append whose statement fails rolls back alone. */
  private async writeIsolated(client: PoolClient, begin: string, requests: AppendRequest[]): Promise<AppendOutcome[]> {
    const outcomes: AppendOutcome[] = [];
    let pending = begin;
    for (const request of requests) {
      try {
        assertInlinable(request);
      } catch (error) {
        outcomes.push({ ok: false, error });
        continue;
      }
      pending += 'SAVEPOINT one_append; ';
      try {
        let result: AppendResult;
        try {
          result = await this.appendIn(client, request, pending, false);
        } catch (error) {
          if (!(error instanceof EventIdTaken)) throw error;
          result = await this.appendIn(client, request, 'ROLLBACK TO SAVEPOINT one_append; ', true);
        }
        outcomes.push({ ok: true, result });
      } catch (error) {
        await client.query('ROLLBACK TO SAVEPOINT one_append');
        outcomes.push({ ok: false, error: error instanceof StatementFailed ? error.cause : error });
      }
      pending = 'RELEASE SAVEPOINT one_append; ';
    }
    await this.commit(client, pending);
    return outcomes;
  }

  /**
   * Inserts sealed events (of one stream or several) in one statement, which also notifies the
   * listeners (identical notifications in a transaction are delivered once); their positions, in
   * row order: the rows are inserted in the order given (ORDER BY the ordinality), so positions
   * follow revisions within each stream.
   */
  private async insertSealed(client: PoolClient, rows: SealedEvent[], recordedAt: string): Promise<string[]> {
    const inserted = await client.query<{ positions: string[] }>(
      `WITH inserted AS (
         INSERT INTO ${this.table}
           (stream_id, category, revision, event_id, type, schema_version, data, metadata, recorded_at)
         SELECT stream_id, category, revision, event_id, type, schema_version, data, metadata, $1
         FROM unnest($2::text[], $3::text[], $4::bigint[], $5::uuid[], $6::text[], $7::int[], $8::text[], $9::text[])
           WITH ORDINALITY AS e(stream_id, category, revision, event_id, type, schema_version, data, metadata, n)
         ORDER BY n
         RETURNING position)
       SELECT array_agg(position ORDER BY position)::text[] AS positions, pg_notify($10, '') FROM inserted`,
      [
        recordedAt,
        rows.map((e) => e.streamId),
        rows.map((e) => e.category),
        rows.map((e) => e.revision.toString()),
        rows.map((e) => e.eventId),
        rows.map((e) => e.type),
        rows.map((e) => e.schemaVersion),
        rows.map((e) => e.data),
        rows.map((e) => e.metadata),
        this.channel,
      ],
    );
    return inserted.rows[0].positions;
  }

  /** COMMIT, after `pending`. A transaction that failed on the server answers COMMIT with ROLLBACK: never acknowledge that. */
  private async commit(client: PoolClient, pending: string): Promise<void> {
    const results = (await client.query(`${pending}COMMIT`)) as QueryResult | QueryResult[];
    const committed = lastResult(results);
    if (committed.command !== 'COMMIT') throw new Error(`The append transaction was rolled back (${committed.command})`);
  }

  /**
   * One append inside the group's transaction. `before` (BEGIN, the lock, savepoint statements)
   * goes out in one simple query with the checks, so it costs no round trip of its own; the
   * checks' values are inlined, which is safe because they are a validated stream id and uuids
   * (assertInlinable). Like the SQLite adapter, only the first event id is looked up unless
   * `checkEveryId`: a retry sends its first event again, and an id stored elsewhere further down
   * the batch fails the insert (event_id is unique: EventIdTaken), which the caller answers by
   * trying again with every id checked. A statement that fails otherwise throws StatementFailed.
   */
  private async appendIn(
    client: PoolClient,
    { streamId, events, options }: AppendRequest,
    before: string,
    checkEveryId: boolean,
  ): Promise<AppendResult> {
    const expected = options.expectedRevision ?? 'any';
    const ids = checkEveryId ? events.map((e) => e.eventId) : [events[0].eventId];
    let results: QueryResult | QueryResult[];
    try {
      results = (await client.query(
        `${before}SELECT
         (SELECT json_agg(json_build_object('eventId', event_id, 'streamId', stream_id,
                 'revision', revision::text, 'position', position::text))
            FROM ${this.table} WHERE event_id = ANY('{${ids.join(',')}}'::uuid[])) AS stored,
         (SELECT json_build_object('revision', revision::text, 'hash', metadata::json->>'hash')
            FROM ${this.table} WHERE stream_id = '${streamId}' ORDER BY revision DESC LIMIT 1) AS tail,
         (SELECT metadata::json->>'recordedAt' FROM ${this.table} ORDER BY position DESC LIMIT 1) AS "lastRecordedAt"`,
      )) as QueryResult | QueryResult[];
    } catch (error) {
      throw new StatementFailed(error);
    }
    const checks = lastResult(results) as QueryResult<{
      stored: StoredRef[] | null;
      tail: { revision: string; hash: string } | null;
      lastRecordedAt: string | null;
    }>;
    const { stored, tail, lastRecordedAt } = checks.rows[0];
    if (stored && !checkEveryId) return this.appendIn(client, { streamId, events, options }, '', true);
    const replay = replayedAppend(
      streamId,
      events,
      expected,
      (stored ?? []).map((r) => ({ ...r, revision: BigInt(r.revision), position: BigInt(r.position) })),
    );
    if (replay) return replay;
    const tailRevision = tail ? BigInt(tail.revision) : null;
    assertExpectedRevision(streamId, expected, tailRevision);
    const sealed = sealEvents(
      streamId,
      events,
      { revision: tailRevision, hash: tail?.hash ?? null },
      nextRecordedAt(new Date(), lastRecordedAt),
    );
    let positions: string[];
    try {
      positions = await this.insertSealed(client, sealed, sealed[0].recordedAt);
    } catch (error) {
      if (!checkEveryId && (error as { code?: string }).code === UNIQUE_VIOLATION) throw new EventIdTaken();
      throw new StatementFailed(error);
    }
    return { nextRevision: sealed[sealed.length - 1].revision, position: BigInt(positions[positions.length - 1]) };
  }

  async headPosition(): Promise<bigint> {
    const result = await this.pool.query<{ head: string | null }>(`SELECT max(position) AS head FROM ${this.table}`);
    return BigInt(result.rows[0].head ?? 0);
  }

  async positionAt(instant: Date | string): Promise<bigint> {
    // recordedAt never decreases along positions: two lookups in events_by_recorded_at.
    const result = await this.pool.query<{ position: string | null }>(
      `SELECT max(position) AS position FROM ${this.table}
        WHERE recorded_at = (SELECT max(recorded_at) FROM ${this.table} WHERE recorded_at <= $1)`,
      [toIsoInstant(instant)],
    );
    return BigInt(result.rows[0].position ?? 0);
  }

  protected fetchAllPage(q: AllPageQuery): Promise<EventRow[]> {
    return this.selectRows(allPageClause(q));
  }

  protected fetchStreamPage(streamId: string, q: StreamPageQuery): Promise<EventRow[]> {
    return this.selectRows(streamPageClause(streamId, q));
  }

  private async selectRows({ sql, params }: { sql: string; params: unknown[] }): Promise<EventRow[]> {
    const result = await this.pool.query<PgRow>(
      numbered(`SELECT ${COLUMNS} FROM ${this.table} ${sql}`),
      params.map((p) => (typeof p === 'bigint' ? p.toString() : p)),
    );
    return result.rows.map(toRow);
  }

  private closing: Promise<void> | null = null;

  /** Commits the appends already accepted, then ends the pool; closing twice is harmless. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.drainAppends();
      this.markClosed();
      this.listener?.release();
      this.listener = null;
      await this.pool.end();
    })();
    return this.closing;
  }
}
