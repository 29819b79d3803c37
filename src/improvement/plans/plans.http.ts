import { Body, Param, Query, Req } from '@nestjs/common';
import { ApiController, Ctx, type CommandContext, type DecideResult, CommandRoute, ChangeRoute, QueryRoute } from '../../core';
import type { SignedInRequest } from '../../auth';
import {
  AddActionDto,
  AddPriorityDto,
  AddRecommendationDto,
  ChangeRagSettingsDto,
  CompleteActionDto,
  CreatePlanDto,
  IdParam,
  LinkFindingDto,
  OnDayParams,
  ReopenActionDto,
  ReportProgressDto,
  ReviseDueDateDto,
  SubmitActionPlanDto,
  RecordReportPublicationDto,
  TeamIdParam,
  VerifyActionDto,
} from './plans.dto';
import { ActionDetailView, OutstandingActionsView, PlanStatusView } from './plans.queries';

import { PlanRow } from './projections/plan.projection';
import { PlanUseCases } from './plans.use-cases';

@ApiController('improvement plans', 'api/v1')
export class PlansController {
  constructor(private readonly plans: PlanUseCases) {}

  @CommandRoute('plans', {
    conflict: 'A plan with this id already exists.',
    unprocessable: 'Trigger date in the future, judgement without an inspection, unknown owner.',
  })
  create(@Body() body: CreatePlanDto, @Req() request: SignedInRequest, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.plans.create(body, request, context);
  }

  @CommandRoute('plans/:id/priorities', { notFound: 'No such plan.', conflict: 'The plan already has this priority.' })
  addPriority(@Param() route: IdParam, @Body() body: AddPriorityDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.plans.addPriority(route, body, context);
  }

  @CommandRoute('plans/:id/recommendations', {
    notFound: 'No such plan.',
    conflict: 'The plan already has this recommendation id.',
    unprocessable: 'Due date missing, not allowed with the timescale, or before the trigger.',
  })
  addRecommendation(
    @Param() route: IdParam,
    @Body() body: AddRecommendationDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.plans.addRecommendation(route, body, context);
  }

  @ChangeRoute('plans/:id/rag-settings', { notFound: 'No such plan.', unprocessable: 'A threshold out of range.' })
  changeRagSettings(
    @Param() route: IdParam,
    @Body() body: ChangeRagSettingsDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.plans.changeRagSettings(route, body, context);
  }

  @ChangeRoute('plans/:id/submission', {
    notFound: 'No such plan.',
    conflict: 'Already submitted.',
    unprocessable: 'Not a plan answering a published inspection; dated before publication or in the future.',
  })
  submit(@Param() route: IdParam, @Body() body: SubmitActionPlanDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.plans.submit(route, body, context);
  }

  @ChangeRoute('plans/:id/report-publication', {
    notFound: 'No such plan.',
    conflict: 'The publication was already recorded.',
    unprocessable: 'Not a plan answering an Ofsted inspection; published before the inspection ended or in the future.',
  })
  recordPublication(
    @Param() route: IdParam,
    @Body() body: RecordReportPublicationDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.plans.recordPublication(route, body, context);
  }

  @CommandRoute('plans/:id/actions', {
    notFound: 'No such plan.',
    conflict: 'An action with this id already exists.',
    unprocessable:
      'Unknown priority, recommendation, owner, team or indicator; due before the start; a finding that is none; a QA officer naming no finding.',
  })
  addAction(@Param() route: IdParam, @Body() body: AddActionDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.plans.addAction(route, body, context);
  }

  @CommandRoute('actions/:id/findings', {
    notFound: 'No such action.',
    conflict: 'The action already answers that finding, or it is completed.',
    unprocessable: 'No such audit, a domain not in its framework, or a domain that is no area for development.',
  })
  linkFinding(@Param() route: IdParam, @Body() body: LinkFindingDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.plans.linkFinding(route, body, context);
  }

  @QueryRoute('plans', { type: [PlanRow] })
  listPlans(): Promise<PlanRow[]> {
    return this.plans.listPlans();
  }

  @QueryRoute('plans/:id/status', {
    type: PlanStatusView,
    description: 'RAG of every action, explained, computed for the day `on`.',
    notFound: 'No such plan.',
  })
  status(@Param() route: IdParam, @Query() query: OnDayParams): Promise<PlanStatusView> {
    return this.plans.status(route, query);
  }

  @QueryRoute('actions/:id', { type: ActionDetailView, notFound: 'No such action.' })
  getAction(@Param() route: IdParam, @Query() query: OnDayParams): Promise<ActionDetailView> {
    return this.plans.getAction(route, query);
  }

  @ChangeRoute('actions/:id/progress', {
    notFound: 'No such action.',
    conflict: 'The action is completed.',
    unprocessable: 'Report dated in the future.',
  })
  progress(@Param() route: IdParam, @Body() body: ReportProgressDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.plans.progress(route, body, context);
  }

  @ChangeRoute('actions/:id/due-date', {
    notFound: 'No such action.',
    conflict: 'The action is completed.',
    unprocessable: 'Same date, before the start, or revision dated in the future.',
  })
  reviseDueDate(@Param() route: IdParam, @Body() body: ReviseDueDateDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.plans.reviseDueDate(route, body, context);
  }

  @ChangeRoute('actions/:id/complete', {
    notFound: 'No such action.',
    conflict: 'Already completed.',
    unprocessable: 'Completion dated in the future.',
  })
  complete(@Param() route: IdParam, @Body() body: CompleteActionDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.plans.complete(route, body, context);
  }

  @ChangeRoute('actions/:id/verify', {
    notFound: 'No such action.',
    conflict: 'Already verified.',
    unprocessable: 'Not completed, you own the action or recorded its completion, or dated before the completion.',
  })
  verify(@Param() route: IdParam, @Body() body: VerifyActionDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.plans.verify(route, body, context);
  }

  @ChangeRoute('actions/:id/reopen', {
    notFound: 'No such action.',
    unprocessable: 'Not completed, or dated before the completion or in the future.',
  })
  reopen(@Param() route: IdParam, @Body() body: ReopenActionDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.plans.reopen(route, body, context);
  }

  @QueryRoute('teams/:teamId/outstanding-actions', {
    type: OutstandingActionsView,
    description: 'Open improvement actions (with RAG) and open audit actions.',
    notFound: 'No such team.',
  })
  outstanding(
    @Param() route: TeamIdParam,
    @Query() query: OnDayParams,
    @Req() request: SignedInRequest,
  ): Promise<OutstandingActionsView> {
    return this.plans.outstanding(route, query, request);
  }
}
