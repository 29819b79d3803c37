// What other folders may import from src/indicators (docs/architecture.md: imports between folders go through an index).
export * from './indicator.decider';
export * from './indicators.dto';
export * from './indicators.http';
export * from './indicators.module';
export * from './indicators.queries';
export * from './projections/indicator.projection';
export * from './indicators.use-cases';
export type { MeasurementRecorded } from './indicators.events';
