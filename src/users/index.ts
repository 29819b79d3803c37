// What other folders may import from src/users (docs/architecture.md: imports between folders go through an index).
export * from './oidc-session.decider';
export * from './oidc-sessions.events';
export * from './password';
export * from './projections/user.projection';
export * from './users.dto';
export * from './users.http';
export * from './user.decider';
export * from './users.module';
export * from './users.queries';
export * from './users.registration';
export * from './users.use-cases';
