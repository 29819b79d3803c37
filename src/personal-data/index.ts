// What other folders may import from src/personal-data (docs/architecture.md: imports between folders go through an index).
export * from './data-protection.commands';
export * from './encrypting-event-store';
export * from './field-cipher';
export * from './personal-data.registration';
export * from './protected-event-store';
export * from './subject-key-store';
