import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { dayOf } from '@casetrail/kernel';
import { ApiCommand, ApiSignedIn, Ctx, type CommandContext, DecideCommand, type DecideResult, DecideResultView } from '../core';
import { teamDecider, type TeamCommand } from './teams.decider';
import { teamStreamId } from './teams.events';
import { CloseTeamDto, ListTeamsParams, RegisterTeamDto, RenameTeamDto, TeamIdParam } from './teams.commands';
import { GetTeamQuery, ListTeamsQuery } from './teams.queries';
import { TeamRow } from './projections/team.projection';

@ApiTags('teams')
@ApiSignedIn()
@Controller('api/v1/teams')
export class TeamsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private decide(teamId: string, command: TeamCommand, context: CommandContext): Promise<DecideResult> {
    return this.commands.execute(new DecideCommand(teamDecider, teamStreamId(teamId), command, context));
  }

  @Post()
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiConflictResponse({ description: 'A team with this id already exists.' })
  register(@Body() body: RegisterTeamDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.decide(body.teamId, { type: 'RegisterTeam', now: context.now, ...body }, context);
  }

  @Patch(':id')
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such team.' })
  @ApiConflictResponse({ description: 'The team is closed.' })
  @ApiUnprocessableEntityResponse({ description: 'The team already has this name.' })
  rename(@Param() { id }: TeamIdParam, @Body() body: RenameTeamDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.decide(id, { type: 'RenameTeam', now: context.now, teamId: id, name: body.name }, context);
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such team.' })
  @ApiConflictResponse({ description: 'The team is already closed.' })
  @ApiUnprocessableEntityResponse({ description: 'The closing date is in the future.' })
  close(@Param() { id }: TeamIdParam, @Body() body: CloseTeamDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    const closedOn = body.closedOn ?? dayOf(context.now);
    return this.decide(id, { type: 'CloseTeam', now: context.now, teamId: id, closedOn, reason: body.reason }, context);
  }

  @Get()
  @ApiOkResponse({ type: [TeamRow] })
  list(@Query() params: ListTeamsParams): Promise<TeamRow[]> {
    return this.queries.execute(new ListTeamsQuery(params.includeClosed === 'true'));
  }

  @Get(':id')
  @ApiOkResponse({ type: TeamRow })
  @ApiNotFoundResponse({ description: 'No such team.' })
  get(@Param() { id }: TeamIdParam): Promise<TeamRow> {
    return this.queries.execute(new GetTeamQuery(id));
  }
}
