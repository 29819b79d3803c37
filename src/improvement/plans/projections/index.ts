import type { Projection } from '@casetrail/projections';
import { indicatorsProjection } from '../../indicators';
import { selfAssessmentsProjection } from '../../self-assessments';
import { plansProjection } from './plan.projection';

/** This context's read models (registered with the platform in its <context>.registration.ts), with the indicators' and self-assessments'. */
export const PLAN_PROJECTIONS: Projection[] = [plansProjection, indicatorsProjection, selfAssessmentsProjection];
