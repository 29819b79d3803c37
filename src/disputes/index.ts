// What other folders may import from src/disputes (docs/architecture.md: imports between folders go through an index).
export * from './dispute-protocol.decider';
export * from './dispute-stats';
export * from './disputes.dto';
export * from './disputes.http';
export * from './dispute.decider';
export * from './disputes.events';
export * from './disputes.module';
export * from './disputes.registration';
export * from './good-practice-alert.decider';
export * from './disputes.queries';
export * from './disputes.use-cases';
