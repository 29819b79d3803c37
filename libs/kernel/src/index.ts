export * from './decider';
export * from './domain-error';
export * from './local-date';
export * from './working-days';
export * from './financial-periods';
export * from './business-dates';
export * from './rag';
export * from './indicator-rag';
