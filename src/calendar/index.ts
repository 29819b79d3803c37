// What other folders may import from src/calendar (docs/architecture.md: imports between folders go through an index).
export * from './calendar.dto';
export * from './calendar.http';
export * from './calendar.decider';
export * from './calendar.module';
export * from './calendar.queries';
export * from './calendar.registration';
export * from './calendar.use-cases';
