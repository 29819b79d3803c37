import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import type { Principal } from '../shared';
import { ApiCommand, ApiSignedIn, Ctx, type CommandContext, type DecideResult, DecideResultView } from '../core';
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
} from './plans.dto';
import { ActionDetailView, OutstandingActionsView, PlanStatusView } from './plans.queries';

import { PlanRow } from './projections/plan.projection';
import { PlanUseCases } from './plans.use-cases';

type SignedInRequest = Request & { principal: Principal };

@ApiTags('improvement plans')
@ApiSignedIn()
@Controller('api/v1')
export class PlansController {
  constructor(private readonly plans: PlanUseCases) {}

  @Post('plans')
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiConflictResponse({ description: 'A plan with this id already exists.' })
  @ApiUnprocessableEntityResponse({ description: 'Trigger date in the future, judgement without an inspection, unknown owner.' })
  create(@Body() body: CreatePlanDto, @Req() request: SignedInRequest, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.plans.create(body, request, context);
  }

  @Post('plans/:id/priorities')
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such plan.' })
  @ApiConflictResponse({ description: 'The plan already has this priority.' })
  addPriority(@Param() route: IdParam, @Body() body: AddPriorityDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.plans.addPriority(route, body, context);
  }

  @Post('plans/:id/recommendations')
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such plan.' })
  @ApiConflictResponse({ description: 'The plan already has this recommendation id.' })
  @ApiUnprocessableEntityResponse({ description: 'Due date missing, not allowed with the timescale, or before the trigger.' })
  addRecommendation(
    @Param() route: IdParam,
    @Body() body: AddRecommendationDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.plans.addRecommendation(route, body, context);
  }

  @Post('plans/:id/rag-settings')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such plan.' })
  @ApiUnprocessableEntityResponse({ description: 'A threshold out of range.' })
  changeRagSettings(
    @Param() route: IdParam,
    @Body() body: ChangeRagSettingsDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.plans.changeRagSettings(route, body, context);
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
  submit(@Param() route: IdParam, @Body() body: SubmitActionPlanDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.plans.submit(route, body, context);
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
    @Param() route: IdParam,
    @Body() body: RecordReportPublicationDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.plans.recordPublication(route, body, context);
  }

  @Post('plans/:id/actions')
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such plan.' })
  @ApiConflictResponse({ description: 'An action with this id already exists.' })
  @ApiUnprocessableEntityResponse({
    description: 'Unknown priority, recommendation, owner, team or indicator; due before the start.',
  })
  addAction(@Param() route: IdParam, @Body() body: AddActionDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.plans.addAction(route, body, context);
  }

  @Get('plans')
  @ApiOkResponse({ type: [PlanRow] })
  listPlans(): Promise<PlanRow[]> {
    return this.plans.listPlans();
  }

  @Get('plans/:id/status')
  @ApiOkResponse({ type: PlanStatusView, description: 'RAG of every action, explained, computed for the day `on`.' })
  @ApiNotFoundResponse({ description: 'No such plan.' })
  status(@Param() route: IdParam, @Query() query: OnDayParams): Promise<PlanStatusView> {
    return this.plans.status(route, query);
  }

  @Get('actions/:id')
  @ApiOkResponse({ type: ActionDetailView })
  @ApiNotFoundResponse({ description: 'No such action.' })
  getAction(@Param() route: IdParam, @Query() query: OnDayParams): Promise<ActionDetailView> {
    return this.plans.getAction(route, query);
  }

  @Post('actions/:id/progress')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such action.' })
  @ApiConflictResponse({ description: 'The action is completed.' })
  @ApiUnprocessableEntityResponse({ description: 'Report dated in the future.' })
  progress(@Param() route: IdParam, @Body() body: ReportProgressDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.plans.progress(route, body, context);
  }

  @Post('actions/:id/due-date')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such action.' })
  @ApiConflictResponse({ description: 'The action is completed.' })
  @ApiUnprocessableEntityResponse({ description: 'Same date, before the start, or revision dated in the future.' })
  reviseDueDate(@Param() route: IdParam, @Body() body: ReviseDueDateDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.plans.reviseDueDate(route, body, context);
  }

  @Post('actions/:id/complete')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such action.' })
  @ApiConflictResponse({ description: 'Already completed.' })
  @ApiUnprocessableEntityResponse({ description: 'Completion dated in the future.' })
  complete(@Param() route: IdParam, @Body() body: CompleteActionDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.plans.complete(route, body, context);
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
  verify(@Param() route: IdParam, @Body() body: VerifyActionDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.plans.verify(route, body, context);
  }

  @Post('actions/:id/reopen')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such action.' })
  @ApiUnprocessableEntityResponse({ description: 'Not completed, or dated before the completion or in the future.' })
  reopen(@Param() route: IdParam, @Body() body: ReopenActionDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.plans.reopen(route, body, context);
  }

  @Get('teams/:teamId/outstanding-actions')
  @ApiOkResponse({ type: OutstandingActionsView, description: 'Open improvement actions (with RAG) and open audit actions.' })
  @ApiNotFoundResponse({ description: 'No such team.' })
  outstanding(
    @Param() route: TeamIdParam,
    @Query() query: OnDayParams,
    @Req() request: { principal: Principal },
  ): Promise<OutstandingActionsView> {
    return this.plans.outstanding(route, query, request);
  }
}
