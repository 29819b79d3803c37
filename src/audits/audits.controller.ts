import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
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
import { dayOf, type WorkingDayCalendar } from '@casetrail/kernel';
import { CurrentCalendarQuery } from '../calendar';
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
import { TeamScope } from '../auth';
import { FindTeamsQuery } from '../teams';
import { FindTeamManagersQuery, GetUserQuery } from '../users';
import { auditDecider, type AuditCommand } from './audit.decider';
import { auditStreamId } from './audits.events';
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
} from './audits.commands';
import {
  FindProgrammeQuery,
  GetAuditQuery,
  GetCurrentFrameworkQuery,
  ListAuditsQuery,
  type AuditListItem,
  type AuditView,
} from './audits.queries';
import { DEFAULT_FRAMEWORK_ID } from './default-framework';

type SignedInRequest = Request & { principal: Principal };

/** Routes only: lookups in other read models become facts in the command; the decider rules on them. */
@ApiTags('audits')
@ApiSignedIn()
@Controller('api/v1/audits')
export class AuditsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private decide(auditId: string, command: AuditCommand, context: CommandContext): Promise<DecideResult> {
    return this.commands.execute(new DecideCommand(auditDecider, auditStreamId(auditId), command, context));
  }

  /**
   * Who owns an immediate review if this command makes the case inadequate (the team's manager, else the
   * auditor), and its id: derived from the command id, so a retried request raises the same one.
   */
  private async immediateReviewFacts(
    auditId: string,
    context: CommandContext,
  ): Promise<{ teamManagerId: string | null; immediateReviewActionId: string; calendar: WorkingDayCalendar }> {
    const audit = await this.queries.execute(new GetAuditQuery(auditId, context.actorId, dayOf(context.now)));
    const managers = await this.queries.execute(new FindTeamManagersQuery(audit.teamId));
    return {
      teamManagerId: managers[0]?.userId ?? null,
      immediateReviewActionId: deterministicUuid(context.commandId, 'immediate-review'),
      // Due dates count the bank holidays an administrator recorded too (docs/dispute-rules.md, rule 5).
      calendar: await this.calendar(),
    };
  }

  /** The working-day calendar in force: published and recorded bank holidays. */
  private calendar(): Promise<WorkingDayCalendar> {
    return this.queries.execute(new CurrentCalendarQuery());
  }

  /** An active user with this id exists (for moderators and action owners). */
  private async activeUser(userId: string): Promise<boolean> {
    try {
      const user = await this.queries.execute(new GetUserQuery(userId));
      return user.status === 'active';
    } catch {
      return false;
    }
  }

  @Post()
  @ApiCommand()
  @ApiOperation({ summary: 'Start a case audit (CaseAuditStarted) against the current framework version' })
  @ApiCreatedResponse({ type: DecideResultView, description: 'Also answers `auditId`.' })
  @ApiConflictResponse({ description: 'The audit id is taken, or no framework is published.' })
  @ApiUnprocessableEntityResponse({ description: 'Unknown or closed team, unknown programme, date in the future...' })
  async start(@Body() body: StartAuditDto, @Ctx() context: CommandContext): Promise<DecideResult & { auditId: string }> {
    // Derived from the command id: a retry with the same Idempotency-Key names the same audit (and appends nothing).
    const auditId = body.auditId ?? deterministicUuid(context.commandId, 'audit');
    const [teams, framework, programme] = await Promise.all([
      this.queries.execute(new FindTeamsQuery([body.teamId])),
      this.queries.execute(new GetCurrentFrameworkQuery(body.frameworkId ?? DEFAULT_FRAMEWORK_ID)),
      body.programmeId ? this.queries.execute(new FindProgrammeQuery(body.programmeId)) : Promise.resolve(null),
    ]);
    const result = await this.decide(
      auditId,
      {
        type: 'StartCaseAudit',
        now: context.now,
        auditId,
        caseRef: body.caseRef,
        teamId: body.teamId,
        auditorId: context.actorId,
        auditedOn: body.auditedOn,
        team: teams[0] ? { status: teams[0].status } : null,
        framework: framework
          ? {
              frameworkId: framework.frameworkId,
              version: framework.version,
              domains: framework.domains.map((d) => d.key),
              limitingDomains: framework.domains.filter((d) => d.limiting).map((d) => d.key),
            }
          : null,
        ...(body.programmeId !== undefined ? { programmeId: body.programmeId, programme } : {}),
      },
      context,
    );
    return { auditId, ...result };
  }

  @Post(':id/grades')
  @HttpCode(200)
  @ApiCommand()
  @ApiOperation({ summary: 'Grade a domain (DomainGraded); re-grading before submission records a new grade' })
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such audit.' })
  @ApiConflictResponse({ description: 'Already submitted: use a correction.' })
  @ApiUnprocessableEntityResponse({ description: "The domain is not in the audit's framework." })
  grade(@Param() { id }: AuditIdParam, @Body() body: GradeDomainDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.decide(
      id,
      {
        type: 'GradeDomain',
        now: context.now,
        auditId: id,
        domain: body.domain,
        grade: body.grade,
        evidence: body.evidence ?? '',
      },
      context,
    );
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
  async submit(
    @Param() { id }: AuditIdParam,
    @Body() body: SubmitAuditDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    const facts = await this.immediateReviewFacts(id, context);
    return this.decide(
      id,
      {
        type: 'SubmitAudit',
        now: context.now,
        auditId: id,
        submittedOn: body.submittedOn ?? dayOf(context.now),
        overallGrade: body.overallGrade,
        strengths: body.strengths ?? [],
        areasForDevelopment: body.areasForDevelopment ?? [],
        ...(body.childAndFamilyFeedback !== undefined ? { childAndFamilyFeedback: body.childAndFamilyFeedback } : {}),
        ...(body.overallGradeReason !== undefined ? { overallGradeReason: body.overallGradeReason } : {}),
        ...facts,
      },
      context,
    );
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
  async correct(
    @Param() { id }: AuditIdParam,
    @Body() body: CorrectGradeDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    const facts = await this.immediateReviewFacts(id, context);
    return this.decide(
      id,
      {
        type: 'CorrectGrade',
        now: context.now,
        auditId: id,
        domain: body.domain,
        to: body.to,
        reason: body.reason,
        correctedBy: context.actorId,
        ...facts,
      },
      context,
    );
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
  async resolveDisagreement(
    @Param() { id }: AuditIdParam,
    @Body() body: ResolveDisagreementDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    const facts = await this.immediateReviewFacts(id, context);
    return this.decide(
      id,
      {
        type: 'ResolveModerationDisagreement',
        now: context.now,
        auditId: id,
        resolvedBy: context.actorId,
        overallGrade: body.overallGrade,
        rationale: body.rationale,
        ...facts,
      },
      context,
    );
  }

  @Post(':id/moderation-requests')
  @HttpCode(200)
  @ApiCommand()
  @ApiOperation({ summary: 'Ask a second auditor to moderate (ModerationRequested); they then see the audit blind' })
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such audit.' })
  @ApiConflictResponse({ description: 'Not submitted, or moderation already requested or recorded.' })
  @ApiUnprocessableEntityResponse({ description: 'The moderator is the auditor, or not an active user.' })
  async requestModeration(
    @Param() { id }: AuditIdParam,
    @Body() body: RequestModerationDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    const moderatorKnown = await this.activeUser(body.moderatorId);
    return this.decide(
      id,
      { type: 'RequestModeration', now: context.now, auditId: id, moderatorId: body.moderatorId, moderatorKnown },
      context,
    );
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
  async moderate(
    @Param() { id }: AuditIdParam,
    @Body() body: ModerateAuditDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    const facts = await this.immediateReviewFacts(id, context);
    return this.decide(
      id,
      {
        type: 'ModerateAudit',
        now: context.now,
        auditId: id,
        moderatorId: context.actorId,
        overallGrade: body.overallGrade,
        ...(body.domainGrades !== undefined ? { domainGrades: body.domainGrades } : {}),
        agreed: body.agreed,
        rationale: body.rationale,
        ...facts,
      },
      context,
    );
  }

  @Post(':id/actions')
  @ApiCommand()
  @ApiOperation({ summary: 'Raise an audit action (AuditActionRaised), due in 20 working days unless dueOn is given' })
  @ApiCreatedResponse({ type: DecideResultView, description: 'Also answers `actionId`.' })
  @ApiNotFoundResponse({ description: 'No such audit.' })
  @ApiUnprocessableEntityResponse({ description: 'Unknown owner, due before raised, date in the future.' })
  async raiseAction(
    @Param() { id }: AuditIdParam,
    @Body() body: RaiseAuditActionDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult & { actionId: string }> {
    const actionId = deterministicUuid(context.commandId, 'audit-action');
    const ownerKnown = await this.activeUser(body.ownerId);
    const result = await this.decide(
      id,
      {
        type: 'RaiseAuditAction',
        now: context.now,
        auditId: id,
        actionId,
        description: body.description,
        ownerId: body.ownerId,
        ownerKnown,
        raisedOn: body.raisedOn ?? dayOf(context.now),
        ...(body.dueOn !== undefined ? { dueOn: body.dueOn } : { calendar: await this.calendar() }),
      },
      context,
    );
    // On a replayed command the recorded action id is the one that counts.
    const raised = result.events.find((e) => e.type === 'AuditActionRaised')?.data as { actionId: string } | undefined;
    return { actionId: raised?.actionId ?? actionId, ...result };
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
  async completeAction(
    @Param() { id, actionId }: AuditActionParams,
    @Body() body: CompleteAuditActionDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.decide(
      id,
      {
        type: 'CompleteAuditAction',
        now: context.now,
        auditId: id,
        actionId,
        completedOn: body.completedOn ?? dayOf(context.now),
        evidence: body.evidence,
        ...(body.safeguardingActionNeeded !== undefined ? { safeguardingActionNeeded: body.safeguardingActionNeeded } : {}),
      },
      context,
    );
  }

  @Post(':id/actions/:actionId/cancel')
  @HttpCode(200)
  @ApiCommand()
  @ApiOperation({ summary: 'Cancel an action with a reason (AuditActionCancelled); never an immediate review (422)' })
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such audit or action.' })
  @ApiConflictResponse({ description: 'Already completed or cancelled.' })
  cancelAction(
    @Param() { id, actionId }: AuditActionParams,
    @Body() body: CancelAuditActionDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.decide(
      id,
      {
        type: 'CancelAuditAction',
        now: context.now,
        auditId: id,
        actionId,
        cancelledOn: body.cancelledOn ?? dayOf(context.now),
        reason: body.reason,
      },
      context,
    );
  }

  @Get()
  @ApiOperation({ summary: 'List audits (auditedOn between from and to, inclusive)' })
  list(
    @Query() params: ListAuditsParams,
    @Req() request: SignedInRequest,
    @TeamScope() teams: string[] | null,
  ): Promise<AuditListItem[]> {
    return this.queries.execute(
      new ListAuditsQuery({ ...params, ...(teams ? { teamIds: teams } : {}) }, request.principal.userId),
    );
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One audit: grades, effective grades, moderation, corrections and actions (blind for its pending moderator)',
  })
  @ApiNotFoundResponse({ description: 'No such audit.' })
  get(@Param() { id }: AuditIdParam, @Req() request: SignedInRequest): Promise<AuditView> {
    return this.queries.execute(new GetAuditQuery(id, request.principal.userId, businessToday()));
  }
}
