export * from './event-fixtures';
export * from './postgres';
export * from './decider-spec';
export * from './projection-harness';
export * from './built';
export * from './stub-decider';
