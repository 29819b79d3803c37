// What other folders may import from src/auth (docs/architecture.md: imports between folders go through an index).
export * from './access-registration';
export * from './case-level-reads';
export * from './auth.module';
export * from './oidc';
export * from './personal-access-token';
export * from './policy';
export * from './record-access';
export * from './signed-in-request';
export * from './team-scope';
