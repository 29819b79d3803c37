import { Param, Query, Req } from '@nestjs/common';
import { TeamScope } from '../auth';
import { ApiController, QueryRoute } from '../core';
import { AgreementParams, RatingsParams, TeamAuditActionsParams, TeamIdRouteParam } from './audits.dto';
import { type AllRatings, type AuditActionView, type ModerationAgreement, type TeamRatings } from './audits.queries';
import { AuditUseCases, type Viewer } from './audits.use-cases';

/** Read-only figures: every signed-in role may read them. */
@ApiController('audit reports', 'api/v1')
export class AuditReportsController {
  constructor(private readonly audits: AuditUseCases) {}

  @QueryRoute('teams/:teamId/ratings', {
    summary:
      "A team's grade distribution over submitted audits (effective grades, auditedOn in the period). Audits the " +
      'caller is to moderate blind are left out (counted in `awaitingYourModeration`).',
    notFound: 'No such team.',
  })
  teamRatings(@Param() route: TeamIdRouteParam, @Query() params: RatingsParams, @Req() request: Viewer): Promise<TeamRatings> {
    return this.audits.teamRatings(route, params, request);
  }

  @QueryRoute('ratings', {
    summary:
      'The same per team, and for all teams together. Audits the caller is to moderate blind are left out ' +
      '(counted in `awaitingYourModeration`, per team and in all).',
  })
  ratings(
    @Query() params: RatingsParams,
    @Req() request: Viewer,
    @TeamScope() scope: string[] | null = null,
  ): Promise<AllRatings> {
    return this.audits.ratings(params, request, scope);
  }

  @QueryRoute('teams/:teamId/audit-actions', {
    summary:
      "A team's audit actions: outstanding (open and overdue) by default. The actions of audits the caller is to " +
      'moderate blind are left out (an immediate review would give the grade away); GET /teams/:teamId/ratings ' +
      'says how many audits are waiting for their moderation.',
    notFound: 'No such team.',
  })
  teamActions(
    @Param() route: TeamIdRouteParam,
    @Query() params: TeamAuditActionsParams,
    @Req() request: Viewer,
  ): Promise<AuditActionView[]> {
    return this.audits.teamActions(route, params, request);
  }

  /** How many of the team's audits wait for the caller's moderation (what the actions page says it left out). */
  awaitingModeration(teamId: string | undefined, request: Viewer): Promise<number> {
    return this.audits.awaitingModeration(teamId, request);
  }

  @QueryRoute('moderation/agreement', {
    summary: "Moderation agreement overall and per auditor, with Cohen's kappa from 5 moderated audits",
  })
  agreement(@Query() params: AgreementParams): Promise<ModerationAgreement> {
    return this.audits.agreement(params);
  }
}
