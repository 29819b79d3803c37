import { ApiController, changeRoute, commandRoute, queryRoute, forwardTo } from '../core';
import { CloseTeamDto, ListTeamsParams, RegisterTeamDto, RenameTeamDto, TeamIdParam } from './teams.dto';
import { TeamRow } from './projections/team.projection';
import { TeamUseCases } from './teams.use-cases';

@ApiController('teams', 'api/v1/teams')
export class TeamsController extends forwardTo(TeamUseCases, {
  register: commandRoute({ body: RegisterTeamDto, conflict: 'A team with this id already exists.' }),
  rename: changeRoute(':id', {
    params: TeamIdParam,
    body: RenameTeamDto,
    method: 'patch',
    notFound: 'No such team.',
    conflict: 'The team is closed.',
    unprocessable: 'The team already has this name.',
  }),
  close: changeRoute(':id/close', {
    params: TeamIdParam,
    body: CloseTeamDto,
    notFound: 'No such team.',
    conflict: 'The team is already closed.',
    unprocessable: 'The closing date is in the future.',
  }),
  list: queryRoute({ query: ListTeamsParams, type: [TeamRow] }),
  get: queryRoute(':id', { params: TeamIdParam, type: TeamRow, notFound: 'No such team.' }),
}) {}
