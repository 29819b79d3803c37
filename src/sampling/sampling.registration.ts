import type { AccessRegistration } from '../auth';
import { stateFolder, type ContextRegistration } from '../core';
import { caseListDecider, sampleDecider } from './sampling.decider';

/** What the sampling context registers with the platform (src/contexts.ts): its case lists' and samples' streams. */
export const SAMPLING_CONTEXT: ContextRegistration & AccessRegistration = {
  name: 'sampling',
  streams: { 'caselist-': stateFolder(caseListDecider), 'sample-': stateFolder(sampleDecider) },
};
