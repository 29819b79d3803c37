// What other folders may import from src/plans (docs/architecture.md: imports between folders go through an index).
export * from './action.decider';
export * from './plan.decider';
export * from './plans.dto';
export * from './plans.http';
export * from './plans.events';
export * from './plans.module';
export * from './plans.queries';
export * from './plans.registration';
export * from './plans.use-cases';
