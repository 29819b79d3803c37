import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedEvent } from '@casetrail/event-store';
import { describeEvent, entityLabel, EVENT_DESCRIBERS } from './event-describers';

const USERS = new Map([
  ['u-quinn', 'Quinn Qa'],
  ['u-mo', 'Mo Moderator'],
  ['u-tom', 'Tom Manager'],
  ['u-ira', 'Ira Iro'],
  ['u-lee', 'Lee Lead'],
  ['u-ann', 'Ann Board'],
  ['u-admin', 'A. Admin'],
]);

/** The sentence for one event, as the changes report and the trail pages build it. */
function say(streamId: string, type: string, data: Record<string, unknown>, actorId = 'u-quinn'): string {
  const event = { type, streamId, data } as unknown as RecordedEvent;
  return describeEvent(event, {
    actor: USERS.get(actorId) ?? actorId,
    entity: entityLabel(streamId),
    nameOf: (id) => USERS.get(id),
  });
}

const DISPUTE = 'dispute-0dea5b2c-1c4e-4f7a-9b61-2f3d4e5a6b7c';
const ACTION = 'action-2c25e0f1-8a9b-4c3d-9e2f-1a2b3c4d5e6f';

describe('changes in words', () => {
  it('audits: frameworks, programmes, grading, submission, moderation and audit actions', () => {
    expect(
      say(
        'auditframework-default',
        'AuditFrameworkPublished',
        {
          frameworkId: 'default',
          version: 2,
          domains: [
            { key: 'voice-of-child', title: 'Voice of the child', guidance: '...' },
            { key: 'planning', title: 'Planning', guidance: '...' },
            { key: 'management-oversight', title: 'Management oversight', guidance: '...' },
          ],
        },
        'u-admin',
      ),
    ).toBe(
      'Audit framework default: version 2 published with 3 domains (Voice of the child, Planning and Management oversight) by A. Admin',
    );
    expect(
      say('auditprogramme-pb', 'AuditProgrammeCreated', {
        programmeId: 'pb',
        title: 'Pre-birth assessments',
        kind: 'thematic',
        theme: 'pre-birth',
        from: '2020-04-01',
        to: '2020-06-30',
        teamIds: ['north', 'south'],
      }),
    ).toBe(
      'Audit programme pb: "Pre-birth assessments" (thematic audit, theme "pre birth") created for teams north and south, 1 April 2020 to 30 June 2020, by Quinn Qa',
    );
    expect(
      say('audit-pb-0001', 'CaseAuditStarted', {
        auditId: 'pb-0001',
        caseRef: 'C-123456',
        teamId: 'north',
        auditorId: 'u-quinn',
        auditedOn: '2026-11-20',
        programmeId: 'pb',
        frameworkId: 'default',
        frameworkVersion: 2,
        domains: ['voice-of-child', 'planning'],
      }),
    ).toBe(
      'Audit pb-0001: started on case C-123456 (team north) by Quinn Qa, audited on 20 November 2026 in programme pb, against framework default version 2 (2 domains)',
    );
    expect(
      say('audit-pb-0001', 'DomainGraded', {
        auditId: 'pb-0001',
        domain: 'voice-of-child',
        grade: 'inadequate',
        evidence: 'enc:v1:k1:AAAA',
      }),
    ).toBe('Audit pb-0001: domain "voice of child" graded inadequate by Quinn Qa');
    expect(
      say('audit-pb-0001', 'AuditSubmitted', {
        auditId: 'pb-0001',
        submittedOn: '2026-11-20',
        overallGrade: 'requires-improvement',
        strengths: ['Child seen alone'],
        areasForDevelopment: ['No chronology', 'Plan not SMART'],
        childAndFamilyFeedback: 'enc:v1:k1:BBBB',
      }),
    ).toBe(
      'Audit pb-0001: submitted with overall grade requires improvement by Quinn Qa (1 strength, 2 areas for development and child and family feedback recorded)',
    );
    expect(
      say('audit-pb-0001', 'GradeCorrected', {
        auditId: 'pb-0001',
        domain: 'overall',
        from: 'good',
        to: 'requires-improvement',
        reason: 'Supervision gap missed',
      }),
    ).toBe(
      'Audit pb-0001: overall grade corrected from good to requires improvement by Quinn Qa: reason "Supervision gap missed"',
    );
    // The trail list reads the stored shape: an encrypted reason is never printed.
    expect(
      say('audit-pb-0001', 'GradeCorrected', {
        auditId: 'pb-0001',
        domain: 'planning',
        from: null,
        to: 'good',
        reason: 'enc:v1:k1:CCCC',
      }),
    ).toBe('Audit pb-0001: domain "planning" corrected from ungraded to good by Quinn Qa: reason (encrypted)');
    expect(say('audit-pb-0001', 'ModerationRequested', { auditId: 'pb-0001', moderatorId: 'u-mo' })).toBe(
      'Audit pb-0001: moderation by Mo Moderator requested by Quinn Qa',
    );
    expect(
      say(
        'audit-pb-0001',
        'AuditModerated',
        {
          auditId: 'pb-0001',
          moderatorId: 'u-mo',
          overallGrade: 'inadequate',
          domainGrades: { 'voice-of-child': 'inadequate', planning: 'requires-improvement' },
          agreed: false,
          rationale: 'enc:v1:k1:DDDD',
          auditorOverallGrade: 'requires-improvement',
        },
        'u-mo',
      ),
    ).toBe(
      'Audit pb-0001: moderated by Mo Moderator, who disagreed: overall grade inadequate where the auditor graded it requires improvement, with 2 domain grades',
    );
    expect(
      say('audit-pb-0001', 'AuditActionRaised', {
        auditId: 'pb-0001',
        actionId: 'pb-0001-a1',
        description: 'Immediate review: is immediate safeguarding action needed?',
        ownerId: 'u-tom',
        teamId: 'north',
        raisedOn: '2026-11-20',
        dueOn: '2026-11-23',
        immediateReview: true,
      }),
    ).toBe('Audit pb-0001: immediate review pb-0001-a1 for Tom Manager (team north), due 23 November 2026, raised by Quinn Qa');
    expect(
      say(
        'audit-pb-0001',
        'AuditActionCompleted',
        { auditId: 'pb-0001', actionId: 'pb-0001-a1', completedOn: '2026-11-23', evidence: '[erased]' },
        'u-tom',
      ),
    ).toBe('Audit pb-0001: action pb-0001-a1 completed by Tom Manager, with evidence recorded');
    expect(
      say('audit-pb-0001', 'AuditActionCancelled', {
        auditId: 'pb-0001',
        actionId: 'pb-0001-a2',
        cancelledOn: '2026-11-24',
        reason: 'Duplicate of a1',
      }),
    ).toBe('Audit pb-0001: action pb-0001-a2 cancelled by Quinn Qa: reason "Duplicate of a1"');
    expect(
      say(
        'audit-pb-0001',
        'AuditActionCompleted',
        {
          auditId: 'pb-0001',
          actionId: 'pb-0001-a1',
          completedOn: '2026-11-23',
          evidence: 'enc:v1:k1:EEEE',
          safeguardingActionNeeded: false,
        },
        'u-tom',
      ),
    ).toBe(
      'Audit pb-0001: immediate review pb-0001-a1 completed by Tom Manager: no immediate safeguarding action was needed, with evidence recorded',
    );
    expect(
      say('audit-pb-0001', 'ModerationDisagreementResolved', {
        auditId: 'pb-0001',
        resolvedBy: 'u-quinn',
        overallGrade: 'inadequate',
        rationale: 'enc:v1:k1:FFFF',
        auditorOverallGrade: 'requires-improvement',
        moderatorOverallGrade: 'inadequate',
      }),
    ).toBe(
      'Audit pb-0001: disagreement between auditor (requires improvement) and moderator (inadequate) resolved by Quinn Qa: overall grade inadequate, with a rationale recorded',
    );
  });

  it('disputes: protocol, raising, escalation, responses, resolution, Cafcass and good practice', () => {
    expect(
      say(
        'dispute-protocol',
        'DisputeProtocolPublished',
        {
          version: 1,
          stages: [
            { key: 'informal', title: 'Informal', respondentRole: 'team manager', responseWorkingDays: 5 },
            { key: 'stage-1', title: 'Stage 1', respondentRole: 'head of service', responseWorkingDays: 5 },
            { key: 'stage-2', title: 'Stage 2', respondentRole: 'assistant director', responseWorkingDays: 5 },
          ],
          formalTargetWorkingDays: 20,
        },
        'u-admin',
      ),
    ).toBe(
      'Dispute protocol: version 1 published by A. Admin: 3 stages, Informal (team manager, 5 working days), Stage 1 (head of service, 5 working days) and Stage 2 (assistant director, 5 working days); the formal process within 20 working days',
    );
    expect(
      say(
        DISPUTE,
        'DisputeRaised',
        {
          disputeId: DISPUTE.slice(8),
          childRef: 'CH-42',
          teamId: 'north',
          raisedBy: 'u-ira',
          raisedOn: '2026-11-02',
          category: 'care-plan',
          summary: 'enc:v1:k2:AAAA',
          desiredOutcome: 'enc:v1:k2:BBBB',
          stage: 'informal',
          protocol: { version: 1, stages: [], formalTargetWorkingDays: 20 },
        },
        'u-admin',
      ),
    ).toBe(
      `Dispute ${DISPUTE.slice(8)}: raised at the informal stage about child CH-42 (team north), category care plan, by Ira Iro (recorded by A. Admin)`,
    );
    expect(
      say(
        DISPUTE,
        'DisputeEscalated',
        {
          disputeId: DISPUTE.slice(8),
          fromStage: 'informal',
          toStage: 'stage-2',
          escalatedOn: '2026-11-09',
          reason: 'No panel date',
          bypassed: ['stage-1'],
        },
        'u-ira',
      ),
    ).toBe(
      `Dispute ${DISPUTE.slice(8)}: escalated from informal to stage 2 (stage 1 bypassed) by Ira Iro: reason "No panel date"`,
    );
    expect(
      say(
        DISPUTE,
        'DisputeResponseRecorded',
        {
          disputeId: DISPUTE.slice(8),
          stage: 'stage-2',
          respondentId: 'u-ira',
          respondentName: 'J. Patel, Head of Service',
          respondedOn: '2026-11-12',
          response: 'enc:v1:k2:CCCC',
          satisfactory: false,
        },
        'u-ira',
      ),
    ).toBe(
      `Dispute ${DISPUTE.slice(8)}: a response at stage 2 (from J. Patel, Head of Service) was recorded by Ira Iro, judged unsatisfactory`,
    );
    expect(
      say(
        DISPUTE,
        'DisputeResolved',
        { disputeId: DISPUTE.slice(8), resolvedOn: '2026-11-20', outcome: 'partly-resolved', note: 'enc:v1:k2:DDDD' },
        'u-ira',
      ),
    ).toBe(`Dispute ${DISPUTE.slice(8)}: closed as partly resolved by Ira Iro`);
    expect(
      say(DISPUTE, 'DisputeReopened', { disputeId: DISPUTE.slice(8), reopenedOn: '2026-11-25', reason: '[erased]' }, 'u-ira'),
    ).toBe(`Dispute ${DISPUTE.slice(8)}: reopened by Ira Iro: reason (erased)`);
    const long = 'Drift in matching for over six months and no response from the head of service at stage two of the protocol';
    expect(
      say(DISPUTE, 'DisputeReferredToCafcass', { disputeId: DISPUTE.slice(8), referredOn: '2026-11-26', reason: long }, 'u-ira'),
    ).toBe(
      `Dispute ${DISPUTE.slice(8)}: referred to Cafcass by Ira Iro: reason "Drift in matching for over six months and no response from the head of service…"`,
    );
    expect(
      say(
        'good-practice-alert-ga-7',
        'GoodPracticeAlertRaised',
        { alertId: 'ga-7', childRef: 'CH-42', teamId: 'north', raisedBy: 'u-ira', raisedOn: '2026-11-02', summary: 'x' },
        'u-ira',
      ),
    ).toBe('Good practice alert ga-7: raised about child CH-42 (team north) by Ira Iro');
  });

  it('plans: the plan, priorities, recommendations and the life of an action', () => {
    expect(
      say(
        'plan-p1',
        'ImprovementPlanCreated',
        {
          planId: 'p1',
          title: 'Improving outcomes for children',
          trigger: { kind: 'ofsted-inspection', date: '2026-10-09', judgement: 'inadequate' },
          ownerId: 'u-lee',
        },
        'u-admin',
      ),
    ).toBe(
      'Plan p1: improvement plan "Improving outcomes for children" created by A. Admin, owned by Lee Lead, after the Ofsted inspection of 9 October 2026 (judged inadequate)',
    );
    expect(say('plan-p1', 'PriorityAdded', { planId: 'p1', priorityId: 'pr1', title: 'Quality of practice' }, 'u-lee')).toBe(
      'Plan p1: priority "Quality of practice" added by Lee Lead',
    );
    expect(
      say(
        'plan-p1',
        'RecommendationAdded',
        {
          planId: 'p1',
          recommendationId: 'r1',
          text: 'Management oversight and supervision of frontline practice',
          timescale: 'within-3-months',
          dueOn: '2027-01-09',
        },
        'u-lee',
      ),
    ).toBe(
      'Plan p1: recommendation "Management oversight and supervision of frontline practice" added by Lee Lead, to be met within three months (due 9 January 2027)',
    );
    const id = ACTION.slice(7);
    const added = {
      actionId: id,
      planId: 'p1',
      priorityId: 'pr1',
      recommendationIds: ['r1'],
      title: 'Monthly supervision audit',
      ownerId: 'u-tom',
      teamIds: ['north'],
      startOn: '2026-11-01',
      dueOn: '2026-11-20',
      successMeasure: '95% of supervisions on time',
    };
    expect(say(ACTION, 'ActionAdded', { ...added, indicatorCode: 'SUP-1' }, 'u-lee')).toBe(
      `Action ${id}: "Monthly supervision audit" added to plan p1 by Lee Lead, owned by Tom Manager for team north, 1 November 2026 to 20 November 2026, measured by indicator SUP-1`,
    );
    expect(say(ACTION, 'ActionAdded', { ...added, dueAfterRecommendations: ['r1'] }, 'u-lee')).toBe(
      `Action ${id}: "Monthly supervision audit" added to plan p1 by Lee Lead, owned by Tom Manager for team north, 1 November 2026 to 20 November 2026; warning: due after recommendation r1 is to be met`,
    );
    expect(
      say(
        ACTION,
        'ActionProgressReported',
        { actionId: id, reportedOn: '2026-11-10', note: 'Two teams behind', confidence: 'at-risk', evidence: 'Tracker' },
        'u-tom',
      ),
    ).toBe(`Action ${id}: progress reported by Tom Manager, confidence at risk, with evidence`);
    expect(
      say(
        ACTION,
        'ActionDueDateRevised',
        {
          actionId: id,
          newDueOn: '2026-12-04',
          previousDueOn: '2026-11-20',
          reason: 'Board agreed extension',
          approvedBy: 'u-ann',
          revisedOn: '2026-11-15',
        },
        'u-lee',
      ),
    ).toBe(
      `Action ${id}: due date moved from 20 November 2026 to 4 December 2026 by Lee Lead, approved by Ann Board: reason "Board agreed extension"`,
    );
    expect(say(ACTION, 'ActionCompleted', { actionId: id, completedOn: '2026-12-01', evidence: 'Audit report' }, 'u-tom')).toBe(
      `Action ${id}: completed by Tom Manager, with evidence recorded, awaiting verification`,
    );
    expect(
      say(ACTION, 'ActionCompletionVerified', { actionId: id, verifiedBy: 'u-lee', verifiedOn: '2026-12-02' }, 'u-lee'),
    ).toBe(`Action ${id}: completion verified by Lee Lead`);
    expect(
      say(ACTION, 'ActionReopened', { actionId: id, reason: 'Evidence did not show impact', reopenedOn: '2026-12-03' }, 'u-lee'),
    ).toBe(`Action ${id}: reopened by Lee Lead: reason "Evidence did not show impact"`);
  });

  it('indicators: definitions, targets, measurements and corrections', () => {
    expect(
      say(
        'indicator-CON-24H',
        'IndicatorDefined',
        {
          code: 'CON-24H',
          name: 'Contacts completed within 24 hours',
          unit: 'percent',
          polarity: 'higher-is-better',
          target: 95,
          tolerance: 2.5,
          frequency: 'monthly',
        },
        'u-lee',
      ),
    ).toBe(
      'Indicator CON-24H: defined as "Contacts completed within 24 hours" by Lee Lead, measured monthly, higher is better, target 95% (tolerance 2.5%)',
    );
    expect(
      say(
        'indicator-CON-24H',
        'IndicatorTargetChanged',
        { code: 'CON-24H', target: 90, tolerance: 5, from: '2020-10-01' },
        'u-lee',
      ),
    ).toBe('Indicator CON-24H: target set to 90 (tolerance 5) by Lee Lead, for periods ending on or after 1 October 2020');
    expect(
      say(
        'indicator-CON-24H',
        'MeasurementRecorded',
        { code: 'CON-24H', teamId: 'north', period: '2020/21 Q1', value: 68.1, numerator: 681, denominator: 1000 },
        'u-lee',
      ),
    ).toBe('Indicator CON-24H: 68.1 (681 of 1,000) recorded for 2020/21 Q1 for team north by Lee Lead');
    expect(
      say(
        'indicator-CON-24H',
        'MeasurementCorrected',
        { code: 'CON-24H', period: '2020/21 Q1', value: 70.2, previousValue: 68.1, reason: 'Late returns added' },
        'u-lee',
      ),
    ).toBe('Indicator CON-24H: measurement for 2020/21 Q1 corrected from 68.1 to 70.2 by Lee Lead: reason "Late returns added"');
  });

  it('self-assessments: the quarterly score, not the free text', () => {
    expect(
      say(
        'self-assessment-mash-assessment-2020-21-Q1',
        'SelfAssessmentRecorded',
        {
          service: 'mash-assessment',
          period: '2020/21 Q1',
          score: 6,
          whatWeKnow: 'Contacts are timely',
          howWeKnow: 'Audits',
          whatNext: 'Improve supervision',
        },
        'u-lee',
      ),
    ).toBe(
      'Self-assessment mash-assessment-2020-21-Q1: mash assessment recorded its self-assessment for 2020/21 Q1, scoring itself 6 out of 10, by Lee Lead',
    );
    const decimalAndBlank = [6.5, undefined].map((score) =>
      say(
        'self-assessment-cwd-2020-21-Q2',
        'SelfAssessmentRecorded',
        {
          service: 'cwd',
          period: '2020/21 Q2',
          ...(score === undefined ? {} : { score }),
          whatWeKnow: 'a',
          howWeKnow: 'b',
          whatNext: 'c',
        },
        'u-lee',
      ),
    );
    expect(decimalAndBlank).toEqual([
      'Self-assessment cwd-2020-21-Q2: cwd recorded its self-assessment for 2020/21 Q2, scoring itself 6.5 out of 10, by Lee Lead',
      'Self-assessment cwd-2020-21-Q2: cwd recorded its self-assessment for 2020/21 Q2, giving no score, by Lee Lead',
    ]);
  });

  it('teams, users and erasure: never a hash, days written out', () => {
    expect(
      say('team-north', 'TeamClosed', { teamId: 'north', closedOn: '2026-03-31', reason: 'Merged into East' }, 'u-admin'),
    ).toBe('Team north: closed on 31 March 2026 by A. Admin: reason "Merged into East"');
    const hash = 'scrypt$16384$8$1$c2FsdA$a2V5';
    const password = say(
      'user-u-tom',
      'UserPasswordSet',
      { userId: 'u-tom', username: 'tmanager', passwordHash: hash },
      'u-admin',
    );
    expect(password).toBe('User u-tom: sign-in password set for username "tmanager" by A. Admin');
    expect(password).not.toContain('scrypt');
    expect(
      say(
        'user-u-tom',
        'UserTokenIssued',
        { userId: 'u-tom', tokenId: 't1', tokenHash: 'abc123', label: 'laptop', expiresAt: '2027-02-01T09:30:00.000Z' },
        'u-admin',
      ),
    ).toBe('User u-tom: access token "laptop" issued by A. Admin, valid until 1 February 2027');
    expect(
      say(
        'subject-erasures',
        'SubjectErased',
        { subjectRef: 'CH-42', keyId: 'k2', reason: 'Retention period ended', erasedOn: '2026-12-01' },
        'u-admin',
      ),
    ).toBe(
      'Subject erasures: the records about CH-42 were erased (their key destroyed) by A. Admin: reason "Retention period ended"',
    );
  });

  it('falls back to the generic sentence for an older or unexpected shape, never throwing', () => {
    for (const type of Object.keys(EVENT_DESCRIBERS)) {
      for (const data of [{}, { reason: 'x' }, null, { domains: 'x', stages: 3, teamIds: 'north', trigger: 1 }]) {
        const text = say('thing-1', type, data as Record<string, unknown>);
        expect(text).toMatch(/^Thing 1: /);
        expect(text).not.toMatch(/undefined|NaN|\[object Object\]/);
      }
    }
    expect(say('audit-1', 'DomainGraded', { auditId: '1', domain: 'planning' })).toBe(
      'Audit 1: DomainGraded on audit-1 by Quinn Qa',
    );
  });

  it('has words for every event type declared in src/', () => {
    const root = join(__dirname, '..');
    const files = (readdirSync(root, { recursive: true }) as string[]).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'),
    );
    const declared = new Set<string>();
    for (const file of files) {
      for (const m of readFileSync(join(root, file), 'utf8').matchAll(/DomainEvent<\s*'([A-Za-z]+)'/g)) declared.add(m[1]);
    }
    // The *.events.ts files are the main source; a type declared elsewhere (SubjectErased) counts too.
    expect(files.filter((f) => f.endsWith('.events.ts')).length).toBeGreaterThanOrEqual(7);
    expect(declared).toContain('DomainGraded');
    expect(declared).toContain('SubjectErased');
    expect([...declared].filter((type) => !(type in EVENT_DESCRIBERS)).sort()).toEqual([]);
  });
});
