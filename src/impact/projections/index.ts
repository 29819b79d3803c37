import type { Projection } from '@casetrail/projections';
import { impactLinksProjection } from './impact-links.projection';

/** This context's read models (registered in src/projections.ts). */
export const IMPACT_PROJECTIONS: Projection[] = [impactLinksProjection];
