export * from './projection';
export * from './projection-checkpoint.entity';
export * from './projection-runner';
export * from './row-writes';
export * from './projection-lease';
export * from './row-history';
export * from './shared-log-reader';
export * from './row-buffer';
