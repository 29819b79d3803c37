import type { AnyProjection } from '@casetrail/projections';
import { impactLinksProjection } from './impact-links.projection';

/** This context's read models (registered with the platform in its <context>.registration.ts). */
export const IMPACT_PROJECTIONS: AnyProjection[] = [impactLinksProjection];
