// The reports context's published surface: what other folders may import.
export * from './board-report.render';
export * from './board-report.service';
export * from './closed-quarter-as-at.guard';
export * from './periods.service';
export * from './quarters';
export * from './reports.dto';
export * from './reports.module';

export * from './reports.registration';
