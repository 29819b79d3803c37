import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { collect } from '@casetrail/testing';
import { PROFILES, TestApp, type User } from '../support/test-app';

describe.each(PROFILES.filter((p) => p.enabled))('audits over HTTP ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let admin: User, qa: User, moderator: User, manager: User, otherManager: User, inspector: User;

  const store = (): EventStore => t.app.get<EventStore>(EVENT_STORE);
  const head = (): Promise<bigint> => store().headPosition();
  /** A failing request must leave the log exactly as it was. */
  const refused = async (status: number, send: () => PromiseLike<{ status: number; body: unknown }>, code?: string) => {
    const before = await head();
    const response = await send();
    expect({ status: response.status, body: response.body }).toMatchObject({
      status,
      ...(code ? { body: { details: { code } } } : {}),
    });
    expect(await head()).toBe(before);
    return response;
  };
  const startAudit = async (extra: object = {}, by: User = qa): Promise<string> => {
    const response = await t
      .as(by)
      .post('/api/v1/audits', { caseRef: 'CASE-1001', teamId: 'cin-north', auditedOn: '2026-04-06', ...extra })
      .expect(201);
    return response.body.auditId as string;
  };
  const gradeAndSubmit = async (auditId: string, overallGrade: string, submittedOn = '2026-04-10') => {
    await t.as(qa).post(`/api/v1/audits/${auditId}/grades`, { domain: 'planning', grade: 'good' }).expect(200);
    return t.as(qa).post(`/api/v1/audits/${auditId}/submit`, { overallGrade, submittedOn }).expect(200);
  };

  beforeEach(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env);
    admin = await t.userWithToken('admin');
    qa = await t.userWithToken('qa-officer', [], 'Quinn Auditor');
    moderator = await t.userWithToken('qa-officer', [], 'Morgan Moderator');
    inspector = await t.userWithToken('inspector');
    for (const teamId of ['cin-north', 'cp-east']) {
      await t
        .as(admin)
        .post('/api/v1/teams', { teamId, name: `Team ${teamId}`, service: 'Children in need' })
        .expect(201);
    }
    manager = await t.userWithToken('team-manager', ['cin-north'], 'Mia Manager');
    otherManager = await t.userWithToken('team-manager', ['cp-east'], 'Otto Manager');
  });
  afterEach(async () => {
    await t.close();
    await storage.drop();
  });

  it('an audit from start to moderation: blind for the moderator, then the moderated grade counts', async () => {
    const created = await t
      .as(qa)
      .post('/api/v1/audits', { caseRef: 'CASE-1001', teamId: 'cin-north', auditedOn: '2026-04-06' })
      .expect(201);
    const auditId = created.body.auditId as string;
    expect(created.body).toMatchObject({ streamId: `audit-${auditId}`, position: expect.any(String) });
    expect(created.body.events[0].data).toMatchObject({ auditorId: qa.userId, frameworkId: 'default', frameworkVersion: 1 });
    expect(created.body.events[0].data.domains).toHaveLength(10);

    const audit = t.as(qa);
    await audit
      .post(`/api/v1/audits/${auditId}/grades`, { domain: 'voice-of-child', grade: 'good', evidence: 'Seen alone' })
      .expect(200);
    await audit.post(`/api/v1/audits/${auditId}/grades`, { domain: 'planning', grade: 'requires-improvement' }).expect(200);
    // Re-grading before submission: a new event, the latest counts.
    await audit
      .post(`/api/v1/audits/${auditId}/grades`, { domain: 'planning', grade: 'good', evidence: 'SMART plan' })
      .expect(200);
    await audit
      .post(`/api/v1/audits/${auditId}/submit`, {
        overallGrade: 'good',
        strengths: ['Clear oversight'],
        submittedOn: '2026-04-07',
      })
      .expect(200);
    await audit.post(`/api/v1/audits/${auditId}/moderation-requests`, { moderatorId: moderator.userId }).expect(200);

    // Blind moderation: the assigned moderator sees the case, not the auditor's judgement.
    const blind = await t.as(moderator).get(`/api/v1/audits/${auditId}`).expect(200);
    expect(blind.body).toMatchObject({
      blind: true,
      overallGrade: null,
      effectiveOverallGrade: null,
      grades: null,
      effectiveDomainGrades: null,
      strengths: [],
      caseRef: 'CASE-1001',
    });
    expect(JSON.stringify(blind.body)).not.toMatch(/SMART plan|Clear oversight/);
    const blindList = await t.as(moderator).get('/api/v1/audits?teamId=cin-north').expect(200);
    expect(blindList.body).toEqual([
      expect.objectContaining({ auditId, blind: true, overallGrade: null, effectiveOverallGrade: null }),
    ]);
    // Everyone else sees the grades.
    const open = await t.as(inspector).get(`/api/v1/audits/${auditId}`).expect(200);
    expect(open.body).toMatchObject({
      blind: false,
      status: 'moderation-requested',
      overallGrade: 'good',
      grades: { planning: { grade: 'good', evidence: 'SMART plan' }, 'voice-of-child': { grade: 'good' } },
    });

    await t
      .as(moderator)
      .post(`/api/v1/audits/${auditId}/moderation`, {
        overallGrade: 'requires-improvement',
        domainGrades: { planning: 'requires-improvement' },
        agreed: false,
        rationale: 'The plan has no timescales',
      })
      .expect(200);
    const moderated = await t.as(moderator).get(`/api/v1/audits/${auditId}`).expect(200);
    expect(moderated.body).toMatchObject({
      blind: false,
      status: 'moderated',
      overallGrade: 'good', // the original stays in history
      effectiveOverallGrade: 'requires-improvement',
      effectiveDomainGrades: { planning: 'requires-improvement', 'voice-of-child': 'good' },
      moderation: { moderatorId: moderator.userId, status: 'moderated', agreed: false, auditorOverallGrade: 'good' },
    });

    // The auditor cannot overwrite the moderator's judgement afterwards.
    await refused(
      422,
      () => audit.post(`/api/v1/audits/${auditId}/corrections`, { domain: 'overall', to: 'good', reason: 'I disagree' }),
      'AUDITOR_CANNOT_OVERRULE_MODERATION',
    );
    // A third QA officer decides the disagreement: recorded beside both grades, it is the effective grade.
    const lead = await t.userWithToken('qa-officer', [], 'Quentin Lead');
    const resolved = await t
      .as(lead)
      .post(`/api/v1/audits/${auditId}/disagreement-resolution`, { overallGrade: 'inadequate', rationale: 'New information' })
      .expect(200);
    expect(resolved.body.events.map((e: { type: string }) => e.type)).toEqual([
      'ModerationDisagreementResolved',
      'AuditActionRaised',
    ]);
    expect(resolved.body.events[0].data).toMatchObject({
      resolvedBy: lead.userId,
      overallGrade: 'inadequate',
      auditorOverallGrade: 'good',
      moderatorOverallGrade: 'requires-improvement',
    });
    // Becoming inadequate raised the immediate review.
    expect(resolved.body.events[1].data).toMatchObject({ immediateReview: true, ownerId: manager.userId });
    const after = await t.as(qa).get(`/api/v1/audits/${auditId}`).expect(200);
    expect(after.body.overallGrade).toBe('good');
    expect(after.body.effectiveOverallGrade).toBe('inadequate');
    expect(after.body.moderation).toMatchObject({
      overallGrade: 'requires-improvement',
      resolution: { resolvedBy: lead.userId, overallGrade: 'inadequate', rationale: 'New information' },
    });

    const types = (await collect(store().readStream(`audit-${auditId}`))).map((e) => e.type);
    expect(types).toEqual([
      'CaseAuditStarted',
      'DomainGraded',
      'DomainGraded',
      'DomainGraded',
      'AuditSubmitted',
      'ModerationRequested',
      'AuditModerated',
      'ModerationDisagreementResolved',
      'AuditActionRaised',
    ]);
  });

  it('a disagreement is resolved on its own route by a third person, neither the auditor nor the moderator, once', async () => {
    const auditId = await startAudit();
    await gradeAndSubmit(auditId, 'good');
    const url = `/api/v1/audits/${auditId}`;
    const decision = { overallGrade: 'requires-improvement', rationale: 'The plan has timescales, but no contingency' };
    const lead = await t.userWithToken('qa-officer', [], 'Quentin Lead');
    await refused(409, () => t.as(lead).post(`${url}/disagreement-resolution`, decision), 'NO_MODERATION_DISAGREEMENT');
    await t.as(qa).post(`${url}/moderation-requests`, { moderatorId: moderator.userId }).expect(200);
    await t
      .as(moderator)
      .post(`${url}/moderation`, { overallGrade: 'inadequate', agreed: false, rationale: 'Risks not analysed' })
      .expect(200);

    await refused(422, () => t.as(qa).post(`${url}/disagreement-resolution`, decision), 'RESOLVER_NOT_INDEPENDENT');
    await refused(422, () => t.as(moderator).post(`${url}/disagreement-resolution`, decision), 'RESOLVER_NOT_INDEPENDENT');
    await refused(403, () => t.as(manager).post(`${url}/disagreement-resolution`, decision));
    await refused(400, () => t.as(lead).post(`${url}/disagreement-resolution`, { overallGrade: 'good', rationale: '  ' }));
    await refused(
      422,
      () => t.as(lead).post(`${url}/disagreement-resolution`, { overallGrade: 'not-applicable', rationale: 'x' }),
      'OVERALL_GRADE_REQUIRED',
    );

    const resolved = await t.as(lead).post(`${url}/disagreement-resolution`, decision).expect(200);
    expect(resolved.body.events.map((e: { type: string }) => e.type)).toEqual(['ModerationDisagreementResolved']);
    const after = await t.as(inspector).get(url).expect(200);
    expect(after.body).toMatchObject({
      overallGrade: 'good',
      effectiveOverallGrade: 'requires-improvement',
      moderation: {
        overallGrade: 'inadequate',
        resolution: { resolvedBy: lead.userId, overallGrade: 'requires-improvement', rationale: decision.rationale },
      },
    });
    await refused(409, () => t.as(admin).post(`${url}/disagreement-resolution`, decision), 'DISAGREEMENT_ALREADY_RESOLVED');
  });

  it('an inadequate audit raises an immediate review for the team manager, due the next working day, in the same append', async () => {
    const auditId = await startAudit({ auditedOn: '2026-04-01' });
    // Thursday 2 April 2026: Good Friday (3) and Easter Monday (6) are bank holidays, so due Tuesday 7 April.
    const submitted = await gradeAndSubmit(auditId, 'inadequate', '2026-04-02');
    expect(submitted.body.events.map((e: { type: string }) => e.type)).toEqual(['AuditSubmitted', 'AuditActionRaised']);
    expect(submitted.body.events[1].data).toMatchObject({
      description: 'Immediate review: is immediate safeguarding action needed?',
      ownerId: manager.userId,
      teamId: 'cin-north',
      raisedOn: '2026-04-02',
      dueOn: '2026-04-07',
    });
    const [first, second] = await collect(store().readStream(`audit-${auditId}`, { fromRevision: 2n }));
    expect(first.position + 1n).toBe(second.position);
    expect(first.metadata.commandId).toBe(second.metadata.commandId);

    // A team without a manager: the auditor owns it.
    const other = await startAudit({ teamId: 'cp-east' });
    await t.as(admin).post(`/api/v1/users/${otherManager.userId}/deactivate`, { reason: 'Left' }).expect(200);
    const noManager = await gradeAndSubmit(other, 'inadequate');
    expect(noManager.body.events[1].data.ownerId).toBe(qa.userId);

    const actions = await t.as(inspector).get('/api/v1/teams/cin-north/audit-actions?on=2026-04-07').expect(200);
    expect(actions.body).toEqual([
      {
        actionId: submitted.body.events[1].data.actionId,
        auditId,
        caseRef: 'CASE-1001',
        description: 'Immediate review: is immediate safeguarding action needed?',
        ownerId: manager.userId,
        teamId: 'cin-north',
        raisedOn: '2026-04-02',
        dueOn: '2026-04-07',
        status: 'open',
        immediateReview: true,
        overdue: false,
        completedLate: false,
      },
    ]);
    const overdue = await t.as(inspector).get('/api/v1/teams/cin-north/audit-actions?status=overdue&on=2026-04-08').expect(200);
    expect(overdue.body).toEqual([expect.objectContaining({ overdue: true })]);
    expect(
      (await t.as(inspector).get('/api/v1/teams/cin-north/audit-actions?status=open&on=2026-04-08').expect(200)).body,
    ).toEqual([]);
  });

  it('audit actions: raised with a default due date, completed by the team manager of that team only, cancelled by QA', async () => {
    const auditId = await startAudit();
    await gradeAndSubmit(auditId, 'good');
    const raised = await t
      .as(qa)
      .post(`/api/v1/audits/${auditId}/actions`, {
        description: 'Update the chronology',
        ownerId: manager.userId,
        raisedOn: '2026-04-10',
      })
      .expect(201);
    const actionId = raised.body.actionId as string;
    // Friday 10 April 2026 + 20 working days, skipping the 4 May bank holiday -> Monday 11 May.
    expect(raised.body.events[0].data).toMatchObject({ actionId, dueOn: '2026-05-11', teamId: 'cin-north' });
    const second = await t
      .as(qa)
      .post(`/api/v1/audits/${auditId}/actions`, {
        description: 'Share the plan',
        ownerId: manager.userId,
        raisedOn: '2026-04-10',
        dueOn: '2026-04-30',
      })
      .expect(201);

    const complete = `/api/v1/audits/${auditId}/actions/${actionId}/complete`;
    // Answered by the access policy exactly as a missing audit would be: nothing leaks.
    await refused(404, () => t.as(otherManager).post(complete, { evidence: 'Not my team' }), 'AUDIT_NOT_FOUND');
    await refused(403, () => t.as(inspector).post(complete, { evidence: 'Read only' }));
    await refused(403, () =>
      t.as(manager).post(`/api/v1/audits/${auditId}/actions/${second.body.actionId}/cancel`, { reason: 'x' }),
    );
    await t.as(manager).post(complete, { evidence: 'Chronology updated', completedOn: '2026-05-01' }).expect(200);
    await refused(409, () => t.as(manager).post(complete, { evidence: 'Again' }), 'AUDIT_ACTION_CLOSED');
    await t
      .as(qa)
      .post(`/api/v1/audits/${auditId}/actions/${second.body.actionId}/cancel`, { reason: 'Case closed' })
      .expect(200);

    const view = await t.as(qa).get(`/api/v1/audits/${auditId}`).expect(200);
    const states = view.body.actions.map((a: { status: string; completedOn?: string }) => [a.status, a.completedOn]);
    expect(states.sort()).toEqual([
      ['cancelled', undefined],
      ['completed', '2026-05-01'],
    ]);
    const completed = await t.as(manager).get('/api/v1/teams/cin-north/audit-actions?status=completed').expect(200);
    expect(completed.body).toEqual([
      expect.objectContaining({ actionId, status: 'completed', completedOn: '2026-05-01', overdue: false }),
    ]);
    expect((await t.as(manager).get('/api/v1/teams/cin-north/audit-actions').expect(200)).body).toEqual([]);
    await t.as(manager).get('/api/v1/teams/nowhere/audit-actions').expect(404);
    await t.as(manager).get('/api/v1/teams/cin-north/audit-actions?status=late').expect(400);
    await refused(
      404,
      () => t.as(qa).post(`/api/v1/audits/${auditId}/actions/nope/complete`, { evidence: 'x' }),
      'AUDIT_ACTION_NOT_FOUND',
    );
    await refused(
      422,
      () => t.as(qa).post(`/api/v1/audits/${auditId}/actions`, { description: 'x', ownerId: 'no-such-user' }),
      'UNKNOWN_USER',
    );
    await refused(
      422,
      () =>
        t.as(qa).post(`/api/v1/audits/${auditId}/actions`, {
          description: 'x',
          ownerId: manager.userId,
          raisedOn: '2026-04-10',
          dueOn: '2026-04-09',
        }),
      'DATE_OUT_OF_ORDER',
    );
  });

  it('bad input is a 400 naming the fields, and nothing is appended', async () => {
    const auditId = await startAudit();
    const bad = await refused(400, () =>
      t.as(qa).post('/api/v1/audits', { caseRef: 'Jane Smith', teamId: 'CIN North', auditedOn: '06/04/2026', colour: 'red' }),
    );
    expect((bad.body as { details: { field: string }[] }).details.map((d) => d.field).sort()).toEqual([
      'auditedOn',
      'caseRef',
      'colour',
      'teamId',
    ]);
    await refused(400, () => t.as(qa).post(`/api/v1/audits/${auditId}/grades`, { domain: 'planning', grade: 'excellent' }));
    await refused(400, () =>
      t.as(qa).post(`/api/v1/audits/${auditId}/grades`, { domain: 'planning', grade: 'good', evidence: 'x'.repeat(4001) }),
    );
    await refused(400, () => t.as(qa).post(`/api/v1/audits/${auditId}/submit`, { overallGrade: 'good', strengths: [42] }));
    await refused(400, () =>
      t.as(qa).post(`/api/v1/audits/${auditId}/corrections`, { domain: 'planning', to: 'good', reason: '   ' }),
    );
    await refused(400, () =>
      t.as(qa).post(`/api/v1/audits/${auditId}/moderation`, { overallGrade: 'good', agreed: 'yes', rationale: 'x' }),
    );
    await refused(400, () =>
      t.as(qa).post(`/api/v1/audits/${auditId}/moderation`, {
        overallGrade: 'good',
        agreed: true,
        rationale: 'x',
        domainGrades: { planning: 'great' },
      }),
    );
    await refused(400, () =>
      t
        .as(qa)
        .post('/api/v1/audit-programmes', { title: 'x', kind: 'annual', from: '2026-01-01', to: '2026-01-02', teamIds: [] }),
    );
    await refused(400, () =>
      t.as(admin).post('/api/v1/audit-frameworks', { domains: [{ key: 'Bad Key', title: 't', guidance: '' }] }),
    );
    await t.as(qa).get('/api/v1/audits?status=finished').expect(400);
    await t.as(qa).get('/api/v1/ratings?from=2026-13-01').expect(400);
  });

  it('broken rules are 404/409/422 with a code, and nothing is appended', async () => {
    const auditId = await startAudit({ auditId: 'audit-1' });
    expect(auditId).toBe('audit-1');
    const url = `/api/v1/audits/${auditId}`;
    await refused(
      409,
      () => t.as(qa).post('/api/v1/audits', { auditId: 'audit-1', caseRef: 'C-2', teamId: 'cin-north', auditedOn: '2026-04-06' }),
      'AUDIT_ALREADY_STARTED',
    );
    await refused(
      422,
      () => t.as(qa).post('/api/v1/audits', { caseRef: 'C-2', teamId: 'nowhere', auditedOn: '2026-04-06' }),
      'UNKNOWN_TEAM',
    );
    await refused(
      422,
      () => t.as(qa).post('/api/v1/audits', { caseRef: 'C-2', teamId: 'cin-north', auditedOn: '2099-01-01' }),
      'BUSINESS_DATE_IN_FUTURE',
    );
    await refused(
      422,
      () =>
        t.as(qa).post('/api/v1/audits', { caseRef: 'C-2', teamId: 'cin-north', auditedOn: '2026-04-06', programmeId: 'nope' }),
      'UNKNOWN_PROGRAMME',
    );
    await refused(
      404,
      () => t.as(qa).post('/api/v1/audits/ghost/grades', { domain: 'planning', grade: 'good' }),
      'AUDIT_NOT_FOUND',
    );
    await refused(422, () => t.as(qa).post(`${url}/grades`, { domain: 'finance', grade: 'good' }), 'DOMAIN_NOT_IN_FRAMEWORK');
    await refused(422, () => t.as(qa).post(`${url}/submit`, { overallGrade: 'good' }), 'NO_DOMAIN_GRADED');
    await t.as(qa).post(`${url}/grades`, { domain: 'planning', grade: 'good' }).expect(200);
    await refused(422, () => t.as(qa).post(`${url}/submit`, { overallGrade: 'not-applicable' }), 'OVERALL_GRADE_REQUIRED');
    await refused(
      409,
      () => t.as(qa).post(`${url}/corrections`, { domain: 'planning', to: 'inadequate', reason: 'x' }),
      'AUDIT_NOT_SUBMITTED',
    );
    await refused(
      409,
      () => t.as(qa).post(`${url}/moderation-requests`, { moderatorId: moderator.userId }),
      'AUDIT_NOT_SUBMITTED',
    );
    await t.as(qa).post(`${url}/submit`, { overallGrade: 'good', submittedOn: '2026-04-08' }).expect(200);
    await refused(409, () => t.as(qa).post(`${url}/submit`, { overallGrade: 'good' }), 'AUDIT_ALREADY_SUBMITTED');
    await refused(
      409,
      () => t.as(qa).post(`${url}/grades`, { domain: 'planning', grade: 'inadequate' }),
      'AUDIT_ALREADY_SUBMITTED',
    );
    await refused(
      422,
      () => t.as(qa).post(`${url}/corrections`, { domain: 'planning', to: 'good', reason: 'x' }),
      'GRADE_UNCHANGED',
    );
    await refused(422, () => t.as(qa).post(`${url}/moderation-requests`, { moderatorId: qa.userId }), 'MODERATOR_IS_AUDITOR');
    await refused(422, () => t.as(qa).post(`${url}/moderation-requests`, { moderatorId: 'ghost' }), 'UNKNOWN_USER');
    await refused(
      409,
      () => t.as(moderator).post(`${url}/moderation`, { overallGrade: 'good', agreed: true, rationale: 'x' }),
      'NO_MODERATION_REQUESTED',
    );
    await t.as(qa).post(`${url}/moderation-requests`, { moderatorId: moderator.userId }).expect(200);
    await refused(
      409,
      () => t.as(qa).post(`${url}/moderation-requests`, { moderatorId: admin.userId }),
      'MODERATION_ALREADY_REQUESTED',
    );
    await refused(
      422,
      () => t.as(qa).post(`${url}/moderation`, { overallGrade: 'good', agreed: true, rationale: 'x' }),
      'MODERATOR_IS_AUDITOR',
    );
    await refused(
      422,
      () => t.as(admin).post(`${url}/moderation`, { overallGrade: 'good', agreed: true, rationale: 'x' }),
      'NOT_THE_ASSIGNED_MODERATOR',
    );
    await t.as(moderator).post(`${url}/moderation`, { overallGrade: 'good', agreed: true, rationale: 'Agree' }).expect(200);
    await refused(
      409,
      () => t.as(moderator).post(`${url}/moderation`, { overallGrade: 'good', agreed: true, rationale: 'x' }),
      'AUDIT_ALREADY_MODERATED',
    );
    await t.as(qa).get('/api/v1/audits/ghost').expect(404);
  });

  it('roles: qa-officer and admin write, team managers and inspectors only read', async () => {
    const auditId = await startAudit({}, admin);
    for (const user of [inspector, manager]) {
      await refused(403, () =>
        t.as(user).post('/api/v1/audits', { caseRef: 'C-9', teamId: 'cin-north', auditedOn: '2026-04-06' }),
      );
      await refused(403, () => t.as(user).post(`/api/v1/audits/${auditId}/grades`, { domain: 'planning', grade: 'good' }));
      await refused(403, () =>
        t.as(user).post('/api/v1/audit-programmes', {
          title: 'x',
          kind: 'monthly',
          from: '2026-04-01',
          to: '2026-04-30',
          teamIds: ['cin-north'],
        }),
      );
      await t.as(user).get(`/api/v1/audits/${auditId}`).expect(200);
      await t.as(user).get('/api/v1/audits').expect(200);
      await t.as(user).get('/api/v1/audit-programmes').expect(200);
    }
    await refused(403, () => t.as(qa).post('/api/v1/audit-frameworks', { domains: [{ key: 'a', title: 'A', guidance: '' }] }));
    await t.http.get('/api/v1/audits').expect(401);
  });

  it('GET /api/v1/audits filters on team, programme, period and status', async () => {
    await t
      .as(qa)
      .post('/api/v1/audit-programmes', {
        programmeId: 'ce-2026',
        title: 'Child exploitation',
        kind: 'thematic',
        from: '2026-04-01',
        to: '2026-04-30',
        teamIds: ['cin-north', 'cp-east'],
      })
      .expect(201);
    const a = await startAudit({ programmeId: 'ce-2026', auditedOn: '2026-04-02' });
    const b = await startAudit({ teamId: 'cp-east', auditedOn: '2026-04-20', programmeId: 'ce-2026' });
    const c = await startAudit({ auditedOn: '2026-03-15' });
    await gradeAndSubmit(b, 'good', '2026-04-21');
    const ids = async (query: string) =>
      ((await t.as(qa).get(`/api/v1/audits${query}`).expect(200)).body as { auditId: string }[]).map((x) => x.auditId).sort();
    expect(await ids('')).toEqual([a, b, c].sort());
    expect(await ids('?teamId=cin-north')).toEqual([a, c].sort());
    expect(await ids('?programmeId=ce-2026')).toEqual([a, b].sort());
    expect(await ids('?from=2026-04-02&to=2026-04-20')).toEqual([a, b].sort());
    expect(await ids('?from=2026-04-03')).toEqual([b]);
    expect(await ids('?status=submitted')).toEqual([b]);
    expect(await ids('?status=in-progress&teamId=cin-north&to=2026-03-31')).toEqual([c]);
  });

  it('a retried start, programme or action with the same Idempotency-Key appends nothing and answers the first result', async () => {
    const post = (url: string, body: object, key: string) =>
      t.http.post(url).set('Authorization', `Bearer ${qa.token}`).set('Idempotency-Key', key).send(body);

    const startBody = { caseRef: 'CASE-RETRY', teamId: 'cin-north', auditedOn: '2026-04-06' };
    const first = await post('/api/v1/audits', startBody, 'start-audit-once').expect(201);
    const before = await head();
    const again = await post('/api/v1/audits', startBody, 'start-audit-once').expect(201);
    expect(again.body).toEqual({ ...first.body, replayed: true });
    expect(await head()).toBe(before);
    expect(await collect(store().readStream(`audit-${first.body.auditId}`))).toHaveLength(1);

    const programmeBody = { title: 'Retried', kind: 'thematic', from: '2026-04-01', to: '2026-04-30', teamIds: ['cin-north'] };
    const programme = await post('/api/v1/audit-programmes', programmeBody, 'programme-once').expect(201);
    const beforeProgramme = await head();
    const programmeAgain = await post('/api/v1/audit-programmes', programmeBody, 'programme-once').expect(201);
    expect(programmeAgain.body).toEqual({ ...programme.body, replayed: true });
    expect(await head()).toBe(beforeProgramme);

    const actionUrl = `/api/v1/audits/${first.body.auditId}/actions`;
    const actionBody = { description: 'Update the chronology', ownerId: manager.userId, raisedOn: '2026-04-10' };
    const action = await post(actionUrl, actionBody, 'action-once').expect(201);
    const beforeAction = await head();
    const actionAgain = await post(actionUrl, actionBody, 'action-once').expect(201);
    expect(actionAgain.body).toEqual({ ...action.body, replayed: true });
    expect(await head()).toBe(beforeAction);
    expect(await collect(store().readStream(`audit-${first.body.auditId}`))).toHaveLength(2);
  });

  it('a framework names its limiting domains: an inadequate one makes the case inadequate unless a reason is recorded', async () => {
    await t
      .as(admin)
      .post('/api/v1/audit-frameworks', {
        domains: [
          { key: 'planning', title: 'Planning', guidance: '', limiting: true },
          { key: 'visits', title: 'Visits', guidance: '' },
        ],
      })
      .expect(201);
    const auditId = await startAudit();
    const begun = await collect(store().readStream(`audit-${auditId}`));
    expect(begun[0].data).toMatchObject({ domains: ['planning', 'visits'], limitingDomains: ['planning'] });
    await t.as(qa).post(`/api/v1/audits/${auditId}/grades`, { domain: 'planning', grade: 'inadequate' }).expect(200);
    await t.as(qa).post(`/api/v1/audits/${auditId}/grades`, { domain: 'visits', grade: 'good' }).expect(200);
    const submit = `/api/v1/audits/${auditId}/submit`;
    const capped = await refused(
      422,
      () => t.as(qa).post(submit, { overallGrade: 'requires-improvement', submittedOn: '2026-04-10' }),
      'LIMITING_DOMAIN_INADEQUATE',
    );
    expect(capped.body).toMatchObject({ message: expect.stringContaining('record the reason') });
    const reason = 'Plan out of date, but the safety plan is in place and working';
    await t
      .as(qa)
      .post(submit, { overallGrade: 'requires-improvement', submittedOn: '2026-04-10', overallGradeReason: reason })
      .expect(200);
    const view = await t.as(inspector).get(`/api/v1/audits/${auditId}`).expect(200);
    expect(view.body).toMatchObject({ effectiveOverallGrade: 'requires-improvement', overallGradeReason: reason });
  });
});
