import type { DataSource, QueryRunner } from 'typeorm';

/**
 * Who may run the projections. Several app instances can share one PostgreSQL read
 * database; each projection must be applied by exactly one of them at a time, and another
 * must take over within seconds when that instance dies.
 */
export interface ProjectionLease {
  /** Tries once, without waiting. True when this instance now holds (or already held) the lease. */
  tryAcquire(): Promise<boolean>;
  /** Resolves when the lease is lost (connection gone); never resolves while it is held. */
  lost(): Promise<void>;
  release(): Promise<void>;
}

/** The embedded read database has one writer process by construction: it always leads. */
export class SoleInstanceLease implements ProjectionLease {
  tryAcquire(): Promise<boolean> {
    return Promise.resolve(true);
  }
  lost(): Promise<void> {
    return new Promise<void>(() => undefined);
  }
  release(): Promise<void> {
    return Promise.resolve();
  }
}

/** Lock keys (any 64-bit number; fixed so every instance agrees). */
export const PROJECTION_LEASE_KEY = 727_372_001;
export const SCHEMA_LOCK_KEY = 727_372_002;

/**
 * A PostgreSQL session-level advisory lock held on a dedicated connection. When the holder
 * dies, PostgreSQL closes its session and frees the lock, so a follower polling
 * `tryAcquire` takes over. A heartbeat notices a connection that broke under a live process.
 */
export class PostgresAdvisoryLease implements ProjectionLease {
  private runner: QueryRunner | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  /** The heartbeat query in flight: the next waits for it, so one client never runs two queries at once (pg 9 refuses that). */
  private beat: Promise<void> | null = null;
  private lostSignal: { promise: Promise<void>; resolve: () => void } = PostgresAdvisoryLease.signal();

  constructor(
    private readonly dataSource: DataSource,
    private readonly key = PROJECTION_LEASE_KEY,
    private readonly heartbeatMs = 2000,
  ) {}

  private static signal(): { promise: Promise<void>; resolve: () => void } {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  }

  async tryAcquire(): Promise<boolean> {
    if (this.runner) return true;
    const runner = this.dataSource.createQueryRunner();
    try {
      const [row] = (await runner.query('SELECT pg_try_advisory_lock($1) AS held', [this.key])) as { held: boolean }[];
      if (!row.held) {
        await runner.release();
        return false;
      }
    } catch (error) {
      await runner.release().catch(() => undefined);
      throw error;
    }
    this.runner = runner;
    this.lostSignal = PostgresAdvisoryLease.signal();
    this.heartbeat = setInterval(() => {
      if (this.beat) return; // the last one has not answered yet (a busy server)
      this.beat = runner
        .query('SELECT 1')
        .then(
          () => undefined,
          () => this.drop(),
        )
        .finally(() => (this.beat = null));
    }, this.heartbeatMs);
    this.heartbeat.unref();
    return true;
  }

  lost(): Promise<void> {
    return this.lostSignal.promise;
  }

  async release(): Promise<void> {
    const runner = this.runner;
    if (!runner) return;
    this.stopHeartbeat();
    this.runner = null;
    await this.beat; // never two queries at once on the lease's client
    await runner.query('SELECT pg_advisory_unlock($1)', [this.key]).catch(() => undefined);
    await runner.release().catch(() => undefined);
  }

  private drop(): void {
    const runner = this.runner;
    this.stopHeartbeat();
    this.runner = null;
    void runner?.release().catch(() => undefined);
    this.lostSignal.resolve();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}

/** Runs `work` while holding a blocking advisory lock (PostgreSQL), e.g. creating the schema once. */
export async function withSchemaLock<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  if (dataSource.options.type !== 'postgres') return work();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK_KEY]);
    return await work();
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
