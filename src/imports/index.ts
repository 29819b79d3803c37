// The imports context's published surface: what other folders may import.
export * from './audit-import.service';
export * from './record-imports.service';
export * from './cells';
export * from './hashing';
export * from './headings';
export * from './import-report';
export * from './table-reader';
export * from './upload';
export * from './imports.module';
export * from './imports.cli';
