// What other folders may import from src/trail (docs/architecture.md: imports between folders go through an index).
export * from './access-log.service';
export * from './event-describers';
export * from './export.service';
export * from './integrity.service';
export * from './records-access';
export * from './signing';
export * from './stream-deciders';
export * from './team-scope';
export * from './trail-event';
export * from './trail.http';
export * from './trail.dto';
export * from './trail.errors';
export * from './trail.module';
export * from './trail.registration';
export * from './verify-export';
export * from './trail.use-cases';
