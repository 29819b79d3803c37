import { Body, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { TeamScope, type SignedInRequest } from '../auth';
import { ApiController, businessToday, QueryRoute } from '../core';
import { ComparisonParams, DraftSelfAssessmentDto, ImpactParams, RecordIdParam } from './impact.dto';
import { impactView, type ImpactView } from './impact-view';
import {
  programmeComparison,
  programmeFindings,
  reAuditOf,
  type ProgrammeComparisonView,
  type ProgrammeFindingsView,
  type ReAuditView,
} from './programme-views';
import { draftSelfEvaluation, type SelfEvaluationDraft } from './self-evaluation-draft';
import { GetAuditQuery } from '../audits';
import { GetActionQuery, IdParam } from '../improvement';
import { actionsAnsweringAudit, findingsOfAction, type ActionAnsweringFinding, type FindingOfAction } from './finding-links';

/**
 * From finding to impact: the findings of a programme and the actions answering them, a programme
 * compared with an earlier one, an audit linked to the earlier audits of its case, the impact view
 * of actions, and the self-evaluation draft. Reads only, through the other contexts' queries.
 */
@ApiController('impact', 'api/v1')
export class ImpactController {
  constructor(private readonly queries: QueryBus) {}

  @QueryRoute('audit-programmes/:id/findings', {
    summary:
      "A programme's findings (domains with cases graded requires improvement or inadequate) and the actions that answer them",
    description: 'Each finding domain: figures, the weak cases, the actions raised from them.',
    notFound: 'No such programme.',
  })
  findings(
    @Param() { id }: RecordIdParam,
    @Req() request: SignedInRequest,
    @TeamScope() teams: string[] | null,
  ): Promise<ProgrammeFindingsView> {
    return programmeFindings(this.queries, id, request.principal.userId, teams);
  }

  @QueryRoute('audit-programmes/:id/comparison', {
    summary:
      'A programme compared with an earlier one (with=), domain by domain and case by case ("Management oversight: inadequate → good")',
    description: 'Figures of both, each domain, and each case audited in both.',
    notFound: 'No such programme.',
  })
  comparison(
    @Param() { id }: RecordIdParam,
    @Query() params: ComparisonParams,
    @Req() request: SignedInRequest,
    @TeamScope() teams: string[] | null,
  ): Promise<ProgrammeComparisonView> {
    return programmeComparison(this.queries, id, params.with, request.principal.userId, teams);
  }

  @QueryRoute('audits/:id/re-audit', {
    summary: 'The audit linked to the earlier and later audits of the same case, with each domain’s change',
    notFound: 'No such audit.',
  })
  reAudit(@Param() { id }: RecordIdParam, @Req() request: SignedInRequest): Promise<ReAuditView> {
    const { principal } = request;
    return reAuditOf(this.queries, id, principal.userId, principal.role === 'team-manager' ? principal.teamIds : null);
  }

  @QueryRoute('audits/:id/improvement-actions', {
    summary: "The improvement actions answering the audit's findings (raised from them or linked), with their RAG today",
    notFound: 'No such audit.',
  })
  async answeringActions(@Param() { id }: RecordIdParam, @Req() request: SignedInRequest): Promise<ActionAnsweringFinding[]> {
    const on = businessToday();
    await this.queries.execute(new GetAuditQuery(id, request.principal.userId, on));
    return actionsAnsweringAudit(this.queries, id, on);
  }

  @QueryRoute('actions/:id/findings', {
    summary: 'The audit findings an improvement action answers: the one it was raised from, then those linked',
    notFound: 'No such action.',
  })
  async actionFindings(@Param() { id }: IdParam, @Req() request: SignedInRequest): Promise<FindingOfAction[]> {
    const { principal } = request;
    await this.queries.execute(new GetActionQuery(id));
    return findingsOfAction(this.queries, id, principal.userId, principal.role === 'team-manager' ? principal.teamIds : null);
  }

  @QueryRoute('impact', {
    summary:
      "Impact of an action, a recommendation's actions, a priority's or a plan's: RAG, the linked indicator's values against target, and the " +
      "grades of the finding's domain in audits before and after each action's completion (figures, never a claim of cause)",
    notFound: 'No such action, recommendation, priority or plan.',
    unprocessable: 'Neither actionId, recommendationId, priorityId nor planId; or a priorityId without its planId.',
  })
  impact(
    @Query() params: ImpactParams,
    @Req() request: SignedInRequest,
    @TeamScope() teams: string[] | null,
  ): Promise<ImpactView> {
    const { on, ...subject } = params;
    return impactView(this.queries, subject, on ?? businessToday(), request.principal.userId, teams);
  }

  @Post('self-assessments/draft')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Draft a service's quarterly self-assessment from the record: what we know, how we know it, what we will do next; every sentence cites its source",
  })
  @ApiUnprocessableEntityResponse({ description: 'Not a quarter, or no team belongs to the service.' })
  draft(@Body() body: DraftSelfAssessmentDto, @Req() request: SignedInRequest): Promise<SelfEvaluationDraft> {
    return draftSelfEvaluation(this.queries, body.service, body.period, businessToday(), request.principal.userId);
  }
}
