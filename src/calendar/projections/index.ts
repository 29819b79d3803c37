import type { Projection } from '@casetrail/projections';
import { bankHolidaysProjection } from './bank-holiday.projection';

/** This context's read models (registered in src/projections.ts). */
export const CALENDAR_PROJECTIONS: Projection[] = [bankHolidaysProjection];
