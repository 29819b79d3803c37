import { BusinessDateInFuture, workingDayCalendar } from '@casetrail/kernel';
import { deciderSpec } from '@casetrail/testing';
import {
  AgreedButGradedDifferently,
  AuditActionAlreadyRaised,
  AuditorCannotOverruleModeration,
  DisagreementAlreadyResolved,
  ImmediateReviewCannotBeCancelled,
  ImmediateReviewNeedsAnswer,
  LimitingDomainInadequate,
  OverallBetterThanDomainsSupport,
  NoModerationDisagreement,
  ResolutionRationaleRequired,
  ResolverNotIndependent,
  AuditActionClosed,
  AuditActionNotFound,
  AuditAlreadyModerated,
  AuditAlreadyStarted,
  AuditAlreadySubmitted,
  AuditedOutsideProgramme,
  auditDecider,
  AuditNotFound,
  AuditNotSubmitted,
  BlindModeratorCannotCorrect,
  CorrectionReasonRequired,
  DateBeforeOtherDate,
  DomainNotInFramework,
  GradeUnchanged,
  ModerationAlreadyRequested,
  ModeratorIsAuditor,
  NoAuditFramework,
  NoDomainGraded,
  NoModerationRequested,
  NotTheAssignedModerator,
  OverallGradeRequired,
  TeamIsClosed,
  TeamNotInProgramme,
  UnknownProgramme,
  UnknownTeam,
  UnknownUser,
  type AuditCommand,
  type StartCaseAudit,
} from './audit.decider';
import { IMMEDIATE_REVIEW, type AuditEvent, type Grade } from './audits.events';

// Monday 11 May 2026; the day before the late-May bank holiday weekend is Friday 22 May.
const now = '2026-05-11T10:00:00.000Z';
const auditId = 'a-1';
const { given, itRefuses } = deciderSpec(auditDecider);

const start: StartCaseAudit = {
  type: 'StartCaseAudit',
  now,
  auditId,
  caseRef: 'CASE-123',
  teamId: 'cin-north',
  auditorId: 'auditor',
  auditedOn: '2026-05-04',
  team: { status: 'open' },
  framework: { frameworkId: 'default', version: 2, domains: ['voice-of-child', 'planning'] },
};
const started: AuditEvent = {
  type: 'CaseAuditStarted',
  data: {
    auditId,
    caseRef: 'CASE-123',
    teamId: 'cin-north',
    auditorId: 'auditor',
    auditedOn: '2026-05-04',
    frameworkId: 'default',
    frameworkVersion: 2,
    domains: ['voice-of-child', 'planning'],
  },
};
const graded = (domain: string, grade: Grade): AuditEvent => ({
  type: 'DomainGraded',
  data: { auditId, domain, grade, evidence: '' },
});
const submitCommand = (overallGrade: string, submittedOn = '2026-05-08'): AuditCommand => ({
  type: 'SubmitAudit',
  now,
  auditId,
  submittedOn,
  overallGrade: overallGrade as never,
  strengths: ['Clear plan'],
  areasForDevelopment: [],
  teamManagerId: 'manager',
  immediateReviewActionId: 'review-1',
});
const submitted = (overallGrade = 'good'): AuditEvent => ({
  type: 'AuditSubmitted',
  data: {
    auditId,
    submittedOn: '2026-05-08',
    overallGrade: overallGrade as never,
    strengths: ['Clear plan'],
    areasForDevelopment: [],
  },
});
const moderationRequested: AuditEvent = { type: 'ModerationRequested', data: { auditId, moderatorId: 'moderator' } };
const moderate = (moderatorId = 'moderator', overallGrade = 'requires-improvement'): AuditCommand => ({
  type: 'ModerateAudit',
  now,
  auditId,
  moderatorId,
  overallGrade: overallGrade as never,
  agreed: false,
  rationale: 'Plan lacks timescales',
});
const moderated: AuditEvent = {
  type: 'AuditModerated',
  data: {
    auditId,
    moderatorId: 'moderator',
    overallGrade: 'requires-improvement',
    agreed: false,
    rationale: 'Plan lacks timescales',
    auditorOverallGrade: 'good',
  },
};
const actionRaised: AuditEvent = {
  type: 'AuditActionRaised',
  data: {
    auditId,
    actionId: 'act-1',
    description: 'Update the chronology',
    ownerId: 'worker',
    teamId: 'cin-north',
    raisedOn: '2026-05-08',
    dueOn: '2026-06-08',
  },
};
const raise = (extra: Partial<AuditCommand & { type: 'RaiseAuditAction' }> = {}): AuditCommand => ({
  type: 'RaiseAuditAction',
  now,
  auditId,
  actionId: 'act-1',
  description: 'Update the chronology',
  ownerId: 'worker',
  ownerKnown: true,
  raisedOn: '2026-05-08',
  ...extra,
});
/** The immediate review an inadequate grade raises, owned by the team's manager. */
const review = (raisedOn: string, dueOn: string, actionId = 'review-2'): AuditEvent => ({
  type: 'AuditActionRaised',
  data: {
    auditId,
    actionId,
    description: IMMEDIATE_REVIEW,
    ownerId: 'manager',
    teamId: 'cin-north',
    raisedOn,
    dueOn,
    immediateReview: true,
  },
});
/** A correction of one grade (a domain's or "overall"), and what it records. */
const correct = (domain: string, to: string, reason: string, correctedBy: string, facts = {}): AuditCommand =>
  ({ type: 'CorrectGrade', now, auditId, domain, to, reason, correctedBy, ...facts }) as AuditCommand;
const corrected = (domain: string, from: string, to: string, reason: string): AuditEvent =>
  ({ type: 'GradeCorrected', data: { auditId, domain, from, to, reason } }) as AuditEvent;
const base = [started, graded('planning', 'good')];

describe('audit decider', () => {
  describe('starting an audit', () => {
    it('records the framework version and its domains with the audit', () => given([]).when(start).then([started]));

    it('records the programme an audit belongs to', () =>
      given([])
        .when({ ...start, programmeId: 'p-1', programme: { from: '2026-05-01', to: '2026-05-31', teamIds: ['cin-north'] } })
        .then([{ ...started, data: { ...started.data, programmeId: 'p-1' } } as AuditEvent]));

    it('an audit id cannot be started twice', () => given([started]).when(start).thenThrows(AuditAlreadyStarted));

    itRefuses(
      [],
      [
        ['an audit is recorded against a registered team', { ...start, team: null }, UnknownTeam, /no team "cin-north"/],
        ['a closed team cannot be audited', { ...start, team: { status: 'closed' } }, TeamIsClosed],
        ['there must be a published framework', { ...start, framework: null }, NoAuditFramework],
        [
          'the audit date may not be more than a day in the future',
          { ...start, auditedOn: '2026-05-13' },
          BusinessDateInFuture,
          /auditedOn 13 May 2026/,
        ],
      ],
    );

    it('tomorrow is still accepted as an audit date (clock skew grace)', () =>
      given([])
        .when({ ...start, auditedOn: '2026-05-12' })
        .then([{ ...started, data: { ...started.data, auditedOn: '2026-05-12' } } as AuditEvent]));

    it('the programme must exist', () =>
      given([])
        .when({ ...start, programmeId: 'p-x', programme: null })
        .thenThrows(UnknownProgramme));

    it("the team must be one of the programme's teams", () =>
      given([])
        .when({ ...start, programmeId: 'p-1', programme: { from: '2026-05-01', to: '2026-05-31', teamIds: ['cp-east'] } })
        .thenThrows(TeamNotInProgramme));

    it("the audit date must be within the programme's period", () =>
      given([])
        .when({ ...start, programmeId: 'p-1', programme: { from: '2026-05-05', to: '2026-05-31', teamIds: ['cin-north'] } })
        .thenThrows(
          AuditedOutsideProgramme,
          /^The audit date 4 May 2026 is outside the programme's period \(5 May 2026 to 31 May 2026\)\.$/,
        ));
  });

  describe('grading domains', () => {
    it('a domain is graded with evidence', () =>
      given([started])
        .when({ type: 'GradeDomain', now, auditId, domain: 'planning', grade: 'good', evidence: 'SMART plan' })
        .then([{ type: 'DomainGraded', data: { auditId, domain: 'planning', grade: 'good', evidence: 'SMART plan' } }]));

    it('re-grading a domain before submission is a new event', () =>
      given([...base])
        .when({ type: 'GradeDomain', now, auditId, domain: 'planning', grade: 'inadequate', evidence: '' })
        .then([{ type: 'DomainGraded', data: { auditId, domain: 'planning', grade: 'inadequate', evidence: '' } }]));

    it("the domain must be in the audit's framework version", () =>
      given([started])
        .when({ type: 'GradeDomain', now, auditId, domain: 'supervision', grade: 'good', evidence: '' })
        .thenThrows(DomainNotInFramework, /voice-of-child, planning/));

    it('an audit that was never started cannot be graded', () =>
      given([])
        .when({ type: 'GradeDomain', now, auditId, domain: 'planning', grade: 'good', evidence: '' })
        .thenThrows(AuditNotFound));

    it('after submission a domain is not re-graded (a correction is needed)', () =>
      given([...base, submitted()])
        .when({ type: 'GradeDomain', now, auditId, domain: 'planning', grade: 'inadequate', evidence: '' })
        .thenThrows(AuditAlreadySubmitted));
  });

  describe('submitting', () => {
    it('an audit is submitted with an overall grade, strengths and areas for development', () =>
      given(base)
        .when(submitCommand('good'))
        .then([submitted('good')]));

    it('an audit needs an overall grade that is not "not-applicable"', () =>
      given(base).when(submitCommand('not-applicable')).thenThrows(OverallGradeRequired));

    it('an audit needs at least one domain graded on the four-point scale', () =>
      given([started, graded('planning', 'not-applicable')])
        .when(submitCommand('good'))
        .thenThrows(NoDomainGraded));

    it('an audit is submitted once', () =>
      given([...base, submitted()])
        .when(submitCommand('good'))
        .thenThrows(AuditAlreadySubmitted));

    it('the submission date may not be in the future', () =>
      given(base).when(submitCommand('good', '2026-05-20')).thenThrows(BusinessDateInFuture));

    it('the submission date may not be before the audit date', () =>
      given(base)
        .when(submitCommand('good', '2026-05-01'))
        .thenThrows(DateBeforeOtherDate, /^The submission date 1 May 2026 is before the audit date \d+ May 2026\.$/));

    it("an inadequate audit raises an immediate review owned by the team's manager, due 1 working day later", () =>
      given(base)
        .when(submitCommand('inadequate'))
        .then([
          submitted('inadequate'),
          // Friday 8 May 2026 -> due Monday 11 May (the weekend does not count).
          review('2026-05-08', '2026-05-11', 'review-1'),
        ]));

    it('the immediate review goes to the auditor when the team has no manager', () => {
      const events = auditDecider.decide(
        { ...(submitCommand('inadequate') as AuditCommand & { type: 'SubmitAudit' }), teamManagerId: null },
        [...base].reduce(auditDecider.evolve, auditDecider.initialState),
      );
      expect(events[1]).toMatchObject({ type: 'AuditActionRaised', data: { ownerId: 'auditor' } });
    });

    it('the immediate review skips bank holidays (Friday before the late-May bank holiday)', () => {
      const events = auditDecider.decide(
        submitCommand('inadequate', '2025-05-23') as AuditCommand,
        [{ ...started, data: { ...started.data, auditedOn: '2025-05-20' } } as AuditEvent, graded('planning', 'good')].reduce(
          auditDecider.evolve,
          auditDecider.initialState,
        ),
      );
      expect(events[1]).toMatchObject({ data: { raisedOn: '2025-05-23', dueOn: '2025-05-27' } });
    });
  });

  describe('correcting grades after submission', () => {
    it('a correction records the grade it replaces and the reason', () =>
      given([...base, submitted()])
        .when(correct('planning', 'requires-improvement', 'Misread plan', 'auditor'))
        .then([corrected('planning', 'good', 'requires-improvement', 'Misread plan')]));

    it('the overall grade is corrected from its effective (moderated) grade', () =>
      given([
        ...base,
        submitted(),
        moderationRequested,
        moderated,
        {
          type: 'ModerationDisagreementResolved',
          data: {
            auditId,
            resolvedBy: 'qa-lead',
            overallGrade: 'requires-improvement',
            rationale: 'x',
            auditorOverallGrade: 'good',
            moderatorOverallGrade: 'requires-improvement',
          },
        },
      ])
        .when(correct('overall', 'outstanding', 'New information', 'qa-manager'))
        .then([corrected('overall', 'requires-improvement', 'outstanding', 'New information')]));

    it("the auditor cannot correct a grade after moderation (it would overwrite the moderator's judgement)", () => {
      given([...base, submitted(), moderationRequested, moderated])
        .when(correct('overall', 'good', 'I disagree', 'auditor'))
        .thenThrows(AuditorCannotOverruleModeration, /moderator's judgement/);
      given([...base, submitted(), moderationRequested, moderated])
        .when(correct('planning', 'outstanding', 'x', 'auditor'))
        .thenThrows(AuditorCannotOverruleModeration);
    });

    it('a correction needs a reason that is not blank', () =>
      given([...base, submitted()])
        .when(correct('planning', 'inadequate', '   ', 'auditor'))
        .thenThrows(CorrectionReasonRequired));

    it('an audit in progress is not corrected (its grades change directly)', () =>
      given(base)
        .when(correct('planning', 'inadequate', 'x', 'auditor'))
        .thenThrows(AuditNotSubmitted));

    it('a correction must change the grade', () =>
      given([...base, submitted()])
        .when(correct('planning', 'good', 'x', 'auditor'))
        .thenThrows(GradeUnchanged));

    it('the overall grade cannot be corrected to "not-applicable"', () =>
      given([...base, submitted()])
        .when(correct('overall', 'not-applicable', 'x', 'auditor'))
        .thenThrows(OverallGradeRequired));

    it('the pending moderator cannot correct a grade before recording the moderation (moderation is blind)', () =>
      given([...base, submitted(), moderationRequested])
        .when(correct('planning', 'inadequate', 'x', 'moderator'))
        .thenThrows(BlindModeratorCannotCorrect));

    it('anyone else may correct while moderation is pending', () =>
      given([...base, submitted(), moderationRequested])
        .when(correct('planning', 'inadequate', 'x', 'auditor'))
        .then([corrected('planning', 'good', 'inadequate', 'x')]));

    it("a corrected domain must be in the audit's framework", () =>
      given([...base, submitted()])
        .when(correct('impact', 'good', 'x', 'auditor'))
        .thenThrows(DomainNotInFramework));
  });

  describe('moderation', () => {
    const request = (moderatorId = 'moderator', moderatorKnown = true): AuditCommand => ({
      type: 'RequestModeration',
      now,
      auditId,
      moderatorId,
      moderatorKnown,
    });

    it('moderation is requested from a second auditor', () =>
      given([...base, submitted()])
        .when(request())
        .then([moderationRequested]));

    itRefuses(
      [...base, submitted()],
      [
        ['an audit cannot be moderated by its own auditor', request('auditor'), ModeratorIsAuditor],
        ['the moderator must be an active user', request('ghost', false), UnknownUser, /moderator "ghost"/],
        ['moderation needs a request first', moderate(), NoModerationRequested],
      ],
    );

    it('only a submitted audit is moderated', () => given(base).when(request()).thenThrows(AuditNotSubmitted));

    it("the moderator's grade is recorded with the auditor's grade it was compared with", () =>
      given([...base, submitted(), moderationRequested])
        .when(moderate())
        .then([moderated]));

    itRefuses(
      [...base, submitted(), moderationRequested],
      [
        ['moderation is requested once', request('other'), ModerationAlreadyRequested],
        ['only the assigned moderator records the moderation', moderate('someone-else'), NotTheAssignedModerator],
        ['the auditor cannot record the moderation of their own audit', moderate('auditor'), ModeratorIsAuditor],
        ['the moderated overall grade is on the four-point scale', moderate('moderator', 'not-applicable'), OverallGradeRequired],
        [
          '"agreed" with a grade different from the auditor\'s is refused',
          { ...(moderate() as AuditCommand & { type: 'ModerateAudit' }), agreed: true },
          AgreedButGradedDifferently,
          /not the auditor's \(good\)/,
        ],
        [
          "moderated domain grades must be in the audit's framework",
          { ...(moderate() as AuditCommand & { type: 'ModerateAudit' }), domainGrades: { supervision: 'good' } },
          DomainNotInFramework,
        ],
      ],
    );

    it('a moderated audit is not moderated again (the first stays on record)', () =>
      given([...base, submitted(), moderationRequested, moderated])
        .when(moderate())
        .thenThrows(AuditAlreadyModerated));

    it('"agreed" with the auditor\'s own grade is recorded', () =>
      given([...base, submitted(), moderationRequested])
        .when({ ...(moderate('moderator', 'good') as AuditCommand & { type: 'ModerateAudit' }), agreed: true })
        .then([{ ...moderated, data: { ...moderated.data, overallGrade: 'good', agreed: true } } as AuditEvent]));

    it('a blind moderation that states no agreement agrees exactly when the two overall grades are the same', () => {
      const { agreed: _stated, ...unstated } = moderate('moderator', 'good') as AuditCommand & { type: 'ModerateAudit' };
      void _stated;
      given([...base, submitted(), moderationRequested])
        .when(unstated)
        .then([{ ...moderated, data: { ...moderated.data, overallGrade: 'good', agreed: true } } as AuditEvent]);
      const { agreed: _other, ...differing } = moderate() as AuditCommand & { type: 'ModerateAudit' };
      void _other;
      given([...base, submitted(), moderationRequested])
        .when(differing)
        .then([moderated]);
    });
  });

  describe('audit actions', () => {
    const completeAction = (completedOn: string, evidence = 'x'): AuditCommand => ({
      type: 'CompleteAuditAction',
      now,
      auditId,
      actionId: 'act-1',
      completedOn,
      evidence,
    });
    const actionCompleted = (evidence: string): AuditEvent => ({
      type: 'AuditActionCompleted',
      data: { auditId, actionId: 'act-1', completedOn: '2026-05-11', evidence },
    });
    const actionCancelled = (reason: string): AuditEvent => ({
      type: 'AuditActionCancelled',
      data: { auditId, actionId: 'act-1', cancelledOn: '2026-05-11', reason },
    });

    it('an action is due 20 working days after the day it was raised by default', () =>
      // Friday 8 May 2026 + 20 working days, skipping the 25 May bank holiday -> Monday 8 June.
      given(base).when(raise()).then([actionRaised]));

    it("an action's default due date counts the bank holidays an administrator recorded", () =>
      // Wednesday 13 May 2026 recorded as an extra bank holiday: 20 working days from 8 May end a day later.
      given(base)
        .when(raise({ calendar: workingDayCalendar([{ date: '2026-05-13' }]) }))
        .then([{ ...actionRaised, data: { ...actionRaised.data, dueOn: '2026-06-09' } } as AuditEvent]));

    it('an action may have its own due date', () =>
      given(base)
        .when(raise({ dueOn: '2026-05-15' }))
        .then([{ ...actionRaised, data: { ...actionRaised.data, dueOn: '2026-05-15' } } as AuditEvent]));

    it('action ids are unique within an audit', () =>
      given([...base, actionRaised])
        .when(raise())
        .thenThrows(AuditActionAlreadyRaised));

    itRefuses(base, [
      ['the owner must be an active user', raise({ ownerKnown: false }), UnknownUser, /action owner/],
      ['an action is not due before it was raised', raise({ dueOn: '2026-05-07' }), DateBeforeOtherDate],
      ['an action cannot be raised on a future date', raise({ raisedOn: '2026-05-20' }), BusinessDateInFuture],
    ]);

    it('an action is completed with evidence', () =>
      given([...base, actionRaised])
        .when(completeAction('2026-05-11', 'Done'))
        .then([actionCompleted('Done')]));

    it('only an existing action is completed', () =>
      given(base).when(completeAction('2026-05-11')).thenThrows(AuditActionNotFound));

    it('a completed action is not completed again', () =>
      given([...base, actionRaised, actionCompleted('x')])
        .when(completeAction('2026-05-11'))
        .thenThrows(AuditActionClosed, /already completed/));

    itRefuses(
      [...base, actionRaised],
      [
        ['an action is not completed before it was raised', completeAction('2026-05-01'), DateBeforeOtherDate],
        ['an action cannot be completed on a future date', completeAction('2026-05-30'), BusinessDateInFuture],
      ],
    );

    it('an action is cancelled with a reason', () =>
      given([...base, actionRaised])
        .when({ type: 'CancelAuditAction', now, auditId, actionId: 'act-1', cancelledOn: '2026-05-11', reason: 'Case closed' })
        .then([actionCancelled('Case closed')]));

    it('a cancelled action cannot be completed', () =>
      given([...base, actionRaised, actionCancelled('x')])
        .when(completeAction('2026-05-11'))
        .thenThrows(AuditActionClosed, /already cancelled/));
  });

  describe('an immediate review whenever the effective grade becomes inadequate', () => {
    const facts = { teamManagerId: 'manager', immediateReviewActionId: 'review-2' };
    const moderatedInadequate: AuditEvent = {
      type: 'AuditModerated',
      data: { ...(moderated.data as object), overallGrade: 'inadequate' } as never,
    };

    it('a moderator grading the case inadequate raises an immediate review', () =>
      given([...base, submitted('good'), moderationRequested])
        .when({ ...(moderate('moderator', 'inadequate') as AuditCommand & { type: 'ModerateAudit' }), ...facts })
        .then([moderatedInadequate, review('2026-05-11', '2026-05-12')]));

    it('the immediate review is due the next working day, counting the bank holidays an administrator recorded', () =>
      // Tuesday 12 May 2026 recorded as a bank holiday: the review raised on Monday 11 May is due on Wednesday 13 May.
      given([...base, submitted('good'), moderationRequested])
        .when({
          ...(moderate('moderator', 'inadequate') as AuditCommand & { type: 'ModerateAudit' }),
          ...facts,
          calendar: workingDayCalendar([{ date: '2026-05-12' }]),
        })
        .then([moderatedInadequate, review('2026-05-11', '2026-05-13')]));

    it('a correction that makes the overall grade inadequate raises an immediate review', () =>
      given([...base, submitted('requires-improvement')])
        .when(correct('overall', 'inadequate', 'Risk missed', 'auditor', facts))
        .then([corrected('overall', 'requires-improvement', 'inadequate', 'Risk missed'), review('2026-05-11', '2026-05-12')]));

    it('no second immediate review while one is open for the audit', () =>
      given([...base, submitted('good'), review('2026-05-08', '2026-05-11', 'review-1'), moderationRequested])
        .when({ ...(moderate('moderator', 'inadequate') as AuditCommand & { type: 'ModerateAudit' }), ...facts })
        .then([moderatedInadequate]));

    it('a case that becomes inadequate again after its review was completed gets a new review', () =>
      given([
        ...base,
        submitted('inadequate'),
        review('2026-05-08', '2026-05-11', 'review-1'),
        {
          type: 'AuditActionCompleted',
          data: { auditId, actionId: 'review-1', completedOn: '2026-05-08', evidence: 'Seen', safeguardingActionNeeded: false },
        },
        corrected('overall', 'inadequate', 'requires-improvement', 'x'),
      ])
        .when(correct('overall', 'inadequate', 'y', 'qa', facts))
        .then([corrected('overall', 'requires-improvement', 'inadequate', 'y'), review('2026-05-11', '2026-05-12')]));

    it('a resolution of a disagreement that makes the case inadequate raises an immediate review', () =>
      given([...base, submitted('good'), moderationRequested, moderated])
        .when({
          type: 'ResolveModerationDisagreement',
          now,
          auditId,
          resolvedBy: 'qa-manager',
          overallGrade: 'inadequate',
          rationale: 'Risk not assessed',
          ...facts,
        })
        .then([
          {
            type: 'ModerationDisagreementResolved',
            data: {
              auditId,
              resolvedBy: 'qa-manager',
              overallGrade: 'inadequate',
              rationale: 'Risk not assessed',
              auditorOverallGrade: 'good',
              moderatorOverallGrade: 'requires-improvement',
            },
          },
          review('2026-05-11', '2026-05-12'),
        ]));
  });

  describe('a disagreement between auditor and moderator is resolved by a third decision', () => {
    const resolve = (resolvedBy = 'qa-manager', rationale = 'Plan lacks timescales but child seen'): AuditCommand => ({
      type: 'ResolveModerationDisagreement',
      now,
      auditId,
      resolvedBy,
      overallGrade: 'good',
      rationale,
    });
    const resolved: AuditEvent = {
      type: 'ModerationDisagreementResolved',
      data: {
        auditId,
        resolvedBy: 'qa-manager',
        overallGrade: 'good',
        rationale: 'Plan lacks timescales but child seen',
        auditorOverallGrade: 'good',
        moderatorOverallGrade: 'requires-improvement',
      },
    };

    it('the third decision is recorded beside both grades and becomes the effective grade', () => {
      given([...base, submitted(), moderationRequested, moderated])
        .when(resolve())
        .then([resolved]);
      // The effective grade is the resolution: a later correction starts from it.
      given([...base, submitted(), moderationRequested, moderated, resolved])
        .when(correct('overall', 'good', 'x', 'qa-manager'))
        .thenThrows(GradeUnchanged, /already good/);
    });

    it('neither the auditor nor the moderator resolves their own disagreement', () => {
      given([...base, submitted(), moderationRequested, moderated])
        .when(resolve('auditor'))
        .thenThrows(ResolverNotIndependent);
      given([...base, submitted(), moderationRequested, moderated])
        .when(resolve('moderator'))
        .thenThrows(ResolverNotIndependent);
    });

    it('there must be a disagreement: a moderated audit with the same grade, or no moderation, has none', () => {
      given([...base, submitted(), moderationRequested])
        .when(resolve())
        .thenThrows(NoModerationDisagreement);
      given([
        ...base,
        submitted(),
        moderationRequested,
        { ...moderated, data: { ...moderated.data, overallGrade: 'good', agreed: true } } as AuditEvent,
      ])
        .when(resolve())
        .thenThrows(NoModerationDisagreement);
    });

    it("a third person's correction of the overall grade during a disagreement is recorded as the decision on it", () =>
      given([...base, submitted(), moderationRequested, moderated])
        .when(correct('overall', 'good', 'Plan lacks timescales but child seen', 'qa-manager'))
        .then([resolved]));

    it('a disagreement is resolved once', () =>
      given([...base, submitted(), moderationRequested, moderated, resolved])
        .when(resolve('qa-lead'))
        .thenThrows(DisagreementAlreadyResolved));

    it('a resolution needs a rationale', () =>
      given([...base, submitted(), moderationRequested, moderated])
        .when(resolve('qa-manager', '  '))
        .thenThrows(ResolutionRationaleRequired));
  });

  describe("the immediate review records the reviewer's answer", () => {
    const reviewRaised = review('2026-05-08', '2026-05-11', 'review-1');
    const complete = (safeguardingActionNeeded?: boolean, evidence = 'Strategy discussion held; child seen'): AuditCommand => ({
      type: 'CompleteAuditAction',
      now,
      auditId,
      actionId: 'review-1',
      completedOn: '2026-05-11',
      evidence,
      ...(safeguardingActionNeeded !== undefined ? { safeguardingActionNeeded } : {}),
    });

    it('completing an immediate review records whether immediate safeguarding action was needed and what was done', () =>
      given([...base, submitted('inadequate'), reviewRaised])
        .when(complete(true))
        .then([
          {
            type: 'AuditActionCompleted',
            data: {
              auditId,
              actionId: 'review-1',
              completedOn: '2026-05-11',
              evidence: 'Strategy discussion held; child seen',
              safeguardingActionNeeded: true,
            },
          },
        ]));

    it('an immediate review is not completed without the answer', () =>
      given([...base, submitted('inadequate'), reviewRaised])
        .when(complete())
        .thenThrows(ImmediateReviewNeedsAnswer, /immediate safeguarding action/));

    it('an immediate review cannot be cancelled as not needed', () =>
      given([...base, submitted('inadequate'), reviewRaised])
        .when({ type: 'CancelAuditAction', now, auditId, actionId: 'review-1', cancelledOn: '2026-05-11', reason: 'Not needed' })
        .thenThrows(ImmediateReviewCannotBeCancelled));
  });

  describe('limiting domains and an overall grade the domains support', () => {
    const limitingStarted: AuditEvent = {
      type: 'CaseAuditStarted',
      data: {
        ...(started.data as object),
        domains: ['voice-of-child', 'planning', 'visits'],
        limitingDomains: ['planning'],
      } as never,
    };
    const submit = (overallGrade: string, overallGradeReason?: string): AuditCommand => ({
      ...(submitCommand(overallGrade) as AuditCommand & { type: 'SubmitAudit' }),
      ...(overallGradeReason !== undefined ? { overallGradeReason } : {}),
    });

    it("the framework's limiting domains are recorded with the audit", () =>
      given([])
        .when({
          ...start,
          framework: {
            frameworkId: 'default',
            version: 2,
            domains: ['voice-of-child', 'planning'],
            limitingDomains: ['planning'],
          },
        })
        .then([{ ...started, data: { ...(started.data as object), limitingDomains: ['planning'] } } as AuditEvent]));

    it('an inadequate limiting domain makes the case inadequate overall unless a reason is recorded', () => {
      const history = [limitingStarted, graded('planning', 'inadequate'), graded('visits', 'requires-improvement')];
      given(history)
        .when(submit('requires-improvement'))
        .thenThrows(LimitingDomainInadequate, /planning is a limiting domain/);
      given(history)
        .when(submit('requires-improvement', 'Plan out of date but a safety plan is in place and working'))
        .then([
          {
            type: 'AuditSubmitted',
            data: {
              auditId,
              submittedOn: '2026-05-08',
              overallGrade: 'requires-improvement',
              strengths: ['Clear plan'],
              areasForDevelopment: [],
              overallGradeReason: 'Plan out of date but a safety plan is in place and working',
            },
          },
        ]);
    });

    it('an inadequate domain that is not limiting does not cap the overall grade (one grade better is supported)', () =>
      given([limitingStarted, graded('visits', 'inadequate'), graded('planning', 'requires-improvement')])
        .when(submit('requires-improvement'))
        .then([{ ...submitted('requires-improvement') }]));

    it('an overall grade more than one grade better than the worst domain needs a recorded reason', () => {
      const three = [
        limitingStarted,
        graded('voice-of-child', 'inadequate'),
        graded('visits', 'inadequate'),
        graded('planning', 'good'),
      ];
      given(three)
        .when(submit('outstanding'))
        .thenThrows(OverallBetterThanDomainsSupport, /voice-of-child, visits \(inadequate\)/);
      given([...base, graded('voice-of-child', 'requires-improvement')])
        .when(submit('outstanding'))
        .thenThrows(OverallBetterThanDomainsSupport);
      given([...base, graded('voice-of-child', 'requires-improvement')])
        .when(submit('outstanding', 'Exceptional direct work'))
        .then([
          {
            ...submitted('outstanding'),
            data: { ...(submitted('outstanding').data as object), overallGradeReason: 'Exceptional direct work' },
          } as AuditEvent,
        ]);
    });

    it('audits of older frameworks (no limiting domains recorded) replay and submit as before', () =>
      given([...base, graded('voice-of-child', 'inadequate')])
        .when(submit('requires-improvement'))
        .then([submitted('requires-improvement')]));
  });
});
