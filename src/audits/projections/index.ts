import type { AnyProjection } from '@casetrail/projections';
import { auditFrameworksProjection } from './audit-framework.projection';
import { auditProgrammesProjection } from './audit-programme.projection';
import { auditsProjection } from './audit.projection';

/** This context's read models (registered with the platform in its <context>.registration.ts). */
export const AUDIT_PROJECTIONS: AnyProjection[] = [auditFrameworksProjection, auditProgrammesProjection, auditsProjection];
