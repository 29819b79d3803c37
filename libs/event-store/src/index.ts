export * from './event-store.port';
export * from './errors';
export * from './hash-chain';
export * from './upcasters';
export { streamCategory } from './append-plan';
export { SqliteEventStore, SQLITE_EVENTS_SCHEMA, type SqliteEventStoreOptions } from './sqlite-event-store';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';
export { SqlEventStoreBase, type SqlEventStoreOptions } from './sql-event-store.base';
export * from './merkle';
export * from './verify-chain';
export { KurrentDbEventStore, type KurrentDbEventStoreOptions } from './kurrentdb-event-store';
export {
  hashStoredLog,
  defaultHashWorkers,
  sealedMetadata,
  storedRowMatches,
  type HashedPage,
  type HashStoredLogOptions,
} from './stored-hashing';
