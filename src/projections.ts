import type { AnyProjection } from '@casetrail/projections';
import { AUDIT_PROJECTIONS } from './audits/projections';
import { idempotencyKeysProjection } from './core/idempotency-keys';
import { CALENDAR_PROJECTIONS } from './calendar/projections';
import { DISPUTE_PROJECTIONS } from './disputes/projections';
import { IMPACT_PROJECTIONS } from './impact/projections';
import { PLAN_PROJECTIONS } from './plans/projections';
import { teamsProjection } from './teams/projections/team.projection';
import { usersProjection } from './users/projections/user.projection';

/** Every read model in the app. Add a context's projections here. */
export const ALL_PROJECTIONS: AnyProjection[] = [
  teamsProjection,
  usersProjection,
  ...AUDIT_PROJECTIONS,
  ...CALENDAR_PROJECTIONS,
  ...DISPUTE_PROJECTIONS,
  ...PLAN_PROJECTIONS,
  ...IMPACT_PROJECTIONS,
  idempotencyKeysProjection,
];
