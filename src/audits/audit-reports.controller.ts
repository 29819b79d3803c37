import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TeamScope } from '../auth/team-scope';
import { businessToday } from '../core/as-at-scope';
import { ApiSignedIn } from '../core/api-docs';
import { GetTeamQuery } from '../teams/teams.queries';
import { AgreementParams, RatingsParams, TeamAuditActionsParams, TeamIdRouteParam } from './audits.commands';
import {
  AllRatingsQuery,
  ListTeamAuditActionsQuery,
  ModerationAgreementQuery,
  TeamRatingsQuery,
  type AllRatings,
  type AuditActionView,
  type ModerationAgreement,
  type TeamRatings,
} from './audits.queries';

/** Read-only figures: every signed-in role may read them. */
@ApiTags('audit reports')
@ApiSignedIn()
@Controller('api/v1')
export class AuditReportsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('teams/:teamId/ratings')
  @ApiOperation({ summary: "A team's grade distribution over submitted audits (effective grades, auditedOn in the period)" })
  @ApiNotFoundResponse({ description: 'No such team.' })
  async teamRatings(@Param() { teamId }: TeamIdRouteParam, @Query() params: RatingsParams): Promise<TeamRatings> {
    await this.queries.execute(new GetTeamQuery(teamId));
    return this.queries.execute(new TeamRatingsQuery(teamId, params));
  }

  @Get('ratings')
  @ApiOperation({ summary: 'The same per team, and for all teams together' })
  async ratings(@Query() params: RatingsParams, @TeamScope() scope: string[] | null = null): Promise<AllRatings> {
    const all: AllRatings = await this.queries.execute(new AllRatingsQuery(params));
    // A team manager: their teams' rows; the council-wide total (allTeams) stays (docs/security.md).
    return scope ? { ...all, teams: all.teams.filter((row) => scope.includes(row.teamId)) } : all;
  }

  @Get('teams/:teamId/audit-actions')
  @ApiOperation({ summary: "A team's audit actions: outstanding (open and overdue) by default" })
  @ApiNotFoundResponse({ description: 'No such team.' })
  async teamActions(@Param() { teamId }: TeamIdRouteParam, @Query() params: TeamAuditActionsParams): Promise<AuditActionView[]> {
    await this.queries.execute(new GetTeamQuery(teamId));
    return this.queries.execute(new ListTeamAuditActionsQuery(teamId, params.status, params.on ?? businessToday()));
  }

  @Get('moderation/agreement')
  @ApiOperation({ summary: "Moderation agreement overall and per auditor, with Cohen's kappa from 5 moderated audits" })
  agreement(@Query() params: AgreementParams): Promise<ModerationAgreement> {
    return this.queries.execute(new ModerationAgreementQuery(params));
  }
}
