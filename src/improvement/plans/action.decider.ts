import {
  assertNotInFuture,
  dayInWords,
  type Confidence,
  recordDeciderOf,
  existingRecord,
  dataOf,
  onlyWhen,
  notFound,
  conflict,
  ruleBroken,
} from '@casetrail/kernel';
import { PlanNotFound } from './plan.decider';
import { ACTION_EVENT_SCHEMA_VERSIONS, type ActionAdded, type ActionEvent, type AuditFinding } from './plans.events';

/** What the plan and the other contexts know, looked up by the caller just before deciding. */
export interface ActionReferences {
  /** The plan's priorities and recommendations, or null when there is no such plan. */
  plan: { priorityIds: string[]; recommendationIds: string[]; recommendationDueOns: Record<string, string> } | null;
  ownerKnown: boolean;
  /** Whether the owner (a user) may update the action: report progress, change its due date, complete it (an inspector never may). */
  ownerMayUpdate: boolean;
  /** The owner's name, for the message when they may not own it. */
  ownerName?: string;
  unknownTeamIds: string[];
  /** True when no indicator was named or the named one is defined. */
  indicatorKnown: boolean;
  /** What the audits context knows of the finding named (absent when the action names no finding). */
  finding?: FindingFacts;
  /**
   * True when the one raising the action may raise one from an audit finding only (a QA officer:
   * the access policy lets them reach the route, this rule keeps them to findings).
   */
  findingRequired?: boolean;
}

/** The audit a finding names, as the audits context has it (looked up by src/plans/finding-facts.ts). */
export interface FindingFacts {
  /** Null when there is no such audit (or the caller may not see it). */
  audit: {
    caseRef: string;
    /** The domain keys of the framework version the audit is graded against. */
    domains: string[];
    /** The effective grade of the domain named, null when it has none. */
    domainGrade: string | null;
    /** How many areas for development the audit recorded. */
    areasForDevelopment: number;
  } | null;
}

export type ActionCommand =
  | ({ type: 'AddAction'; now: string; references: ActionReferences } & ActionAdded['data'])
  | {
      type: 'ReportProgress';
      now: string;
      actionId: string;
      reportedOn: string;
      note: string;
      confidence: Confidence;
      evidence?: string;
    }
  | {
      type: 'ReviseDueDate';
      now: string;
      actionId: string;
      newDueOn: string;
      reason: string;
      approvedBy: string;
      revisedOn: string;
    }
  | { type: 'CompleteAction'; now: string; actionId: string; completedOn: string; evidence: string; completedBy: string }
  | { type: 'VerifyCompletion'; now: string; actionId: string; verifiedBy: string; verifiedOn: string }
  | { type: 'ReopenAction'; now: string; actionId: string; reason: string; reopenedOn: string }
  | { type: 'LinkFinding'; now: string; actionId: string; finding: AuditFinding; facts: FindingFacts | undefined };

export type ActionState =
  | { status: 'none' }
  | {
      status: 'open' | 'completed';
      actionId: string;
      planId: string;
      /** Absent when a partner agency owns the action. */
      ownerId?: string;
      startOn: string;
      dueOn: string;
      completedOn?: string;
      /** Who recorded the current completion (unknown for completions recorded before it was kept). */
      completedBy?: string;
      verified: boolean;
      /** The findings the action answers, as "auditId|domain" (raised from, then linked). */
      findings: string[];
    };

export class ActionAlreadyExists extends conflict(
  'ACTION_ALREADY_EXISTS',
  (actionId: string) => `An action with the id "${actionId}" already exists.`,
) {}
export class ActionNotFound extends notFound(
  'ACTION_NOT_FOUND',
  (actionId: string) => `There is no improvement action "${actionId}".`,
) {}
export class PriorityNotInPlan extends ruleBroken(
  'PRIORITY_NOT_IN_PLAN',
  (priorityId: string) => `The plan has no priority "${priorityId}"; add the priority first.`,
) {}
export class RecommendationNotInPlan extends ruleBroken(
  'RECOMMENDATION_NOT_IN_PLAN',
  (ids: string[]) => `The plan has no recommendation ${ids.map((id) => `"${id}"`).join(', ')}.`,
) {}
export class ActionOwnerUnknown extends ruleBroken(
  'ACTION_OWNER_UNKNOWN',
  (ownerId: string) => `The action owner "${ownerId}" is not an active Casetrail user.`,
) {}
export class ActionOwnerCannotUpdate extends ruleBroken(
  'ACTION_OWNER_CANNOT_UPDATE',
  (ownerName: string) =>
    `${ownerName} cannot own an action: their role may not report progress on it or complete it. Choose someone who can, such as a team manager.`,
) {}
export class ActionOwnerRequired extends ruleBroken(
  'ACTION_OWNER_REQUIRED',
  () => 'Name the owner of the action: a Casetrail user, or a partner agency (for example the health trust or the police).',
) {}
export class ActionOwnerUserOrAgency extends ruleBroken(
  'OWNER_IS_USER_OR_AGENCY',
  () => 'Name either a Casetrail user or a partner agency as the owner, not both.',
) {}
export class ActionTeamsUnknown extends ruleBroken(
  'ACTION_TEAMS_UNKNOWN',
  (teamIds: string[]) => `There is no team ${teamIds.map((id) => `"${id}"`).join(', ')}.`,
) {}
export class ActionIndicatorUnknown extends ruleBroken(
  'ACTION_INDICATOR_UNKNOWN',
  (code: string) => `There is no performance indicator "${code}" to measure this action's impact by.`,
) {}
export class ActionDueBeforeStart extends ruleBroken(
  'ACTION_DUE_BEFORE_START',
  (dueOn: string, startOn: string) =>
    `An action cannot be due on ${dayInWords(dueOn)}, before it starts on ${dayInWords(startOn)}.`,
) {}
export class ActionAlreadyCompleted extends conflict(
  'ACTION_ALREADY_COMPLETED',
  (completedOn: string | undefined) =>
    `This action was completed on ${completedOn ? dayInWords(completedOn) : 'an earlier date'}; reopen it first if there is more to do.`,
) {}
export class DueDateUnchanged extends ruleBroken(
  'DUE_DATE_UNCHANGED',
  (dueOn: string) => `The action is already due on ${dayInWords(dueOn)}.`,
) {}
export class ActionNotCompleted extends ruleBroken(
  'ACTION_NOT_COMPLETED',
  (what: string) => `This action has not been completed, so it cannot be ${what}.`,
) {}
export class CompletionAlreadyVerified extends conflict(
  'COMPLETION_ALREADY_VERIFIED',
  () => 'The board has already verified this completion.',
) {}
/** A step on a completion (verifying, reopening) dated before the completion itself. */
const beforeCompletion = (code: string, done: string) =>
  ruleBroken(
    code,
    (on: string, completedOn: string) =>
      `A completion on ${dayInWords(completedOn)} cannot be ${done} earlier, on ${dayInWords(on)}.`,
  );
export class VerifiedBeforeCompletion extends beforeCompletion('VERIFIED_BEFORE_COMPLETION', 'verified') {}
export class ReopenedBeforeCompletion extends beforeCompletion('REOPENED_BEFORE_COMPLETION', 'reopened') {}
export class OwnerCannotVerifyOwnAction extends ruleBroken(
  'OWNER_CANNOT_VERIFY_OWN_ACTION',
  () => "An action's owner cannot sign off their own action; someone else on the board must verify it.",
) {}

export class CompleterCannotVerifyOwnCompletion extends ruleBroken(
  'COMPLETER_CANNOT_VERIFY_OWN_COMPLETION',
  () => 'You recorded this action as complete, so you cannot sign it off too; someone else on the board must verify it.',
) {}

export class FindingAuditNotFound extends ruleBroken(
  'FINDING_AUDIT_NOT_FOUND',
  (auditId: string) => `There is no audit "${auditId}" for this action to answer.`,
) {}
export class FindingDomainNotInFramework extends ruleBroken(
  'FINDING_DOMAIN_NOT_IN_FRAMEWORK',
  (domain: string) => `The audit was not graded against a domain "${domain}": name one of the domains of its audit framework.`,
) {}
export class FindingNotAnAreaForDevelopment extends ruleBroken(
  'FINDING_NOT_AN_AREA_FOR_DEVELOPMENT',
  (domain: string, grade: string | null) =>
    `An improvement action answers a weakness: "${domain}" was ${grade === null ? 'not graded' : `graded ${grade.replace(/-/g, ' ')}`} ` +
    'and the audit recorded no area for development.',
) {}
export class QaOfficerRaisesFromFinding extends ruleBroken(
  'QA_OFFICER_RAISES_FROM_FINDING',
  () =>
    'A QA officer raises an improvement action from an audit finding: choose the audit and the domain it answers, ' +
    'or ask an improvement lead to add an action that answers no finding.',
) {}
export class ActionAlreadyAnswersFinding extends conflict(
  'ACTION_ALREADY_ANSWERS_FINDING',
  (domain: string) =>
    `This action already answers the finding on "${domain.replace(/-/g, ' ')}" in that audit; nothing was changed.`,
) {}
export class CompletedActionTakesNoFinding extends conflict(
  'COMPLETED_ACTION_TAKES_NO_FINDING',
  (completedOn: string | undefined, verified: boolean) =>
    `This action was completed${completedOn ? ` on ${dayInWords(completedOn)}` : ''}${verified ? ' and the board verified it' : ''}, so it cannot take on a new finding: ` +
    'reopen it if there is more to do, or raise a new improvement action from the finding.',
) {}

/** Grades that make a domain a finding to act on. */
export const FINDING_GRADES: readonly string[] = ['requires-improvement', 'inadequate'];

/** The finding rules: the audit exists, the domain is one of its framework's, and it is a weakness. */
function checkFinding(finding: AuditFinding, facts: FindingFacts | undefined): void {
  const audit = facts?.audit ?? null;
  if (audit === null) throw new FindingAuditNotFound(finding.auditId);
  if (!audit.domains.includes(finding.domain)) throw new FindingDomainNotInFramework(finding.domain);
  const weak = audit.domainGrade !== null && FINDING_GRADES.includes(audit.domainGrade);
  if (!weak && audit.areasForDevelopment === 0) throw new FindingNotAnAreaForDevelopment(finding.domain, audit.domainGrade);
}

const findingKey = (finding: AuditFinding): string => `${finding.auditId}|${finding.domain}`;

type Existing = Extract<ActionState, { status: 'open' | 'completed' }>;

const existing = (state: ActionState, actionId: string): Existing => existingRecord(state, () => new ActionNotFound(actionId));

function open(state: ActionState, actionId: string): Existing {
  const action = existing(state, actionId);
  if (action.status === 'completed') throw new ActionAlreadyCompleted(action.completedOn);
  return action;
}

function completed(state: ActionState, actionId: string, what: string): Existing {
  const action = existing(state, actionId);
  if (action.status !== 'completed') throw new ActionNotCompleted(what);
  return action;
}

/** A step on a completion (verifying, reopening) is a business date: not in the future, not before the completion. */
function assertStepOnCompletion(
  action: Existing,
  field: string,
  on: string,
  now: string,
  refusal: typeof VerifiedBeforeCompletion | typeof ReopenedBeforeCompletion,
): void {
  assertNotInFuture(field, on, now);
  const completedOn = action.completedOn ?? '';
  if (on < completedOn) throw new refusal(on, completedOn);
}

const onceRecorded = onlyWhen((state: ActionState): state is Existing => state.status !== 'none');

export const actionDecider = recordDeciderOf<ActionCommand, ActionEvent, ActionState>('action', ACTION_EVENT_SCHEMA_VERSIONS, {
  alreadyExists: { AddAction: (command) => new ActionAlreadyExists(command.actionId) },

  decide: {
    AddAction(command) {
      const { references, ...data } = dataOf(command);
      if (!references.plan) throw new PlanNotFound(data.planId);
      if (!references.plan.priorityIds.includes(data.priorityId)) throw new PriorityNotInPlan(data.priorityId);
      const missing = data.recommendationIds.filter((id) => !references.plan!.recommendationIds.includes(id));
      if (missing.length) throw new RecommendationNotInPlan(missing);
      if (data.dueOn < data.startOn) throw new ActionDueBeforeStart(data.dueOn, data.startOn);
      if (data.ownerId && data.ownerAgency) throw new ActionOwnerUserOrAgency();
      if (!data.ownerId && !data.ownerAgency) throw new ActionOwnerRequired();
      if (data.ownerId && !references.ownerKnown) throw new ActionOwnerUnknown(data.ownerId);
      if (data.ownerId && !references.ownerMayUpdate) throw new ActionOwnerCannotUpdate(references.ownerName ?? data.ownerId);
      if (references.unknownTeamIds.length) throw new ActionTeamsUnknown(references.unknownTeamIds);
      if (data.indicatorCode && !references.indicatorKnown) throw new ActionIndicatorUnknown(data.indicatorCode);
      if (references.findingRequired && !data.finding) throw new QaOfficerRaisesFromFinding();
      if (data.finding) checkFinding(data.finding, references.finding);
      // Not refused (the board may knowingly accept it), but recorded as a warning.
      const dueOns = references.plan.recommendationDueOns;
      const late = data.recommendationIds.filter((id) => dueOns[id] !== undefined && data.dueOn > dueOns[id]);
      const { dueAfterRecommendations: _ignored, finding, ...facts } = data;
      return [
        {
          type: 'ActionAdded',
          data: {
            ...facts,
            ...(late.length ? { dueAfterRecommendations: late } : {}),
            // A plain object of the two fields, whatever the caller passed.
            ...(finding ? { finding: { auditId: finding.auditId, domain: finding.domain } } : {}),
          },
        },
      ];
    },
    ReportProgress(command, state) {
      open(state, command.actionId);
      assertNotInFuture('reportedOn', command.reportedOn, command.now);
      const { actionId, reportedOn, note, confidence, evidence } = command;
      return [
        {
          type: 'ActionProgressReported',
          data: { actionId, reportedOn, note, confidence, ...(evidence ? { evidence } : {}) },
        },
      ];
    },
    ReviseDueDate(command, state) {
      const action = open(state, command.actionId);
      assertNotInFuture('revisedOn', command.revisedOn, command.now);
      if (command.newDueOn === action.dueOn) throw new DueDateUnchanged(action.dueOn);
      if (command.newDueOn < action.startOn) throw new ActionDueBeforeStart(command.newDueOn, action.startOn);
      const { actionId, newDueOn, reason, approvedBy, revisedOn } = command;
      return [
        {
          type: 'ActionDueDateRevised',
          data: { actionId, newDueOn, previousDueOn: action.dueOn, reason, approvedBy, revisedOn },
        },
      ];
    },
    CompleteAction(command, state) {
      open(state, command.actionId);
      assertNotInFuture('completedOn', command.completedOn, command.now);
      const { actionId, completedOn, evidence, completedBy } = command;
      return [{ type: 'ActionCompleted', data: { actionId, completedOn, evidence, completedBy } }];
    },
    VerifyCompletion(command, state) {
      const action = completed(state, command.actionId, 'verified');
      if (action.verified) throw new CompletionAlreadyVerified();
      if (action.ownerId !== undefined && command.verifiedBy === action.ownerId) throw new OwnerCannotVerifyOwnAction();
      if (command.verifiedBy === action.completedBy) throw new CompleterCannotVerifyOwnCompletion();
      assertStepOnCompletion(action, 'verifiedOn', command.verifiedOn, command.now, VerifiedBeforeCompletion);
      const { actionId, verifiedBy, verifiedOn } = command;
      return [{ type: 'ActionCompletionVerified', data: { actionId, verifiedBy, verifiedOn } }];
    },
    ReopenAction(command, state) {
      const action = completed(state, command.actionId, 'reopened');
      assertStepOnCompletion(action, 'reopenedOn', command.reopenedOn, command.now, ReopenedBeforeCompletion);
      const { actionId, reason, reopenedOn } = command;
      return [{ type: 'ActionReopened', data: { actionId, reason, reopenedOn } }];
    },
    LinkFinding(command, state) {
      const action = existing(state, command.actionId);
      const finding = { auditId: command.finding.auditId, domain: command.finding.domain };
      if (action.findings.includes(findingKey(finding))) throw new ActionAlreadyAnswersFinding(finding.domain);
      // Its work is done: a new weakness needs new work (reopen it, or raise a new action), and
      // the impact view's "before" and "after" turn on the completion the board already saw.
      if (action.status === 'completed') throw new CompletedActionTakesNoFinding(action.completedOn, action.verified);
      checkFinding(finding, command.facts);
      return [{ type: 'ActionLinkedToFinding', data: { actionId: command.actionId, planId: action.planId, finding } }];
    },
  },

  evolve: {
    ActionAdded(_state, event) {
      const { actionId, planId, ownerId, startOn, dueOn, finding } = event.data;
      const findings = finding ? [findingKey(finding)] : [];
      return { status: 'open', actionId, planId, ...(ownerId ? { ownerId } : {}), startOn, dueOn, verified: false, findings };
    },
    ActionDueDateRevised: onceRecorded((state, event) => ({ ...state, dueOn: event.data.newDueOn })),
    ActionCompleted: onceRecorded((state, event) => ({
      ...state,
      status: 'completed',
      completedOn: event.data.completedOn,
      completedBy: event.data.completedBy,
    })),
    ActionCompletionVerified: onceRecorded((state) => ({ ...state, verified: true })),
    ActionReopened: onceRecorded((state) => ({
      ...state,
      status: 'open',
      completedOn: undefined,
      completedBy: undefined,
      verified: false,
    })),
    ActionLinkedToFinding: onceRecorded((state, event) => ({
      ...state,
      findings: [...state.findings, findingKey(event.data.finding)],
    })),
  },
});
