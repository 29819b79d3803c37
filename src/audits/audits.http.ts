import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import type { Principal } from '../shared';
import { ApiCommand, ApiSignedIn, Ctx, type CommandContext, type DecideResult, DecideResultView } from '../core';
import { TeamScope } from '../auth';
import {
  AuditActionParams,
  AuditIdParam,
  CancelAuditActionDto,
  CompleteAuditActionDto,
  CorrectGradeDto,
  ResolveDisagreementDto,
  GradeDomainDto,
  ListAuditsParams,
  ModerateAuditDto,
  RaiseAuditActionDto,
  RequestModerationDto,
  StartAuditDto,
  SubmitAuditDto,
} from './audits.dto';
import { type AuditListItem, type AuditView } from './audits.queries';
import { AuditUseCases } from './audits.use-cases';

type SignedInRequest = Request & { principal: Principal };

/** Routes only: each calls its use case (AuditUseCases), where the look-ups and the rules' facts are gathered. */
@ApiTags('audits')
@ApiSignedIn()
@Controller('api/v1/audits')
export class AuditsController {
  constructor(private readonly audits: AuditUseCases) {}

  @Post()
  @ApiCommand()
  @ApiOperation({ summary: 'Start a case audit (CaseAuditStarted) against the current framework version' })
  @ApiCreatedResponse({ type: DecideResultView, description: 'Also answers `auditId`.' })
  @ApiConflictResponse({ description: 'The audit id is taken, or no framework is published.' })
  @ApiUnprocessableEntityResponse({ description: 'Unknown or closed team, unknown programme, date in the future...' })
  start(@Body() body: StartAuditDto, @Ctx() context: CommandContext): Promise<DecideResult & { auditId: string }> {
    return this.audits.start(body, context);
  }

  @Post(':id/grades')
  @HttpCode(200)
  @ApiCommand()
  @ApiOperation({ summary: 'Grade a domain (DomainGraded); re-grading before submission records a new grade' })
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such audit.' })
  @ApiConflictResponse({ description: 'Already submitted: use a correction.' })
  @ApiUnprocessableEntityResponse({ description: "The domain is not in the audit's framework." })
  grade(@Param() params: AuditIdParam, @Body() body: GradeDomainDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.audits.grade(params, body, context);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @ApiCommand()
  @ApiOperation({
    summary: 'Submit (AuditSubmitted); an inadequate audit also raises an immediate review owned by the team manager',
  })
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such audit.' })
  @ApiConflictResponse({ description: 'Already submitted.' })
  @ApiUnprocessableEntityResponse({ description: 'No overall grade on the four-point scale, no domain graded, bad date.' })
  submit(@Param() params: AuditIdParam, @Body() body: SubmitAuditDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.audits.submit(params, body, context);
  }

  @Post(':id/corrections')
  @HttpCode(200)
  @ApiCommand()
  @ApiOperation({
    summary:
      'Correct a submitted grade (GradeCorrected): domain key or "overall", with a reason. Where the moderator and the ' +
      "auditor disagree, decide it with POST /audits/:id/disagreement-resolution (a third person's overall correction " +
      'is still taken as that decision, for older clients). ' +
      'Making the case inadequate raises an immediate review.',
  })
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such audit.' })
  @ApiConflictResponse({ description: 'Not submitted yet; disagreement already resolved.' })
  @ApiUnprocessableEntityResponse({
    description: 'Same grade, unknown domain, overall "not-applicable", the auditor after moderation.',
  })
  correct(@Param() params: AuditIdParam, @Body() body: CorrectGradeDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.audits.correct(params, body, context);
  }

  @Post(':id/disagreement-resolution')
  @HttpCode(200)
  @ApiCommand()
  @ApiOperation({
    summary:
      'Decide a disagreement between the auditor and the moderator (ModerationDisagreementResolved): a third person, ' +
      'neither the auditor nor the moderator, records the overall grade that counts and why. Once only; recorded ' +
      'beside both grades. Deciding inadequate raises an immediate review.',
  })
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such audit.' })
  @ApiConflictResponse({ description: 'No disagreement to decide (not moderated, or the same grade), or already decided.' })
  @ApiUnprocessableEntityResponse({ description: 'The auditor or the moderator, overall "not-applicable", no rationale.' })
  resolveDisagreement(
    @Param() params: AuditIdParam,
    @Body() body: ResolveDisagreementDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.audits.resolveDisagreement(params, body, context);
  }

  @Post(':id/moderation-requests')
  @HttpCode(200)
  @ApiCommand()
  @ApiOperation({ summary: 'Ask a second auditor to moderate (ModerationRequested); they then see the audit blind' })
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such audit.' })
  @ApiConflictResponse({ description: 'Not submitted, or moderation already requested or recorded.' })
  @ApiUnprocessableEntityResponse({ description: 'The moderator is the auditor, or not an active user.' })
  requestModeration(
    @Param() params: AuditIdParam,
    @Body() body: RequestModerationDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.audits.requestModeration(params, body, context);
  }

  @Post(':id/moderation')
  @HttpCode(200)
  @ApiCommand()
  @ApiOperation({ summary: "Record the moderator's grades (AuditModerated): only the assigned moderator" })
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such audit.' })
  @ApiConflictResponse({ description: 'No moderation requested, or already moderated.' })
  @ApiUnprocessableEntityResponse({
    description: 'Not the assigned moderator, overall "not-applicable", unknown domain, "agreed" with a different grade.',
  })
  moderate(@Param() params: AuditIdParam, @Body() body: ModerateAuditDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.audits.moderate(params, body, context);
  }

  @Post(':id/actions')
  @ApiCommand()
  @ApiOperation({ summary: 'Raise an audit action (AuditActionRaised), due in 20 working days unless dueOn is given' })
  @ApiCreatedResponse({ type: DecideResultView, description: 'Also answers `actionId`.' })
  @ApiNotFoundResponse({ description: 'No such audit.' })
  @ApiUnprocessableEntityResponse({ description: 'Unknown owner, due before raised, date in the future.' })
  raiseAction(
    @Param() params: AuditIdParam,
    @Body() body: RaiseAuditActionDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult & { actionId: string }> {
    return this.audits.raiseAction(params, body, context);
  }

  @Post(':id/actions/:actionId/complete')
  @HttpCode(200)
  @ApiCommand()
  @ApiOperation({
    summary:
      "Complete an action (AuditActionCompleted); team managers only for their teams' actions. An immediate review " +
      'needs safeguardingActionNeeded (yes/no) and, as evidence, what was done.',
  })
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such audit or action (or not one of your teams).' })
  @ApiConflictResponse({ description: 'Already completed or cancelled.' })
  completeAction(
    @Param() params: AuditActionParams,
    @Body() body: CompleteAuditActionDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.audits.completeAction(params, body, context);
  }

  @Post(':id/actions/:actionId/cancel')
  @HttpCode(200)
  @ApiCommand()
  @ApiOperation({ summary: 'Cancel an action with a reason (AuditActionCancelled); never an immediate review (422)' })
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such audit or action.' })
  @ApiConflictResponse({ description: 'Already completed or cancelled.' })
  cancelAction(
    @Param() params: AuditActionParams,
    @Body() body: CancelAuditActionDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.audits.cancelAction(params, body, context);
  }

  @Get()
  @ApiOperation({ summary: 'List audits (auditedOn between from and to, inclusive)' })
  list(
    @Query() params: ListAuditsParams,
    @Req() request: SignedInRequest,
    @TeamScope() teams: string[] | null,
  ): Promise<AuditListItem[]> {
    return this.audits.list(params, request, teams);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One audit: grades, effective grades, moderation, corrections and actions (blind for its pending moderator)',
  })
  @ApiNotFoundResponse({ description: 'No such audit.' })
  get(@Param() params: AuditIdParam, @Req() request: SignedInRequest): Promise<AuditView> {
    return this.audits.get(params, request);
  }
}
