import { teamDecider } from './team.decider';
import type { AccessRegistration } from '../auth';
import { stateFolder, type ContextRegistration } from '../core';
import { teamsProjection, TeamRow } from './projections/team.projection';
import { serviceIdOf } from './service-id';

/** What the teams context registers with the platform and the access policy (src/app.module.ts). */
export const TEAMS_CONTEXT: ContextRegistration & AccessRegistration = {
  name: 'teams',
  streams: {
    'team-': stateFolder(teamDecider),
  },
  projections: [teamsProjection],
  async teamsOfService(serviceId, { db }) {
    const teams = await db.getRepository(TeamRow).find({ select: ['teamId', 'service'] });
    return teams.filter((team) => serviceIdOf(team.service) === serviceId).map((team) => team.teamId);
  },
};
