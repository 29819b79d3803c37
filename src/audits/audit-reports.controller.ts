import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '../shared';
import { TeamScope } from '../auth';
import { businessToday, ApiSignedIn } from '../core';
import { GetTeamQuery } from '../teams';
import { AgreementParams, RatingsParams, TeamAuditActionsParams, TeamIdRouteParam } from './audits.commands';
import {
  AllRatingsQuery,
  AwaitingModerationQuery,
  ListTeamAuditActionsQuery,
  ModerationAgreementQuery,
  TeamRatingsQuery,
  type AllRatings,
  type AuditActionView,
  type ModerationAgreement,
  type TeamRatings,
} from './audits.queries';

/** The caller: blind moderation leaves out, for them only, the audits waiting for their moderation. */
type Viewer = { principal: Principal };

/** Read-only figures: every signed-in role may read them. */
@ApiTags('audit reports')
@ApiSignedIn()
@Controller('api/v1')
export class AuditReportsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('teams/:teamId/ratings')
  @ApiOperation({
    summary:
      "A team's grade distribution over submitted audits (effective grades, auditedOn in the period). Audits the " +
      'caller is to moderate blind are left out (counted in `awaitingYourModeration`).',
  })
  @ApiNotFoundResponse({ description: 'No such team.' })
  async teamRatings(
    @Param() { teamId }: TeamIdRouteParam,
    @Query() params: RatingsParams,
    @Req() request: Viewer,
  ): Promise<TeamRatings> {
    await this.queries.execute(new GetTeamQuery(teamId));
    return this.queries.execute(new TeamRatingsQuery(teamId, params, request.principal.userId));
  }

  @Get('ratings')
  @ApiOperation({
    summary:
      'The same per team, and for all teams together. Audits the caller is to moderate blind are left out ' +
      '(counted in `awaitingYourModeration`, per team and in all).',
  })
  async ratings(
    @Query() params: RatingsParams,
    @Req() request: Viewer,
    @TeamScope() scope: string[] | null = null,
  ): Promise<AllRatings> {
    const all: AllRatings = await this.queries.execute(new AllRatingsQuery(params, request.principal.userId));
    // A team manager: their teams' rows; the council-wide total (allTeams) stays (docs/security.md).
    return scope ? { ...all, teams: all.teams.filter((row) => scope.includes(row.teamId)) } : all;
  }

  @Get('teams/:teamId/audit-actions')
  @ApiOperation({
    summary:
      "A team's audit actions: outstanding (open and overdue) by default. The actions of audits the caller is to " +
      'moderate blind are left out (an immediate review would give the grade away); GET /teams/:teamId/ratings ' +
      'says how many audits are waiting for their moderation.',
  })
  @ApiNotFoundResponse({ description: 'No such team.' })
  async teamActions(
    @Param() { teamId }: TeamIdRouteParam,
    @Query() params: TeamAuditActionsParams,
    @Req() request: Viewer,
  ): Promise<AuditActionView[]> {
    await this.queries.execute(new GetTeamQuery(teamId));
    return this.queries.execute(
      new ListTeamAuditActionsQuery(teamId, params.status, params.on ?? businessToday(), request.principal.userId),
    );
  }

  /** How many of the team's audits wait for the caller's moderation (what the actions page says it left out). */
  async awaitingModeration(teamId: string | undefined, request: Viewer): Promise<number> {
    const ids: string[] = await this.queries.execute(new AwaitingModerationQuery(request.principal.userId, teamId));
    return ids.length;
  }

  @Get('moderation/agreement')
  @ApiOperation({ summary: "Moderation agreement overall and per auditor, with Cohen's kappa from 5 moderated audits" })
  agreement(@Query() params: AgreementParams): Promise<ModerationAgreement> {
    return this.queries.execute(new ModerationAgreementQuery(params));
  }
}
