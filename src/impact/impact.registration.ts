import type { AccessRegistration } from '../auth';
import type { ContextRegistration } from '../core';
import { IMPACT_PROJECTIONS } from './projections';

/** What the impact context registers with the platform (src/contexts.ts): its links between audits of a case. */
export const IMPACT_CONTEXT: ContextRegistration & AccessRegistration = {
  name: 'impact',
  projections: IMPACT_PROJECTIONS,
};
