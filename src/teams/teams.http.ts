import { Body, Param, Query } from '@nestjs/common';
import { ApiController, Ctx, type CommandContext, type DecideResult, CommandRoute, ChangeRoute, QueryRoute } from '../core';
import { CloseTeamDto, ListTeamsParams, RegisterTeamDto, RenameTeamDto, TeamIdParam } from './teams.dto';
import { TeamRow } from './projections/team.projection';
import { TeamUseCases } from './teams.use-cases';

@ApiController('teams', 'api/v1/teams')
export class TeamsController {
  constructor(private readonly teams: TeamUseCases) {}

  @CommandRoute({ conflict: 'A team with this id already exists.' })
  register(@Body() body: RegisterTeamDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.teams.register(body, context);
  }

  @ChangeRoute(':id', {
    method: 'patch',
    notFound: 'No such team.',
    conflict: 'The team is closed.',
    unprocessable: 'The team already has this name.',
  })
  rename(@Param() route: TeamIdParam, @Body() body: RenameTeamDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.teams.rename(route, body, context);
  }

  @ChangeRoute(':id/close', {
    notFound: 'No such team.',
    conflict: 'The team is already closed.',
    unprocessable: 'The closing date is in the future.',
  })
  close(@Param() route: TeamIdParam, @Body() body: CloseTeamDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.teams.close(route, body, context);
  }

  @QueryRoute({ type: [TeamRow] })
  list(@Query() params: ListTeamsParams): Promise<TeamRow[]> {
    return this.teams.list(params);
  }

  @QueryRoute(':id', { type: TeamRow, notFound: 'No such team.' })
  get(@Param() route: TeamIdParam): Promise<TeamRow> {
    return this.teams.get(route);
  }
}
