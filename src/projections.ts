import type { Projection } from '@casetrail/projections';
import { teamsProjection } from './teams/projections/team.projection';
import { usersProjection } from './users/projections/user.projection';

/** Every read model in the app. Add a context's projections here. */
export const ALL_PROJECTIONS: Projection[] = [teamsProjection, usersProjection];
