import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { collect } from '@casetrail/testing';
import { DEFAULT_FRAMEWORK_DOMAINS } from '../../src/audits';
import { PROFILES, TestApp, type User } from '../support/test-app';

describe.each(PROFILES.filter((p) => p.enabled))('audit programmes, frameworks and ratings over HTTP ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let admin: User, qa: User, moderator: User, manager: User;

  const store = (): EventStore => t.app.get<EventStore>(EVENT_STORE);
  /** Starts, grades and submits an audit through HTTP; returns its id. */
  const audit = async (
    overallGrade: string,
    opts: { teamId?: string; programmeId?: string; auditedOn?: string; submittedOn?: string; planning?: string; by?: User } = {},
  ): Promise<string> =>
    t.submittedAudit(opts.by ?? qa, {
      teamId: opts.teamId ?? 'assessment-1',
      auditedOn: opts.auditedOn ?? '2026-04-15',
      programmeId: opts.programmeId,
      grades: { planning: opts.planning ?? overallGrade, visits: 'not-applicable' },
      overallGrade,
      submittedOn: opts.submittedOn ?? '2026-04-30',
    });

  beforeEach(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env);
    admin = await t.userWithToken('admin');
    qa = await t.userWithToken('qa-officer', [], 'Quinn Auditor');
    moderator = await t.userWithToken('qa-officer', [], 'Morgan Moderator');
    for (const teamId of ['assessment-1', 'assessment-2']) {
      await t
        .as(admin)
        .post('/api/v1/teams', { teamId, name: `Team ${teamId}`, service: 'Assessment' })
        .expect(201);
    }
    manager = await t.userWithToken('team-manager', ['assessment-1'], 'Mia Manager');
  });
  afterEach(async () => {
    await t.close();
    await storage.drop();
  });

  it('a thematic audit of 8 pre-birth cases: 1 good, 2 requires improvement, 5 inadequate', async () => {
    await t
      .as(qa)
      .post('/api/v1/audit-programmes', {
        programmeId: 'pre-birth-2026',
        title: 'Pre-birth assessments',
        kind: 'thematic',
        theme: 'Pre-birth assessment',
        from: '2026-04-01',
        to: '2026-04-30',
        teamIds: ['assessment-1'],
      })
      .expect(201);
    const grades = ['good', 'requires-improvement', 'requires-improvement', ...Array(5).fill('inadequate')];
    for (const grade of grades) await audit(grade, { programmeId: 'pre-birth-2026' });
    // An audit still in progress is not "audited" yet.
    await t
      .as(qa)
      .post('/api/v1/audits', {
        caseRef: 'CASE-X',
        teamId: 'assessment-1',
        auditedOn: '2026-04-20',
        programmeId: 'pre-birth-2026',
      })
      .expect(201);

    const summary = await t.as(manager).get('/api/v1/audit-programmes/pre-birth-2026/summary').expect(200);
    expect(summary.body).toMatchObject({
      programmeId: 'pre-birth-2026',
      audited: 8,
      inProgress: 1,
      counts: { outstanding: 0, good: 1, requiresImprovement: 2, inadequate: 5 },
      summary: '8 cases audited: 1 good, 2 requires improvement, 5 inadequate',
    });

    const actions = await t.as(manager).get('/api/v1/teams/assessment-1/audit-actions?status=open&on=2026-04-30').expect(200);
    expect(actions.body).toHaveLength(5);
    for (const action of actions.body) {
      expect(action).toMatchObject({
        description: 'Immediate review: is immediate safeguarding action needed?',
        ownerId: manager.userId,
        status: 'open',
        raisedOn: '2026-04-30',
        dueOn: '2026-05-01',
        overdue: false,
      });
    }

    const ratings = await t.as(manager).get('/api/v1/teams/assessment-1/ratings?programmeId=pre-birth-2026').expect(200);
    expect(ratings.body).toMatchObject({
      teamId: 'assessment-1',
      from: null,
      to: null,
      audits: 8,
      overall: {
        outstanding: { count: 0, percent: 0 },
        good: { count: 1, percent: 12.5 },
        requiresImprovement: { count: 2, percent: 25.0 },
        inadequate: { count: 5, percent: 62.5 },
      },
      goodOrBetterPercent: 12.5,
    });
    expect(ratings.body.domains.planning.inadequate).toEqual({ count: 5, percent: 62.5 });
    // The domains come in the default framework's order, whichever statement reads the grades.
    const order = DEFAULT_FRAMEWORK_DOMAINS.map((d) => d.key);
    const keys = Object.keys(ratings.body.domains as object);
    expect(keys.length).toBeGreaterThan(1);
    expect(keys).toEqual([...keys].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
    expect(ratings.body.domains.visits).toEqual({
      outstanding: { count: 0, percent: null },
      good: { count: 0, percent: null },
      requiresImprovement: { count: 0, percent: null },
      inadequate: { count: 0, percent: null },
      notApplicable: { count: 8, percent: 100 },
    });

    await t.as(manager).get('/api/v1/audit-programmes/nope/summary').expect(404);
    const list = await t.as(manager).get('/api/v1/audit-programmes').expect(200);
    expect(list.body).toEqual([
      expect.objectContaining({ programmeId: 'pre-birth-2026', kind: 'thematic', teamIds: ['assessment-1'] }),
    ]);
  });

  it('programme rules: re-audits name an existing programme; broken rules append nothing', async () => {
    const programme = { title: 'Pre-birth', kind: 'thematic', from: '2026-04-01', to: '2026-04-30', teamIds: ['assessment-1'] };
    await t
      .as(qa)
      .post('/api/v1/audit-programmes', { ...programme, programmeId: 'pb-apr' })
      .expect(201);
    const before = await store().headPosition();
    const failures: [object, number, string][] = [
      [{ ...programme, programmeId: 'pb-apr' }, 409, 'AUDIT_PROGRAMME_ALREADY_CREATED'],
      [{ ...programme, from: '2026-05-01' }, 422, 'PROGRAMME_ENDS_BEFORE_START'],
      [{ ...programme, teamIds: ['assessment-1', 'nowhere'] }, 422, 'UNKNOWN_TEAM'],
      [{ ...programme, kind: 're-audit' }, 422, 'RE_AUDIT_NEEDS_ORIGINAL'],
      [{ ...programme, kind: 're-audit', reAuditOf: 'ghost' }, 422, 'UNKNOWN_PROGRAMME'],
    ];
    for (const [body, status, code] of failures) {
      const response = await t.as(qa).post('/api/v1/audit-programmes', body);
      expect([response.status, response.body.details?.code]).toEqual([status, code]);
    }
    expect(await store().headPosition()).toBe(before);
    const reAudit = await t
      .as(qa)
      .post('/api/v1/audit-programmes', {
        ...programme,
        kind: 're-audit',
        reAuditOf: 'pb-apr',
        from: '2026-10-01',
        to: '2026-10-31',
      })
      .expect(201);
    expect(reAudit.body.events[0].data).toMatchObject({ kind: 're-audit', reAuditOf: 'pb-apr' });
    // The team must be in the programme, and the audit inside its period.
    const start = (extra: object) =>
      t.as(qa).post('/api/v1/audits', {
        caseRef: 'C-1',
        teamId: 'assessment-1',
        auditedOn: '2026-04-10',
        programmeId: 'pb-apr',
        ...extra,
      });
    expect((await start({ teamId: 'assessment-2' })).body.details.code).toBe('TEAM_NOT_IN_PROGRAMME');
    expect((await start({ auditedOn: '2026-03-31' })).body.details.code).toBe('AUDITED_OUTSIDE_PROGRAMME');
  });

  it('the default framework is published once; a new version never changes audits already started', async () => {
    const frameworks = await t.as(qa).get('/api/v1/audit-frameworks').expect(200);
    expect(frameworks.body).toHaveLength(1);
    expect(frameworks.body[0]).toMatchObject({ frameworkId: 'default', version: 1, publishedBy: 'system' });
    expect(frameworks.body[0].domains.map((d: { key: string }) => d.key)).toEqual([
      'voice-of-child',
      'assessment',
      'planning',
      'visits',
      'management-oversight',
      'supervision',
      'multi-agency',
      'chronology',
      'risk-analysis',
      'impact',
    ]);
    for (const domain of frameworks.body[0].domains) expect(domain.guidance.length).toBeGreaterThan(20);

    const oldAudit = (
      await t.as(qa).post('/api/v1/audits', { caseRef: 'C-1', teamId: 'assessment-1', auditedOn: '2026-04-10' }).expect(201)
    ).body.auditId;
    const published = await t
      .as(admin)
      .post('/api/v1/audit-frameworks', {
        domains: [
          { key: 'voice-of-child', title: 'Voice of the child', guidance: 'Seen and heard' },
          { key: 'exploitation', title: 'Exploitation', guidance: 'Is the CE tool used?' },
        ],
      })
      .expect(201);
    expect(published.body.events[0].data).toMatchObject({ frameworkId: 'default', version: 2 });
    const newAudit = (
      await t.as(qa).post('/api/v1/audits', { caseRef: 'C-2', teamId: 'assessment-1', auditedOn: '2026-04-10' }).expect(201)
    ).body;
    expect(newAudit.events[0].data).toMatchObject({ frameworkVersion: 2, domains: ['voice-of-child', 'exploitation'] });

    // The old audit keeps version 1's domains; the new one has only version 2's.
    await t.as(qa).post(`/api/v1/audits/${oldAudit}/grades`, { domain: 'chronology', grade: 'good' }).expect(200);
    await t.as(qa).post(`/api/v1/audits/${oldAudit}/grades`, { domain: 'exploitation', grade: 'good' }).expect(422);
    await t.as(qa).post(`/api/v1/audits/${newAudit.auditId}/grades`, { domain: 'exploitation', grade: 'good' }).expect(200);
    await t.as(qa).post(`/api/v1/audits/${newAudit.auditId}/grades`, { domain: 'chronology', grade: 'good' }).expect(422);
    expect((await t.as(qa).get(`/api/v1/audits/${oldAudit}`).expect(200)).body).toMatchObject({ frameworkVersion: 1 });

    await t
      .as(admin)
      .post('/api/v1/audit-frameworks', { domains: [{ key: 'overall', title: 'Overall', guidance: '' }] })
      .expect(422);
    expect((await t.as(qa).get('/api/v1/audit-frameworks').expect(200)).body.map((f: { version: number }) => f.version)).toEqual([
      1, 2,
    ]);

    // A restart publishes nothing: the fixed command id is found in the stream.
    const head = await store().headPosition();
    await t.close();
    t = await TestApp.start(storage.env);
    expect(await store().headPosition()).toBe(head);
    expect(await collect(store().readStream('auditframework-default'))).toHaveLength(2);
  });

  it('ratings count only submitted audits, by effective grade, in the period; per team and for all teams', async () => {
    const moderated = await audit('good', { auditedOn: '2026-04-01' });
    await audit('good', { auditedOn: '2026-04-30' });
    const corrected = await audit('requires-improvement', { auditedOn: '2026-04-15' });
    await audit('outstanding', { teamId: 'assessment-2', auditedOn: '2026-04-15' });
    await audit('inadequate', { auditedOn: '2026-05-01', submittedOn: '2026-05-05' }); // outside the period
    await t.as(qa).post('/api/v1/audits', { caseRef: 'C-9', teamId: 'assessment-1', auditedOn: '2026-04-10' }).expect(201); // not submitted

    await t.as(qa).post(`/api/v1/audits/${moderated}/moderation-requests`, { moderatorId: moderator.userId }).expect(200);
    await t
      .as(moderator)
      .post(`/api/v1/audits/${moderated}/moderation`, {
        overallGrade: 'inadequate',
        domainGrades: { planning: 'inadequate' },
        agreed: false,
        rationale: 'Risks not analysed',
      })
      .expect(200);
    await t
      .as(qa)
      .post(`/api/v1/audits/${corrected}/corrections`, { domain: 'overall', to: 'good', reason: 'Misread' })
      .expect(200);

    const period = 'from=2026-04-01&to=2026-04-30';
    const team = await t.as(qa).get(`/api/v1/teams/assessment-1/ratings?${period}`).expect(200);
    expect(team.body).toMatchObject({
      teamId: 'assessment-1',
      from: '2026-04-01',
      to: '2026-04-30',
      audits: 3,
      overall: {
        outstanding: { count: 0, percent: 0 },
        good: { count: 2, percent: 66.7 },
        requiresImprovement: { count: 0, percent: 0 },
        inadequate: { count: 1, percent: 33.3 },
      },
      goodOrBetterPercent: 66.7,
    });
    // Planning: moderated to inadequate; the corrected audit's planning stays RI (only overall was corrected).
    expect(team.body.domains.planning).toMatchObject({
      good: { count: 1, percent: 33.3 },
      requiresImprovement: { count: 1, percent: 33.3 },
      inadequate: { count: 1, percent: 33.3 },
    });

    const all = await t.as(qa).get(`/api/v1/ratings?${period}`).expect(200);
    expect(all.body.teams.map((r: { teamId: string; audits: number }) => [r.teamId, r.audits])).toEqual([
      ['assessment-1', 3],
      ['assessment-2', 1],
    ]);
    expect(all.body.allTeams).toMatchObject({
      audits: 4,
      overall: { outstanding: { count: 1, percent: 25 }, good: { count: 2, percent: 50 }, inadequate: { count: 1, percent: 25 } },
      goodOrBetterPercent: 75,
    });
    await t.as(qa).get('/api/v1/teams/nowhere/ratings').expect(404);
    const empty = await t.as(qa).get('/api/v1/teams/assessment-2/ratings?from=2027-01-01').expect(200);
    expect(empty.body).toMatchObject({ audits: 0, goodOrBetterPercent: null, domains: {} });
  });

  it("blind moderation covers the team and all-team grade distributions and a team's audit actions", async () => {
    // A QA officer of the team (so the team's trail is theirs to read), asked to moderate one of its audits.
    const tess = await t.userWithToken('qa-officer', ['assessment-1'], 'Tess Moderator');
    await audit('good', { auditedOn: '2026-04-10' });
    await audit('good', { teamId: 'assessment-2', auditedOn: '2026-04-10' });
    const pending = await audit('inadequate', { auditedOn: '2026-04-15' });
    await t.as(qa).post(`/api/v1/audits/${pending}/moderation-requests`, { moderatorId: tess.userId }).expect(200);

    // The moderator waiting to moderate it: no total, no percentage, no action gives its grade away.
    const team = await t.as(tess).get('/api/v1/teams/assessment-1/ratings').expect(200);
    expect(team.body).toMatchObject({ audits: 1, awaitingYourModeration: 1, overall: { inadequate: { count: 0 } } });
    expect(team.body.domains.planning.inadequate.count).toBe(0);
    const all = await t.as(tess).get('/api/v1/ratings').expect(200);
    expect(all.body.awaitingYourModeration).toBe(1);
    expect(all.body.allTeams).toMatchObject({ audits: 2, awaitingYourModeration: 1, overall: { inadequate: { count: 0 } } });
    expect(all.body.teams).toEqual([
      expect.objectContaining({ teamId: 'assessment-1', audits: 1, awaitingYourModeration: 1 }),
      expect.objectContaining({ teamId: 'assessment-2', audits: 1, awaitingYourModeration: 0 }),
    ]);
    // The immediate review the inadequate grade raised would tell them the grade: it is left out of their list.
    const hidden = await t.as(tess).get('/api/v1/teams/assessment-1/audit-actions?on=2026-04-30').expect(200);
    expect(hidden.body).toEqual([]);
    // The same in the team's outstanding actions (improvement and audit actions together).
    const outstandingIds = async (who: typeof tess) =>
      (await t.as(who).get('/api/v1/teams/assessment-1/outstanding-actions?on=2026-04-30').expect(200)).body.items.map(
        (i: { auditId?: string }) => i.auditId,
      );
    expect(await outstandingIds(tess)).not.toContain(pending);
    // Nor does the trail: the audit's grades, its immediate review and its history are hidden from them until they record it.
    const trail = await t.as(tess).get('/api/v1/trail?streamPrefix=audit-&limit=1000').expect(200);
    expect(trail.body.events.map((e: { streamId: string }) => e.streamId)).not.toContain(`audit-${pending}`);
    expect(trail.body.events.length).toBeGreaterThan(0); // the team's other audits are still there
    const changes = await t.as(tess).get('/api/v1/trail/changes?from=2000-01-01T00:00:00Z').expect(200);
    expect(changes.body.entities.map((e: { streamId: string }) => e.streamId)).not.toContain(`audit-${pending}`);
    const history = await t.as(tess).get(`/api/v1/streams/audit-${pending}`).expect(403);
    expect(history.body.message).toContain('This audit is waiting for your moderation');
    const seenTrail = await t.as(admin).get('/api/v1/trail?streamPrefix=audit-&limit=1000').expect(200);
    expect(seenTrail.body.events.map((e: { streamId: string }) => e.streamId)).toContain(`audit-${pending}`);

    // Everyone else sees every audit and every action.
    const others = await t.as(qa).get('/api/v1/ratings').expect(200);
    expect(others.body.allTeams).toMatchObject({ audits: 3, awaitingYourModeration: 0, overall: { inadequate: { count: 1 } } });
    const listed = await t.as(manager).get('/api/v1/teams/assessment-1/audit-actions?on=2026-04-30').expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ auditId: pending, immediateReview: true })]);
    expect(await outstandingIds(manager)).toContain(pending);

    // Once the moderation is recorded the moderator sees it all again.
    await t
      .as(tess)
      .post(`/api/v1/audits/${pending}/moderation`, { overallGrade: 'inadequate', agreed: true, rationale: 'Same view' })
      .expect(200);
    const after = await t.as(tess).get('/api/v1/teams/assessment-1/ratings').expect(200);
    expect(after.body).toMatchObject({ audits: 2, awaitingYourModeration: 0, overall: { inadequate: { count: 1 } } });
    expect((await t.as(tess).get('/api/v1/teams/assessment-1/audit-actions?on=2026-04-30').expect(200)).body).toHaveLength(1);
    await t.as(tess).get(`/api/v1/streams/audit-${pending}`).expect(200);
  });

  it("moderation agreement: rate overall and per auditor, Cohen's kappa from 5 moderated audits", async () => {
    const second = await t.userWithToken('qa-officer', [], 'Sam Second');
    // [auditor's grade, moderator's grade, agreed]
    const cases: [string, string, boolean, User][] = [
      ['good', 'good', true, qa],
      ['good', 'good', true, qa],
      ['requires-improvement', 'requires-improvement', true, qa],
      ['good', 'requires-improvement', false, qa],
      ['inadequate', 'inadequate', true, qa],
      ['requires-improvement', 'inadequate', false, second],
    ];
    for (const [grade, moderatedGrade, agreed, auditor] of cases) {
      const auditId = await audit(grade, { by: auditor });
      await t.as(auditor).post(`/api/v1/audits/${auditId}/moderation-requests`, { moderatorId: moderator.userId }).expect(200);
      await t
        .as(moderator)
        .post(`/api/v1/audits/${auditId}/moderation`, { overallGrade: moderatedGrade, agreed, rationale: 'Moderated' })
        .expect(200);
    }
    const result = await t.as(qa).get('/api/v1/moderation/agreement').expect(200);
    // 6 pairs, 4 identical: po = 4/6. Auditor: good 3, RI 2, inadequate 1; moderator: good 2, RI 2, inadequate 2.
    // pe = (3*2 + 2*2 + 1*2) / 36 = 1/3; kappa = (2/3 - 1/3) / (2/3) = 0.5.
    expect(result.body).toMatchObject({
      moderated: 6,
      agreed: 4,
      agreementRate: 67,
      gradeMatchRate: 67,
      kappa: 0.5,
      // Linear weights: the two misses are one grade apart. po_w = 8/9, pe_w = 19/27, kappa_w = 0.625.
      weightedKappa: 0.625,
      observedAgreement: 0.667,
      expectedAgreement: 0.333,
      reason: null,
    });
    expect(result.body.auditors).toEqual([
      expect.objectContaining({ auditorId: [qa.userId, second.userId].sort()[0] }),
      expect.objectContaining({ auditorId: [qa.userId, second.userId].sort()[1] }),
    ]);
    const byAuditor = Object.fromEntries(result.body.auditors.map((a: { auditorId: string }) => [a.auditorId, a]));
    expect(byAuditor[qa.userId]).toMatchObject({ moderated: 5, agreed: 4, agreementRate: 80, kappa: expect.any(Number) });
    expect(byAuditor[second.userId]).toMatchObject({ moderated: 1, kappa: null, reason: expect.stringMatching(/at least 5/) });
    const none = await t.as(qa).get('/api/v1/moderation/agreement?to=2020-01-01').expect(200);
    expect(none.body).toMatchObject({ moderated: 0, agreementRate: null, kappa: null, auditors: [] });
  });
});
