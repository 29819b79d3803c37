export * from './event-fixtures';
export * from './postgres';
