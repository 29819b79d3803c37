import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Request } from 'express';
import { defer, lastValueFrom, type Observable } from 'rxjs';
import type { DataSource } from 'typeorm';
import { createSqliteAsAtViews, enterPostgresAsAt, setSqliteAsAtPosition } from '@casetrail/projections';
import { AppConfig } from '../config';
import { runAsAt } from './as-at-scope';
import { openReadDb } from './infrastructure';
import { Platform } from './platform';
import { READ_DB_WRITER } from './tokens';

/** What AsAtMiddleware resolved from `?asAt=`, for AsAtInterceptor. */
export interface AsAtRequest extends Request {
  asAt?: { position: bigint; asAt: string };
}

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
 * Runs work inside an as-at scope, on a connection whose table names are views of the
 * row-version history at the scope's position:
 * - SQLite: one dedicated read-only connection with TEMP views shadowing the tables; the
 *   position lives in that connection, so as-at requests take turns on it (a mutex).
 * - PostgreSQL: a pooled connection per request, in a read-only transaction with
 *   `SET LOCAL` position and search_path (as_at views first), rolled back afterwards.
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
    const runner = this.writer.createQueryRunner('slave');
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
 * Runs the route handler of a request that AsAtMiddleware resolved inside the as-at scope.
 * An interceptor, not the middleware itself: guards run before interceptors, so signing in
 * reads today's users and tokens (a token issued today can read a view as at 2020).
 */
@Injectable()
export class AsAtInterceptor implements NestInterceptor {
  constructor(private readonly reader: AsAtReader) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const resolved = context.switchToHttp().getRequest<AsAtRequest>().asAt;
    if (!resolved) return next.handle();
    // Nest binds the handler to the async context in which handle() is called: call it inside the scope.
    return defer(() =>
      this.reader.run(resolved.position, resolved.asAt, () => lastValueFrom(next.handle(), { defaultValue: undefined })),
    );
  }
}
