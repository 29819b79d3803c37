// What other folders may import from src/config (docs/architecture.md: imports between folders go through an index).
export * from './app-config';
export * from './data-dir';
