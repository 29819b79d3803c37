import { BusinessDateInFuture, type Confidence } from '@casetrail/kernel';
import { deciderSpec } from '@casetrail/testing';
import {
  ActionAlreadyAnswersFinding,
  ActionAlreadyCompleted,
  ActionAlreadyExists,
  actionDecider,
  ActionDueBeforeStart,
  ActionIndicatorUnknown,
  ActionNotCompleted,
  ActionNotFound,
  ActionOwnerCannotUpdate,
  ActionOwnerRequired,
  ActionOwnerUnknown,
  ActionOwnerUserOrAgency,
  ActionTeamsUnknown,
  CompletedActionTakesNoFinding,
  CompleterCannotVerifyOwnCompletion,
  CompletionAlreadyVerified,
  DueDateUnchanged,
  FindingAuditNotFound,
  FindingDomainNotInFramework,
  FindingNotAnAreaForDevelopment,
  OwnerCannotVerifyOwnAction,
  PriorityNotInPlan,
  QaOfficerRaisesFromFinding,
  ReopenedBeforeCompletion,
  RecommendationNotInPlan,
  VerifiedBeforeCompletion,
  type ActionReferences,
} from './action.decider';
import { PlanNotFound } from './plan.decider';
import type { ActionAdded, ActionEvent } from './plans.events';

const now = '2020-09-01T10:00:00.000Z';
const actionId = 'a1';
const data: ActionAdded['data'] = {
  actionId,
  planId: 'sip-2020',
  priorityId: 'p1',
  recommendationIds: ['r1'],
  title: 'Team managers audit risk analysis in every assessment',
  ownerId: 'u-owner',
  teamIds: ['mash'],
  startOn: '2020-07-06',
  dueOn: '2020-09-30',
  successMeasure: '95% of assessments in timescale',
};
const references: ActionReferences = {
  plan: { priorityIds: ['p1'], recommendationIds: ['r1', 'r2'], recommendationDueOns: { r1: '2020-10-03', r2: '2020-07-10' } },
  ownerKnown: true,
  ownerMayUpdate: true,
  unknownTeamIds: [],
  indicatorKnown: true,
};
const added: ActionEvent = { type: 'ActionAdded', data };
const completed: ActionEvent = {
  type: 'ActionCompleted',
  data: {
    actionId,
    completedOn: '2020-08-28',
    evidence: 'Audit of 20 assessments: 19 with risk analysis',
    completedBy: 'u-lead',
  },
};
const verified: ActionEvent = {
  type: 'ActionCompletionVerified',
  data: { actionId, verifiedBy: 'u-chair', verifiedOn: '2020-09-01' },
};
const add = (changes: Partial<ActionAdded['data']> = {}, refs: Partial<ActionReferences> = {}) => ({
  type: 'AddAction' as const,
  now,
  references: { ...references, ...refs },
  ...data,
  ...changes,
});
const progress = {
  type: 'ReportProgress' as const,
  now,
  actionId,
  reportedOn: '2020-08-01',
  note: 'Half the audits done',
  confidence: 'at-risk' as const,
};
/** What `progress` records, on its day and with its confidence. */
const progressReported = (reportedOn: string, confidence: Confidence): ActionEvent => ({
  type: 'ActionProgressReported',
  data: { actionId, reportedOn, note: 'Half the audits done', confidence },
});
const revise = {
  type: 'ReviseDueDate' as const,
  now,
  actionId,
  newDueOn: '2020-10-30',
  reason: 'Audit tool changed',
  approvedBy: 'Improvement board, 28 August 2020',
  revisedOn: '2020-08-28',
};
const complete = {
  type: 'CompleteAction' as const,
  now,
  actionId,
  completedOn: '2020-08-28',
  evidence: 'Audit of 20 assessments: 19 with risk analysis',
  completedBy: 'u-lead',
};
const verify = { type: 'VerifyCompletion' as const, now, actionId, verifiedBy: 'u-chair', verifiedOn: '2020-09-01' };
const reopen = {
  type: 'ReopenAction' as const,
  now,
  actionId,
  reason: 'Re-audit found risk analysis missing again',
  reopenedOn: '2020-09-01',
};
const { given, itRefuses } = deciderSpec(actionDecider);

describe('action decider', () => {
  describe('adding an action', () => {
    it('an action is added under a priority of its plan, answering its recommendations', () =>
      given([]).when(add()).then([added]));

    it('an action due after the recommendation it answers is added with a warning recorded, not refused', () =>
      given([])
        .when(add({ recommendationIds: ['r1', 'r2'] }))
        .then([{ type: 'ActionAdded', data: { ...data, recommendationIds: ['r1', 'r2'], dueAfterRecommendations: ['r2'] } }]));

    it('an action id cannot be used twice', () => given([added]).when(add()).thenThrows(ActionAlreadyExists));

    itRefuses(
      [],
      [
        ['an action needs an existing plan', add({}, { plan: null }), PlanNotFound],
        ["the priority must be one of the plan's", add({ priorityId: 'p9' }), PriorityNotInPlan, /"p9"/],
        [
          "every recommendation must be one of the plan's",
          add({ recommendationIds: ['r1', 'r7'] }),
          RecommendationNotInPlan,
          /"r7"/,
        ],
        ['an action cannot be due before it starts', add({ dueOn: '2020-07-05' }), ActionDueBeforeStart],
        ['the owner must be an active user', add({}, { ownerKnown: false }), ActionOwnerUnknown],
        [
          'the owner must be someone who may update the action (never an inspector)',
          add({}, { ownerMayUpdate: false, ownerName: 'Ian Inspector' }),
          ActionOwnerCannotUpdate,
          /Ian Inspector cannot own an action/,
        ],
        ['every team must be registered', add({}, { unknownTeamIds: ['nowhere'] }), ActionTeamsUnknown, /"nowhere"/],
        [
          'a named indicator must be defined',
          add({ indicatorCode: 'cfa-timescale' }, { indicatorKnown: false }),
          ActionIndicatorUnknown,
        ],
      ],
    );
  });

  describe('progress', () => {
    it('progress is reported with a date, a note and a confidence', () =>
      given([added])
        .when(progress)
        .then([progressReported('2020-08-01', 'at-risk')]));

    it('progress needs an action', () => given([]).when(progress).thenThrows(ActionNotFound));

    it('progress cannot be reported on a future date', () =>
      given([added])
        .when({ ...progress, reportedOn: '2020-09-03' })
        .thenThrows(BusinessDateInFuture));

    it('a completed action takes no more progress until reopened', () =>
      given([added, completed])
        .when(progress)
        .thenThrows(ActionAlreadyCompleted, /completed on 28 August 2020/));
  });

  describe('revising the due date', () => {
    it('a revised due date keeps the previous one and who approved it', () =>
      given([added])
        .when(revise)
        .then([
          {
            type: 'ActionDueDateRevised',
            data: {
              actionId,
              newDueOn: '2020-10-30',
              previousDueOn: '2020-09-30',
              reason: 'Audit tool changed',
              approvedBy: 'Improvement board, 28 August 2020',
              revisedOn: '2020-08-28',
            },
          },
        ]));

    itRefuses(
      [added],
      [
        ['the new due date must differ from the current one', { ...revise, newDueOn: '2020-09-30' }, DueDateUnchanged],
        ['the new due date cannot be before the start', { ...revise, newDueOn: '2020-07-01' }, ActionDueBeforeStart],
        ['a revision cannot be dated in the future', { ...revise, revisedOn: '2020-09-05' }, BusinessDateInFuture],
      ],
    );

    it('a completed action keeps its due date', () => given([added, completed]).when(revise).thenThrows(ActionAlreadyCompleted));
  });

  describe('completion, verification and reopening', () => {
    it('an action is completed with evidence', () => given([added]).when(complete).then([completed]));

    it('an action cannot be completed twice', () => given([added, completed]).when(complete).thenThrows(ActionAlreadyCompleted));

    it('completion cannot be dated in the future', () =>
      given([added])
        .when({ ...complete, completedOn: '2020-09-03' })
        .thenThrows(BusinessDateInFuture));

    it('the board verifies a completion', () => given([added, completed]).when(verify).then([verified]));

    it('only a completed action can be verified', () =>
      given([added])
        .when(verify)
        .thenThrows(ActionNotCompleted, /verified/));

    it('verification cannot come before the completion, nor be dated in the future', () => {
      given([added, completed])
        .when({ ...verify, verifiedOn: '2020-08-27' })
        .thenThrows(VerifiedBeforeCompletion);
      given([added, completed])
        .when({ ...verify, verifiedOn: '2020-09-03' })
        .thenThrows(BusinessDateInFuture);
    });

    it('a completion is verified once', () =>
      given([added, completed, verified]).when(verify).thenThrows(CompletionAlreadyVerified));

    it("an action's owner cannot verify their own action", () =>
      given([added, completed])
        .when({ ...verify, verifiedBy: 'u-owner' })
        .thenThrows(OwnerCannotVerifyOwnAction));

    it('the one who completed an action never verifies it', () =>
      given([added, completed])
        .when({ ...verify, verifiedBy: 'u-lead' })
        .thenThrows(CompleterCannotVerifyOwnCompletion, /recorded this action as complete/));

    it('a completion recorded before the completer was kept can still be verified', () => {
      const { completedBy: _completedBy, ...oldShape } = (completed as Extract<ActionEvent, { type: 'ActionCompleted' }>).data;
      given([added, { type: 'ActionCompleted', data: oldShape }])
        .when(verify)
        .then([verified]);
    });

    it('after reopening, the new completer (not the earlier one) is the one who cannot verify', () => {
      const reopened: ActionEvent = { type: 'ActionReopened', data: { actionId, reason: 'x', reopenedOn: '2020-08-30' } };
      const again: ActionEvent = {
        type: 'ActionCompleted',
        data: { actionId, completedOn: '2020-08-31', evidence: 'Re-audit', completedBy: 'u-chair' },
      };
      given([added, completed, reopened, again])
        .when({ ...verify, verifiedBy: 'u-lead' })
        .then([{ type: 'ActionCompletionVerified', data: { actionId, verifiedBy: 'u-lead', verifiedOn: '2020-09-01' } }]);
      given([added, completed, reopened, again]).when(verify).thenThrows(CompleterCannotVerifyOwnCompletion);
    });

    it('a completed (even verified) action can be reopened with a reason', () =>
      given([added, completed, verified])
        .when(reopen)
        .then([
          {
            type: 'ActionReopened',
            data: { actionId, reason: 'Re-audit found risk analysis missing again', reopenedOn: '2020-09-01' },
          },
        ]));

    it('a reopening cannot come before the completion, nor be dated in the future', () => {
      given([added, completed])
        .when({ ...reopen, reopenedOn: '2020-08-27' })
        .thenThrows(ReopenedBeforeCompletion, /cannot be reopened earlier/);
      given([added, completed])
        .when({ ...reopen, reopenedOn: '2020-09-03' })
        .thenThrows(BusinessDateInFuture);
    });

    it('only a completed action can be reopened', () =>
      given([added])
        .when(reopen)
        .thenThrows(ActionNotCompleted, /reopened/));

    it('a reopened action takes progress again and must be completed and verified afresh', () => {
      const reopened: ActionEvent = { type: 'ActionReopened', data: { actionId, reason: 'x', reopenedOn: '2020-09-01' } };
      given([added, completed, verified, reopened])
        .when({ ...progress, reportedOn: '2020-09-01', confidence: 'on-track' })
        .then([progressReported('2020-09-01', 'on-track')]);
      given([added, completed, verified, reopened]).when(verify).thenThrows(ActionNotCompleted);
    });
  });
});

describe('actions may be owned by partner agencies who are not users', () => {
  const { ownerId: _user, ...withoutUser } = data;
  const byAgency = { ...withoutUser, ownerAgency: 'Health trust' };

  it('an action owned by a named partner agency is added; no user is looked up', () =>
    given([])
      .when({
        type: 'AddAction' as const,
        now,
        references: { ...references, ownerKnown: false, ownerMayUpdate: false },
        ...byAgency,
      })
      .then([{ type: 'ActionAdded', data: byAgency }]));

  it('the owner is either a user or a named partner agency: one of them, not both', () => {
    given([])
      .when(add({ ownerAgency: 'Police' }))
      .thenThrows(ActionOwnerUserOrAgency);
    given([])
      .when({ type: 'AddAction' as const, now, references, ...withoutUser })
      .thenThrows(ActionOwnerRequired, /a Casetrail user, or a partner agency/);
  });

  it('any board member may sign off an action a partner agency completed, except the one who recorded the completion', () => {
    const agencyAdded: ActionEvent = { type: 'ActionAdded', data: byAgency };
    given([agencyAdded, completed])
      .when({ type: 'VerifyCompletion', now, actionId, verifiedBy: 'u-chair', verifiedOn: '2020-09-01' })
      .then([verified]);
  });

  describe('an action raised from an audit finding', () => {
    const finding = { auditId: 'audit-1', domain: 'management-oversight' };
    const audit = (domainGrade: string | null, areasForDevelopment = 0) => ({
      finding: {
        audit: {
          caseRef: 'CASE-1',
          domains: ['planning', 'management-oversight'],
          domainGrade,
          areasForDevelopment,
        },
      },
    });

    it('an action answering a domain graded requires improvement or inadequate keeps the audit and the domain', () =>
      given([])
        .when(add({ finding }, audit('inadequate')))
        .then([{ type: 'ActionAdded', data: { ...data, finding } }]));

    it('a finding names an audit that exists', () =>
      given([])
        .when(add({ finding }, { finding: { audit: null } }))
        .thenThrows(FindingAuditNotFound));

    it("a finding names a domain of the audit's framework", () =>
      given([])
        .when(add({ finding: { ...finding, domain: 'horoscope' } }, audit('inadequate')))
        .thenThrows(FindingDomainNotInFramework));

    it('a domain graded good is no finding unless the audit recorded an area for development', () =>
      given([])
        .when(add({ finding }, audit('good')))
        .thenThrows(FindingNotAnAreaForDevelopment));

    it('an audit with an area for development is a finding whatever the domain was graded', () =>
      given([])
        .when(add({ finding }, audit('good', 2)))
        .then([{ type: 'ActionAdded', data: { ...data, finding } }]));

    it('a QA officer raises an action from an audit finding', () =>
      given([])
        .when(add({ finding }, { ...audit('requires-improvement'), findingRequired: true }))
        .then([{ type: 'ActionAdded', data: { ...data, finding } }]));

    it('a QA officer cannot raise an action that answers no finding', () =>
      given([])
        .when(add({}, { findingRequired: true }))
        .thenThrows(QaOfficerRaisesFromFinding));
  });

  describe('linking an existing action to a finding', () => {
    const finding = { auditId: 'audit-2', domain: 'planning' };
    const facts = (domainGrade: string | null, areasForDevelopment = 0) => ({
      audit: { caseRef: 'CASE-2', domains: ['planning', 'management-oversight'], domainGrade, areasForDevelopment },
    });
    const link = (f = finding, a: ReturnType<typeof facts> | { audit: null } = facts('inadequate')) => ({
      type: 'LinkFinding' as const,
      now,
      actionId,
      finding: f,
      facts: a,
    });
    const linked: ActionEvent = { type: 'ActionLinkedToFinding', data: { actionId, planId: 'sip-2020', finding } };

    it('an open action is linked to a domain graded requires improvement or inadequate: it answers it too', () =>
      given([added]).when(link()).then([linked]));

    it('an action may answer several findings', () =>
      given([{ type: 'ActionAdded', data: { ...data, finding: { auditId: 'audit-1', domain: 'planning' } } }, linked])
        .when(link({ auditId: 'audit-3', domain: 'planning' }))
        .then([
          {
            type: 'ActionLinkedToFinding',
            data: { actionId, planId: 'sip-2020', finding: { auditId: 'audit-3', domain: 'planning' } },
          },
        ]));

    it('an action already answering that finding is not linked to it twice', () =>
      given([added, linked]).when(link()).thenThrows(ActionAlreadyAnswersFinding));

    it('an action raised from that finding already answers it', () =>
      given([{ type: 'ActionAdded', data: { ...data, finding } }])
        .when(link())
        .thenThrows(ActionAlreadyAnswersFinding));

    it('a completed action takes no new finding', () =>
      given([added, completed]).when(link()).thenThrows(CompletedActionTakesNoFinding));

    it('a completed action the board verified takes no new finding', () =>
      given([added, completed, verified]).when(link()).thenThrows(CompletedActionTakesNoFinding));

    it('a reopened action takes a new finding again', () =>
      given([added, completed, { type: 'ActionReopened', data: { actionId, reason: 'More to do', reopenedOn: '2020-09-01' } }])
        .when(link())
        .then([linked]));

    it('only an action that exists is linked', () => given([]).when(link()).thenThrows(ActionNotFound));

    it('the linked finding names an audit that exists', () =>
      given([added])
        .when(link(finding, { audit: null }))
        .thenThrows(FindingAuditNotFound));

    it("the linked finding names a domain of the audit's framework", () =>
      given([added])
        .when(link({ ...finding, domain: 'horoscope' }))
        .thenThrows(FindingDomainNotInFramework));

    it('a domain graded good with no area for development is no finding to link', () =>
      given([added])
        .when(link(finding, facts('good')))
        .thenThrows(FindingNotAnAreaForDevelopment));
  });
});
