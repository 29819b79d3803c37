import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ApiCommand, ApiSignedIn, Ctx, type CommandContext, type DecideResult, DecideResultView } from '../core';
import { CloseTeamDto, ListTeamsParams, RegisterTeamDto, RenameTeamDto, TeamIdParam } from './teams.dto';
import { TeamRow } from './projections/team.projection';
import { TeamUseCases } from './teams.use-cases';

@ApiTags('teams')
@ApiSignedIn()
@Controller('api/v1/teams')
export class TeamsController {
  constructor(private readonly teams: TeamUseCases) {}

  @Post()
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiConflictResponse({ description: 'A team with this id already exists.' })
  register(@Body() body: RegisterTeamDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.teams.register(body, context);
  }

  @Patch(':id')
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such team.' })
  @ApiConflictResponse({ description: 'The team is closed.' })
  @ApiUnprocessableEntityResponse({ description: 'The team already has this name.' })
  rename(@Param() route: TeamIdParam, @Body() body: RenameTeamDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.teams.rename(route, body, context);
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such team.' })
  @ApiConflictResponse({ description: 'The team is already closed.' })
  @ApiUnprocessableEntityResponse({ description: 'The closing date is in the future.' })
  close(@Param() route: TeamIdParam, @Body() body: CloseTeamDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.teams.close(route, body, context);
  }

  @Get()
  @ApiOkResponse({ type: [TeamRow] })
  list(@Query() params: ListTeamsParams): Promise<TeamRow[]> {
    return this.teams.list(params);
  }

  @Get(':id')
  @ApiOkResponse({ type: TeamRow })
  @ApiNotFoundResponse({ description: 'No such team.' })
  get(@Param() route: TeamIdParam): Promise<TeamRow> {
    return this.teams.get(route);
  }
}
