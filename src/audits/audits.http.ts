import { Body, Param, Query, Req } from '@nestjs/common';
import { ApiController, Ctx, type CommandContext, type DecideResult, CommandRoute, ChangeRoute, QueryRoute } from '../core';
import { TeamScope, type SignedInRequest } from '../auth';
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

/** Routes only: each calls its use case (AuditUseCases), where the look-ups and the rules' facts are gathered. */
@ApiController('audits', 'api/v1/audits')
export class AuditsController {
  constructor(private readonly audits: AuditUseCases) {}

  @CommandRoute({
    summary: 'Start a case audit (CaseAuditStarted) against the current framework version',
    description: 'Also answers `auditId`.',
    conflict: 'The audit id is taken, or no framework is published.',
    unprocessable: 'Unknown or closed team, unknown programme, date in the future...',
  })
  start(@Body() body: StartAuditDto, @Ctx() context: CommandContext): Promise<DecideResult & { auditId: string }> {
    return this.audits.start(body, context);
  }

  @ChangeRoute(':id/grades', {
    summary: 'Grade a domain (DomainGraded); re-grading before submission records a new grade',
    notFound: 'No such audit.',
    conflict: 'Already submitted: use a correction.',
    unprocessable: "The domain is not in the audit's framework.",
  })
  grade(@Param() params: AuditIdParam, @Body() body: GradeDomainDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.audits.grade(params, body, context);
  }

  @ChangeRoute(':id/submit', {
    summary: 'Submit (AuditSubmitted); an inadequate audit also raises an immediate review owned by the team manager',
    notFound: 'No such audit.',
    conflict: 'Already submitted.',
    unprocessable: 'No overall grade on the four-point scale, no domain graded, bad date.',
  })
  submit(@Param() params: AuditIdParam, @Body() body: SubmitAuditDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.audits.submit(params, body, context);
  }

  @ChangeRoute(':id/corrections', {
    summary:
      'Correct a submitted grade (GradeCorrected): domain key or "overall", with a reason. Where the moderator and the ' +
      "auditor disagree, decide it with POST /audits/:id/disagreement-resolution (a third person's overall correction " +
      'is still taken as that decision, for older clients). ' +
      'Making the case inadequate raises an immediate review.',
    notFound: 'No such audit.',
    conflict: 'Not submitted yet; disagreement already resolved.',
    unprocessable: 'Same grade, unknown domain, overall "not-applicable", the auditor after moderation.',
  })
  correct(@Param() params: AuditIdParam, @Body() body: CorrectGradeDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.audits.correct(params, body, context);
  }

  @ChangeRoute(':id/disagreement-resolution', {
    summary:
      'Decide a disagreement between the auditor and the moderator (ModerationDisagreementResolved): a third person, ' +
      'neither the auditor nor the moderator, records the overall grade that counts and why. Once only; recorded ' +
      'beside both grades. Deciding inadequate raises an immediate review.',
    notFound: 'No such audit.',
    conflict: 'No disagreement to decide (not moderated, or the same grade), or already decided.',
    unprocessable: 'The auditor or the moderator, overall "not-applicable", no rationale.',
  })
  resolveDisagreement(
    @Param() params: AuditIdParam,
    @Body() body: ResolveDisagreementDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.audits.resolveDisagreement(params, body, context);
  }

  @ChangeRoute(':id/moderation-requests', {
    summary: 'Ask a second auditor to moderate (ModerationRequested); they then see the audit blind',
    notFound: 'No such audit.',
    conflict: 'Not submitted, or moderation already requested or recorded.',
    unprocessable: 'The moderator is the auditor, or not an active user.',
  })
  requestModeration(
    @Param() params: AuditIdParam,
    @Body() body: RequestModerationDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.audits.requestModeration(params, body, context);
  }

  @ChangeRoute(':id/moderation', {
    summary: "Record the moderator's grades (AuditModerated): only the assigned moderator",
    notFound: 'No such audit.',
    conflict: 'No moderation requested, or already moderated.',
    unprocessable: 'Not the assigned moderator, overall "not-applicable", unknown domain, "agreed" with a different grade.',
  })
  moderate(@Param() params: AuditIdParam, @Body() body: ModerateAuditDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.audits.moderate(params, body, context);
  }

  @CommandRoute(':id/actions', {
    summary: 'Raise an audit action (AuditActionRaised), due in 20 working days unless dueOn is given',
    description: 'Also answers `actionId`.',
    notFound: 'No such audit.',
    unprocessable: 'Unknown owner, due before raised, date in the future.',
  })
  raiseAction(
    @Param() params: AuditIdParam,
    @Body() body: RaiseAuditActionDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult & { actionId: string }> {
    return this.audits.raiseAction(params, body, context);
  }

  @ChangeRoute(':id/actions/:actionId/complete', {
    summary:
      "Complete an action (AuditActionCompleted); team managers only for their teams' actions. An immediate review " +
      'needs safeguardingActionNeeded (yes/no) and, as evidence, what was done.',
    notFound: 'No such audit or action (or not one of your teams).',
    conflict: 'Already completed or cancelled.',
  })
  completeAction(
    @Param() params: AuditActionParams,
    @Body() body: CompleteAuditActionDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.audits.completeAction(params, body, context);
  }

  @ChangeRoute(':id/actions/:actionId/cancel', {
    summary: 'Cancel an action with a reason (AuditActionCancelled); never an immediate review (422)',
    notFound: 'No such audit or action.',
    conflict: 'Already completed or cancelled.',
  })
  cancelAction(
    @Param() params: AuditActionParams,
    @Body() body: CancelAuditActionDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.audits.cancelAction(params, body, context);
  }

  @QueryRoute({ summary: 'List audits (auditedOn between from and to, inclusive)' })
  list(
    @Query() params: ListAuditsParams,
    @Req() request: SignedInRequest,
    @TeamScope() teams: string[] | null,
  ): Promise<AuditListItem[]> {
    return this.audits.list(params, request, teams);
  }

  @QueryRoute(':id', {
    summary: 'One audit: grades, effective grades, moderation, corrections and actions (blind for its pending moderator)',
    notFound: 'No such audit.',
  })
  get(@Param() params: AuditIdParam, @Req() request: SignedInRequest): Promise<AuditView> {
    return this.audits.get(params, request);
  }
}
