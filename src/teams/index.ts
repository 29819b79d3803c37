// What other folders may import from src/teams (docs/architecture.md: imports between folders go through an index).
export * from './service-id';
export * from './teams.dto';
export * from './teams.http';
export * from './team.decider';
export * from './teams.module';
export * from './teams.queries';
export * from './teams.registration';
export * from './teams.use-cases';
