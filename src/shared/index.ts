// What other folders may import from src/shared (docs/architecture.md: imports between folders go through an index).
export * from './principal';
