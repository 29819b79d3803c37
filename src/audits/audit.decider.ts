import {
  assertNotInFuture,
  dayOf,
  PUBLISHED_CALENDAR,
  recordDeciderOf,
  existingRecord,
  onlyWhen,
  type WorkingDayCalendar,
  notFound,
  conflict,
  ruleBroken,
  dayInWords,
} from '@casetrail/kernel';
import {
  ACTION_DUE_WORKING_DAYS,
  AUDIT_EVENT_SCHEMA_VERSIONS,
  IMMEDIATE_REVIEW,
  IMMEDIATE_REVIEW_DUE_WORKING_DAYS,
  OVERALL,
  type AuditEvent,
  type Grade,
  type OverallGrade,
} from './audits.events';

/**
 * For a command that can make the effective overall grade inadequate: who owns the immediate review
 * (the team's manager, else the auditor) and the id it gets (chosen by the caller, so decide stays pure;
 * when absent, a stable id from the audit's own history is used).
 */
export interface ImmediateReviewFacts {
  teamManagerId?: string | null;
  immediateReviewActionId?: string;
  /** The working-day calendar in force (published and recorded bank holidays); the published one when absent. */
  calendar?: WorkingDayCalendar;
}

/** What the controller looked up for a new audit: facts from other streams, decided on here. */
export interface StartCaseAudit {
  type: 'StartCaseAudit';
  now: string;
  auditId: string;
  caseRef: string;
  teamId: string;
  auditorId: string;
  auditedOn: string;
  /** The team as registered, or null when there is no such team. */
  team: { status: 'open' | 'closed' } | null;
  /** The framework version in force, or null when none is published. */
  framework: { frameworkId: string; version: number; domains: string[]; limitingDomains?: string[] } | null;
  programmeId?: string;
  /** The programme named by programmeId, or null when there is no such programme. */
  programme?: { from: string; to: string; teamIds: string[] } | null;
}

export type AuditCommand =
  | StartCaseAudit
  | { type: 'GradeDomain'; now: string; auditId: string; domain: string; grade: Grade; evidence: string }
  | {
      type: 'SubmitAudit';
      now: string;
      auditId: string;
      submittedOn: string;
      overallGrade: Grade;
      strengths: string[];
      areasForDevelopment: string[];
      childAndFamilyFeedback?: string;
      /** Needed when the overall grade is better than an inadequate limiting domain, or than the domains support. */
      overallGradeReason?: string;
      /** Who owns the immediate review if the audit is inadequate: the team's manager, else the auditor. */
      teamManagerId: string | null;
      /** Id for that immediate-review action (chosen by the caller, so decide stays pure). */
      immediateReviewActionId: string;
    }
  | ({
      type: 'CorrectGrade';
      now: string;
      auditId: string;
      domain: string;
      to: Grade;
      reason: string;
      /** Who asks: the pending moderator has not seen the grades yet; the auditor cannot overrule a moderation. */
      correctedBy: string;
    } & ImmediateReviewFacts)
  | { type: 'RequestModeration'; now: string; auditId: string; moderatorId: string; moderatorKnown: boolean }
  | ({
      type: 'ModerateAudit';
      now: string;
      auditId: string;
      moderatorId: string;
      overallGrade: Grade;
      domainGrades?: Record<string, Grade>;
      /** Left out by a moderator who grades blind: agreement then follows from the two overall grades. */
      agreed?: boolean;
      rationale: string;
    } & ImmediateReviewFacts)
  | ({
      type: 'ResolveModerationDisagreement';
      now: string;
      auditId: string;
      /** The QA officer or manager deciding: neither the auditor nor the moderator. */
      resolvedBy: string;
      overallGrade: Grade;
      rationale: string;
    } & ImmediateReviewFacts)
  | {
      type: 'RaiseAuditAction';
      now: string;
      auditId: string;
      actionId: string;
      description: string;
      ownerId: string;
      ownerKnown: boolean;
      raisedOn: string;
      dueOn?: string;
      /** The working-day calendar in force, for the default due date; the published one when absent. */
      calendar?: WorkingDayCalendar;
    }
  | {
      type: 'CompleteAuditAction';
      now: string;
      auditId: string;
      actionId: string;
      completedOn: string;
      evidence: string;
      /** Needed to complete an immediate review: was immediate safeguarding action needed? */
      safeguardingActionNeeded?: boolean;
    }
  | { type: 'CancelAuditAction'; now: string; auditId: string; actionId: string; cancelledOn: string; reason: string };

export type AuditStatus = 'in-progress' | 'submitted' | 'moderation-requested' | 'moderated';
export const AUDIT_STATUSES: AuditStatus[] = ['in-progress', 'submitted', 'moderation-requested', 'moderated'];

export type AuditState =
  | { status: 'none' }
  | {
      status: AuditStatus;
      auditId: string;
      teamId: string;
      auditorId: string;
      auditedOn: string;
      domains: string[];
      limitingDomains: string[];
      /** Effective grades: the latest of grading, moderation and correction, in event order. */
      domainGrades: Record<string, Grade>;
      overallGrade: OverallGrade | null;
      moderatorId: string | null;
      /** The moderator's overall grade beside the auditor's (null until moderated), and whether a third decision settled it. */
      moderation: { auditorOverallGrade: OverallGrade; moderatorOverallGrade: OverallGrade; resolved: boolean } | null;
      actions: Record<string, { status: 'open' | 'completed' | 'cancelled'; raisedOn: string; immediateReview: boolean }>;
    };
type Started = Exclude<AuditState, { status: 'none' }>;

// ---- Rules, in words a social worker understands ----------------------------------------------------
export class AuditNotFound extends notFound('AUDIT_NOT_FOUND', (auditId: string) => `There is no audit "${auditId}".`) {}
export class AuditAlreadyStarted extends conflict(
  'AUDIT_ALREADY_STARTED',
  (auditId: string) => `An audit with the id "${auditId}" has already been started.`,
) {}
export class UnknownTeam extends ruleBroken(
  'UNKNOWN_TEAM',
  (teamId: string) => `There is no team "${teamId}"; audits are recorded against a registered team.`,
) {}
export class TeamIsClosed extends ruleBroken(
  'TEAM_CLOSED',
  (teamId: string) => `Team "${teamId}" is closed; new audits cannot be recorded against it.`,
) {}
export class NoAuditFramework extends conflict(
  'NO_AUDIT_FRAMEWORK',
  () => 'No audit framework has been published yet, so there are no domains to grade.',
) {}
export class UnknownProgramme extends ruleBroken(
  'UNKNOWN_PROGRAMME',
  (programmeId: string) => `There is no audit programme "${programmeId}".`,
) {}
export class TeamNotInProgramme extends ruleBroken(
  'TEAM_NOT_IN_PROGRAMME',
  (teamId: string, programmeId: string) => `Team "${teamId}" is not one of the teams in audit programme "${programmeId}".`,
) {}
export class AuditedOutsideProgramme extends ruleBroken(
  'AUDITED_OUTSIDE_PROGRAMME',
  (auditedOn: string, from: string, to: string) =>
    `The audit date ${dayInWords(auditedOn)} is outside the programme's period (${dayInWords(from)} to ${dayInWords(to)}).`,
) {}
export class DomainNotInFramework extends ruleBroken(
  'DOMAIN_NOT_IN_FRAMEWORK',
  (domain: string, domains: string[]) =>
    `"${domain}" is not a domain of this audit's framework. Its domains are: ${domains.join(', ')}.`,
) {}
export class AuditAlreadySubmitted extends conflict(
  'AUDIT_ALREADY_SUBMITTED',
  () => 'This audit has already been submitted; its grades can now change only through a correction with a reason.',
) {}
export class AuditNotSubmitted extends conflict(
  'AUDIT_NOT_SUBMITTED',
  (what: string) => `This audit has not been submitted yet, so it cannot ${what}.`,
) {}
export class OverallGradeRequired extends ruleBroken(
  'OVERALL_GRADE_REQUIRED',
  () => 'An audit needs an overall grade on the four-point scale; "not-applicable" is only for a domain.',
) {}
export class NoDomainGraded extends ruleBroken(
  'NO_DOMAIN_GRADED',
  () => 'Grade at least one domain (outstanding, good, requires improvement or inadequate) before submitting.',
) {}
export class SubmittedBeforeAudited extends ruleBroken(
  'SUBMITTED_BEFORE_AUDITED',
  (submittedOn: string, auditedOn: string) =>
    `The submission date ${dayInWords(submittedOn)} is before the audit date ${dayInWords(auditedOn)}.`,
) {}
export class BlindModeratorCannotCorrect extends ruleBroken(
  'BLIND_MODERATOR_CANNOT_CORRECT',
  () =>
    'You are moderating this audit and have not seen its grades yet: record your moderation first, then correct a grade if it is still needed.',
) {}
export class CorrectionReasonRequired extends ruleBroken(
  'CORRECTION_REASON_REQUIRED',
  () => 'A grade correction needs a reason.',
) {}
export class GradeUnchanged extends ruleBroken(
  'GRADE_UNCHANGED',
  (domain: string, grade: Grade) => `The ${domain} grade is already ${grade}; there is nothing to correct.`,
) {}
export class ModeratorIsAuditor extends ruleBroken(
  'MODERATOR_IS_AUDITOR',
  () => 'An audit cannot be moderated by its own auditor: choose a second auditor.',
) {}
export class UnknownUser extends ruleBroken(
  'UNKNOWN_USER',
  (role: string, userId: string) => `The ${role} "${userId}" is not an active user.`,
) {}
export class ModerationAlreadyRequested extends conflict(
  'MODERATION_ALREADY_REQUESTED',
  (moderatorId: string) => `Moderation of this audit has already been requested from ${moderatorId}.`,
) {}
export class AuditAlreadyModerated extends conflict(
  'AUDIT_ALREADY_MODERATED',
  () => 'This audit has already been moderated; the moderation stays on record as it is.',
) {}
export class NoModerationRequested extends conflict(
  'NO_MODERATION_REQUESTED',
  () => 'Moderation has not been requested for this audit.',
) {}
export class NotTheAssignedModerator extends ruleBroken(
  'NOT_THE_ASSIGNED_MODERATOR',
  (moderatorId: string) => `Only the assigned moderator (${moderatorId}) can record the moderation of this audit.`,
) {}
export class AuditActionAlreadyRaised extends conflict(
  'AUDIT_ACTION_ALREADY_RAISED',
  (actionId: string) => `This audit already has an action "${actionId}".`,
) {}
export class AuditActionNotFound extends notFound(
  'AUDIT_ACTION_NOT_FOUND',
  (actionId: string) => `This audit has no action "${actionId}".`,
) {}
export class AuditActionClosed extends conflict(
  'AUDIT_ACTION_CLOSED',
  (actionId: string, status: string) => `Action "${actionId}" is already ${status}.`,
) {}
export class DateBeforeOtherDate extends ruleBroken(
  'DATE_OUT_OF_ORDER',
  (field: string, date: string, otherField: string, other: string) =>
    `${field} ${dayInWords(date)} is before ${otherField} ${dayInWords(other)}.`,
) {}
export class LimitingDomainInadequate extends ruleBroken(
  'LIMITING_DOMAIN_INADEQUATE',
  (domains: string[], overall: OverallGrade) =>
    `${domains.join(', ')} ${domains.length === 1 ? 'is a limiting domain' : 'are limiting domains'} graded inadequate, so the case is inadequate overall. To grade it ${overall} instead, record the reason.`,
) {}
export class OverallBetterThanDomainsSupport extends ruleBroken(
  'OVERALL_BETTER_THAN_DOMAINS',
  (overall: OverallGrade, worst: OverallGrade, domains: string[]) =>
    `The overall grade ${overall} is more than one grade better than ${domains.join(', ')} (${worst}). If that is right, record the reason.`,
) {}
export class AuditorCannotOverruleModeration extends ruleBroken(
  'AUDITOR_CANNOT_OVERRULE_MODERATION',
  () =>
    "This audit has been moderated: as its auditor you cannot change a grade now, because that would overwrite the moderator's judgement. If you disagree, ask a QA officer or manager to record a decision on the disagreement.",
) {}
export class AgreedButGradedDifferently extends ruleBroken(
  'AGREED_BUT_GRADED_DIFFERENTLY',
  (auditorGrade: OverallGrade, moderatorGrade: OverallGrade) =>
    `You said you agree with the auditor, but your overall grade (${moderatorGrade}) is not the auditor's (${auditorGrade}). Either give the same grade, or record that you disagree.`,
) {}
export class NoModerationDisagreement extends conflict(
  'NO_MODERATION_DISAGREEMENT',
  () =>
    "There is no disagreement to resolve: this audit has not been moderated, or the moderator gave the auditor's overall grade.",
) {}
export class DisagreementAlreadyResolved extends conflict(
  'DISAGREEMENT_ALREADY_RESOLVED',
  () => 'The disagreement on this audit has already been resolved; that decision stays on record.',
) {}
export class ResolverNotIndependent extends ruleBroken(
  'RESOLVER_NOT_INDEPENDENT',
  () => "A disagreement is resolved by a third person: neither the audit's auditor nor its moderator.",
) {}
export class ResolutionRationaleRequired extends ruleBroken(
  'RESOLUTION_RATIONALE_REQUIRED',
  () => 'Say why you chose this grade: a resolution needs a rationale.',
) {}
export class ImmediateReviewNeedsAnswer extends ruleBroken(
  'IMMEDIATE_REVIEW_NEEDS_ANSWER',
  () =>
    'An immediate review is completed with its answer: say whether immediate safeguarding action was needed, and what was done.',
) {}
export class ImmediateReviewCannotBeCancelled extends ruleBroken(
  'IMMEDIATE_REVIEW_CANNOT_BE_CANCELLED',
  () =>
    'An immediate review of an inadequate case cannot be cancelled: complete it, recording whether immediate safeguarding action was needed (it may be "no") and what was done.',
) {}

// ---- The decider ----------------------------------------------------------------------------------
const started = (state: AuditState, auditId: string): Started => existingRecord(state, () => new AuditNotFound(auditId));
function inFramework(audit: Started, domain: string): void {
  if (!audit.domains.includes(domain)) throw new DomainNotInFramework(domain, audit.domains);
}
function overall(grade: Grade): OverallGrade {
  if (grade === 'not-applicable') throw new OverallGradeRequired();
  return grade;
}
function submitted(audit: Started, what: string): void {
  if (audit.status === 'in-progress') throw new AuditNotSubmitted(what);
}
function notBefore(field: string, date: string, otherField: string, other: string): void {
  if (date < other) throw new DateBeforeOtherDate(field, date, otherField, other);
}
/**
 * Every time the effective overall grade becomes inadequate (at submission, moderation, correction or a
 * resolution) the case gets an immediate review, in the same append, unless one is still open.
 */
function immediateReview(
  audit: Started,
  from: OverallGrade | null,
  to: OverallGrade,
  raisedOn: string,
  facts: ImmediateReviewFacts,
): AuditEvent[] {
  if (to !== 'inadequate' || from === 'inadequate') return [];
  if (Object.values(audit.actions).some((a) => a.immediateReview && a.status === 'open')) return [];
  const actionId = facts.immediateReviewActionId ?? `${audit.auditId}-review-${Object.keys(audit.actions).length + 1}`.slice(-40);
  return [
    {
      type: 'AuditActionRaised',
      data: {
        auditId: audit.auditId,
        actionId,
        description: IMMEDIATE_REVIEW,
        ownerId: facts.teamManagerId ?? audit.auditorId,
        teamId: audit.teamId,
        raisedOn,
        dueOn: (facts.calendar ?? PUBLISHED_CALENDAR).addWorkingDays(raisedOn, IMMEDIATE_REVIEW_DUE_WORKING_DAYS),
        immediateReview: true,
      },
    },
  ];
}
const openDisagreement = (audit: Started): boolean =>
  audit.moderation !== null &&
  !audit.moderation.resolved &&
  audit.moderation.auditorOverallGrade !== audit.moderation.moderatorOverallGrade;

/** The recorded third decision on a disagreement: beside both grades, and the effective grade from now on. */
function resolveDisagreement(
  audit: Started,
  moderation: NonNullable<Started['moderation']>,
  resolvedBy: string,
  grade: Grade,
  rationaleText: string,
  command: ImmediateReviewFacts & { now: string },
): AuditEvent[] {
  if (resolvedBy === audit.auditorId || resolvedBy === audit.moderatorId) throw new ResolverNotIndependent();
  const overallGrade = overall(grade);
  const rationale = rationaleText.trim();
  if (!rationale) throw new ResolutionRationaleRequired();
  return [
    {
      type: 'ModerationDisagreementResolved',
      data: {
        auditId: audit.auditId,
        resolvedBy,
        overallGrade,
        rationale,
        auditorOverallGrade: moderation.auditorOverallGrade,
        moderatorOverallGrade: moderation.moderatorOverallGrade,
      },
    },
    ...immediateReview(audit, audit.overallGrade, overallGrade, dayOf(command.now), command),
  ];
}
const RANK: Record<OverallGrade, number> = { outstanding: 0, good: 1, 'requires-improvement': 2, inadequate: 3 };

/**
 * The overall grade the domains support, or the rule it breaks: an inadequate limiting domain makes the
 * case inadequate overall; and the overall grade may be at most one grade better than the worst domain.
 * Either can be departed from with a recorded reason.
 */
function checkOverallAgainstDomains(audit: Started, overallGrade: OverallGrade, reason: string | undefined): void {
  if (reason?.trim()) return;
  const graded = Object.entries(audit.domainGrades).filter(
    (entry): entry is [string, OverallGrade] => entry[1] !== 'not-applicable',
  );
  const limiting = graded.filter(([key, g]) => g === 'inadequate' && audit.limitingDomains.includes(key)).map(([k]) => k);
  if (limiting.length && overallGrade !== 'inadequate') throw new LimitingDomainInadequate(limiting, overallGrade);
  const worst = graded.reduce((w, [, g]) => Math.max(w, RANK[g]), 0);
  if (worst - RANK[overallGrade] >= 2) {
    const worstGrade = (Object.keys(RANK) as OverallGrade[])[worst];
    throw new OverallBetterThanDomainsSupport(
      overallGrade,
      worstGrade,
      graded.filter(([, g]) => g === worstGrade).map(([k]) => k),
    );
  }
}
function openAction(audit: Started, actionId: string): void {
  const action = audit.actions[actionId];
  if (!action) throw new AuditActionNotFound(actionId);
  if (action.status !== 'open') throw new AuditActionClosed(actionId, action.status);
}

/** An action is completed or cancelled on a business date: not in the future, and not before the day it was raised. */
function checkClosingDay(
  action: { raisedOn: string },
  field: 'completedOn' | 'cancelledOn',
  words: string,
  date: string,
  now: string,
): void {
  assertNotInFuture(field, date, now);
  notBefore(words, date, 'the day the action was raised', action.raisedOn);
}

const onceRecorded = onlyWhen((state: AuditState): state is Started => state.status !== 'none');

function actionClosed(state: Started, actionId: string, status: 'completed' | 'cancelled'): AuditState {
  const action = state.actions[actionId];
  return action ? { ...state, actions: { ...state.actions, [actionId]: { ...action, status } } } : state;
}

export const auditDecider = recordDeciderOf<AuditCommand, AuditEvent, AuditState>('audit', AUDIT_EVENT_SCHEMA_VERSIONS, {
  alreadyExists: { StartCaseAudit: (command) => new AuditAlreadyStarted(command.auditId) },

  decide: {
    StartCaseAudit(command) {
      const { auditId } = command;
      const { team, framework, programme, programmeId, teamId, auditedOn } = command;
      if (!team) throw new UnknownTeam(teamId);
      if (team.status === 'closed') throw new TeamIsClosed(teamId);
      if (!framework) throw new NoAuditFramework();
      assertNotInFuture('auditedOn', auditedOn, command.now);
      if (programmeId !== undefined) {
        if (!programme) throw new UnknownProgramme(programmeId);
        if (!programme.teamIds.includes(teamId)) throw new TeamNotInProgramme(teamId, programmeId);
        if (auditedOn < programme.from || auditedOn > programme.to) {
          throw new AuditedOutsideProgramme(auditedOn, programme.from, programme.to);
        }
      }
      return [
        {
          type: 'CaseAuditStarted',
          data: {
            auditId,
            caseRef: command.caseRef,
            teamId,
            auditorId: command.auditorId,
            auditedOn,
            ...(programmeId !== undefined ? { programmeId } : {}),
            frameworkId: framework.frameworkId,
            frameworkVersion: framework.version,
            domains: framework.domains,
            ...(framework.limitingDomains?.length ? { limitingDomains: framework.limitingDomains } : {}),
          },
        },
      ];
    },
    GradeDomain(command, state) {
      const { auditId } = command;
      const audit = started(state, auditId);
      if (audit.status !== 'in-progress') throw new AuditAlreadySubmitted();
      inFramework(audit, command.domain);
      const { domain, grade, evidence } = command;
      return [{ type: 'DomainGraded', data: { auditId, domain, grade, evidence } }];
    },
    SubmitAudit(command, state) {
      const { auditId } = command;
      const audit = started(state, auditId);
      if (audit.status !== 'in-progress') throw new AuditAlreadySubmitted();
      const overallGrade = overall(command.overallGrade);
      if (!Object.values(audit.domainGrades).some((g) => g !== 'not-applicable')) throw new NoDomainGraded();
      assertNotInFuture('submittedOn', command.submittedOn, command.now);
      notBefore('The submission date', command.submittedOn, 'the audit date', audit.auditedOn);
      checkOverallAgainstDomains(audit, overallGrade, command.overallGradeReason);
      const { submittedOn, strengths, areasForDevelopment, childAndFamilyFeedback } = command;
      const overallGradeReason = command.overallGradeReason?.trim();
      const events: AuditEvent[] = [
        {
          type: 'AuditSubmitted',
          data: {
            auditId,
            submittedOn,
            overallGrade,
            strengths,
            areasForDevelopment,
            ...(childAndFamilyFeedback !== undefined ? { childAndFamilyFeedback } : {}),
            ...(overallGradeReason ? { overallGradeReason } : {}),
          },
        },
      ];
      // Every inadequate case gets an immediate review: recorded in the same append, so it cannot be forgotten.
      return [...events, ...immediateReview(audit, null, overallGrade, submittedOn, command)];
    },
    CorrectGrade(command, state) {
      const { auditId } = command;
      const audit = started(state, auditId);
      submitted(audit, 'be corrected (change the grade directly instead)');
      // Moderation is blind: correcting would show (and change) what the moderator must judge unseen.
      if (audit.status === 'moderation-requested' && command.correctedBy === audit.moderatorId) {
        throw new BlindModeratorCannotCorrect();
      }
      // The moderation sits beside the auditor's grade: the auditor does not overwrite it afterwards.
      if (audit.moderation && command.correctedBy === audit.auditorId) throw new AuditorCannotOverruleModeration();
      const reason = command.reason.trim();
      if (!reason) throw new CorrectionReasonRequired();
      const { domain, to } = command;
      // A third person's correction of the overall grade while auditor and moderator disagree is the decision on it.
      if (domain === OVERALL && openDisagreement(audit) && command.correctedBy !== audit.moderatorId) {
        return resolveDisagreement(audit, audit.moderation!, command.correctedBy, to, reason, command);
      }
      let from: Grade | null;
      if (domain === OVERALL) {
        overall(to);
        from = audit.overallGrade;
      } else {
        inFramework(audit, domain);
        from = audit.domainGrades[domain] ?? null;
      }
      if (from === to) throw new GradeUnchanged(domain, to);
      const corrected: AuditEvent = { type: 'GradeCorrected', data: { auditId, domain, from, to, reason } };
      if (domain !== OVERALL) return [corrected];
      return [corrected, ...immediateReview(audit, audit.overallGrade, overall(to), dayOf(command.now), command)];
    },
    RequestModeration(command, state) {
      const { auditId } = command;
      const audit = started(state, auditId);
      submitted(audit, 'be moderated');
      if (audit.status === 'moderated') throw new AuditAlreadyModerated();
      if (audit.status === 'moderation-requested') throw new ModerationAlreadyRequested(audit.moderatorId ?? '');
      if (command.moderatorId === audit.auditorId) throw new ModeratorIsAuditor();
      if (!command.moderatorKnown) throw new UnknownUser('moderator', command.moderatorId);
      return [{ type: 'ModerationRequested', data: { auditId, moderatorId: command.moderatorId } }];
    },
    ModerateAudit(command, state) {
      const { auditId } = command;
      const audit = started(state, auditId);
      if (audit.status === 'moderated') throw new AuditAlreadyModerated();
      if (audit.status !== 'moderation-requested') throw new NoModerationRequested();
      if (command.moderatorId === audit.auditorId) throw new ModeratorIsAuditor();
      if (command.moderatorId !== audit.moderatorId) throw new NotTheAssignedModerator(audit.moderatorId ?? '');
      const overallGrade = overall(command.overallGrade);
      for (const domain of Object.keys(command.domainGrades ?? {})) inFramework(audit, domain);
      const { moderatorId, domainGrades } = command;
      const auditorOverallGrade = audit.overallGrade as OverallGrade;
      const agreed = command.agreed ?? overallGrade === auditorOverallGrade;
      // Agreement is a fact about the grades: "I agree" with a different grade would count as agreement wrongly.
      if (agreed && overallGrade !== auditorOverallGrade) throw new AgreedButGradedDifferently(auditorOverallGrade, overallGrade);
      return [
        {
          type: 'AuditModerated',
          data: {
            auditId,
            moderatorId,
            overallGrade,
            ...(domainGrades !== undefined ? { domainGrades } : {}),
            agreed,
            rationale: command.rationale,
            auditorOverallGrade,
          },
        },
        ...immediateReview(audit, auditorOverallGrade, overallGrade, dayOf(command.now), command),
      ];
    },
    ResolveModerationDisagreement(command, state) {
      const { auditId } = command;
      const audit = started(state, auditId);
      const { moderation } = audit;
      if (!moderation || moderation.auditorOverallGrade === moderation.moderatorOverallGrade) {
        throw new NoModerationDisagreement();
      }
      if (moderation.resolved) throw new DisagreementAlreadyResolved();
      return resolveDisagreement(audit, moderation, command.resolvedBy, command.overallGrade, command.rationale, command);
    },
    RaiseAuditAction(command, state) {
      const { auditId } = command;
      const audit = started(state, auditId);
      if (audit.actions[command.actionId]) throw new AuditActionAlreadyRaised(command.actionId);
      if (!command.ownerKnown) throw new UnknownUser('action owner', command.ownerId);
      assertNotInFuture('raisedOn', command.raisedOn, command.now);
      const dueOn =
        command.dueOn ?? (command.calendar ?? PUBLISHED_CALENDAR).addWorkingDays(command.raisedOn, ACTION_DUE_WORKING_DAYS);
      notBefore('The due date', dueOn, 'the day the action was raised', command.raisedOn);
      const { actionId, description, ownerId, raisedOn } = command;
      return [
        {
          type: 'AuditActionRaised',
          data: { auditId, actionId, description, ownerId, teamId: audit.teamId, raisedOn, dueOn },
        },
      ];
    },
    CompleteAuditAction(command, state) {
      const { auditId } = command;
      const audit = started(state, auditId);
      openAction(audit, command.actionId);
      checkClosingDay(audit.actions[command.actionId], 'completedOn', 'The completion date', command.completedOn, command.now);
      const { actionId, completedOn, evidence, safeguardingActionNeeded } = command;
      if (audit.actions[actionId].immediateReview) {
        // The review exists to answer one question: the answer is what completes it.
        if (safeguardingActionNeeded === undefined || !evidence.trim()) throw new ImmediateReviewNeedsAnswer();
        return [{ type: 'AuditActionCompleted', data: { auditId, actionId, completedOn, evidence, safeguardingActionNeeded } }];
      }
      return [{ type: 'AuditActionCompleted', data: { auditId, actionId, completedOn, evidence } }];
    },
    CancelAuditAction(command, state) {
      const { auditId } = command;
      const audit = started(state, auditId);
      openAction(audit, command.actionId);
      if (audit.actions[command.actionId].immediateReview) throw new ImmediateReviewCannotBeCancelled();
      checkClosingDay(audit.actions[command.actionId], 'cancelledOn', 'The cancellation date', command.cancelledOn, command.now);
      const { actionId, cancelledOn, reason } = command;
      return [{ type: 'AuditActionCancelled', data: { auditId, actionId, cancelledOn, reason } }];
    },
  },

  evolve: {
    CaseAuditStarted(_state, event) {
      const { auditId, teamId, auditorId, auditedOn, domains, limitingDomains } = event.data;
      return {
        status: 'in-progress',
        auditId,
        teamId,
        auditorId,
        auditedOn,
        domains,
        limitingDomains: limitingDomains ?? [],
        domainGrades: {},
        overallGrade: null,
        moderatorId: null,
        moderation: null,
        actions: {},
      };
    },
    DomainGraded: onceRecorded((state, event) => ({
      ...state,
      domainGrades: { ...state.domainGrades, [event.data.domain]: event.data.grade },
    })),
    AuditSubmitted: onceRecorded((state, event) => ({ ...state, status: 'submitted', overallGrade: event.data.overallGrade })),
    GradeCorrected: onceRecorded((state, event) =>
      event.data.domain === OVERALL
        ? { ...state, overallGrade: event.data.to as OverallGrade }
        : { ...state, domainGrades: { ...state.domainGrades, [event.data.domain]: event.data.to } },
    ),
    ModerationRequested: onceRecorded((state, event) => ({
      ...state,
      status: 'moderation-requested',
      moderatorId: event.data.moderatorId,
    })),
    AuditModerated: onceRecorded((state, event) => ({
      ...state,
      status: 'moderated',
      overallGrade: event.data.overallGrade,
      domainGrades: { ...state.domainGrades, ...event.data.domainGrades },
      moderation: {
        auditorOverallGrade: event.data.auditorOverallGrade,
        moderatorOverallGrade: event.data.overallGrade,
        resolved: false,
      },
    })),
    ModerationDisagreementResolved: onceRecorded((state, event) => ({
      ...state,
      overallGrade: event.data.overallGrade,
      moderation: state.moderation ? { ...state.moderation, resolved: true } : state.moderation,
    })),
    AuditActionRaised: onceRecorded((state, event) => ({
      ...state,
      actions: {
        ...state.actions,
        [event.data.actionId]: {
          status: 'open',
          raisedOn: event.data.raisedOn,
          immediateReview: event.data.immediateReview === true,
        },
      },
    })),
    AuditActionCompleted: onceRecorded((state, event) => actionClosed(state, event.data.actionId, 'completed')),
    AuditActionCancelled: onceRecorded((state, event) => actionClosed(state, event.data.actionId, 'cancelled')),
  },
});
