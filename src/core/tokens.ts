/** Nest injection tokens for the composition root's shared infrastructure. */
export const READ_DB = Symbol('READ_DB');
export const READ_DB_WRITER = Symbol('READ_DB_WRITER');
export const PROJECTION_RUNNER = Symbol('PROJECTION_RUNNER');
export const SERVER_PRESENCE = Symbol('SERVER_PRESENCE');
export const APP_MODE = Symbol('APP_MODE');
export type AppMode = 'server' | 'cli';
/** The registered StoreCheck providers (ContextRegistration.storeChecks), for StoreChecks. */
export const STORE_CHECKS = Symbol('STORE_CHECKS');
