import { Logger } from '@nestjs/common';
import { AsyncResource } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { KurrentDbEventStore, PostgresEventStore, SqliteEventStore, type EventStore } from '@casetrail/event-store';
import { ProjectionRunner } from '@casetrail/projections';
import type { AppConfig } from '../config/app-config';
import { ALL_MIGRATIONS } from '../migrations';
import { ALL_PROJECTIONS } from '../projections';
import { setAsideDamagedReadDb } from './read-db-guard';
import { READ_MODEL_ENTITIES } from './read-model-entities';
import { createUpcasters } from '../upcasters';
import { EncryptingEventStore } from './personal-data/encrypting-event-store';
import { loadMasterKey } from './personal-data/master-key';
import { PostgresSubjectKeyStore } from './personal-data/postgres-subject-key-store';
import { SqliteSubjectKeyStore, type SubjectKeyStore } from './personal-data/subject-key-store';

/** The event store the configuration names. */
export async function openEventStore(config: AppConfig): Promise<EventStore> {
  // Personal free text is encrypted before the store hashes it; upcasting happens after decryption.
  const keys = await openKeyStore(config);
  try {
    return new EncryptingEventStore(await openLogStore(config), keys, createUpcasters());
  } catch (error) {
    await keys.close();
    throw error;
  }
}

/**
 * The personal-data key store: in PostgreSQL (schema "personal_data" of KEY_STORE_URL, by default
 * EVENT_STORE_URL on the PostgreSQL profile), shared by every instance; otherwise
 * DATA_DIR/subject-keys.sqlite. A key store file left from before is copied into an empty PostgreSQL one.
 */
export async function openKeyStore(config: AppConfig): Promise<SubjectKeyStore> {
  const masterKey = loadMasterKey(config.DATA_MASTER_KEY, config.dataDir);
  const file = join(config.dataDir, 'subject-keys.sqlite');
  const url = config.keyStoreUrl;
  if (url) return PostgresSubjectKeyStore.open({ connectionString: url, masterKey, importFrom: file });
  return new SqliteSubjectKeyStore(file, masterKey);
}

async function openLogStore(config: AppConfig): Promise<EventStore> {
  if (config.EVENT_STORE === 'postgres') {
    return PostgresEventStore.connect({ connectionString: config.EVENT_STORE_URL! });
  }
  // Projections and their checkpoints stay in the read database (READ_DB_URL), never in the log.
  if (config.EVENT_STORE === 'kurrentdb') {
    return KurrentDbEventStore.connect({ connectionString: config.EVENT_STORE_URL! });
  }
  return new SqliteEventStore({ file: join(config.dataDir, 'events.sqlite') });
}

const entities = READ_MODEL_ENTITIES;

/**
 * Read models live in PostgreSQL (READ_DB_URL) or in DATA_DIR/read-models.sqlite. Tables are
 * created by the projection runner, never by TypeORM at connection time: on PostgreSQL by the
 * versioned migrations in src/migrations, on the disposable embedded database by synchronize.
 */
export function readDbOptions(config: AppConfig, access: 'writer' | 'reader'): DataSourceOptions {
  if (config.READ_DB_URL) {
    return {
      type: 'postgres',
      url: config.READ_DB_URL,
      entities,
      synchronize: false,
      migrations: ALL_MIGRATIONS,
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
  access: 'writer' | 'reader',
  mode: 'server' | 'cli' = 'server',
): Promise<DataSource> {
  if (!config.READ_DB_URL) {
    mkdirSync(config.dataDir, { recursive: true });
    // A damaged embedded read database is moved aside and rebuilt, never a reason not to start.
    if (access === 'writer') setAsideDamagedReadDb(config.dataDir, mode);
  }
  const db = await new DataSource(readDbOptions(config, access)).initialize();
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
  store: EventStore,
  writer: DataSource,
  onFailure?: (projection: string) => void,
): ProjectionRunner {
  const logger = new Logger('Projections');
  return new ProjectionRunner(store, writer, ALL_PROJECTIONS, {
    onFailure,
    schema: async (db) => {
      if (db.options.type === 'postgres') await db.runMigrations();
      else await db.synchronize();
    },
    logger: { log: (m) => logger.log(m), warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
  });
}
