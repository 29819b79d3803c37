// What other folders may import from src/audits (docs/architecture.md: imports between folders go through an index).
export * from './audit-framework.decider';
export * from './audit-frameworks.http';
export * from './audit-programme.decider';
export * from './audit-programmes.http';
export * from './audit-reports.http';
export * from './audit.decider';
export * from './audits.dto';
export * from './audits.http';
export * from './audits.events';
export * from './audits.module';
export * from './audits.queries';
export * from './audits.registration';
export * from './default-framework';
export * from './projections/audit-framework.projection';
export * from './ratings';
// The contract other contexts read audit actions through (plans shows a team's audit actions beside its plan actions).
export { ListTeamAuditActionsQuery, type AuditActionView } from './audits.queries';
export * from './audits.use-cases';
