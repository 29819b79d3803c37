import { ProjectionHarness } from '@casetrail/testing';
import type { ActionEvent, PlanEvent } from '../plans.events';
import { PlanActionRow, PlanPriorityRow, PlanRecommendationRow, PlanRow, plansProjection } from './plan.projection';

describe('improvement plans projection', () => {
  const h = ProjectionHarness.perTest(plansProjection);

  const plan: PlanEvent[] = [
    {
      type: 'ImprovementPlanCreated',
      data: { planId: 'sip', title: 'SIP', trigger: { kind: 'ofsted-inspection', date: '2020-07-03' }, ownerId: 'u-lead' },
    },
    { type: 'PriorityAdded', data: { planId: 'sip', priorityId: 'p1', title: 'Practice' } },
    {
      type: 'RecommendationAdded',
      data: { planId: 'sip', recommendationId: 'r1', text: 'Risk', timescale: 'immediately', dueOn: '2020-07-10' },
    },
  ];
  const action: ActionEvent[] = [
    {
      type: 'ActionAdded',
      data: {
        actionId: 'a1',
        planId: 'sip',
        priorityId: 'p1',
        recommendationIds: ['r1'],
        title: 'Audit risk analysis',
        ownerId: 'u-owner',
        teamIds: ['mash'],
        startOn: '2020-07-06',
        dueOn: '2020-09-30',
        successMeasure: '95%',
      },
    },
    {
      type: 'ActionProgressReported',
      data: { actionId: 'a1', reportedOn: '2020-08-03', note: 'Half done', confidence: 'at-risk' },
    },
    {
      type: 'ActionDueDateRevised',
      data: {
        actionId: 'a1',
        newDueOn: '2020-10-30',
        previousDueOn: '2020-09-30',
        reason: 'Tool',
        approvedBy: 'Board',
        revisedOn: '2020-08-20',
      },
    },
    { type: 'ActionCompleted', data: { actionId: 'a1', completedOn: '2020-10-20', evidence: 'Audit' } },
    { type: 'ActionCompletionVerified', data: { actionId: 'a1', verifiedBy: 'u-chair', verifiedOn: '2020-10-25' } },
  ];

  /** Records the plan, then these events of its action a1, and projects them. */
  const projectPlanAnd = async (actionEvents: ActionEvent[]): Promise<void> => {
    await h.record('plan-sip', plan);
    await h.record('action-a1', actionEvents);
    await h.project();
  };

  it('keeps the facts RAG needs: original and current due dates, every update, completion and verification', async () => {
    await projectPlanAnd(action);
    expect(await h.rows(PlanRow, 'planId')).toEqual([expect.objectContaining({ planId: 'sip', ownerId: 'u-lead' })]);
    expect(await h.rows(PlanPriorityRow, 'priorityId')).toEqual([expect.objectContaining({ priorityId: 'p1', position: 1 })]);
    expect(await h.rows(PlanRecommendationRow, 'recommendationId')).toEqual([
      expect.objectContaining({ recommendationId: 'r1', dueOn: '2020-07-10' }),
    ]);
    const [row] = await h.rows(PlanActionRow, 'actionId');
    expect(row).toMatchObject({
      dueOn: '2020-10-30',
      originalDueOn: '2020-09-30',
      status: 'completed',
      completedOn: '2020-10-20',
      verifiedOn: '2020-10-25',
      verifiedBy: 'u-chair',
      indicatorCode: null,
      revision: '4',
    });
    expect(row.progress).toEqual([
      { reportedOn: '2020-08-03', note: 'Half done', confidence: 'at-risk', reportedBy: 'user-test' },
    ]);
    expect(row.dueDateRevisions).toEqual([
      { newDueOn: '2020-10-30', previousDueOn: '2020-09-30', reason: 'Tool', approvedBy: 'Board', revisedOn: '2020-08-20' },
    ]);
  });

  it('a reopened action is open again, without its completion or verification', async () => {
    await projectPlanAnd([
      ...action,
      { type: 'ActionReopened', data: { actionId: 'a1', reason: 'Gaps', reopenedOn: '2020-11-02' } },
    ]);
    expect((await h.rows(PlanActionRow, 'actionId'))[0]).toMatchObject({
      status: 'open',
      completedOn: null,
      completionEvidence: null,
      verifiedOn: null,
      verifiedBy: null,
    });
  });

  it('a reopened action keeps its earlier completion, who made it, its verification and the reopening', async () => {
    await projectPlanAnd([
      ...action.slice(0, 3),
      { type: 'ActionCompleted', data: { actionId: 'a1', completedOn: '2020-10-20', evidence: 'Audit', completedBy: 'u-owner' } },
      action[4],
      { type: 'ActionReopened', data: { actionId: 'a1', reason: 'Gaps', reopenedOn: '2020-11-02' } },
      {
        type: 'ActionCompleted',
        data: { actionId: 'a1', completedOn: '2020-11-20', evidence: 'Re-audit', completedBy: 'u-lead' },
      },
    ]);
    const [row] = await h.rows(PlanActionRow, 'actionId');
    expect(row).toMatchObject({ status: 'completed', completedOn: '2020-11-20', completedBy: 'u-lead', verifiedOn: null });
    expect(row.completions).toEqual([
      {
        completedOn: '2020-10-20',
        evidence: 'Audit',
        completedBy: 'u-owner',
        verifiedOn: '2020-10-25',
        verifiedBy: 'u-chair',
        reopenedOn: '2020-11-02',
        reopenReason: 'Gaps',
      },
      {
        completedOn: '2020-11-20',
        evidence: 'Re-audit',
        completedBy: 'u-lead',
        verifiedOn: null,
        verifiedBy: null,
        reopenedOn: null,
        reopenReason: null,
      },
    ]);
  });

  it('replaying the same events gives the same rows', async () => {
    await projectPlanAnd(action);
    await h.expectRebuildKeeps(() => h.rows(PlanActionRow, 'actionId'));
  });

  it('keeps each change of the RAG settings with the day and who made it, the submission, and partner-agency owners', async () => {
    const settings = {
      redFromWorkingDaysOverdue: 5,
      noUpdateFor: { count: 1, unit: 'months' as const },
      escalateAmberAfterDays: 45,
    };
    await h.record('plan-sip', [
      ...plan,
      { type: 'PlanRagSettingsChanged', data: { planId: 'sip', settings, changedOn: '2020-08-03', reason: 'Board' } },
      { type: 'ActionPlanSubmitted', data: { planId: 'sip', submittedOn: '2020-09-01' } },
      {
        type: 'RecommendationAdded',
        data: {
          planId: 'sip',
          recommendationId: 'r2',
          text: 'Health',
          timescale: 'within-3-months',
          dueOn: '2020-10-03',
          ownerAgency: 'Health trust',
        },
      },
    ]);
    const { ownerId: _user, ...byUser } = (action[0] as Extract<ActionEvent, { type: 'ActionAdded' }>).data;
    await h.record('action-a2', [{ type: 'ActionAdded', data: { ...byUser, actionId: 'a2', ownerAgency: 'Police' } }]);
    await h.project();
    const [row] = await h.rows(PlanRow, 'planId');
    expect(row.ragSettings).toEqual([{ changedOn: '2020-08-03', settings, reason: 'Board', changedBy: 'user-test' }]);
    expect(row.submittedOn).toBe('2020-09-01');
    expect(await h.rows(PlanRecommendationRow, 'recommendationId')).toEqual([
      expect.objectContaining({ recommendationId: 'r1', ownerId: null, ownerAgency: null }),
      expect.objectContaining({ recommendationId: 'r2', ownerId: null, ownerAgency: 'Health trust' }),
    ]);
    expect(await h.rows(PlanActionRow, 'actionId')).toEqual([
      expect.objectContaining({ actionId: 'a2', ownerId: null, ownerAgency: 'Police' }),
    ]);
  });
});
