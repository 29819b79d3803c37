/**
 * Reading and subscribing, shared by the SQL adapters (sqlite, postgres). An adapter
 * supplies page queries and a wake-up signal; paging keeps memory constant however large
 * the log, and no cursor is held open across an await.
 */
import type {
  AppendOptions,
  AppendResult,
  EventFilter,
  EventMetadata,
  EventStore,
  EventSubscription,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  StoredEventRow,
  StoredPagesOptions,
  SubscriptionMessage,
} from './event-store.port';
import { validateAppend } from './append-plan';
import { UpcasterRegistry } from './upcasters';

/** A row as both SQL adapters store it. */
export type EventRow = StoredEventRow;

export interface AllPageQuery {
  /** Exclusive cursor in the direction of reading. */
  after: bigint | null;
  /** Inclusive bound in the direction of reading. */
  until: bigint | null;
  recordedUntil: string | null;
  filter: EventFilter | undefined;
  backwards: boolean;
  limit: number;
}

export interface StreamPageQuery {
  after: bigint | null;
  until: bigint | null;
  backwards: boolean;
  limit: number;
}

export interface SqlEventStoreOptions {
  upcasters?: UpcasterRegistry;
  /**
   * Group commit (default on): appends that arrive while the store is busy, or in the same turn
   * of the event loop, are written in one transaction with one fsync, each with its own checks
   * and its own result or error. Off: one transaction per append (the benchmark's baseline).
   */
  groupCommit?: boolean;
  /** Rows fetched per query while reading. */
  pageSize?: number;
  /** How often a live subscription looks for events appended by other processes. */
  pollIntervalMs?: number;
}

/**
 * SQL WHERE fragment for a filter, with `?` placeholders (the postgres adapter numbers them).
 * A prefix of the form "<category>-" uses the indexed category column.
 */
export function filterClause(filter: EventFilter | undefined): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter?.streamPrefixes) {
    if (filter.streamPrefixes.length === 0) return { sql: '1 = 0', params: [] };
    const alternatives = filter.streamPrefixes.map((prefix) => {
      if (/^[^-]+-$/.test(prefix)) {
        params.push(prefix.slice(0, -1));
        return 'category = ?';
      }
      params.push(prefix.length, prefix);
      return 'substr(stream_id, 1, ?) = ?';
    });
    parts.push(`(${alternatives.join(' OR ')})`);
  }
  if (filter?.eventTypes) {
    if (filter.eventTypes.length === 0) return { sql: '1 = 0', params: [] };
    parts.push(`type IN (${filter.eventTypes.map(() => '?').join(', ')})`);
    params.push(...filter.eventTypes);
  }
  return { sql: parts.length ? parts.join(' AND ') : '1 = 1', params };
}

/** Builds `WHERE ... ORDER BY ... LIMIT ?` for paging through a column, with `?` placeholders. */
function pageClause(
  column: 'position' | 'revision',
  where: string[],
  params: unknown[],
  q: { after: bigint | null; until: bigint | null; backwards: boolean; limit: number },
): { sql: string; params: unknown[] } {
  const [cmp, bound, order] = q.backwards ? ['<', '>=', 'DESC'] : ['>', '<=', 'ASC'];
  if (q.after !== null) {
    where.push(`${column} ${cmp} ?`);
    params.push(q.after);
  }
  if (q.until !== null) {
    where.push(`${column} ${bound} ?`);
    params.push(q.until);
  }
  params.push(q.limit);
  return { sql: `WHERE ${where.join(' AND ')} ORDER BY ${column} ${order} LIMIT ?`, params };
}

export function allPageClause(q: AllPageQuery): { sql: string; params: unknown[] } {
  const filter = filterClause(q.filter);
  const where = [filter.sql];
  const params = [...filter.params];
  if (q.recordedUntil !== null) {
    where.push('recorded_at <= ?');
    params.push(q.recordedUntil);
  }
  return pageClause('position', where, params, q);
}

export function streamPageClause(streamId: string, q: StreamPageQuery): { sql: string; params: unknown[] } {
  return pageClause('revision', ['stream_id = ?'], [streamId], q);
}

/** An instant as the stores keep recorded_at (ISO 8601 UTC); RangeError when it is not one. */
export const toIsoInstant = (d: Date | string): string => {
  const date = typeof d === 'string' ? new Date(d) : d;
  if (Number.isNaN(date.getTime())) throw new RangeError(`recordedUntil is not a date: ${String(d)}`);
  return date.toISOString();
};

/** One caller's append, waiting for the group commit that will carry it. */
export interface AppendRequest {
  streamId: string;
  events: NewEvent[];
  options: AppendOptions;
}

/** What became of one request inside a group commit: its own result, or its own error. */
export type AppendOutcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

interface PendingAppend extends AppendRequest {
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/** Rows per page of readStoredPages: large pages, few queries, still constant memory. */
const STORED_PAGE_SIZE = 5000;

/** At most this many appends share one transaction; the rest go in the next. */
const MAX_GROUP = 256;

export abstract class SqlEventStoreBase implements EventStore {
  protected readonly upcasters: UpcasterRegistry;
  protected readonly pageSize: number;
  protected readonly pollIntervalMs: number;
  private readonly groupCommit: boolean;
  private readonly wakers = new Set<() => void>();
  private storeClosed = false;
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  private flushing: Promise<void> | null = null;
  private committedGroups = 0;

  constructor(options: SqlEventStoreOptions = {}) {
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.pageSize = options.pageSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.groupCommit = options.groupCommit ?? true;
  }

  abstract headPosition(): Promise<bigint>;
  abstract positionAt(instant: Date | string): Promise<bigint>;
  abstract close(): Promise<void>;
  protected abstract fetchAllPage(query: AllPageQuery): Promise<EventRow[]>;
  /**
   * Writes the requests in ONE transaction (one fsync), each checked as if they ran one after
   * another, and each with its own outcome: every refusal comes before a request's first insert,
   * so a refused request has written nothing and the others commit around it (a statement that
   * fails part way makes the adapter write the group again with a savepoint per request).
   * Resolves once the transaction is durable, with one outcome per request, in order. Rejects
   * (nothing written) when the transaction itself fails.
   */
  protected abstract commitGroup(requests: AppendRequest[]): Promise<AppendOutcome[]>;
  protected abstract fetchStreamPage(streamId: string, query: StreamPageQuery): Promise<EventRow[]>;

  /**
   * Appends through the group commit: the request waits (at most one turn of the event loop,
   * or until the transaction in progress ends) and goes out with every other append that
   * arrived meanwhile. The promise settles only after that transaction is durable.
   */
  appendToStream(streamId: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    try {
      validateAppend(streamId, events);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ streamId, events, options, resolve, reject });
      if (!this.groupCommit) {
        const next = (this.flushing ?? Promise.resolve()).then(() => this.flush(1));
        this.flushing = next;
        void next.finally(() => {
          if (this.flushing === next) this.flushing = null;
        });
        return;
      }
      this.scheduleFlush();
    });
  }

  /**
   * How many transactions that wrote events this store has committed (each one fsync). Lets tests see that
   * concurrent appends shared one commit, without timing anything.
   */
  get groupCommits(): number {
    return this.committedGroups;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.flushing) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flushing = this.flush(MAX_GROUP).finally(() => {
        this.flushing = null;
        // Appends that arrived during the last await of the flush.
        if (this.pending.length) this.scheduleFlush();
      });
    });
  }

  /** Commits the waiting appends, `max` per transaction, until none are waiting. */
  private async flush(max: number): Promise<void> {
    while (this.pending.length) {
      const group = this.pending.splice(0, max);
      let outcomes: AppendOutcome[];
      try {
        if (this.storeClosed) throw new Error('The event store is closed');
        outcomes = await this.commitGroup(group);
      } catch (error) {
        for (const request of group) request.reject(error);
        continue;
      }
      if (outcomes.some((o) => o.ok)) {
        this.committedGroups++;
        this.wakeSubscribers();
      }
      group.forEach((request, i) => {
        const outcome = outcomes[i];
        if (outcome.ok) request.resolve(outcome.result);
        else request.reject(outcome.error);
      });
      if (max === 1) return;
    }
  }

  /** Adapters call this before closing: appends already accepted are committed first. */
  protected async drainAppends(): Promise<void> {
    while (this.flushing || this.flushScheduled || this.pending.length) {
      if (this.flushing) await this.flushing.catch(() => undefined);
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Adapters call this when closing: live subscriptions end instead of querying a closed store. */
  protected markClosed(): void {
    this.storeClosed = true;
    this.wakeSubscribers();
  }

  /** Adapters call this after a commit (and on a notification from another process). */
  protected wakeSubscribers(): void {
    for (const wake of [...this.wakers]) wake();
  }

  protected toRecorded(row: EventRow, upcast: boolean): RecordedEvent {
    const event: RecordedEvent = {
      eventId: row.eventId,
      streamId: row.streamId,
      revision: row.revision,
      position: row.position,
      type: row.type,
      schemaVersion: row.schemaVersion,
      data: JSON.parse(row.data) as unknown,
      metadata: JSON.parse(row.metadata) as EventMetadata,
    };
    return upcast ? this.upcasters.upcast(event) : event;
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    const upcast = options.upcast !== false;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    let after: bigint | null =
      options.fromRevision === undefined ? null : backwards ? options.fromRevision + 1n : options.fromRevision - 1n;
    while (remaining > 0) {
      const limit = Math.min(this.pageSize, remaining);
      const rows = await this.fetchStreamPage(streamId, { after, until: options.toRevision ?? null, backwards, limit });
      for (const row of rows) yield this.toRecorded(row, upcast);
      remaining -= rows.length;
      if (rows.length < limit) return;
      after = rows[rows.length - 1].revision;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    const upcast = options.upcast !== false;
    const recordedUntil = options.recordedUntil === undefined ? null : toIsoInstant(options.recordedUntil);
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    let after: bigint | null =
      options.fromPosition === undefined ? null : backwards ? options.fromPosition + 1n : options.fromPosition - 1n;
    while (remaining > 0) {
      const limit = Math.min(this.pageSize, remaining);
      const rows = await this.fetchAllPage({
        after,
        until: options.toPosition ?? null,
        recordedUntil,
        filter: options.filter,
        backwards,
        limit,
      });
      for (const row of rows) yield this.toRecorded(row, upcast);
      remaining -= rows.length;
      if (rows.length < limit) return;
      after = rows[rows.length - 1].position;
    }
  }

  async *readStoredPages(options: StoredPagesOptions = {}): AsyncIterable<StoredEventRow[]> {
    const limit = options.pageSize ?? STORED_PAGE_SIZE;
    let after: bigint | null = options.fromPosition === undefined ? null : options.fromPosition - 1n;
    for (;;) {
      const rows = await this.fetchAllPage({
        after,
        until: options.toPosition ?? null,
        recordedUntil: null,
        filter: undefined,
        backwards: false,
        limit,
      });
      if (rows.length) yield rows;
      if (rows.length < limit) return;
      after = rows[rows.length - 1].position;
    }
  }

  subscribeToAll(options: SubscribeOptions = {}): EventSubscription {
    let closed = false;
    const isClosed = (): boolean => closed || this.storeClosed;
    let cursor = options.fromPosition === undefined || options.fromPosition === 'start' ? 0n : options.fromPosition;
    const upcast = options.upcast !== false;
    let wake: (() => void) | null = null;
    const wakeUp = (): void => wake?.();
    this.wakers.add(wakeUp);
    const stop = (): void => {
      closed = true;
      this.wakers.delete(wakeUp);
      wakeUp();
    };

    const waitForNews = async (): Promise<void> => {
      while (!isClosed()) {
        if ((await this.headPosition()) > cursor) return;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, this.pollIntervalMs);
          function done(): void {
            clearTimeout(timer);
            wake = null;
            resolve();
          }
          wake = done;
        });
      }
    };

    const messages = async function* (this: SqlEventStoreBase): AsyncGenerator<SubscriptionMessage> {
      try {
        while (!isClosed()) {
          // Read up to a head taken first, so "caught up" never claims more than was read.
          const head = await this.headPosition();
          while (!isClosed()) {
            const rows = await this.fetchAllPage({
              after: cursor,
              until: head,
              recordedUntil: null,
              filter: options.filter,
              backwards: false,
              limit: this.pageSize,
            });
            for (const row of rows) {
              if (isClosed()) return;
              cursor = row.position;
              yield { kind: 'event', event: this.toRecorded(row, upcast) };
            }
            if (rows.length < this.pageSize) break;
          }
          if (isClosed()) return;
          if (head > cursor) cursor = head;
          yield { kind: 'caught-up', position: cursor };
          await waitForNews();
        }
      } finally {
        stop();
      }
    }.call(this);

    return {
      [Symbol.asyncIterator]: () => messages,
      close: async () => {
        stop();
        await messages.return(undefined);
      },
    };
  }
}
