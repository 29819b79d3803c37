// What other folders may import from src/web (docs/architecture.md: imports between folders go through an index).
export * from './web.module';
