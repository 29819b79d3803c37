// What other folders may import from src/improvement: the improvement plan, its indicators and the
// service's self-assessments, one context (docs/architecture.md: imports between folders go through an index).
export * from './plans';
export * from './indicators';
export * from './self-assessments';
