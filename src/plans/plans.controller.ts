import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { dayOf, NotFoundError } from '@casetrail/kernel';
import {
  businessToday,
  ApiCommand,
  ApiSignedIn,
  Ctx,
  type CommandContext,
  DecideCommand,
  deterministicUuid,
  type DecideResult,
  DecideResultView,
} from '../core';
import type { Principal } from '../shared';
import { FindIndicatorQuery } from '../indicators';
import { FindTeamsQuery } from '../teams';
import { GetUserQuery } from '../users';
import { actionDecider, type ActionCommand } from './action.decider';
import { planDecider, type PlanCommand } from './plan.decider';
import { actionStreamId, planStreamId } from './plans.events';
import {
  AddActionDto,
  AddPriorityDto,
  AddRecommendationDto,
  ChangeRagSettingsDto,
  CompleteActionDto,
  CreatePlanDto,
  IdParam,
  OnDayParams,
  ReopenActionDto,
  ReportProgressDto,
  ReviseDueDateDto,
  SubmitActionPlanDto,
  RecordReportPublicationDto,
  TeamIdParam,
  VerifyActionDto,
} from './plans.commands';
import {
  actionRag,
  dueDateWarnings,
  ActionDetailView,
  GetActionQuery,
  GetPlanReferencesQuery,
  ListPlansQuery,
  OutstandingActionsView,
  PlanStatusQuery,
  PlanStatusView,
  PlanRagContextQuery,
  TeamOutstandingActionsQuery,
} from './plans.queries';

import { PlanRow } from './projections/plan.projection';

type SignedInRequest = Request & { principal: Principal };

/** An id the caller left out: derived from the command id, so a retry with the same Idempotency-Key reuses it. */
const generatedId = (context: CommandContext, kind: string): string => deterministicUuid(kind, context.commandId);
/** Today, or the day of asAt when the request reads as at an instant. */

@ApiTags('improvement plans')
@ApiSignedIn()
@Controller('api/v1')
export class PlansController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private plan(planId: string, command: PlanCommand, context: CommandContext): Promise<DecideResult> {
    return this.commands.execute(new DecideCommand(planDecider, planStreamId(planId), command, context));
  }

  private action(actionId: string, command: ActionCommand, context: CommandContext): Promise<DecideResult> {
    return this.commands.execute(new DecideCommand(actionDecider, actionStreamId(actionId), command, context));
  }

  private async userIsActive(userId: string): Promise<boolean> {
    try {
      return (await this.queries.execute(new GetUserQuery(userId))).status === 'active';
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  @Post('plans')
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiConflictResponse({ description: 'A plan with this id already exists.' })
  @ApiUnprocessableEntityResponse({ description: 'Trigger date in the future, judgement without an inspection, unknown owner.' })
  async create(
    @Body() body: CreatePlanDto,
    @Req() request: SignedInRequest,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    const planId = body.planId ?? generatedId(context, 'plan');
    const ownerId = body.ownerId ?? request.principal.userId;
    const trigger = { ...body.trigger };
    const command: PlanCommand = {
      type: 'CreatePlan',
      now: context.now,
      planId,
      title: body.title,
      trigger,
      ownerId,
      ownerKnown: await this.userIsActive(ownerId),
    };
    return this.plan(planId, command, context);
  }

  @Post('plans/:id/priorities')
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such plan.' })
  @ApiConflictResponse({ description: 'The plan already has this priority.' })
  addPriority(@Param() { id }: IdParam, @Body() body: AddPriorityDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    const priorityId = body.priorityId ?? generatedId(context, 'priority');
    return this.plan(id, { type: 'AddPriority', now: context.now, planId: id, priorityId, title: body.title }, context);
  }

  @Post('plans/:id/recommendations')
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such plan.' })
  @ApiConflictResponse({ description: 'The plan already has this recommendation id.' })
  @ApiUnprocessableEntityResponse({ description: 'Due date missing, not allowed with the timescale, or before the trigger.' })
  async addRecommendation(
    @Param() { id }: IdParam,
    @Body() body: AddRecommendationDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    const recommendationId = body.recommendationId ?? generatedId(context, 'recommendation');
    const { text, timescale, dueOn, ownerId, ownerAgency } = body;
    return this.plan(
      id,
      {
        type: 'AddRecommendation',
        now: context.now,
        planId: id,
        recommendationId,
        text,
        timescale,
        ...(dueOn ? { dueOn } : {}),
        ...(ownerId ? { ownerId, ownerKnown: await this.userIsActive(ownerId) } : {}),
        ...(ownerAgency ? { ownerAgency } : {}),
      },
      context,
    );
  }

  @Post('plans/:id/rag-settings')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such plan.' })
  @ApiUnprocessableEntityResponse({ description: 'A threshold out of range.' })
  changeRagSettings(
    @Param() { id }: IdParam,
    @Body() body: ChangeRagSettingsDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    const { redFromWorkingDaysOverdue, noUpdateFor, escalateAmberAfterDays, reason } = body;
    return this.plan(
      id,
      {
        type: 'ChangeRagSettings',
        now: context.now,
        planId: id,
        settings: {
          redFromWorkingDaysOverdue,
          noUpdateFor: { count: noUpdateFor.count, unit: noUpdateFor.unit },
          escalateAmberAfterDays,
        },
        reason,
      },
      context,
    );
  }

  @Post('plans/:id/submission')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such plan.' })
  @ApiConflictResponse({ description: 'Already submitted.' })
  @ApiUnprocessableEntityResponse({
    description: 'Not a plan answering a published inspection; dated before publication or in the future.',
  })
  submit(@Param() { id }: IdParam, @Body() body: SubmitActionPlanDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    const submittedOn = body.submittedOn ?? dayOf(context.now);
    return this.plan(id, { type: 'SubmitActionPlan', now: context.now, planId: id, submittedOn }, context);
  }

  @Post('plans/:id/report-publication')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such plan.' })
  @ApiConflictResponse({ description: 'The publication was already recorded.' })
  @ApiUnprocessableEntityResponse({
    description: 'Not a plan answering an Ofsted inspection; published before the inspection ended or in the future.',
  })
  recordPublication(
    @Param() { id }: IdParam,
    @Body() { publishedOn }: RecordReportPublicationDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.plan(id, { type: 'RecordReportPublication', now: context.now, planId: id, publishedOn }, context);
  }

  @Post('plans/:id/actions')
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such plan.' })
  @ApiConflictResponse({ description: 'An action with this id already exists.' })
  @ApiUnprocessableEntityResponse({
    description: 'Unknown priority, recommendation, owner, team or indicator; due before the start.',
  })
  async addAction(@Param() { id }: IdParam, @Body() body: AddActionDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    const actionId = body.actionId ?? generatedId(context, 'action');
    const { actionId: _given, indicatorCode, ...data } = body;
    // The facts the rules need from the plan and other contexts, looked up just before deciding.
    const [plan, ownerKnown, teams, indicator] = await Promise.all([
      this.queries.execute(new GetPlanReferencesQuery(id)),
      body.ownerId ? this.userIsActive(body.ownerId) : Promise.resolve(false),
      this.queries.execute(new FindTeamsQuery(body.teamIds)),
      indicatorCode ? this.queries.execute(new FindIndicatorQuery(indicatorCode)) : Promise.resolve(null),
    ]);
    const unknownTeamIds = body.teamIds.filter((teamId) => !teams.some((team) => team.teamId === teamId));
    const command: ActionCommand = {
      type: 'AddAction',
      now: context.now,
      references: { plan, ownerKnown, unknownTeamIds, indicatorKnown: !indicatorCode || indicator !== null },
      actionId,
      planId: id,
      ...data,
      ...(indicatorCode ? { indicatorCode } : {}),
    };
    return this.action(actionId, command, context);
  }

  @Get('plans')
  @ApiOkResponse({ type: [PlanRow] })
  listPlans(): Promise<PlanRow[]> {
    return this.queries.execute(new ListPlansQuery());
  }

  @Get('plans/:id/status')
  @ApiOkResponse({ type: PlanStatusView, description: 'RAG of every action, explained, computed for the day `on`.' })
  @ApiNotFoundResponse({ description: 'No such plan.' })
  status(@Param() { id }: IdParam, @Query() { on }: OnDayParams): Promise<PlanStatusView> {
    return this.queries.execute(new PlanStatusQuery(id, on ?? businessToday()));
  }

  @Get('actions/:id')
  @ApiOkResponse({ type: ActionDetailView })
  @ApiNotFoundResponse({ description: 'No such action.' })
  async getAction(@Param() { id }: IdParam, @Query() { on }: OnDayParams): Promise<ActionDetailView> {
    const row = await this.queries.execute(new GetActionQuery(id));
    const day = on ?? businessToday();
    const { rag, reasons, dueOn } = actionRag(row, day, await this.queries.execute(new PlanRagContextQuery(row.planId, day)));
    const plan = await this.queries.execute(new GetPlanReferencesQuery(row.planId));
    const warnings = dueDateWarnings(row.recommendationIds, dueOn, plan?.recommendationDueOns ?? {});
    return { ...row, on: day, rag, reasons, warnings };
  }

  @Post('actions/:id/progress')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such action.' })
  @ApiConflictResponse({ description: 'The action is completed.' })
  @ApiUnprocessableEntityResponse({ description: 'Report dated in the future.' })
  async progress(
    @Param() { id }: IdParam,
    @Body() body: ReportProgressDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    const { note, confidence, evidence } = body;
    const reportedOn = body.reportedOn ?? dayOf(context.now);
    return this.action(
      id,
      { type: 'ReportProgress', now: context.now, actionId: id, reportedOn, note, confidence, ...(evidence ? { evidence } : {}) },
      context,
    );
  }

  @Post('actions/:id/due-date')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such action.' })
  @ApiConflictResponse({ description: 'The action is completed.' })
  @ApiUnprocessableEntityResponse({ description: 'Same date, before the start, or revision dated in the future.' })
  async reviseDueDate(
    @Param() { id }: IdParam,
    @Body() body: ReviseDueDateDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    const { newDueOn, reason, approvedBy } = body;
    const revisedOn = body.revisedOn ?? dayOf(context.now);
    return this.action(
      id,
      { type: 'ReviseDueDate', now: context.now, actionId: id, newDueOn, reason, approvedBy, revisedOn },
      context,
    );
  }

  @Post('actions/:id/complete')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such action.' })
  @ApiConflictResponse({ description: 'Already completed.' })
  @ApiUnprocessableEntityResponse({ description: 'Completion dated in the future.' })
  async complete(
    @Param() { id }: IdParam,
    @Body() body: CompleteActionDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    const completedOn = body.completedOn ?? dayOf(context.now);
    return this.action(
      id,
      {
        type: 'CompleteAction',
        now: context.now,
        actionId: id,
        completedOn,
        evidence: body.evidence,
        completedBy: context.actorId,
      },
      context,
    );
  }

  @Post('actions/:id/verify')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such action.' })
  @ApiConflictResponse({ description: 'Already verified.' })
  @ApiUnprocessableEntityResponse({
    description: 'Not completed, you own the action or recorded its completion, or dated before the completion.',
  })
  verify(@Param() { id }: IdParam, @Body() body: VerifyActionDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    const verifiedOn = body.verifiedOn ?? dayOf(context.now);
    return this.action(
      id,
      { type: 'VerifyCompletion', now: context.now, actionId: id, verifiedBy: context.actorId, verifiedOn },
      context,
    );
  }

  @Post('actions/:id/reopen')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such action.' })
  @ApiUnprocessableEntityResponse({ description: 'Not completed, or dated before the completion or in the future.' })
  reopen(@Param() { id }: IdParam, @Body() body: ReopenActionDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.action(
      id,
      {
        type: 'ReopenAction',
        now: context.now,
        actionId: id,
        reason: body.reason,
        reopenedOn: body.reopenedOn ?? dayOf(context.now),
      },
      context,
    );
  }

  @Get('teams/:teamId/outstanding-actions')
  @ApiOkResponse({ type: OutstandingActionsView, description: 'Open improvement actions (with RAG) and open audit actions.' })
  @ApiNotFoundResponse({ description: 'No such team.' })
  outstanding(
    @Param() { teamId }: TeamIdParam,
    @Query() { on }: OnDayParams,
    @Req() request: { principal: Principal },
  ): Promise<OutstandingActionsView> {
    return this.queries.execute(new TeamOutstandingActionsQuery(teamId, on ?? businessToday(), request.principal.userId));
  }
}
