import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { InterceptorsConsumer } from '@nestjs/core/interceptors/interceptors-consumer';
import type { Request } from 'express';
import { defer, lastValueFrom, type Observable } from 'rxjs';
import type { DataSource, QueryRunner } from 'typeorm';
import { createSqliteAsAtViews, enterPostgresAsAt, setSqliteAsAtPosition } from '@casetrail/projections';
import { AppConfig } from '../config';
import { runAsAt } from './as-at-scope';
import { refusalOf } from './http-errors';
import { openReadDb } from './infrastructure';
import { Platform } from './platform';
import { READ_DB_WRITER } from './tokens';

/** What AsAtMiddleware resolved from `?asAt=`, for RequestInterceptor. */
export interface AsAtRequest extends Request {
  asAt?: { position: bigint; asAt: string };
}

/** How much of the read database the SQLite as-at connection maps into memory (SQLite's default limit is 2 GB). */
const AS_AT_MMAP_BYTES = 1024 ** 3;

/** Runs one piece of work at a time (the SQLite as-at connection holds one position). */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * Makes `runner` send its queries one at a time, in the order they were asked for. Query
 * handlers read with Promise.all; on PostgreSQL an as-at request reads through ONE pooled
 * client, on which those queries would overlap: pg 8 queues them with a DeprecationWarning
 * ("Calling client.query() when the client is already executing a query"), pg 9 refuses them.
 * Every query of a TypeORM runner (its transaction statements too) goes through `query`.
 */
export function oneQueryAtATime(runner: QueryRunner): QueryRunner {
  const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  const turns = new Mutex();
  runner.query = ((...args: unknown[]) => turns.run(() => query(...args))) as QueryRunner['query'];
  return runner;
}

/**
 * Runs work inside an as-at scope, on a connection whose table names are views of the
 * row-version history at the scope's position:
 * - SQLite: one dedicated read-only connection with TEMP views shadowing the tables; the
 *   position lives in that connection, so as-at requests take turns on it (a mutex).
 * - PostgreSQL: a pooled connection per request, in a read-only transaction with
 *   `SET LOCAL` position and search_path (as_at views first), rolled back afterwards; its
 *   queries take turns on that connection (see oneQueryAtATime).
 */
@Injectable()
export class AsAtReader implements OnApplicationShutdown {
  private readonly mutex = new Mutex();
  private sqlite: Promise<DataSource> | null = null;
  private schema: Promise<string> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly platform: Platform,
    @Inject(READ_DB_WRITER) private readonly writer: DataSource,
  ) {}

  run<T>(position: bigint, asAt: string, work: () => Promise<T>): Promise<T> {
    return this.writer.options.type === 'postgres' ? this.onPostgres(position, asAt, work) : this.onSqlite(position, asAt, work);
  }

  private onSqlite<T>(position: bigint, asAt: string, work: () => Promise<T>): Promise<T> {
    this.sqlite ??= openReadDb(this.config, this.platform, 'reader').then(async (db) => {
      // An as-at view reads versions scattered over the whole history (a team's rows of five years,
      // each next to other teams'): read through a memory map, not a copy per page into a small
      // page cache (at 1,000,000 events about 40% less CPU per team view). Read-only, in WAL mode
      // (the WAL is still read the usual way); the map never grows past the file.
      // A file truncated under a map is a SIGBUS, but only a truncation outside SQLite does that: SQLite
      // shrinks the file (an erasure's VACUUM and wal_checkpoint(TRUNCATE), from this process or the CLI)
      // only when no read transaction uses those pages, and remaps at the next one (checked: 200,000 rows
      // vacuumed to 1,000 by another process under a 1 GB map read on). Nothing else here truncates it:
      // restore (refused while a server runs) and the damaged-file guard move files by rename, which
      // leaves a mapped file whole. Copying a file over it by hand while the server runs would crash it.
      await db.query(`PRAGMA mmap_size = ${AS_AT_MMAP_BYTES}`);
      await createSqliteAsAtViews(db, this.platform.projections);
      return db;
    });
    return this.mutex.run(async () => {
      const db = await this.sqlite!;
      await setSqliteAsAtPosition(db, position);
      return runAsAt({ position, asAt, manager: db.manager }, work);
    });
  }

  private async onPostgres<T>(position: bigint, asAt: string, work: () => Promise<T>): Promise<T> {
    this.schema ??= this.writer.query('SELECT current_schema() AS schema').then((rows: { schema: string }[]) => rows[0].schema);
    const runner = oneQueryAtATime(this.writer.createQueryRunner('slave'));
    try {
      await runner.startTransaction();
      await runner.query('SET TRANSACTION READ ONLY');
      await enterPostgresAsAt(runner, position, await this.schema);
      return await runAsAt({ position, asAt, manager: runner.manager }, work);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const db = await this.sqlite?.catch(() => null);
    if (db?.isInitialized) await db.destroy();
  }
}

/**
 * What the access log does around one route call (src/trail's AccessLogRecorder provides it; the
 * CLI has none): what to record before the handler runs, and what to record from its answer before
 * that answer is sent. Null when the route records nothing.
 */
export interface RouteAccessRecording {
  /** Awaited before the handler runs: if it fails, the handler does not run. */
  before?: () => Promise<void>;
  /** Awaited with the handler's answer before the answer is sent: if it fails, nothing is shown. */
  after?: (body: unknown) => Promise<void>;
}

export interface RouteAccessRecorder {
  recordingFor(context: ExecutionContext): RouteAccessRecording | null;
}

/** The access log's part of RequestInterceptor (provided and exported by the global TrailModule). */
export const ROUTE_ACCESS_RECORDER = Symbol('ROUTE_ACCESS_RECORDER');

/**
 * The one global interceptor (each interceptor costs every request an rxjs pipe and an async
 * context binding in Nest, so there is one, not one per concern). Around the route handler:
 *
 * - the access log: records a case-level read before the handler runs, and what a
 *   `@RecordsAccess` route read from its answer before the answer is sent (src/trail/records-access.ts);
 * - as-at: runs the handler of a request that AsAtMiddleware resolved inside the as-at scope.
 *   An interceptor, not the middleware itself: guards run before interceptors, so signing in
 *   reads today's users and tokens (a token issued today can read a view as at 2020);
 * - a refusal found before routing (an upload over its size limit, see withFileSizeLimit): thrown
 *   instead of running the handler, so the route's own filter answers it (a page on page routes).
 *
 * A request with none of these goes straight to the handler, and not through Nest's interceptor
 * chain either (see passIdleRequestsStraightToTheHandler).
 */
@Injectable()
export class RequestInterceptor implements NestInterceptor {
  constructor(
    private readonly reader: AsAtReader,
    @Optional() @Inject(ROUTE_ACCESS_RECORDER) private readonly recorder: RouteAccessRecorder | null = null,
  ) {
    passIdleRequestsStraightToTheHandler();
  }

  /** True when this HTTP request needs nothing of the interceptor: no refusal, no as-at, nothing to record. */
  idle(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AsAtRequest>();
    return !refusalOf(request) && !request.asAt && !this.recorder?.recordingFor(context);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AsAtRequest>();
    // Refused before routing (an upload over its limit): thrown here, so the route's own filter answers.
    const refusal = refusalOf(request);
    if (refusal) throw refusal;
    const resolved = request.asAt;
    const recording = this.recorder?.recordingFor(context) ?? null;
    if (!resolved && !recording) return next.handle();
    // Nest binds the handler to the async context in which handle() is called: call it inside the scope.
    const handle = (): Promise<unknown> => lastValueFrom(next.handle(), { defaultValue: undefined });
    return defer(async () => {
      if (recording?.before) await recording.before();
      const body = resolved ? await this.reader.run(resolved.position, resolved.asAt, handle) : await handle();
      if (recording?.after) await recording.after(body);
      return body;
    });
  }
}

type Intercept = (
  this: InterceptorsConsumer,
  interceptors: unknown[],
  args: unknown[],
  instance: object,
  callback: (...args: unknown[]) => unknown,
  next: () => Promise<unknown>,
  type?: string,
) => Promise<unknown>;

const PASSES_IDLE = Symbol('casetrail:passes-idle-requests');

/**
 * Nest runs a route's interceptors through rxjs (defer, mergeAll) and two AsyncResource.bind per
 * request, each of which defines deprecated accessors: about a tenth of a millisecond of CPU on
 * every request, though nearly every request needs nothing of RequestInterceptor. When it is the
 * only interceptor of the route and has nothing to do for this request, the handler is called the
 * way Nest calls it for a route without interceptors (`next()`), so the answer, its errors and
 * their filters are those of a route without interceptors; any other request takes Nest's own path.
 * Installed once per process, on Nest's InterceptorsConsumer (checked to be there, so a change in
 * Nest shows at start-up rather than as a silent slowdown).
 */
function passIdleRequestsStraightToTheHandler(): void {
  const consumer = InterceptorsConsumer.prototype as unknown as { intercept: Intercept; [PASSES_IDLE]?: true };
  if (consumer[PASSES_IDLE]) return;
  const intercept = consumer.intercept;
  if (typeof intercept !== 'function' || intercept.length < 5) {
    throw new Error("Nest's InterceptorsConsumer.intercept is not the one RequestInterceptor expects: see as-at-reader.ts.");
  }
  consumer.intercept = function (interceptors, args, instance, callback, next, type) {
    const only = interceptors.length === 1 ? interceptors[0] : undefined;
    if (type === 'http' && only instanceof RequestInterceptor) {
      const context = new ExecutionContextHost(args, instance.constructor as never, callback);
      context.setType('http');
      if (only.idle(context)) return next();
    }
    return intercept.call(this, interceptors, args, instance, callback, next, type);
  };
  consumer[PASSES_IDLE] = true;
}
