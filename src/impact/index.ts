// The impact context's published surface: what other folders may import.
export * from './impact-figures';
export * from './impact-view';
export * from './impact.dto';
export * from './programme-views';
export * from './self-evaluation-draft';
export * from './impact.module';
export * from './impact.registration';
export * from './finding-links';
export { domainTitles } from './audit-reading';
