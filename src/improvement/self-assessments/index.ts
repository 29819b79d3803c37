// What other folders may import from src/self-assessments (docs/architecture.md: imports between folders go through an index).
export * from './projections/self-assessment.projection';
export * from './self-assessment.decider';
export * from './self-assessments.dto';
export * from './self-assessments.http';
export * from './self-assessments.module';
export * from './self-assessments.use-cases';
