import type { Projection } from '@casetrail/projections';
import { bankHolidaysProjection } from './bank-holiday.projection';

/** This context's read models (registered with the platform in its <context>.registration.ts). */
export const CALENDAR_PROJECTIONS: Projection[] = [bankHolidaysProjection];
