import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Principal } from '../shared';
import { TeamScope } from '../auth';
import { ApiSignedIn, businessToday } from '../core';
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

type SignedInRequest = Request & { principal: Principal };

/**
 * From finding to impact: the findings of a programme and the actions answering them, a programme
 * compared with an earlier one, an audit linked to the earlier audits of its case, the impact view
 * of actions, and the self-evaluation draft. Reads only, through the other contexts' queries.
 */
@ApiTags('impact')
@ApiSignedIn()
@Controller('api/v1')
export class ImpactController {
  constructor(private readonly queries: QueryBus) {}

  @Get('audit-programmes/:id/findings')
  @ApiOperation({
    summary:
      "A programme's findings (domains with cases graded requires improvement or inadequate) and the actions that answer them",
  })
  @ApiOkResponse({ description: 'Each finding domain: figures, the weak cases, the actions raised from them.' })
  @ApiNotFoundResponse({ description: 'No such programme.' })
  findings(
    @Param() { id }: RecordIdParam,
    @Req() request: SignedInRequest,
    @TeamScope() teams: string[] | null,
  ): Promise<ProgrammeFindingsView> {
    return programmeFindings(this.queries, id, request.principal.userId, teams);
  }

  @Get('audit-programmes/:id/comparison')
  @ApiOperation({
    summary:
      'A programme compared with an earlier one (with=), domain by domain and case by case ("Management oversight: inadequate → good")',
  })
  @ApiOkResponse({ description: 'Figures of both, each domain, and each case audited in both.' })
  @ApiNotFoundResponse({ description: 'No such programme.' })
  comparison(
    @Param() { id }: RecordIdParam,
    @Query() params: ComparisonParams,
    @Req() request: SignedInRequest,
    @TeamScope() teams: string[] | null,
  ): Promise<ProgrammeComparisonView> {
    return programmeComparison(this.queries, id, params.with, request.principal.userId, teams);
  }

  @Get('audits/:id/re-audit')
  @ApiOperation({ summary: 'The audit linked to the earlier and later audits of the same case, with each domain’s change' })
  @ApiNotFoundResponse({ description: 'No such audit.' })
  reAudit(@Param() { id }: RecordIdParam, @Req() request: SignedInRequest): Promise<ReAuditView> {
    const { principal } = request;
    return reAuditOf(this.queries, id, principal.userId, principal.role === 'team-manager' ? principal.teamIds : null);
  }

  @Get('audits/:id/improvement-actions')
  @ApiOperation({
    summary: "The improvement actions answering the audit's findings (raised from them or linked), with their RAG today",
  })
  @ApiNotFoundResponse({ description: 'No such audit.' })
  async answeringActions(@Param() { id }: RecordIdParam, @Req() request: SignedInRequest): Promise<ActionAnsweringFinding[]> {
    const on = businessToday();
    await this.queries.execute(new GetAuditQuery(id, request.principal.userId, on));
    return actionsAnsweringAudit(this.queries, id, on);
  }

  @Get('actions/:id/findings')
  @ApiOperation({ summary: 'The audit findings an improvement action answers: the one it was raised from, then those linked' })
  @ApiNotFoundResponse({ description: 'No such action.' })
  async actionFindings(@Param() { id }: IdParam, @Req() request: SignedInRequest): Promise<FindingOfAction[]> {
    const { principal } = request;
    await this.queries.execute(new GetActionQuery(id));
    return findingsOfAction(this.queries, id, principal.userId, principal.role === 'team-manager' ? principal.teamIds : null);
  }

  @Get('impact')
  @ApiOperation({
    summary:
      "Impact of an action, a recommendation's actions, a priority's or a plan's: RAG, the linked indicator's values against target, and the " +
      "grades of the finding's domain in audits before and after each action's completion (figures, never a claim of cause)",
  })
  @ApiNotFoundResponse({ description: 'No such action, recommendation, priority or plan.' })
  @ApiUnprocessableEntityResponse({
    description: 'Neither actionId, recommendationId, priorityId nor planId; or a priorityId without its planId.',
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
