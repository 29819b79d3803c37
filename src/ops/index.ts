// What other folders may import from src/ops (docs/architecture.md: imports between folders go through an index).
export * from './backup';
export * from './erasure-on-disk';
