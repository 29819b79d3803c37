import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { addDays, londonToday } from '@casetrail/kernel';
import { PROFILES, TestApp, type User } from '../support/test-app';

/**
 * Improvement plans, actions and their explained RAG over HTTP. One app per profile; each test
 * uses its own plan and action ids, and checks "nothing appended" against the log's head.
 */
describe.each(PROFILES.filter((p) => p.enabled))('improvement plans over HTTP ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let admin: User;
  let lead: User;
  let boardChair: User;
  let owner: User;
  let otherManager: User;
  let inspector: User;

  const head = (): Promise<bigint> => t.app.get<EventStore>(EVENT_STORE).headPosition();

  const createPlan = (planId: string) =>
    t
      .as(lead)
      .post('/api/v1/plans', {
        planId,
        title: 'Safeguarding improvement plan',
        trigger: { kind: 'ofsted-inspection', date: '2020-07-03', judgement: 'inadequate' },
      })
      .expect(201);

  const action = (planId: string, actionId: string, startOn: string, dueOn: string, ownerId = owner.userId) =>
    t
      .as(lead)
      .post(`/api/v1/plans/${planId}/actions`, {
        actionId,
        priorityId: 'practice',
        recommendationIds: ['risk'],
        title: `Action ${actionId}`,
        ownerId,
        teamIds: ['mash'],
        startOn,
        dueOn,
        successMeasure: '95% of assessments include a risk analysis',
      })
      .expect(201);

  const progress = (actionId: string, reportedOn: string, confidence: string) =>
    t.as(owner).post(`/api/v1/actions/${actionId}/progress`, { reportedOn, note: 'Monthly update', confidence }).expect(200);

  /** A plan with the priority "practice" and the recommendation "risk" (immediately). */
  async function planWithPriority(planId: string): Promise<void> {
    await createPlan(planId);
    await t
      .as(lead)
      .post(`/api/v1/plans/${planId}/priorities`, { priorityId: 'practice', title: 'Frontline practice' })
      .expect(201);
    await t
      .as(lead)
      .post(`/api/v1/plans/${planId}/recommendations`, {
        recommendationId: 'risk',
        text: 'Ensure that assessments contain an explicit assessment of risk',
        timescale: 'immediately',
      })
      .expect(201);
  }

  beforeAll(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env);
    admin = await t.userWithToken('admin');
    for (const teamId of ['mash', 'cin-north']) {
      await t
        .as(admin)
        .post('/api/v1/teams', { teamId, name: `Team ${teamId}`, service: 'Children in need' })
        .expect(201);
    }
    lead = await t.userWithToken('improvement-lead', [], 'Imogen Lead');
    boardChair = await t.userWithToken('improvement-lead', [], 'Board Chair');
    owner = await t.userWithToken('team-manager', ['mash'], 'Mo Manager');
    otherManager = await t.userWithToken('team-manager', ['cin-north'], 'Cy Manager');
    inspector = await t.userWithToken('inspector');
  });
  afterAll(async () => {
    await t.close();
    await storage.drop();
  });

  it('a plan with one action per RAG rule gives each its colour and reason on a fixed day', async () => {
    await planWithPriority('rag-rules');
    // 1 blue: completed 1 September and verified by the board.
    await action('rag-rules', 'blue', '2020-07-06', '2020-09-30');
    await t
      .as(owner)
      .post('/api/v1/actions/blue/complete', { completedOn: '2020-09-01', evidence: 'Audit: 19 of 20 with risk analysis' })
      .expect(200);
    await t.as(boardChair).post('/api/v1/actions/blue/verify', { verifiedOn: '2020-09-10' }).expect(200);
    // 2 grey: starts after the day.
    await action('rag-rules', 'grey', '2020-10-01', '2020-12-31');
    // 3 red: due Tuesday 8 September; 15 September is 5 working days later.
    await action('rag-rules', 'overdue', '2020-07-06', '2020-09-08');
    await progress('overdue', '2020-09-01', 'on-track');
    // 4 red, 5 amber: the latest update's confidence.
    await action('rag-rules', 'off-track', '2020-07-06', '2020-10-30');
    await progress('off-track', '2020-08-20', 'on-track');
    await progress('off-track', '2020-09-10', 'off-track');
    await action('rag-rules', 'at-risk', '2020-07-06', '2020-10-30');
    await progress('at-risk', '2020-09-10', 'at-risk');
    // 6 amber: due 30 September, moved to 14 October with the board's approval.
    await action('rag-rules', 'slipped', '2020-07-06', '2020-09-30');
    await t
      .as(owner)
      .post('/api/v1/actions/slipped/due-date', {
        newDueOn: '2020-10-14',
        reason: 'Audit tool redesigned',
        approvedBy: 'Improvement board, 1 September 2020',
        revisedOn: '2020-09-01',
      })
      .expect(200);
    await progress('slipped', '2020-09-10', 'on-track');
    // 7 amber: last update 1 August, 45 days before 15 September.
    await action('rag-rules', 'silent', '2020-07-06', '2020-10-30');
    await progress('silent', '2020-08-01', 'on-track');
    // 8 green.
    await action('rag-rules', 'green', '2020-07-06', '2020-10-30');
    await progress('green', '2020-09-10', 'on-track');

    const status = await t.as(inspector).get('/api/v1/plans/rag-rules/status?on=2020-09-15').expect(200);
    const byId = Object.fromEntries(
      status.body.actions.map((a: { actionId: string; rag: string; reasons: string[] }) => [a.actionId, [a.rag, a.reasons]]),
    );
    expect(byId).toEqual({
      blue: ['blue', ['completed on 1 September 2020', 'verified']],
      grey: ['grey', ['not started']],
      overdue: ['red', ['overdue by 5 working days']],
      'off-track': ['red', ['off track (update of 10 September 2020)']],
      'at-risk': ['amber', ['at risk (update of 10 September 2020)']],
      slipped: ['amber', ['slipped 14 days']],
      silent: ['amber', ['no update for 45 days']],
      green: ['green', ['on track']],
    });
    const slipped = status.body.actions.find((a: { actionId: string }) => a.actionId === 'slipped');
    expect(slipped).toMatchObject({ dueOn: '2020-10-14', originalDueOn: '2020-09-30', ownerId: owner.userId, teamIds: ['mash'] });
    // Every action here answers "risk" (to be met immediately, by 10 July) yet is due later: a warning, not a refusal.
    expect(slipped.warnings).toEqual(['due 14 October 2020, after recommendation risk is to be met (10 July 2020)']);
    // Amber drift: "at risk" since 10 September (5 days) is not long-standing, so not flagged for escalation.
    expect(status.body.actions.find((a: { actionId: string }) => a.actionId === 'at-risk').escalation).toBeNull();
    const added = await action('rag-rules', 'late-for-risk', '2020-07-06', '2020-07-31');
    expect(added.body.events[0].data.dueAfterRecommendations).toEqual(['risk']);
    expect((await t.as(inspector).get('/api/v1/actions/late-for-risk').expect(200)).body.warnings).toEqual([
      'due 31 July 2020, after recommendation risk is to be met (10 July 2020)',
    ]);
    const counts = { red: 2, amber: 3, green: 1, grey: 1, blue: 1, total: 8 };
    expect(status.body.counts).toEqual(counts);
    expect(status.body.priorities).toEqual([{ priorityId: 'practice', title: 'Frontline practice', counts }]);
    expect(status.body.recommendations).toEqual([
      expect.objectContaining({ recommendationId: 'risk', dueOn: '2020-07-10', rag: 'red', timescale: 'immediately' }),
    ]);
    expect(status.body.recommendations[0].reasons[0]).toBe(
      'past its timescale ("immediately", due 10 July 2020) and not met: 7 of 8 actions open',
    );

    // The same facts on another day give other colours: nothing stored goes stale.
    const earlier = await t.as(inspector).get('/api/v1/plans/rag-rules/status?on=2020-08-25').expect(200);
    const earlierById = Object.fromEntries(
      earlier.body.actions.map((a: { actionId: string; rag: string }) => [a.actionId, a.rag]),
    );
    expect(earlierById).toMatchObject({
      blue: 'amber',
      overdue: 'amber',
      'off-track': 'green',
      slipped: 'amber',
      silent: 'green',
    });
  });

  it('plan routes: 400 for bad input, 404/409/422 for broken rules, and nothing appended', async () => {
    await planWithPriority('plan-rules');
    const before = await head();
    const bad = await t
      .as(lead)
      .post('/api/v1/plans', { title: '', trigger: { kind: 'ofsted', date: '03/07/2020' }, colour: 'red' })
      .expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'colour',
      'title',
      'trigger.date',
      'trigger.kind',
    ]);
    await t.as(lead).post('/api/v1/plans/plan-rules/recommendations', { text: 'x', timescale: 'soon' }).expect(400);
    await t
      .as(lead)
      .post('/api/v1/plans/plan-rules/priorities', { title: 'x'.repeat(201) })
      .expect(400);
    const twice = await t
      .as(lead)
      .post('/api/v1/plans', { planId: 'plan-rules', title: 'x', trigger: { kind: 'peer-review', date: '2020-01-01' } })
      .expect(409);
    expect(twice.body.details.code).toBe('PLAN_ALREADY_EXISTS');
    const future = await t
      .as(lead)
      .post('/api/v1/plans', { planId: 'future', title: 'x', trigger: { kind: 'monitoring-visit', date: '2999-01-01' } })
      .expect(422);
    expect(future.body.details.code).toBe('BUSINESS_DATE_IN_FUTURE');
    const judged = await t
      .as(lead)
      .post('/api/v1/plans', {
        planId: 'peer',
        title: 'x',
        trigger: { kind: 'peer-review', date: '2020-01-01', judgement: 'good' },
      })
      .expect(422);
    expect(judged.body.details.code).toBe('JUDGEMENT_ONLY_FROM_INSPECTION');
    await t.as(lead).post('/api/v1/plans/nowhere/priorities', { title: 'x' }).expect(404);
    await t.as(lead).post('/api/v1/plans/plan-rules/priorities', { priorityId: 'practice', title: 'Other' }).expect(409);
    await t.as(lead).post('/api/v1/plans/plan-rules/recommendations', { text: 'x', timescale: 'date' }).expect(422);
    await t
      .as(lead)
      .post('/api/v1/plans/plan-rules/recommendations', { text: 'x', timescale: 'within-3-months', dueOn: '2020-09-01' })
      .expect(422);
    const actionBody = {
      priorityId: 'practice',
      recommendationIds: ['risk'],
      title: 'x',
      ownerId: owner.userId,
      teamIds: ['mash'],
      startOn: '2020-07-06',
      dueOn: '2020-09-30',
      successMeasure: 'x',
    };
    await t.as(lead).post('/api/v1/plans/nowhere/actions', actionBody).expect(404);
    const codes = async (body: object): Promise<string> =>
      (
        await t
          .as(lead)
          .post('/api/v1/plans/plan-rules/actions', { ...actionBody, ...body })
          .expect(422)
      ).body.details.code;
    expect(await codes({ priorityId: 'governance' })).toBe('PRIORITY_NOT_IN_PLAN');
    expect(await codes({ recommendationIds: ['risk', 'other'] })).toBe('RECOMMENDATION_NOT_IN_PLAN');
    expect(await codes({ dueOn: '2020-07-01' })).toBe('ACTION_DUE_BEFORE_START');
    expect(await codes({ ownerId: 'nobody' })).toBe('ACTION_OWNER_UNKNOWN');
    expect(await codes({ teamIds: ['mash', 'atlantis'] })).toBe('ACTION_TEAMS_UNKNOWN');
    expect(await codes({ indicatorCode: 'no-such-kpi' })).toBe('ACTION_INDICATOR_UNKNOWN');
    await t
      .as(lead)
      .post('/api/v1/plans/plan-rules/actions', { ...actionBody, teamIds: [] })
      .expect(400);
    await t
      .as(owner)
      .post('/api/v1/plans', { title: 'x', trigger: { kind: 'peer-review', date: '2020-01-01' } })
      .expect(403);
    await t.as(inspector).post('/api/v1/plans/plan-rules/priorities', { title: 'x' }).expect(403);
    await t.as(lead).get('/api/v1/plans/nowhere/status').expect(404);
    await t.as(lead).get('/api/v1/plans/plan-rules/status?on=15/09/2020').expect(400);
    expect(await head()).toBe(before);
    await action('plan-rules', 'dup', '2020-07-06', '2020-09-30');
    const again = await t
      .as(lead)
      .post('/api/v1/plans/plan-rules/actions', { ...actionBody, actionId: 'dup' })
      .expect(409);
    expect(again.body.details.code).toBe('ACTION_ALREADY_EXISTS');
  });

  it('action routes: the life of an action, who may do what, and failures that append nothing', async () => {
    await planWithPriority('life');
    await action('life', 'life-1', '2020-07-06', '2020-09-30');
    await action('life', 'lead-owned', '2020-07-06', '2020-09-30', lead.userId);
    const before = await head();
    await t.as(owner).post('/api/v1/actions/life-1/progress', { note: 'x', confidence: 'fine' }).expect(400);
    await t
      .as(owner)
      .post('/api/v1/actions/life-1/progress', { note: 'x', confidence: 'on-track', reportedOn: '2999-01-01' })
      .expect(422);
    await t.as(owner).post('/api/v1/actions/nothing/progress', { note: 'x', confidence: 'on-track' }).expect(404);
    await t.as(otherManager).post('/api/v1/actions/life-1/progress', { note: 'x', confidence: 'on-track' }).expect(403);
    await t.as(inspector).post('/api/v1/actions/life-1/progress', { note: 'x', confidence: 'on-track' }).expect(403);
    await t.as(owner).post('/api/v1/actions/life-1/due-date', { newDueOn: '2020-10-30', reason: 'x' }).expect(400);
    const same = await t
      .as(owner)
      .post('/api/v1/actions/life-1/due-date', { newDueOn: '2020-09-30', reason: 'x', approvedBy: 'Board' })
      .expect(422);
    expect(same.body.details.code).toBe('DUE_DATE_UNCHANGED');
    const noEvidence = await t
      .as(owner)
      .post('/api/v1/actions/life-1/complete', { completedOn: '2020-09-01', evidence: '  ' })
      .expect(400);
    expect(JSON.stringify(noEvidence.body.details)).toContain('Give the evidence that the action is done');
    await t.as(lead).post('/api/v1/actions/life-1/verify').expect(422);
    await t.as(lead).post('/api/v1/actions/life-1/reopen', { reason: 'x' }).expect(422);
    expect(await head()).toBe(before);

    // Progress by the owner, a slip approved by the board, completion, sign-off by someone else.
    await progress('life-1', '2020-08-03', 'at-risk');
    await t
      .as(lead)
      .post('/api/v1/actions/life-1/due-date', {
        newDueOn: '2020-10-30',
        reason: 'Audit tool changed',
        approvedBy: 'Board',
        revisedOn: '2020-08-20',
      })
      .expect(200);
    const done = await t
      .as(owner)
      .post('/api/v1/actions/life-1/complete', { completedOn: '2020-10-20', evidence: 'October audit' })
      .expect(200);
    expect(done.body.events[0]).toMatchObject({
      type: 'ActionCompleted',
      data: { completedOn: '2020-10-20', evidence: 'October audit' },
    });
    const afterCompletion = await head();
    await t.as(owner).post('/api/v1/actions/life-1/progress', { note: 'x', confidence: 'on-track' }).expect(409);
    await t.as(owner).post('/api/v1/actions/life-1/complete', { evidence: 'again' }).expect(409);
    await t.as(owner).post('/api/v1/actions/life-1/verify').expect(403); // the board verifies
    expect(await head()).toBe(afterCompletion);
    await t.as(lead).post('/api/v1/actions/life-1/verify', { verifiedOn: '2020-10-25' }).expect(200);
    await t.as(lead).post('/api/v1/actions/life-1/verify').expect(409);
    const detail = await t.as(inspector).get('/api/v1/actions/life-1?on=2020-11-02').expect(200);
    expect(detail.body).toMatchObject({
      rag: 'blue',
      reasons: ['completed on 20 October 2020', 'verified', 'slipped 30 days'],
      dueOn: '2020-10-30',
      originalDueOn: '2020-09-30',
      verifiedBy: lead.userId,
    });
    expect(detail.body.progress).toEqual([
      expect.objectContaining({ reportedOn: '2020-08-03', confidence: 'at-risk', reportedBy: owner.userId }),
    ]);
    // Reopened: open again, taking progress, no longer verified.
    await t
      .as(lead)
      .post('/api/v1/actions/life-1/reopen', { reason: 'Re-audit found gaps', reopenedOn: '2020-11-02' })
      .expect(200);
    await progress('life-1', '2020-11-02', 'off-track');
    const reopened = (await t.as(lead).get('/api/v1/actions/life-1?on=2020-11-02').expect(200)).body;
    expect(reopened).toMatchObject({ rag: 'red', verifiedOn: null });
    // The earlier completion stays on the record, and the days it stood still show it.
    expect(reopened.completions).toEqual([
      expect.objectContaining({
        completedOn: '2020-10-20',
        completedBy: owner.userId,
        verifiedOn: '2020-10-25',
        verifiedBy: lead.userId,
        reopenedOn: '2020-11-02',
      }),
    ]);
    expect((await t.as(lead).get('/api/v1/actions/life-1?on=2020-11-01').expect(200)).body).toMatchObject({ rag: 'blue' });

    // An owner cannot sign off their own action.
    await t.as(lead).post('/api/v1/actions/lead-owned/complete', { completedOn: '2020-09-01', evidence: 'Done' }).expect(200);
    const own = await t.as(lead).post('/api/v1/actions/lead-owned/verify').expect(422);
    expect(own.body.details.code).toBe('OWNER_CANNOT_VERIFY_OWN_ACTION');

    // The one who completed an action never verifies it, even when they do not own it.
    await action('life', 'chair-completes', '2020-07-06', '2020-09-30');
    await t
      .as(boardChair)
      .post('/api/v1/actions/chair-completes/complete', { completedOn: '2020-09-01', evidence: 'Done' })
      .expect(200);
    const beforeSelfSignOff = await head();
    const ownCompletion = await t.as(boardChair).post('/api/v1/actions/chair-completes/verify').expect(422);
    expect(ownCompletion.body.details.code).toBe('COMPLETER_CANNOT_VERIFY_OWN_COMPLETION');
    expect(await head()).toBe(beforeSelfSignOff);
    await t.as(lead).post('/api/v1/actions/chair-completes/verify').expect(200);
    expect((await t.as(inspector).get('/api/v1/actions/chair-completes').expect(200)).body).toMatchObject({
      completedBy: boardChair.userId,
      verifiedBy: lead.userId,
    });
  });

  it("a team's outstanding actions: open improvement actions with RAG, sorted by due date, with totals", async () => {
    await planWithPriority('owed');
    await t
      .as(lead)
      .post('/api/v1/plans/owed/actions', {
        actionId: 'owed-cin',
        priorityId: 'practice',
        recommendationIds: [],
        title: 'CIN only',
        ownerId: otherManager.userId,
        teamIds: ['cin-north'],
        startOn: '2020-07-06',
        dueOn: '2020-08-31',
        successMeasure: 'x',
      })
      .expect(201);
    // An open audit action for the same team, from the case-audit context.
    const qa = await t.userWithToken('qa-officer');
    const audit = await t
      .as(qa)
      .post('/api/v1/audits', { caseRef: 'CASE-2020', teamId: 'cin-north', auditedOn: '2020-09-01' })
      .expect(201);
    const raised = await t
      .as(qa)
      .post(`/api/v1/audits/${audit.body.auditId}/actions`, {
        description: 'Update the chronology',
        ownerId: otherManager.userId,
        raisedOn: '2020-09-02',
        dueOn: '2020-09-10',
      })
      .expect(201);
    const response = await t.as(inspector).get('/api/v1/teams/cin-north/outstanding-actions?on=2020-09-15').expect(200);
    expect(response.body).toMatchObject({ teamId: 'cin-north', on: '2020-09-15' });
    expect(response.body.items).toEqual([
      expect.objectContaining({
        kind: 'improvement-action',
        actionId: 'owed-cin',
        planId: 'owed',
        dueOn: '2020-08-31',
        overdue: true,
        rag: 'red',
        reasons: ['overdue by 11 working days', 'no update for 71 days'],
      }),
      expect.objectContaining({
        kind: 'audit-action',
        actionId: raised.body.actionId,
        auditId: audit.body.auditId,
        caseRef: 'CASE-2020',
        title: 'Update the chronology',
        dueOn: '2020-09-10',
        overdue: true,
        rag: null,
      }),
    ]);
    expect(response.body).toMatchObject({ auditActionsIncluded: true });
    expect(response.body.totals).toMatchObject({ total: 2, improvementActions: 1, auditActions: 1, overdue: 2 });
    // Before the audit action was due, it is owed but not overdue.
    const earlier = await t.as(inspector).get('/api/v1/teams/cin-north/outstanding-actions?on=2020-09-03').expect(200);
    expect(earlier.body.items.map((i: { kind: string; overdue: boolean }) => [i.kind, i.overdue])).toEqual([
      ['improvement-action', true],
      ['audit-action', false],
    ]);

    // The mash team owes its open actions (from every plan), earliest due first; completed ones are not owed.
    await action('owed', 'owed-mash-late', '2020-07-06', '2020-10-30');
    await action('owed', 'owed-mash-early', '2020-07-06', '2020-09-04');
    await action('owed', 'owed-mash-done', '2020-07-06', '2020-09-01');
    await t
      .as(owner)
      .post('/api/v1/actions/owed-mash-done/complete', { completedOn: '2020-09-01', evidence: 'Done' })
      .expect(200);
    const mash = await t.as(owner).get('/api/v1/teams/mash/outstanding-actions?on=2020-09-15').expect(200);
    const ids: string[] = mash.body.items.map((i: { actionId: string }) => i.actionId);
    expect(ids).toContain('owed-mash-early');
    expect(ids.indexOf('owed-mash-early')).toBeLessThan(ids.indexOf('owed-mash-late'));
    expect(ids).not.toContain('owed-mash-done');
    const dueDates = mash.body.items.map((i: { dueOn: string }) => i.dueOn);
    expect(dueDates).toEqual([...dueDates].sort());
    expect(mash.body.totals.total).toBe(mash.body.items.length);
    expect(mash.body.totals.improvementRag.total).toBe(mash.body.totals.improvementActions);

    await t.as(owner).get('/api/v1/teams/atlantis/outstanding-actions').expect(404);
    await t.as(owner).get('/api/v1/teams/mash/outstanding-actions?on=yesterday').expect(400);
  });

  it('indicators: the four seed examples on a scorecard, with direction of travel', async () => {
    const define = (code: string, name: string, unit: string, polarity: string, target: number, frequency = 'monthly') =>
      t.as(lead).post('/api/v1/indicators', { code, name, unit, polarity, target, tolerance: 5, frequency }).expect(201);
    await define('contacts-24h', 'Contacts completed within 24 hours', 'percent', 'higher-is-better', 95);
    await define('cfa-timescale', 'Child and family assessments in timescale', 'percent', 'higher-is-better', 95);
    await define('cp-visits', 'Visits to children on CP plans', 'percent', 'higher-is-better', 90);
    await define('lac-rate', 'Looked-after children per 10,000', 'rate-per-10k', 'lower-is-better', 64, 'quarterly');
    const measure = (user: User, code: string, body: object) => t.as(user).post(`/api/v1/indicators/${code}/measurements`, body);
    await measure(owner, 'contacts-24h', { teamId: 'mash', period: '2020-05', value: 61.2 }).expect(201);
    await measure(owner, 'contacts-24h', {
      teamId: 'mash',
      period: '2020-06',
      value: 68.1,
      numerator: 1320,
      denominator: 1938,
    }).expect(201);
    await measure(owner, 'cfa-timescale', { teamId: 'mash', period: '2020-06', value: 92.66 }).expect(201);
    await measure(owner, 'cp-visits', { teamId: 'mash', period: '2020-06', value: 92 }).expect(201);
    await measure(lead, 'lac-rate', {
      teamId: 'mash',
      period: '2020/21 Q1',
      value: 96,
      numerator: 480,
      denominator: 50000,
    }).expect(201);

    const card = await t
      .as(inspector)
      .get(`/api/v1/scorecard?teamId=mash&period=${encodeURIComponent('2020/21 Q1')}`)
      .expect(200);
    const lines = Object.fromEntries(
      card.body.indicators.map((l: { code: string; rag: string; direction: string | null; latest: { value: number } }) => [
        l.code,
        [l.latest.value, l.rag, l.direction],
      ]),
    );
    expect(lines).toEqual({
      'contacts-24h': [68.1, 'red', 'improving'],
      'cfa-timescale': [92.66, 'amber', null],
      'cp-visits': [92, 'green', null],
      'lac-rate': [96, 'red', null],
    });
    const contacts = card.body.indicators.find((l: { code: string }) => l.code === 'contacts-24h');
    expect(contacts).toMatchObject({ target: 95, tolerance: 5, previous: { period: '2020-05', value: 61.2 } });
    // "In or before the period": May's scorecard shows May's value and nothing later.
    const may = await t.as(inspector).get('/api/v1/scorecard?teamId=mash&period=2020-05').expect(200);
    expect(may.body.indicators.find((l: { code: string }) => l.code === 'contacts-24h')).toMatchObject({
      latest: { value: 61.2 },
      previous: null,
      direction: null,
    });
    expect(may.body.indicators.find((l: { code: string }) => l.code === 'lac-rate')).toMatchObject({ latest: null, rag: null });
    // The next quarter: June's value is from before it, so "not measured", never coloured, no direction.
    const q2 = await t
      .as(inspector)
      .get(`/api/v1/scorecard?teamId=mash&period=${encodeURIComponent('2020/21 Q2')}`)
      .expect(200);
    expect(q2.body.indicators.find((l: { code: string }) => l.code === 'contacts-24h')).toMatchObject({
      latest: { period: '2020-06' },
      measured: false,
      rag: null,
      direction: null,
      note: 'not measured in 2020/21 Q2: the latest value is for 2020-06',
    });

    // A correction keeps the previous value; a target change applies from its date.
    await t
      .as(owner)
      .post('/api/v1/indicators/contacts-24h/corrections', {
        teamId: 'mash',
        period: '2020-05',
        value: 70,
        reason: 'Late recording',
      })
      .expect(200);
    await t.as(lead).post('/api/v1/indicators/contacts-24h/target', { target: 60, tolerance: 5, from: '2020-06-01' }).expect(200);
    const after = await t.as(inspector).get('/api/v1/scorecard?teamId=mash&period=2020-06').expect(200);
    expect(after.body.indicators.find((l: { code: string }) => l.code === 'contacts-24h')).toMatchObject({
      target: 60,
      rag: 'green',
      direction: 'declining',
      previous: { value: 70, corrected: true },
    });
  });

  it('indicator routes: 400/403/404/409/422 and nothing appended', async () => {
    await t
      .as(lead)
      .post('/api/v1/indicators', {
        code: 'supervision',
        name: 'Case supervision',
        unit: 'percent',
        polarity: 'higher-is-better',
        target: 97,
        tolerance: 2,
        frequency: 'weekly',
      })
      .expect(201);
    await t
      .as(owner)
      .post('/api/v1/indicators/supervision/measurements', { teamId: 'mash', period: '2020-W23', value: 97 })
      .expect(201);
    const before = await head();
    const post = (user: User, body: object) => t.as(user).post('/api/v1/indicators/supervision/measurements', body);
    await post(owner, { teamId: 'mash', period: 'June', value: 97 }).expect(400);
    await post(owner, { teamId: 'mash', period: '2020-W24', value: 'high' }).expect(400);
    await t
      .as(lead)
      .post('/api/v1/indicators', {
        code: 'X Y',
        name: 'x',
        unit: 'percent',
        polarity: 'up',
        target: 1,
        tolerance: 1,
        frequency: 'daily',
      })
      .expect(400);
    await t.as(inspector).get('/api/v1/scorecard?period=2020-13').expect(400);
    await post(otherManager, { teamId: 'mash', period: '2020-W24', value: 97 }).expect(403);
    await post(owner, { period: '2020-W24', value: 97 }).expect(403); // council-wide figures are the lead's
    await post(inspector, { teamId: 'mash', period: '2020-W24', value: 97 }).expect(403);
    await t
      .as(owner)
      .post('/api/v1/indicators/nothing/measurements', { teamId: 'mash', period: '2020-W24', value: 1 })
      .expect(404);
    expect((await post(owner, { teamId: 'mash', period: '2020-W23', value: 98 }).expect(409)).body.details.code).toBe(
      'MEASUREMENT_ALREADY_RECORDED',
    );
    const code = async (user: User, body: object): Promise<string> => (await post(user, body).expect(422)).body.details.code;
    expect(await code(owner, { teamId: 'mash', period: '2020-06', value: 97 })).toBe('PERIOD_DOES_NOT_MATCH_FREQUENCY');
    expect(await code(owner, { teamId: 'mash', period: '2999-W01', value: 97 })).toBe('PERIOD_NOT_STARTED');
    expect(await code(owner, { teamId: 'mash', period: '2020-W24', value: 97, numerator: 90, denominator: 100 })).toBe(
      'VALUE_DISAGREES_WITH_RATIO',
    );
    expect(await code(owner, { teamId: 'mash', period: '2020-W24', value: 97, numerator: 97 })).toBe('RATIO_INCOMPLETE');
    expect(await code(owner, { teamId: 'mash', period: '2020-W24', value: 101 })).toBe('PERCENT_OUT_OF_RANGE');
    expect(await code(lead, { teamId: 'atlantis', period: '2020-W24', value: 97 })).toBe('MEASUREMENT_TEAM_UNKNOWN');
    await t
      .as(owner)
      .post('/api/v1/indicators/supervision/corrections', { teamId: 'mash', period: '2020-W22', value: 90, reason: 'x' })
      .expect(404);
    await t
      .as(owner)
      .post('/api/v1/indicators/supervision/corrections', { teamId: 'mash', period: '2020-W23', value: 97, reason: 'x' })
      .expect(422);
    await t.as(lead).post('/api/v1/indicators/supervision/target', { target: 97, tolerance: 2, from: '2020-07-01' }).expect(422);
    await t
      .as(lead)
      .post('/api/v1/indicators', {
        code: 'supervision',
        name: 'x',
        unit: 'percent',
        polarity: 'higher-is-better',
        target: 1,
        tolerance: 1,
        frequency: 'weekly',
      })
      .expect(409);
    expect(await head()).toBe(before);
    const detail = await t.as(inspector).get('/api/v1/indicators/supervision').expect(200);
    expect(detail.body.measurements).toEqual([
      expect.objectContaining({ period: '2020-W23', periodFrom: '2020-06-01', teamId: 'mash', value: 97 }),
    ]);
  });

  it('self-assessments: the three questions and the 0-10 scale, one per service and quarter', async () => {
    // The service of the manager's team (mash: "Children in need"): a team manager assesses their teams' services only.
    const body = {
      service: 'children-in-need',
      period: '2020/21 Q1',
      score: 6,
      whatWeKnow: 'Contacts completed within 24 hours rose to 68.1% but remain below the 95% target.',
      howWeKnow: 'Monthly performance reports and the June MASH audit.',
      whatNext: 'An Early Help Hub alongside the MASH from 21 September 2020.',
    };
    await t.as(owner).post('/api/v1/self-assessments', body).expect(201);
    await t
      .as(owner)
      .post('/api/v1/self-assessments', { ...body, period: '2020/21 Q2', score: 7 })
      .expect(201);
    const before = await head();
    await t
      .as(owner)
      .post('/api/v1/self-assessments', { ...body, score: 11 })
      .expect(400);
    await t
      .as(owner)
      .post('/api/v1/self-assessments', { ...body, period: '2020-06' })
      .expect(400);
    await t
      .as(owner)
      .post('/api/v1/self-assessments', { ...body, whatNext: '' })
      .expect(400);
    await t.as(owner).post('/api/v1/self-assessments', body).expect(409);
    await t
      .as(owner)
      .post('/api/v1/self-assessments', { ...body, period: '2020/22 Q1' })
      .expect(422);
    await t
      .as(owner)
      .post('/api/v1/self-assessments', { ...body, period: '2999/00 Q1' })
      .expect(422);
    await t
      .as(inspector)
      .post('/api/v1/self-assessments', { ...body, period: '2019/20 Q4' })
      .expect(403);
    expect(await head()).toBe(before);
    const list = await t.as(inspector).get('/api/v1/self-assessments?service=children-in-need').expect(200);
    expect(list.body.map((s: { period: string; score: number }) => [s.period, s.score])).toEqual([
      ['2020/21 Q1', 6],
      ['2020/21 Q2', 7],
    ]);
    expect(list.body[0]).toMatchObject({ whatWeKnow: body.whatWeKnow, howWeKnow: body.howWeKnow, whatNext: body.whatNext });
    expect((await t.as(inspector).get('/api/v1/self-assessments?service=cp-court').expect(200)).body).toEqual([]);

    // A score may be a decimal (services say 6.5) or left out; more than one decimal place is refused.
    await t
      .as(owner)
      .post('/api/v1/self-assessments', { ...body, period: '2020/21 Q3', score: 6.25 })
      .expect(400);
    await t
      .as(owner)
      .post('/api/v1/self-assessments', { ...body, period: '2020/21 Q3', score: 6.5 })
      .expect(201);
    const { score: _score, ...unscored } = body;
    await t
      .as(owner)
      .post('/api/v1/self-assessments', { ...unscored, period: '2020/21 Q4' })
      .expect(201);
    const all = await t.as(inspector).get('/api/v1/self-assessments?service=children-in-need').expect(200);
    expect(all.body.map((s: { period: string; score: number | null }) => [s.period, s.score])).toEqual([
      ['2020/21 Q1', 6],
      ['2020/21 Q2', 7],
      ['2020/21 Q3', 6.5],
      ['2020/21 Q4', null],
    ]);
  });

  it('action RAG thresholds are settings of the plan: changed by the lead, validated, shown with the plan status', async () => {
    await planWithPriority('rag-settings');
    // Due ten days ago, updated today: red from the first day overdue under the defaults.
    const today = londonToday();
    await action('rag-settings', 'rs-late', addDays(today, -40), addDays(today, -10));
    await progress('rs-late', today, 'on-track');
    const before = (await t.as(lead).get('/api/v1/plans/rag-settings/status').expect(200)).body;
    expect(before.ragSettings).toMatchObject({
      redFromWorkingDaysOverdue: 0,
      noUpdateFor: { count: 1, unit: 'months' },
      escalateAmberAfterDays: 60,
      isDefault: true,
      text: [
        'red from the first day after the due date',
        'amber after 1 calendar month without an update',
        'escalate an action amber for more than 60 days',
      ],
    });
    expect(before.actions[0].rag).toBe('red');

    const settings = {
      redFromWorkingDaysOverdue: 20,
      noUpdateFor: { count: 1, unit: 'months' },
      escalateAmberAfterDays: 45,
      reason: 'Improvement board: red after four weeks overdue',
    };
    const start = await head();
    await t.as(owner).post('/api/v1/plans/rag-settings/rag-settings', settings).expect(403);
    await t
      .as(lead)
      .post('/api/v1/plans/rag-settings/rag-settings', { ...settings, redFromWorkingDaysOverdue: 1.5 })
      .expect(400);
    const invalid = await t
      .as(lead)
      .post('/api/v1/plans/rag-settings/rag-settings', { ...settings, noUpdateFor: { count: 13, unit: 'months' } })
      .expect(422);
    expect(invalid.body.details.code).toBe('RAG_SETTING_INVALID');
    expect(invalid.body.message).toMatch(/No update for: enter a whole number of calendar months from 1 to 12/);
    await t.as(lead).post('/api/v1/plans/no-such-plan/rag-settings', settings).expect(404);
    expect(await head()).toBe(start);

    await t.as(lead).post('/api/v1/plans/rag-settings/rag-settings', settings).expect(200);
    const after = (await t.as(lead).get('/api/v1/plans/rag-settings/status').expect(200)).body;
    expect(after.ragSettings).toMatchObject({ redFromWorkingDaysOverdue: 20, isDefault: false, since: today });
    expect(after.actions[0].rag).toBe('amber');
    expect(after.actions[0].reasons[0]).toMatch(/^overdue by \d+ working days \(red from 20 working days\)$/);
    // The action's own page answers with the same settings.
    expect((await t.as(lead).get('/api/v1/actions/rs-late').expect(200)).body.rag).toBe('amber');
    // As on a day before the change, the settings then in force (the defaults) apply.
    const earlier = (
      await t
        .as(lead)
        .get(`/api/v1/plans/rag-settings/status?on=${addDays(today, -1)}`)
        .expect(200)
    ).body;
    expect(earlier.ragSettings.isDefault).toBe(true);
    expect(earlier.actions[0].rag).toBe('red');
  });

  it('an inspection has start, end and publication dates and judgements per area; the action plan is due 70 working days after publication', async () => {
    await t
      .as(lead)
      .post('/api/v1/plans', {
        planId: 'ilacs-2021',
        title: 'ILACS action plan',
        trigger: {
          kind: 'ofsted-inspection',
          date: '2021-01-08',
          judgement: 'requires-improvement',
          startOn: '2021-01-04',
          endOn: '2021-01-08',
          publishedOn: '2021-01-15',
          areaJudgements: { impactOfLeaders: 'inadequate', helpAndProtection: 'requires-improvement' },
        },
      })
      .expect(201);
    const status = (on: string) => t.as(lead).get(`/api/v1/plans/ilacs-2021/status?on=${on}`).expect(200);
    const due = (await status('2021-04-20')).body;
    expect(due.trigger.areaJudgements).toEqual({ impactOfLeaders: 'inadequate', helpAndProtection: 'requires-improvement' });
    expect(due.actionPlan).toEqual({
      publishedOn: '2021-01-15',
      dueOn: '2021-04-27',
      submittedOn: null,
      late: false,
      note: 'due 27 April 2021 (70 working days after the report was published on 15 January 2021): not yet submitted',
    });
    // A bank holiday an administrator records moves the due date a working day later.
    await t
      .as(admin)
      .post('/api/v1/calendar/bank-holidays', { date: '2021-03-01', reason: 'A one-off bank holiday' })
      .expect(201);
    expect((await status('2021-04-20')).body.actionPlan.dueOn).toBe('2021-04-28');
    expect((await status('2021-04-29')).body.actionPlan).toMatchObject({
      late: true,
      note: expect.stringMatching(/not submitted, 1 working day late$/),
    });

    const start = await head();
    await t.as(lead).post('/api/v1/plans/ilacs-2021/submission', { submittedOn: '2021-01-14' }).expect(422);
    await t.as(owner).post('/api/v1/plans/ilacs-2021/submission', { submittedOn: '2021-04-30' }).expect(403);
    expect(await head()).toBe(start);
    await t.as(lead).post('/api/v1/plans/ilacs-2021/submission', { submittedOn: '2021-04-30' }).expect(200);
    await t.as(lead).post('/api/v1/plans/ilacs-2021/submission', { submittedOn: '2021-04-30' }).expect(409);
    expect((await status('2021-05-03')).body.actionPlan).toMatchObject({
      submittedOn: '2021-04-30',
      late: true,
      note: 'due 28 April 2021 (70 working days after the report was published on 15 January 2021): submitted on 30 April 2021, 2 working days late',
    });

    // Improvement Notice and focused visit are triggers; only an inspection has dates and area judgements.
    await t
      .as(lead)
      .post('/api/v1/plans', {
        planId: 'notice-2021',
        title: 'Improvement notice plan',
        trigger: { kind: 'improvement-notice', date: '2021-02-01' },
      })
      .expect(201);
    const refused = await t
      .as(lead)
      .post('/api/v1/plans', {
        planId: 'focused-2021',
        title: 'Focused visit plan',
        trigger: { kind: 'focused-visit', date: '2021-02-01', areaJudgements: { impactOfLeaders: 'good' } },
      })
      .expect(422);
    expect(refused.body.details.code).toBe('AREA_JUDGEMENTS_ONLY_FROM_INSPECTION');
    await t.as(lead).post('/api/v1/plans/notice-2021/submission', {}).expect(422);
  });

  it('a report published after the plan was made is recorded on the plan, once, by whoever manages plans', async () => {
    await t
      .as(lead)
      .post('/api/v1/plans', {
        planId: 'before-report',
        title: 'Plan made before the report',
        trigger: { kind: 'ofsted-inspection', date: '2019-01-11', startOn: '2019-01-07', endOn: '2019-01-11' },
      })
      .expect(201);
    // 2019: no test here records a bank holiday that year, so the due date is the published calendar's.
    const status = async () => (await t.as(lead).get('/api/v1/plans/before-report/status?on=2019-02-01').expect(200)).body;
    expect((await status()).actionPlan).toBeNull();

    const start = await head();
    const early = await t
      .as(lead)
      .post('/api/v1/plans/before-report/report-publication', { publishedOn: '2019-01-10' })
      .expect(422);
    expect(early.body.details.code).toBe('INSPECTION_DATES_OUT_OF_ORDER');
    await t.as(lead).post('/api/v1/plans/before-report/report-publication', {}).expect(400);
    await t.as(owner).post('/api/v1/plans/before-report/report-publication', { publishedOn: '2019-01-18' }).expect(403);
    expect(await head()).toBe(start);

    await t.as(lead).post('/api/v1/plans/before-report/report-publication', { publishedOn: '2019-01-18' }).expect(200);
    const again = await t
      .as(lead)
      .post('/api/v1/plans/before-report/report-publication', { publishedOn: '2019-01-21' })
      .expect(409);
    expect(again.body.details.code).toBe('REPORT_PUBLICATION_ALREADY_RECORDED');
    const after = await status();
    expect(after.trigger.publishedOn).toBe('2019-01-18');
    expect(after.actionPlan).toMatchObject({ publishedOn: '2019-01-18', dueOn: '2019-04-30', submittedOn: null, late: false });
  });

  it('recommendations and actions may be owned by partner agencies who are not users', async () => {
    await planWithPriority('partners');
    await t
      .as(lead)
      .post('/api/v1/plans/partners/recommendations', {
        recommendationId: 'health',
        text: 'Ensure that health partners attend strategy discussions',
        timescale: 'within-3-months',
        ownerAgency: 'Health trust',
      })
      .expect(201);
    const base = {
      priorityId: 'practice',
      recommendationIds: ['health'],
      title: 'Health attendance at strategy discussions',
      teamIds: ['mash'],
      startOn: '2020-07-06',
      dueOn: '2020-09-30',
      successMeasure: 'Health attend 90% of strategy discussions',
    };
    const start = await head();
    const both = await t
      .as(lead)
      .post('/api/v1/plans/partners/actions', { ...base, actionId: 'p-both', ownerId: owner.userId, ownerAgency: 'Police' })
      .expect(422);
    expect(both.body.details.code).toBe('OWNER_IS_USER_OR_AGENCY');
    expect(
      (
        await t
          .as(lead)
          .post('/api/v1/plans/partners/actions', { ...base, actionId: 'p-none' })
          .expect(422)
      ).body.details.code,
    ).toBe('ACTION_OWNER_REQUIRED');
    await t
      .as(lead)
      .post('/api/v1/plans/partners/actions', { ...base, actionId: 'p-x', ownerAgency: 'x' })
      .expect(400);
    expect(await head()).toBe(start);
    await t
      .as(lead)
      .post('/api/v1/plans/partners/actions', { ...base, actionId: 'p-health', ownerAgency: 'Health trust' })
      .expect(201);
    const plan = (await t.as(lead).get('/api/v1/plans/partners/status?on=2020-08-03').expect(200)).body;
    expect(plan.recommendations.find((r: { recommendationId: string }) => r.recommendationId === 'health')).toMatchObject({
      ownerId: null,
      ownerAgency: 'Health trust',
    });
    expect(plan.actions.find((a: { actionId: string }) => a.actionId === 'p-health')).toMatchObject({
      ownerId: null,
      ownerAgency: 'Health trust',
    });
    // Team outstanding actions include it, with the agency as owner.
    const outstanding = (await t.as(lead).get('/api/v1/teams/mash/outstanding-actions?on=2020-08-03').expect(200)).body;
    expect(outstanding.items.find((i: { actionId: string }) => i.actionId === 'p-health')).toMatchObject({
      ownerAgency: 'Health trust',
    });
  });

  it('indicators: target bands, comparators, per-team targets, year-to-date and rolling 12-month values', async () => {
    await t
      .as(lead)
      .post('/api/v1/indicators', {
        code: 'ytd-visits',
        name: 'Children seen within 3 days of assessment starting',
        unit: 'percent',
        polarity: 'higher-is-better',
        target: 95,
        tolerance: 5,
        frequency: 'monthly',
      })
      .expect(201);
    const measure = (body: object) => t.as(lead).post('/api/v1/indicators/ytd-visits/measurements', body).expect(201);
    await measure({ period: '2020-03', value: 50, numerator: 50, denominator: 100 });
    await measure({ period: '2020-04', value: 60, numerator: 60, denominator: 100 });
    await measure({ period: '2020-05', value: 70, numerator: 140, denominator: 200 });
    await measure({ period: '2020-06', value: 80, numerator: 80, denominator: 100 });
    await measure({ teamId: 'mash', period: '2020-06', value: 91 });
    const start = await head();
    const summed = await t.as(lead).post('/api/v1/indicators/ytd-visits/aggregation', { aggregation: 'sum' }).expect(422);
    expect(summed.body.details.code).toBe('AGGREGATION_NOT_ALLOWED');
    await t
      .as(lead)
      .post('/api/v1/indicators/ytd-visits/comparators', { comparator: 'england', year: '2019/21', value: 80 })
      .expect(422);
    await t
      .as(owner)
      .post('/api/v1/indicators/ytd-visits/comparators', { comparator: 'england', year: '2019/20', value: 80 })
      .expect(403);
    await t
      .as(lead)
      .post('/api/v1/indicators/ytd-visits/team-targets', { teamId: 'nowhere', target: 90, tolerance: 5, from: '2020-04-01' })
      .expect(422);
    expect(await head()).toBe(start);
    await t
      .as(lead)
      .post('/api/v1/indicators/ytd-visits/comparators', { comparator: 'england', year: '2019/20', value: 82.5 })
      .expect(200);
    await t
      .as(lead)
      .post('/api/v1/indicators/ytd-visits/comparators', { comparator: 'statistical-neighbours', year: '2019/20', value: 78 })
      .expect(200);
    await t
      .as(lead)
      .post('/api/v1/indicators/ytd-visits/team-targets', { teamId: 'mash', target: 90, tolerance: 2, from: '2020-04-01' })
      .expect(200);

    const line = (body: { indicators: { code: string }[] }) => body.indicators.find((i) => i.code === 'ytd-visits');
    const council = line((await t.as(lead).get('/api/v1/scorecard?period=2020-06').expect(200)).body);
    expect(council).toMatchObject({
      target: 95,
      targetFor: 'council',
      bands: { green: '95 or more', amber: '90 to under 95', red: 'under 90' },
      aggregation: 'mean',
      yearToDate: { value: 70, from: '2020-04', to: '2020-06', months: 3, monthsInWindow: 3 },
      rolling12Months: { value: 66, from: '2019-07', to: '2020-06', months: 4, monthsInWindow: 12 },
      comparators: [
        { comparator: 'england', text: 'England average', year: '2019/20', value: 82.5 },
        { comparator: 'statistical-neighbours', text: 'statistical neighbours', year: '2019/20', value: 78 },
      ],
    });
    // The team is measured against its own target: 91 against 90 is green, against the council's 95 it would be amber.
    const team = line((await t.as(lead).get('/api/v1/scorecard?teamId=mash&period=2020-06').expect(200)).body);
    expect(team).toMatchObject({ target: 90, tolerance: 2, targetFor: 'team', rag: 'green' });
    // A snapshot aggregates by its last value.
    await t.as(lead).post('/api/v1/indicators/ytd-visits/aggregation', { aggregation: 'last' }).expect(200);
    const last = line((await t.as(lead).get('/api/v1/scorecard?period=2020-06').expect(200)).body);
    expect(last).toMatchObject({ aggregation: 'last', yearToDate: { value: 80, method: 'last value (2020-06)' } });
  });
});
