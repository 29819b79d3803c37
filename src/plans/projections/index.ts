import type { Projection } from '@casetrail/projections';

/** This context's read models (registered in src/projections.ts). */
export const PLAN_PROJECTIONS: Projection[] = [];
