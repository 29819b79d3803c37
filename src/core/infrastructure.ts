import { Logger } from '@nestjs/common';
import { AsyncResource } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { KurrentDbEventStore, PostgresEventStore, SqliteEventStore, type EventStore } from '@casetrail/event-store';
import { ProjectionRunner } from '@casetrail/projections';
import type { AppConfig } from '../config';
import type { Platform } from './platform';
import { setAsideDamagedReadDb } from './read-db-guard';

/**
 * The log store the configuration names, as it is: the application opens it through
 * Platform.openEventStore (personal-data wraps it in its encryption and the registered upcasters).
 */
export async function openLogStore(config: AppConfig): Promise<EventStore> {
  if (config.EVENT_STORE === 'postgres') {
    return PostgresEventStore.connect({ connectionString: config.EVENT_STORE_URL! });
  }
  // Projections and their checkpoints stay in the read database (READ_DB_URL), never in the log.
  if (config.EVENT_STORE === 'kurrentdb') {
    return KurrentDbEventStore.connect({ connectionString: config.EVENT_STORE_URL! });
  }
  return new SqliteEventStore({ file: join(config.dataDir, 'events.sqlite') });
}

/**
 * Read models live in PostgreSQL (READ_DB_URL) or in DATA_DIR/read-models.sqlite. Tables are
 * created by the projection runner, never by TypeORM at connection time: on PostgreSQL by the
 * versioned migrations in src/migrations, on the disposable embedded database by synchronize.
 */
export function readDbOptions(config: AppConfig, platform: Platform, access: 'writer' | 'reader'): DataSourceOptions {
  const entities = platform.entities;
  if (config.READ_DB_URL) {
    return {
      type: 'postgres',
      url: config.READ_DB_URL,
      entities,
      synchronize: false,
      migrations: platform.migrations,
      migrationsTableName: 'read_model_migrations',
      migrationsTransactionMode: 'each',
    };
  }
  return {
    type: 'better-sqlite3',
    database: join(config.dataDir, 'read-models.sqlite'),
    entities,
    synchronize: false,
    enableWAL: true,
    timeout: 10_000,
    // Queries use their own read-only connection: they see committed batches only.
    readonly: access === 'reader',
    // The read models are derived from the log: after a power cut they may lose their last
    // batches (rows and checkpoint together, never one without the other: WAL stays consistent)
    // and the runner applies them again. So no fsync per batch; the log keeps synchronous=FULL.
    prepareDatabase: (db: { pragma(sql: string): unknown }): void => {
      if (access === 'writer') db.pragma('synchronous = NORMAL');
    },
  };
}

export async function openReadDb(
  config: AppConfig,
  platform: Platform,
  access: 'writer' | 'reader',
  mode: 'server' | 'cli' = 'server',
): Promise<DataSource> {
  if (!config.READ_DB_URL) {
    mkdirSync(config.dataDir, { recursive: true });
    // A damaged embedded read database is moved aside and rebuilt, never a reason not to start.
    if (access === 'writer') setAsideDamagedReadDb(config.dataDir, mode);
  }
  const db = await new DataSource(readDbOptions(config, platform, access)).initialize();
  if (db.driver instanceof PostgresDriver) keepCallerContext(db.driver.master as PoolWithCallbacks);
  return db;
}

type PoolWithCallbacks = { connect: (callback?: (...args: unknown[]) => void) => unknown };

/**
 * pg's pool hands a freed connection to the next waiter by calling the waiter's callback from
 * inside release(), i.e. in the async context of whoever released it. TypeORM connects with a
 * callback, so without this a request could continue in another request's as-at scope
 * (AsyncLocalStorage, src/core/as-at-scope.ts) and read the past by accident. Binding each
 * callback to its caller's context keeps every request in its own.
 */
function keepCallerContext(pool: PoolWithCallbacks): void {
  const connect = pool.connect.bind(pool);
  pool.connect = (callback?: (...args: unknown[]) => void) => (callback ? connect(AsyncResource.bind(callback)) : connect());
}

export function createProjectionRunner(
  platform: Platform,
  store: EventStore,
  writer: DataSource,
  onFailure?: (projection: string) => void,
): ProjectionRunner {
  const logger = new Logger('Projections');
  return new ProjectionRunner(store, writer, platform.projections, {
    onFailure,
    schema: async (db) => {
      if (db.options.type === 'postgres') await db.runMigrations();
      else await db.synchronize();
    },
    logger: { log: (m) => logger.log(m), warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
  });
}
