import type { EventFilter, EventStore, EventSubscription, RecordedEvent } from '@casetrail/event-store';
import type { DataSource, EntityManager } from 'typeorm';
import { ProjectionCheckpoint } from './projection-checkpoint.entity';
import { isBulk, type AnyProjection as Projection } from './projection';
import { BatchRows } from './row-buffer';
import { updateRows } from './row-writes';
import { withSchemaLock, type ProjectionLease } from './projection-lease';
import { clearHistory, ensureRowHistory, historyTables, setApplyPosition } from './row-history';
import { filterTest, SharedLogReader } from './shared-log-reader';

export interface RunnerLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ProjectionRunnerOptions {
  /** Events applied per transaction. */
  batchSize?: number;
  /**
   * Events applied per transaction during a rebuild (default 5,000): nothing waits on a rebuild's
   * batches, and a bulk projection writes a row changed by many events of a batch once.
   */
  rebuildBatchSize?: number;
  logger?: RunnerLogger;
  /** First delay before retrying a failed batch; doubles up to 30 s. */
  retryDelayMs?: number;
  /** Called each time a projection fails to apply a batch while following the log (metrics count them). */
  onFailure?: (projection: string) => void;
  /** Brings the read database's schema up to date (default: TypeORM synchronize). */
  schema?: (dataSource: DataSource) => Promise<void>;
}

/**
 * How far a catch-up or rebuild has got: `position` of `head`, for projection `index` of `count`
 * (one read of the log feeds them all: `projection` names them all, index 0 of 1).
 */
export interface CatchUpProgress {
  projection: string;
  index: number;
  count: number;
  position: bigint;
  head: bigint;
}

export type OnCatchUpProgress = (progress: CatchUpProgress) => void;

export interface ProjectionStatus {
  name: string;
  version: number;
  /** Position (decimal string) of the last event read into the read model. */
  position: string;
  /** Matching events in the log after that position (capped at LAG_CAP). */
  lag: number;
  lastError: string | null;
}

const LAG_CAP = 10_000;
/** How often an instance that does not run the projections re-reads their checkpoints. */
const FOLLOWER_POLL_MS = 25;

/** Another writer (a CLI rebuild, another instance) moved the checkpoint: re-read it and resume. */
class CheckpointMoved extends Error {}

/** Serialises read-model transactions: SQLite has one writer connection. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * One filter passing every event any of these projections' filters passes: their stream
 * prefixes together when each selects by prefix only, otherwise none (each lane filters again).
 */
function unionOf(projections: Projection[]): EventFilter | undefined {
  const prefixes = new Set<string>();
  for (const { filter } of projections) {
    if (!filter.streamPrefixes || filter.eventTypes) return undefined;
    for (const prefix of filter.streamPrefixes) prefixes.add(prefix);
  }
  return { streamPrefixes: [...prefixes] };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs projections: catch up from each checkpoint, then follow the live log. Every batch
 * of rows commits in ONE transaction with its checkpoint, after checking the checkpoint is
 * where this runner left it, so after a crash (or a concurrent rebuild) nothing is applied
 * twice or skipped.
 */
/** What `waitFor` waits for. */
export interface WaitOptions {
  /** Only these projections (by name); all when left out. */
  only?: readonly string[];
  /**
   * Not the projections failing right now: one that throws on every batch cannot move, and
   * waiting for it would make every write wait out the timeout. Reads of its own views stay
   * behind (its error is in `status()` and /health). Never for as-at reads, which must be exact.
   */
  skipFailing?: boolean;
  /**
   * Only the projections whose filter passes one of these events (a command's own): the others
   * have nothing to apply from them, so a write need not wait for them to move their checkpoints.
   */
  concerning?: readonly Pick<RecordedEvent, 'streamId' | 'type'>[];
}

/**
 * Each projection's filter as a test of one event, made once (read-your-writes asks it of every
 * command's events; `matchesFilter` would parse the filter again each time).
 */
const filterTests = new WeakMap<Projection, (event: Pick<RecordedEvent, 'streamId' | 'type'>) => boolean>();
function acceptsOf(p: Projection): (event: Pick<RecordedEvent, 'streamId' | 'type'>) => boolean {
  let accepts = filterTests.get(p);
  if (!accepts) {
    accepts = filterTest(p.filter);
    filterTests.set(p, accepts);
  }
  return accepts;
}

/** See `ProjectionRunner.rowVersion`. */
export interface RowVersion {
  /** Changes whenever this runner starts or stops running the projections, or resets one. */
  epoch: number;
  /** Rows read when the projection was at `position` or later are current unless an event after that changed them. */
  position: bigint;
  /** Position of the last event handed to the projection (set before its rows are written). */
  changedAt: bigint;
}

export class ProjectionRunner {
  private readonly batchSize: number;
  private readonly rebuildBatchSize: number;
  private readonly logger: RunnerLogger;
  private readonly retryDelayMs: number;
  private readonly mutex = new Mutex();
  private readonly positions = new Map<string, bigint>();
  private readonly errors = new Map<string, string>();
  private readonly waiters = new Set<() => void>();
  private readonly subscriptions = new Set<EventSubscription>();
  /** Per projection, the last position handed to it to apply (see rowVersion). */
  private readonly changedAt = new Map<string, bigint>();
  /** Checkpoint moves of projections with nothing to apply, waiting to share one transaction. */
  private readonly idleMoves: {
    p: Projection;
    from: bigint;
    to: bigint;
    resolve(position: bigint): void;
    reject(error: unknown): void;
  }[] = [];
  private epoch = 0;
  /** The one reader of the live log every projection of this process follows (while running). */
  private reader: SharedLogReader | null = null;
  private readonly loops: Promise<void>[] = [];
  private running = false;
  private prepared = false;
  private stopped = false;
  private lease: ProjectionLease | null = null;
  private leaseTimer: NodeJS.Timeout | null = null;
  private readonly missingTables = new Set<string>();
  private readonly schema: (dataSource: DataSource) => Promise<void>;
  private readonly onFailure: (projection: string) => void;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    readonly projections: Projection[],
    options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.rebuildBatchSize = options.rebuildBatchSize ?? Math.max(this.batchSize, 5000);
    this.logger = options.logger ?? { log: () => undefined, warn: console.warn, error: console.error };
    this.retryDelayMs = options.retryDelayMs ?? 250;
    this.schema = options.schema ?? ((dataSource) => dataSource.synchronize());
    this.onFailure = options.onFailure ?? (() => undefined);
    const names = new Set<string>();
    for (const p of projections) {
      if (names.has(p.name)) throw new Error(`Two projections are named ${p.name}`);
      names.add(p.name);
    }
  }

  /**
   * Creates missing tables, then resets (to rebuild from 0) every projection whose version
   * changed, which has no checkpoint, or one of whose tables had to be created.
   */
  async prepare(): Promise<void> {
    await this.ensureSchema();
    await this.resetStale();
  }

  /**
   * Creates missing tables. Every instance does this before serving queries; on PostgreSQL
   * under a lock, so instances starting together do not race.
   */
  async ensureSchema(): Promise<void> {
    await withSchemaLock(this.dataSource, async () => {
      const runner = this.dataSource.createQueryRunner();
      try {
        for (const p of this.projections) {
          for (const entity of p.entities) {
            if (!(await runner.hasTable(this.dataSource.getMetadata(entity).tableName))) this.missingTables.add(p.name);
          }
        }
      } finally {
        await runner.release();
      }
      await this.schema(this.dataSource);
      // Row-version history (as-at reads): a projection whose history had to be created has
      // rows without history, so it is rebuilt like one whose tables were missing.
      for (const name of await ensureRowHistory(this.dataSource, this.projections)) this.missingTables.add(name);
    });
  }

  /** Resets the projections that must be rebuilt (only the instance that runs projections does this). */
  async resetStale(): Promise<void> {
    const checkpoints = this.dataSource.getRepository(ProjectionCheckpoint);
    for (const p of this.projections) {
      const checkpoint = await checkpoints.findOneBy({ name: p.name });
      const reason = !checkpoint
        ? 'first run'
        : checkpoint.version !== p.version
          ? `version ${checkpoint.version} -> ${p.version}`
          : this.missingTables.has(p.name)
            ? 'its tables were missing'
            : null;
      if (reason) {
        this.logger.log(`Projection ${p.name} v${p.version}: rebuilding from position 0 (${reason})`);
        await this.reset(p);
      } else {
        this.positions.set(p.name, BigInt(checkpoint!.position));
      }
    }
    this.missingTables.clear();
    this.prepared = true;
  }

  /** Prepares (unless already done), then follows the log in the background until stop(). */
  async start(): Promise<void> {
    if (!this.prepared) await this.prepare();
    // One reader of the log for all projections: each new page is read once and handed to each.
    this.reader ??= await SharedLogReader.open(
      this.store,
      (error) => this.logger.error(`Reading the log failed, retrying: ${error instanceof Error ? error.message : String(error)}`),
      this.retryDelayMs,
    );
    this.epoch++;
    this.running = true;
    for (const p of this.projections) this.loops.push(this.follow(p));
  }

  /**
   * Runs the projections whenever this instance holds the lease. Tries once before
   * returning (so a sole instance is running when the app starts), then keeps trying every
   * `pollMs` in the background: when the leader dies, a follower takes over within seconds.
   */
  async runWhileLeading(lease: ProjectionLease, pollMs = 1000): Promise<void> {
    this.lease = lease;
    const lead = async (): Promise<boolean> => {
      if (!(await lease.tryAcquire())) return false;
      if (this.stopped) {
        await lease.release(); // stop() ran while we were acquiring it
        return false;
      }
      this.logger.log('This instance now runs the projections');
      await this.resetStale(); // the schema exists: every instance ensured it at start-up
      if (this.stopped) {
        await lease.release();
        return false;
      }
      await this.start();
      void lease.lost().then(async () => {
        this.logger.warn('Lost the projection lease; another instance will take over');
        await this.stopRunning();
        this.scheduleLeadership(lead, pollMs);
      });
      return true;
    };
    if (!(await lead().catch(() => false))) this.scheduleLeadership(lead, pollMs);
  }

  private scheduleLeadership(lead: () => Promise<boolean>, pollMs: number): void {
    if (this.stopped) return;
    this.leaseTimer = setTimeout(() => {
      lead()
        .catch((error: unknown) => {
          this.logger.warn(`Could not check the projection lease: ${error instanceof Error ? error.message : String(error)}`);
          return false;
        })
        .then((leading) => {
          if (!leading) this.scheduleLeadership(lead, pollMs);
        })
        .catch(() => undefined);
    }, pollMs);
  }

  /** True while this instance applies events to the read models. */
  get leading(): boolean {
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.leaseTimer) clearTimeout(this.leaseTimer);
    await this.stopRunning();
    await this.lease?.release();
  }

  private async stopRunning(): Promise<void> {
    this.running = false;
    this.epoch++;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await Promise.all(this.loops);
    this.loops.length = 0;
    await this.reader?.close();
    this.reader = null;
    this.wakeWaiters();
  }

  /** Empties the projection's tables and their history and sets its checkpoint to 0, in one transaction. */
  async reset(projection: Projection): Promise<void> {
    await this.mutex.run(() =>
      this.dataSource.transaction(async (manager) => {
        // History first: on SQLite clearing a table fires its delete triggers, which then find nothing to close.
        await clearHistory(manager, historyTables(this.dataSource, [projection]));
        for (const entity of projection.entities) await manager.clear(entity);
        await this.saveCheckpoint(manager, projection, 0n);
      }),
    );
    this.epoch++;
    this.positions.set(projection.name, 0n);
  }

  /**
   * Applies everything up to the current head and returns (the CLI and tests use this). The log
   * is read ONCE for all the projections, from the earliest of their checkpoints: each page's
   * events are parsed and decrypted once and handed to every projection whose filter they pass,
   * each projection committing its own batches with its own checkpoint (see `catchUpTogether`).
   */
  async catchUp(
    projections: Projection[] = this.projections,
    batchSize = this.batchSize,
    onProgress?: OnCatchUpProgress,
  ): Promise<void> {
    const head = await this.store.headPosition();
    let pending = projections;
    // Another runner (the server, while the CLI rebuilds) may move a checkpoint under us: those
    // projections leave the pass and resume from where that runner left them, as following does.
    while (pending.length) pending = await this.catchUpTogether(pending, head, batchSize, onProgress);
  }

  /**
   * One read of the log up to `head` feeding every one of `projections` from its own checkpoint.
   * Returns the projections whose checkpoint another writer moved (to be caught up again).
   */
  private async catchUpTogether(
    projections: Projection[],
    head: bigint,
    batchSize: number,
    onProgress?: OnCatchUpProgress,
  ): Promise<Projection[]> {
    const lanes: { p: Projection; accepts: (event: RecordedEvent) => boolean; from: bigint; batch: RecordedEvent[] }[] = [];
    for (const p of projections) lanes.push({ p, accepts: filterTest(p.filter), from: await this.loadCheckpoint(p), batch: [] });
    const moved: Projection[] = [];
    const names = projections.map((p) => p.name).join(', ');
    const report = (position: bigint): void =>
      onProgress?.({ projection: names, index: 0, count: 1, position: position < head ? position : head, head });
    const start = lanes.reduce((min, lane) => (lane.from < min ? lane.from : min), head);
    report(start);
    /** Commits a lane's batch up to `to`; a lane whose checkpoint another writer moved leaves the pass. */
    const commit = async (lane: (typeof lanes)[number], to: bigint): Promise<void> => {
      try {
        lane.from = await this.commit(lane.p, lane.batch, lane.from, to);
      } catch (error) {
        if (!(error instanceof CheckpointMoved)) throw error;
        moved.push(lane.p);
        lanes.splice(lanes.indexOf(lane), 1);
      }
      lane.batch = [];
    };
    if (start < head) {
      for await (const event of this.store.readAll({ fromPosition: start, toPosition: head, filter: unionOf(projections) })) {
        if (lanes.length === 0) break;
        // By index, not over a copy per event: a lane whose checkpoint moved leaves `lanes` in commit.
        for (let i = 0; i < lanes.length; i++) {
          const lane = lanes[i];
          // fromPosition is inclusive, positions need not be dense, and each lane starts at its own checkpoint.
          if (event.position <= lane.from || !lane.accepts(event)) continue;
          lane.batch.push(event);
          if (lane.batch.length >= batchSize) {
            await commit(lane, event.position);
            if (lanes[i] !== lane) i--; // it left: the next lane is now at i
            report(event.position);
          }
        }
      }
    }
    for (const lane of [...lanes]) await commit(lane, head > lane.from ? head : lane.from);
    report(head);
    return moved;
  }

  /** Drops and replays the named projections (all when none named) from position 0. */
  async rebuild(names: string[] = [], onProgress?: OnCatchUpProgress): Promise<Projection[]> {
    const unknown = names.filter((n) => !this.projections.some((p) => p.name === n));
    if (unknown.length) throw new Error(`Unknown projection(s): ${unknown.join(', ')}`);
    const chosen = names.length ? this.projections.filter((p) => names.includes(p.name)) : this.projections;
    for (const p of chosen) await this.reset(p);
    await this.withoutAutoCheckpoint(() => this.catchUp(chosen, this.rebuildBatchSize, onProgress));
    return chosen;
  }

  /**
   * On a SQLite read database, a rebuild writes the whole read model again: with automatic
   * WAL checkpoints the database file is rewritten over and over as the WAL fills. Turned off
   * for the rebuild (each batch still commits rows and checkpoint in one transaction, durable
   * in the WAL), then one checkpoint at the end copies everything into the file and empties
   * the WAL. The setting belongs to this connection only, and comes back even on failure.
   */
  private async withoutAutoCheckpoint<T>(work: () => Promise<T>): Promise<T> {
    if (this.dataSource.options.type !== 'better-sqlite3') return work();
    const [row] = (await this.dataSource.query('PRAGMA wal_autocheckpoint')) as { wal_autocheckpoint: number }[];
    const previous = Number(row?.wal_autocheckpoint ?? 1000);
    await this.dataSource.query('PRAGMA wal_autocheckpoint = 0');
    try {
      return await work();
    } finally {
      await this.dataSource.query(`PRAGMA wal_autocheckpoint = ${previous}`);
      // Readers holding an old snapshot only make it partial (busy); the next checkpoint finishes it.
      await this.dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
    }
  }

  /**
   * Resolves true once every projection (or those `options` name) has read the log up to
   * `position` (read-your-writes), or false after `timeoutMs`.
   */
  async waitFor(position: bigint, timeoutMs = 5000, options: WaitOptions = {}): Promise<boolean> {
    // Which projections the options name is fixed for this wait; which of them fail may change while it waits.
    const named = this.projections.filter(
      (p) => (!options.only || options.only.includes(p.name)) && (!options.concerning || options.concerning.some(acceptsOf(p))),
    );
    const reached = (): boolean =>
      named.every((p) => (options.skipFailing && this.errors.has(p.name)) || (this.positions.get(p.name) ?? -1n) >= position);
    const deadline = Date.now() + timeoutMs;
    while (!reached()) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return reached();
      if (!this.running && !this.lease) return reached(); // not a server (the CLI, a test): nothing will move
      if (!this.running) {
        // Another instance runs the projections (or none yet): watch the shared checkpoints.
        for (const p of this.projections) this.positions.set(p.name, await this.readCheckpoint(p));
        if (reached() || this.stopped) return reached();
        await sleep(Math.min(FOLLOWER_POLL_MS, remaining));
        continue;
      }
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, remaining);
        this.waiters.add(done);
      });
    }
    return true;
  }

  /**
   * For in-memory caches of a projection's rows (the signed-in users, say), in the instance that
   * runs the projections: a row read when the projection had applied the log up to P (read
   * `position` before the query) is still current while `changedAt <= P` and `epoch` is the same.
   * `changedAt` moves before the rows of a batch are written, so a cache never outlives a change.
   * Null when this instance does not run the projections: their rows change unseen, do not cache.
   */
  rowVersion(name: string): RowVersion | null {
    if (!this.running) return null;
    const position = this.positions.get(name);
    const changedAt = this.changedAt.get(name);
    if (position === undefined || changedAt === undefined) return null;
    return { epoch: this.epoch, position, changedAt };
  }

  async status(): Promise<ProjectionStatus[]> {
    const result: ProjectionStatus[] = [];
    for (const p of this.projections) {
      const position = await this.readCheckpoint(p);
      let lag = 0;
      for await (const event of this.store.readAll({ fromPosition: position + 1n, filter: p.filter, maxCount: LAG_CAP + 1 })) {
        if (event.position > position) lag++;
      }
      result.push({
        name: p.name,
        version: p.version,
        position: position.toString(),
        lag: Math.min(lag, LAG_CAP),
        lastError: this.errors.get(p.name) ?? null,
      });
    }
    return result;
  }

  private async follow(p: Projection): Promise<void> {
    let delay = this.retryDelayMs;
    while (this.running) {
      let subscription: EventSubscription | null = null;
      try {
        let from = await this.loadCheckpoint(p);
        // Where following starts (after an error, or another writer moved the checkpoint): the rows
        // may have changed up to here without this runner seeing the events.
        this.changedAt.set(p.name, from);
        // stop() may have closed the subscriptions while we read the checkpoint: a live
        // subscription opened after that would never end, and stop() would wait forever.
        if (!this.running || !this.reader) break;
        subscription = this.reader.subscribe({ fromPosition: from, filter: p.filter });
        this.subscriptions.add(subscription);
        let batch: RecordedEvent[] = [];
        for await (const message of subscription) {
          if (message.kind === 'event') {
            batch.push(message.event);
            if (batch.length < this.batchSize) continue;
            this.changedAt.set(p.name, message.event.position);
            from = await this.commit(p, batch, from, message.event.position);
          } else {
            if (batch.length) {
              this.changedAt.set(p.name, batch[batch.length - 1].position);
              from = await this.commit(p, batch, from, message.position);
            } else {
              from = await this.advanceIdle(p, from, message.position);
            }
          }
          batch = [];
          delay = this.retryDelayMs;
          // A step went through: a projection that failed before is sound again (/health reads this).
          this.errors.delete(p.name);
        }
      } catch (error) {
        if (!this.running) break;
        if (error instanceof CheckpointMoved) {
          this.logger.warn(`Projection ${p.name}: checkpoint moved by another writer; resuming from it`);
          continue;
        }
        const message = error instanceof Error ? error.message : String(error);
        this.errors.set(p.name, message);
        this.onFailure(p.name);
        this.wakeWaiters(); // waiters that skip failing projections need not wait for this one
        this.logger.error(`Projection ${p.name} failed, retrying in ${delay} ms: ${message}`);
        await sleep(delay);
        delay = Math.min(delay * 2, 30_000);
      } finally {
        if (subscription) {
          this.subscriptions.delete(subscription);
          await subscription.close();
        }
      }
    }
  }

  /** Applies a batch and moves the checkpoint from `from` to `to`, atomically. */
  private async commit(p: Projection, batch: RecordedEvent[], from: bigint, to: bigint): Promise<bigint> {
    if (batch.length === 0 && to === from) return from;
    await this.mutex.run(() =>
      this.dataSource.transaction(async (manager) => {
        await this.derivedOnly(manager);
        // Claim the range first: only if the checkpoint is still where this runner left it.
        const claimed = await updateRows(
          manager,
          ProjectionCheckpoint,
          { name: p.name, version: p.version, position: from.toString() },
          { position: to.toString(), updatedAt: new Date().toISOString() },
        );
        if (claimed !== 1) throw new CheckpointMoved();
        if (isBulk(p)) {
          // Folded in memory, then written (rows and their history) with a few multi-row statements.
          const rows = new BatchRows(manager, p.history !== false);
          await p.prefetch?.(batch, rows);
          for (const event of batch) {
            rows.position = event.position;
            // Awaited only when it is a promise: most events of a rebuild are folded synchronously.
            const applied = p.apply(event, rows);
            if (applied) await applied;
          }
          await rows.flush();
          return;
        }
        for (const event of batch) {
          // The history triggers stamp the rows this event writes with its position.
          await setApplyPosition(manager, event.position);
          await p.apply(event, manager);
        }
      }),
    );
    this.errors.delete(p.name);
    this.positions.set(p.name, to);
    this.wakeWaiters();
    return to;
  }

  /**
   * Moves the checkpoint of a projection that had nothing to apply from `from` to `to`, like
   * `commit` with an empty batch, but together with every other projection doing the same in
   * this turn of the event loop: after an append, the projections its events do not concern
   * move in ONE transaction, not one each. Each claim is checked on its own (CheckpointMoved).
   */
  private advanceIdle(p: Projection, from: bigint, to: bigint): Promise<bigint> {
    if (to <= from) return Promise.resolve(from);
    return new Promise<bigint>((resolve, reject) => {
      this.idleMoves.push({ p, from, to, resolve, reject });
      if (this.idleMoves.length > 1) return;
      setImmediate(() => {
        const moves = this.idleMoves.splice(0);
        const claimed: boolean[] = [];
        this.mutex
          .run(() =>
            this.dataSource.transaction(async (manager) => {
              await this.derivedOnly(manager);
              claimed.length = 0;
              const updatedAt = new Date().toISOString();
              for (const move of moves) {
                const rows = await updateRows(
                  manager,
                  ProjectionCheckpoint,
                  { name: move.p.name, version: move.p.version, position: move.from.toString() },
                  { position: move.to.toString(), updatedAt },
                );
                claimed.push(rows === 1);
              }
            }),
          )
          .then(
            () => {
              moves.forEach((move, i) => {
                if (!claimed[i]) return move.reject(new CheckpointMoved());
                this.positions.set(move.p.name, move.to);
                move.resolve(move.to);
              });
              this.wakeWaiters();
            },
            (error: unknown) => moves.forEach((move) => move.reject(error)),
          );
      });
    });
  }

  /**
   * PostgreSQL: this transaction's COMMIT does not wait for its WAL to reach the disk
   * (`synchronous_commit = off`, this transaction only), as the SQLite read models run with
   * `synchronous=NORMAL`: read models are derived, a crash can only lose the last batches' rows
   * together with their checkpoint (never one without the other), and they are applied again.
   * What other connections see is unchanged (a commit is visible at once either way).
   */
  private async derivedOnly(manager: EntityManager): Promise<void> {
    if (this.dataSource.options.type === 'postgres') await manager.query('SET LOCAL synchronous_commit = off');
  }

  /** The committed checkpoint (0 when missing or of another version). */
  private async readCheckpoint(p: Projection): Promise<bigint> {
    const checkpoint = await this.dataSource.getRepository(ProjectionCheckpoint).findOneBy({ name: p.name });
    return checkpoint && checkpoint.version === p.version ? BigInt(checkpoint.position) : 0n;
  }

  /** Reads the checkpoint and resumes this runner from it. */
  private async loadCheckpoint(p: Projection): Promise<bigint> {
    const position = await this.readCheckpoint(p);
    this.positions.set(p.name, position);
    return position;
  }

  private saveCheckpoint(manager: EntityManager, p: Projection, position: bigint): Promise<ProjectionCheckpoint> {
    return manager.save(ProjectionCheckpoint, {
      name: p.name,
      version: p.version,
      position: position.toString(),
      updatedAt: new Date().toISOString(),
    });
  }

  private wakeWaiters(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
