import { Req } from '@nestjs/common';
import { ApiController, changeRoute, commandRoute, from, queryRoute, forwardTo } from '../core';
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
import { AuditUseCases } from './audits.use-cases';

const signedInRequest = from<SignedInRequest>(Req());

/** Routes only: each hands its arguments to its AuditUseCases method, where the look-ups and the rules' facts are gathered. */
@ApiController('audits', 'api/v1/audits')
export class AuditsController extends forwardTo(AuditUseCases, {
  start: commandRoute({
    body: StartAuditDto,
    summary: 'Start a case audit (CaseAuditStarted) against the current framework version',
    description: 'Also answers `auditId`.',
    conflict: 'The audit id is taken, or no framework is published.',
    unprocessable: 'Unknown or closed team, unknown programme, date in the future...',
  }),
  grade: changeRoute(':id/grades', {
    params: AuditIdParam,
    body: GradeDomainDto,
    summary: 'Grade a domain (DomainGraded); re-grading before submission records a new grade',
    notFound: 'No such audit.',
    conflict: 'Already submitted: use a correction.',
    unprocessable: "The domain is not in the audit's framework.",
  }),
  submit: changeRoute(':id/submit', {
    params: AuditIdParam,
    body: SubmitAuditDto,
    summary: 'Submit (AuditSubmitted); an inadequate audit also raises an immediate review owned by the team manager',
    notFound: 'No such audit.',
    conflict: 'Already submitted.',
    unprocessable: 'No overall grade on the four-point scale, no domain graded, bad date.',
  }),
  correct: changeRoute(':id/corrections', {
    params: AuditIdParam,
    body: CorrectGradeDto,
    summary:
      'Correct a submitted grade (GradeCorrected): domain key or "overall", with a reason. Where the moderator and the ' +
      "auditor disagree, decide it with POST /audits/:id/disagreement-resolution (a third person's overall correction " +
      'is still taken as that decision, for older clients). ' +
      'Making the case inadequate raises an immediate review.',
    notFound: 'No such audit.',
    conflict: 'Not submitted yet; disagreement already resolved.',
    unprocessable: 'Same grade, unknown domain, overall "not-applicable", the auditor after moderation.',
  }),
  resolveDisagreement: changeRoute(':id/disagreement-resolution', {
    params: AuditIdParam,
    body: ResolveDisagreementDto,
    summary:
      'Decide a disagreement between the auditor and the moderator (ModerationDisagreementResolved): a third person, ' +
      'neither the auditor nor the moderator, records the overall grade that counts and why. Once only; recorded ' +
      'beside both grades. Deciding inadequate raises an immediate review.',
    notFound: 'No such audit.',
    conflict: 'No disagreement to decide (not moderated, or the same grade), or already decided.',
    unprocessable: 'The auditor or the moderator, overall "not-applicable", no rationale.',
  }),
  requestModeration: changeRoute(':id/moderation-requests', {
    params: AuditIdParam,
    body: RequestModerationDto,
    summary: 'Ask a second auditor to moderate (ModerationRequested); they then see the audit blind',
    notFound: 'No such audit.',
    conflict: 'Not submitted, or moderation already requested or recorded.',
    unprocessable: 'The moderator is the auditor, or not an active user.',
  }),
  moderate: changeRoute(':id/moderation', {
    params: AuditIdParam,
    body: ModerateAuditDto,
    summary: "Record the moderator's grades (AuditModerated): only the assigned moderator",
    notFound: 'No such audit.',
    conflict: 'No moderation requested, or already moderated.',
    unprocessable: 'Not the assigned moderator, overall "not-applicable", unknown domain, "agreed" with a different grade.',
  }),
  raiseAction: commandRoute(':id/actions', {
    params: AuditIdParam,
    body: RaiseAuditActionDto,
    summary: 'Raise an audit action (AuditActionRaised), due in 20 working days unless dueOn is given',
    description: 'Also answers `actionId`.',
    notFound: 'No such audit.',
    unprocessable: 'Unknown owner, due before raised, date in the future.',
  }),
  completeAction: changeRoute(':id/actions/:actionId/complete', {
    params: AuditActionParams,
    body: CompleteAuditActionDto,
    summary:
      "Complete an action (AuditActionCompleted); team managers only for their teams' actions. An immediate review " +
      'needs safeguardingActionNeeded (yes/no) and, as evidence, what was done.',
    notFound: 'No such audit or action (or not one of your teams).',
    conflict: 'Already completed or cancelled.',
  }),
  cancelAction: changeRoute(':id/actions/:actionId/cancel', {
    params: AuditActionParams,
    body: CancelAuditActionDto,
    summary: 'Cancel an action with a reason (AuditActionCancelled); never an immediate review (422)',
    notFound: 'No such audit or action.',
    conflict: 'Already completed or cancelled.',
  }),
  list: queryRoute({
    query: ListAuditsParams,
    also: [signedInRequest, from<string[] | null>(TeamScope())],
    summary: 'List audits (auditedOn between from and to, inclusive)',
  }),
  get: queryRoute(':id', {
    params: AuditIdParam,
    also: [signedInRequest],
    summary: 'One audit: grades, effective grades, moderation, corrections and actions (blind for its pending moderator)',
    notFound: 'No such audit.',
  }),
}) {}
