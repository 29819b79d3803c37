import { ProjectionHarness } from '@casetrail/testing';
import type { AuditEvent } from '../audits.events';
import { AuditActionRow, AuditGradeRow, AuditRow, auditsProjection, gradesOf, latestChange } from './audit.projection';

describe('audits projection', () => {
  const h = ProjectionHarness.perTest(auditsProjection);

  const auditId = 'a-1';
  const history: AuditEvent[] = [
    {
      type: 'CaseAuditStarted',
      data: {
        auditId,
        caseRef: 'CASE-1',
        teamId: 'cin-north',
        auditorId: 'auditor',
        auditedOn: '2026-04-01',
        frameworkId: 'default',
        frameworkVersion: 1,
        domains: ['planning', 'visits'],
      },
    },
    { type: 'DomainGraded', data: { auditId, domain: 'planning', grade: 'requires-improvement', evidence: 'No dates' } },
    { type: 'DomainGraded', data: { auditId, domain: 'visits', grade: 'good', evidence: 'Seen alone' } },
    {
      type: 'AuditSubmitted',
      data: { auditId, submittedOn: '2026-04-02', overallGrade: 'inadequate', strengths: ['Visits'], areasForDevelopment: [] },
    },
    {
      type: 'AuditActionRaised',
      data: {
        auditId,
        actionId: 'review',
        description: 'Immediate review',
        ownerId: 'manager',
        teamId: 'cin-north',
        raisedOn: '2026-04-02',
        dueOn: '2026-04-07',
        immediateReview: true,
      },
    },
    { type: 'ModerationRequested', data: { auditId, moderatorId: 'moderator' } },
    {
      type: 'AuditModerated',
      data: {
        auditId,
        moderatorId: 'moderator',
        overallGrade: 'requires-improvement',
        domainGrades: { planning: 'inadequate' },
        agreed: false,
        rationale: 'Safety plan in place',
        auditorOverallGrade: 'inadequate',
      },
    },
    // After moderation, a correction is the latest fact and wins.
    {
      type: 'GradeCorrected',
      data: { auditId, domain: 'planning', from: 'inadequate', to: 'requires-improvement', reason: 'Plan found' },
    },
    { type: 'AuditActionCompleted', data: { auditId, actionId: 'review', completedOn: '2026-04-07', evidence: 'Reviewed' } },
  ];

  it('keeps the auditor grades as history and the effective grades current, in event order', async () => {
    await h.record(`audit-${auditId}`, history);
    await h.project();
    const [audit] = await h.rows(AuditRow, 'auditId');
    expect(audit).toMatchObject({
      status: 'moderated',
      overallGrade: 'inadequate',
      effectiveOverallGrade: 'requires-improvement',
      moderatorId: 'moderator',
      submittedOn: '2026-04-02',
      revision: '7', // the correction: the action's completion (8) changed only the action's row
    });
    // The domain grades are narrow rows of their own: the auditor's grade and the effective one.
    const { grades, effectiveDomainGrades } = gradesOf(await h.rows(AuditGradeRow, 'seq'));
    expect(grades.planning).toMatchObject({ grade: 'requires-improvement', evidence: 'No dates' });
    expect(effectiveDomainGrades).toEqual({ planning: 'requires-improvement', visits: 'good' });
    expect(Object.keys(audit.detail)).not.toContain('grades');
    expect(audit.detail.moderation).toMatchObject({ status: 'moderated', overallGrade: 'requires-improvement', agreed: false });
    expect(audit.detail.corrections).toEqual([expect.objectContaining({ domain: 'planning', reason: 'Plan found' })]);
    const actions = await h.rows(AuditActionRow, 'actionId');
    expect(actions).toEqual([
      expect.objectContaining({
        actionId: 'review',
        caseRef: 'CASE-1',
        status: 'completed',
        closedOn: '2026-04-07',
        immediateReview: 'yes',
        revision: '8',
      }),
    ]);
    // The audit's revision is the latest change of its row, its grades and its actions.
    expect(latestChange(audit, await h.rows(AuditGradeRow, 'seq'), actions).revision).toBe('8');
  });

  it("a disagreement's third decision is kept beside both grades and becomes the effective grade; an immediate review keeps its answer", async () => {
    await h.record(`audit-${auditId}`, [
      ...history.slice(0, 7),
      {
        type: 'ModerationDisagreementResolved',
        data: {
          auditId,
          resolvedBy: 'qa-manager',
          overallGrade: 'inadequate',
          rationale: 'No safety plan on file',
          auditorOverallGrade: 'inadequate',
          moderatorOverallGrade: 'requires-improvement',
        },
      },
      {
        type: 'AuditActionCompleted',
        data: {
          auditId,
          actionId: 'review',
          completedOn: '2026-04-07',
          evidence: 'Strategy meeting',
          safeguardingActionNeeded: true,
        },
      },
    ]);
    await h.project();
    const [audit] = await h.rows(AuditRow, 'auditId');
    expect(audit).toMatchObject({ overallGrade: 'inadequate', effectiveOverallGrade: 'inadequate' });
    expect(audit.detail.moderation).toMatchObject({
      overallGrade: 'requires-improvement',
      auditorOverallGrade: 'inadequate',
      resolution: { resolvedBy: 'qa-manager', overallGrade: 'inadequate', rationale: 'No safety plan on file' },
    });
    const [review] = await h.rows(AuditActionRow, 'actionId');
    expect(review).toMatchObject({ status: 'completed', safeguardingActionNeeded: 'yes', closedNote: 'Strategy meeting' });
  });

  it("a grading writes only its grade's narrow row; the audit's revision is the latest of its row and its grades", async () => {
    await h.record(`audit-${auditId}`, history.slice(0, 3));
    await h.project();
    const [audit] = await h.rows(AuditRow, 'auditId');
    const grades = await h.rows(AuditGradeRow, 'seq');
    expect(audit.revision).toBe('0'); // untouched since it started
    expect(grades.map((g) => [g.domain, g.revision])).toEqual([
      ['planning', '1'],
      ['visits', '2'],
    ]);
    expect(latestChange(audit, grades).revision).toBe('2');
  });

  it('replaying the same events gives the same rows', async () => {
    await h.record(`audit-${auditId}`, history);
    await h.project();
    const all = async (): Promise<unknown[]> => [
      await h.rows(AuditRow, 'auditId'),
      await h.rows(AuditActionRow, 'actionId'),
      await h.rows(AuditGradeRow, 'seq'),
    ];
    await h.expectRebuildKeeps(all);
  });
});
