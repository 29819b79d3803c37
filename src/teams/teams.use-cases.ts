import { Injectable } from '@nestjs/common';
import { dayOf } from '@casetrail/kernel';
import { type CommandContext, commandHandlerFor, type DecideResult, ContextUseCases } from '../core';
import { teamDecider } from './team.decider';
import { teamStreamId } from './teams.events';
import { CloseTeamDto, ListTeamsParams, RegisterTeamDto, RenameTeamDto, TeamIdParam } from './teams.dto';
import { GetTeamQuery, ListTeamsQuery } from './teams.queries';
import { TeamRow } from './projections/team.projection';

const teams = commandHandlerFor(teamDecider, (c) => teamStreamId(c.teamId));

/** Teams: registered, renamed and closed by administrators. */
@Injectable()
export class TeamUseCases extends ContextUseCases {
  register(body: RegisterTeamDto, context: CommandContext): Promise<DecideResult> {
    return this.send(teams, { type: 'RegisterTeam', ...body }, context);
  }

  rename({ id }: TeamIdParam, body: RenameTeamDto, context: CommandContext): Promise<DecideResult> {
    return this.send(teams, { type: 'RenameTeam', teamId: id, name: body.name }, context);
  }

  close({ id }: TeamIdParam, body: CloseTeamDto, context: CommandContext): Promise<DecideResult> {
    const closedOn = body.closedOn ?? dayOf(context.now);
    return this.send(teams, { type: 'CloseTeam', teamId: id, closedOn, reason: body.reason }, context);
  }

  list(params: ListTeamsParams): Promise<TeamRow[]> {
    return this.queries.execute(new ListTeamsQuery(params.includeClosed === 'true'));
  }

  get({ id }: TeamIdParam): Promise<TeamRow> {
    return this.queries.execute(new GetTeamQuery(id));
  }
}
