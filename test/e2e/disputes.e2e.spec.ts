import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { collect } from '@casetrail/testing';
import { PROFILES, TestApp, type User } from '../support/test-app';

describe.each(PROFILES.filter((p) => p.enabled))('IRO dispute resolution over HTTP ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let admin: User, iro: User, lacManager: User, cinManager: User, inspector: User;

  const store = (): EventStore => t.app.get<EventStore>(EVENT_STORE);
  const head = (): Promise<bigint> => store().headPosition();
  const raise = (body: Record<string, unknown> = {}, user = iro) =>
    t.as(user).post('/api/v1/disputes', {
      childRef: 'C-1001',
      teamId: 'lac-1',
      category: 'matching',
      summary: 'Long-term match has drifted for 14 months.',
      desiredOutcome: 'Matching assessment to panel before the next review.',
      ...body,
    });
  /** Raises a DR and answers its id. */
  const raised = async (body: Record<string, unknown> = {}): Promise<string> => (await raise(body).expect(201)).body.disputeId;
  /** Runs a request that must fail, and checks that nothing was recorded. */
  const refused = async (status: number, request: () => PromiseLike<{ status: number; body: { details?: unknown } }>) => {
    const before = await head();
    const response = await request();
    expect({ status: response.status, body: response.body }).toMatchObject({ status });
    expect(await head()).toBe(before);
    return response.body as { message: string; details: { code?: string } & { field: string }[] };
  };

  beforeAll(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env);
    admin = await t.userWithToken('admin');
    for (const [teamId, name] of [
      ['lac-1', 'Looked After Children 1'],
      ['cin-north', 'CIN North'],
    ]) {
      await t.as(admin).post('/api/v1/teams', { teamId, name, service: 'Children’s social care' }).expect(201);
    }
    iro = await t.userWithToken('iro');
    lacManager = await t.userWithToken('team-manager', ['lac-1']);
    cinManager = await t.userWithToken('team-manager', ['cin-north']);
    inspector = await t.userWithToken('inspector');
  });
  afterAll(async () => {
    await t.close();
    await storage.drop();
  });

  it('publishes the default protocol at start-up, once: a restart appends nothing', async () => {
    const protocols = await t.as(inspector).get('/api/v1/dispute-protocols').expect(200);
    expect(protocols.body).toEqual([
      expect.objectContaining({
        version: 1,
        formalTargetWorkingDays: 20,
        publishedBy: 'system',
        stages: [
          expect.objectContaining({ key: 'informal', responseWorkingDays: 5 }),
          expect.objectContaining({ key: 'stage-1', respondentRole: 'team manager', responseWorkingDays: 5 }),
          expect.objectContaining({ key: 'stage-2', respondentRole: 'head of service' }),
          expect.objectContaining({ key: 'stage-3', respondentRole: 'assistant director' }),
          expect.objectContaining({ key: 'stage-4' }),
        ],
      }),
    ]);
    const before = await head();
    const second = await TestApp.start(storage.env);
    await second.close();
    expect(await head()).toBe(before);
    expect(await collect(store().readStream('dispute-protocol'))).toHaveLength(1);
  });

  it('due dates skip weekends and bank holidays: 9 April 2020 at stage-1 -> 20 April; 4 May 2020 -> 12 May', async () => {
    const easter = await raise({ stage: 'stage-1', raisedOn: '2020-04-09' }).expect(201);
    expect(easter.body).toMatchObject({ stage: 'stage-1', dueOn: '2020-04-20', protocolVersion: 1 });
    expect(easter.body.position).toMatch(/^\d+$/);
    const veDay = await raise({ raisedOn: '2020-05-04' }).expect(201);
    expect(veDay.body).toMatchObject({ disputeId: expect.any(String), stage: 'informal', dueOn: '2020-05-12' });
    const [event] = await collect(store().readStream(`dispute-${veDay.body.disputeId}`));
    expect(event).toMatchObject({
      type: 'DisputeRaised',
      data: { raisedBy: iro.userId, raisedOn: '2020-05-04', stage: 'informal', protocol: { version: 1 } },
      metadata: { actorId: iro.userId, actorRole: 'iro' },
    });
  });

  it('follows a DR from informal alert to resolution, with overdue answered for any day', async () => {
    const id = await raised({ raisedOn: '2020-05-04' });
    const url = `/api/v1/disputes/${id}`;
    expect((await t.as(iro).get(`${url}?on=2020-05-12`).expect(200)).body).toMatchObject({
      status: 'open',
      dueOn: '2020-05-12',
      overdue: false,
    });
    expect((await t.as(iro).get(`${url}?on=2020-05-13`).expect(200)).body).toMatchObject({
      overdue: true,
      workingDaysOverdue: 1,
    });
    const overdueIds = async (on: string) =>
      (await t.as(iro).get(`/api/v1/disputes?teamId=lac-1&overdue=true&on=${on}`).expect(200)).body.map(
        (d: { disputeId: string }) => d.disputeId,
      );
    expect(await overdueIds('2020-05-13')).toContain(id);
    expect(await overdueIds('2020-05-12')).not.toContain(id);

    // The team manager answers late; the IRO is not satisfied and escalates to stage 2, bypassing stage 1.
    await t
      .as(lacManager)
      .post(`${url}/responses`, { response: 'Assessment allocated.', respondedOn: '2020-05-14', satisfactory: false })
      .expect(201);
    await t
      .as(iro)
      .post(`${url}/escalations`, { toStage: 'stage-2', reason: 'No panel date agreed.', escalatedOn: '2020-05-15' })
      .expect(201);
    const cafcass = await t
      .as(iro)
      .post(`${url}/cafcass-referral`, { reason: 'Drift is harming the child.', referredOn: '2020-05-18' })
      .expect(201);
    expect(cafcass.body.events[0]).toMatchObject({ type: 'DisputeReferredToCafcass' });
    const team = await t.as(lacManager).get('/api/v1/teams/lac-1/disputes?on=2020-05-26').expect(200);
    // Stage 2 entered 15 May: due 22 May, still unanswered on 26 May.
    expect(team.body.find((d: { disputeId: string }) => d.disputeId === id)).toMatchObject({
      stage: 'stage-2',
      dueOn: '2020-05-22',
      overdue: true,
    });
    await t
      .as(iro)
      .post(`${url}/responses`, {
        response: 'Panel on 2 June.',
        respondentName: 'R. Khan, Head of Service',
        respondedOn: '2020-05-26',
        satisfactory: true,
      })
      .expect(201);
    await t
      .as(iro)
      .post(`${url}/resolution`, { outcome: 'resolved', note: 'Match approved at panel.', resolvedOn: '2020-06-02' })
      .expect(201);

    const dr = (await t.as(inspector).get(`${url}?on=2020-06-30`).expect(200)).body;
    expect(dr).toMatchObject({
      status: 'resolved',
      stage: 'stage-2',
      formal: true,
      becameFormalOn: '2020-05-15',
      formalTargetOn: '2020-06-15',
      resolvedOn: '2020-06-02',
      outcome: 'resolved',
      resolvedWithinTarget: true,
      overTarget: false,
      cafcassReferral: { referredOn: '2020-05-18' },
      protocolVersion: 1,
    });
    expect(dr.stages.map((s: Record<string, unknown>) => [s.stage, s.enteredOn, s.dueOn, s.bypassed, s.overdue])).toEqual([
      ['informal', '2020-05-04', '2020-05-12', [], true],
      ['stage-2', '2020-05-15', '2020-05-22', ['stage-1'], true],
    ]);
    expect(dr.stages[0].response).toMatchObject({ respondentId: lacManager.userId, satisfactory: false });
    expect(dr.stages[1].response).toMatchObject({ respondentId: iro.userId, respondentName: 'R. Khan, Head of Service' });

    // Nothing happens to a resolved DR except reopening it.
    const body = await refused(409, () =>
      t.as(iro).post(`${url}/escalations`, { toStage: 'stage-3', reason: 'x', escalatedOn: '2020-06-03' }),
    );
    expect(body.details.code).toBe('DISPUTE_RESOLVED');
    await t.as(iro).post(`${url}/reopen`, { reason: 'Panel was cancelled.', reopenedOn: '2020-06-03' }).expect(200);
    await t
      .as(iro)
      .post(`${url}/escalations`, { toStage: 'stage-3', reason: 'Panel cancelled.', escalatedOn: '2020-06-03' })
      .expect(201);
    expect((await t.as(iro).get(`${url}?on=2020-06-03`).expect(200)).body).toMatchObject({ status: 'open', stage: 'stage-3' });
    expect(await collect(store().readStream(`dispute-${id}`))).toHaveLength(8);
  });

  it('bad input is a 400 naming the fields, and nothing is appended', async () => {
    const id = await raised({ raisedOn: '2020-05-04' });
    const fields = (b: { details: { field: string }[] }) => b.details.map((d) => d.field).sort();
    const bad = await refused(400, () =>
      raise({
        childRef: 'Jane Smith',
        category: 'shoes',
        summary: 'x'.repeat(2001),
        stage: 'Stage One',
        raisedOn: '04/05/2020',
        colour: 'red',
      }),
    );
    expect(fields(bad)).toEqual(['category', 'childRef', 'colour', 'raisedOn', 'stage', 'summary']);
    expect(fields(await refused(400, () => raise({ teamId: 'LAC 1', summary: '   ' })))).toEqual(['summary', 'teamId']);
    await refused(400, () => t.as(iro).post(`/api/v1/disputes/${id}/escalations`, { reason: 'x' }));
    await refused(400, () => t.as(iro).post(`/api/v1/disputes/${id}/responses`, { response: 'ok', satisfactory: 'yes' }));
    await refused(400, () => t.as(iro).post(`/api/v1/disputes/${id}/resolution`, { outcome: 'sorted', note: 'x' }));
    await refused(400, () => t.as(iro).post(`/api/v1/disputes/${id}/reopen`, {}));
    await refused(400, () =>
      t.as(iro).post(`/api/v1/disputes/${id}/cafcass-referral`, { reason: 'x', referredOn: '2020-02-30' }),
    );
    await refused(400, () => t.as(iro).post('/api/v1/disputes/not-a-uuid/resolution', { outcome: 'resolved', note: 'x' }));
    await refused(400, () => t.as(iro).post('/api/v1/good-practice-alerts', { childRef: 'C-1', teamId: 'lac-1' }));
    await refused(400, () =>
      t.as(admin).post('/api/v1/dispute-protocols', { stages: [{ key: 'informal' }], formalTargetWorkingDays: 0 }),
    );
    await t.as(iro).get('/api/v1/disputes?overdue=maybe').expect(400);
    await t.as(iro).get(`/api/v1/disputes/${id}?on=yesterday`).expect(400);
    await t.as(iro).get('/api/v1/disputes/stats?from=2020-13-01').expect(400);
  });

  it('a broken rule is a 404/409/422 in plain words, and nothing is appended', async () => {
    const id = await raised({ raisedOn: '2020-05-04' });
    const url = `/api/v1/disputes/${id}`;
    const code = async (status: number, request: () => PromiseLike<{ status: number; body: { details?: unknown } }>) =>
      (await refused(status, request)).details.code;
    expect(await code(422, () => raise({ raisedOn: '2999-01-01' }))).toBe('BUSINESS_DATE_IN_FUTURE');
    expect(await code(422, () => raise({ teamId: 'nowhere' }))).toBe('UNKNOWN_TEAM');
    expect(await code(422, () => raise({ stage: 'stage-9' }))).toBe('UNKNOWN_STAGE');
    expect(
      await code(422, () =>
        t.as(iro).post(`${url}/escalations`, { toStage: 'informal', reason: 'x', escalatedOn: '2020-05-05' }),
      ),
    ).toBe('ESCALATION_NOT_UPWARDS');
    expect(
      await code(422, () => t.as(iro).post(`${url}/escalations`, { toStage: 'stage-1', reason: 'x', escalatedOn: '2020-05-01' })),
    ).toBe('DATE_BEFORE_DISPUTE_RAISED');
    expect(
      await code(422, () => t.as(iro).post(`${url}/responses`, { stage: 'stage-1', response: 'x', respondedOn: '2020-05-05' })),
    ).toBe('STAGE_NOT_ENTERED');
    expect(await code(422, () => t.as(iro).post(`${url}/cafcass-referral`, { reason: 'x', referredOn: '2999-01-01' }))).toBe(
      'BUSINESS_DATE_IN_FUTURE',
    );
    expect(await code(409, () => t.as(iro).post(`${url}/reopen`, { reason: 'x' }))).toBe('DISPUTE_NOT_RESOLVED');
    await t.as(iro).post(`${url}/responses`, { response: 'ok', respondedOn: '2020-05-05' }).expect(201);
    expect(await code(409, () => t.as(iro).post(`${url}/responses`, { response: 'again', respondedOn: '2020-05-06' }))).toBe(
      'RESPONSE_ALREADY_RECORDED',
    );
    await t
      .as(iro)
      .post(`${url}/resolution`, { outcome: 'withdrawn', note: 'Plan changed.', resolvedOn: '2020-05-06' })
      .expect(201);
    expect(await code(409, () => t.as(iro).post(`${url}/resolution`, { outcome: 'resolved', note: 'x' }))).toBe(
      'DISPUTE_RESOLVED',
    );
    expect(await code(422, () => t.as(iro).post(`${url}/reopen`, { reason: 'x', reopenedOn: '2020-05-05' }))).toBe(
      'DATE_BEFORE_PREVIOUS_STEP',
    );
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(
      await code(404, () => t.as(iro).post(`/api/v1/disputes/${missing}/resolution`, { outcome: 'resolved', note: 'x' })),
    ).toBe('DISPUTE_NOT_FOUND');
    await t.as(iro).get(`/api/v1/disputes/${missing}`).expect(404);
    const noInformal = { ...protocolBody([5, 5, 5], 20), stages: protocolBody([5, 5, 5], 20).stages.slice(1) };
    expect(await code(422, () => t.as(admin).post('/api/v1/dispute-protocols', noInformal))).toBe('INFORMAL_STAGE_FIRST');
    const stats = await t.as(iro).get('/api/v1/disputes/stats?from=2020-06-01&to=2020-04-01').expect(422);
    expect(stats.body.details.code).toBe('STATS_RANGE_INVALID');
  });

  it('roles: iro writes, team managers answer for their own teams only, inspectors read only', async () => {
    const id = await raised({ raisedOn: '2020-05-04' });
    const url = `/api/v1/disputes/${id}`;
    for (const user of [lacManager, inspector, admin]) await refused(403, () => raise({}, user));
    await refused(403, () => t.as(inspector).post(`${url}/responses`, { response: 'x' }));
    await refused(403, () => t.as(lacManager).post(`${url}/resolution`, { outcome: 'resolved', note: 'x' }));
    await refused(403, () =>
      t.as(lacManager).post('/api/v1/good-practice-alerts', { childRef: 'C-1', teamId: 'lac-1', summary: 'x' }),
    );
    await refused(403, () => t.as(iro).post('/api/v1/dispute-protocols', protocolBody([5, 5], 20)));
    // Another team's manager: the DR does not exist for them.
    await refused(404, () => t.as(cinManager).post(`${url}/responses`, { response: 'x', respondedOn: '2020-05-05' }));
    await t.as(cinManager).get(url).expect(404);
    expect((await t.as(cinManager).get('/api/v1/disputes').expect(200)).body).toEqual([]);
    expect((await t.as(cinManager).get('/api/v1/teams/lac-1/disputes').expect(200)).body).toEqual([]);
    await t.as(lacManager).get(url).expect(200);
    expect((await t.as(lacManager).get('/api/v1/disputes?teamId=lac-1').expect(200)).body.length).toBeGreaterThan(0);
    await t.as(inspector).get(url).expect(200);
    await t.as(inspector).get('/api/v1/disputes/stats').expect(200);
    await t.http.get(url).expect(401);
  });

  it('a DR may end unresolved and then be referred to Cafcass after the local process', async () => {
    const id = await raised({ raisedOn: '2020-05-04' });
    const url = `/api/v1/disputes/${id}`;
    await t
      .as(iro)
      .post(`${url}/resolution`, { outcome: 'unresolved', note: 'No agreement.', resolvedOn: '2020-05-20' })
      .expect(201);
    const referral = await t.as(iro).post(`${url}/cafcass-referral`, { reason: 'Drift.', referredOn: '2020-05-21' }).expect(201);
    expect(referral.body.events[0]).toMatchObject({ type: 'DisputeReferredToCafcass', data: { afterLocalProcess: true } });
    const view = (await t.as(iro).get(`${url}?on=2020-05-22`).expect(200)).body;
    expect(view).toMatchObject({
      status: 'resolved',
      outcome: 'unresolved',
      cafcassReferral: { referredOn: '2020-05-21', afterLocalProcess: true },
    });
    const ended = await raised({ raisedOn: '2020-05-04' });
    const both = await t
      .as(iro)
      .post(`/api/v1/disputes/${ended}/resolution`, {
        outcome: 'referred-to-cafcass',
        note: 'Exhausted.',
        resolvedOn: '2020-05-20',
      })
      .expect(201);
    expect(both.body.events.map((e: { type: string }) => e.type)).toEqual(['DisputeResolved', 'DisputeReferredToCafcass']);
  });

  it('a retried raise with the same Idempotency-Key records one DR', async () => {
    const first = await raise({ raisedOn: '2020-05-04' }).set('Idempotency-Key', 'raise-once-1').expect(201);
    const again = await raise({ raisedOn: '2020-05-04' }).set('Idempotency-Key', 'raise-once-1').expect(201);
    expect(again.body).toEqual({ ...first.body, replayed: true });
    expect(await collect(store().readStream(`dispute-${first.body.disputeId}`))).toHaveLength(1);
  });

  it('statistics per financial quarter: raised, formal, categories, stages, target, median, Cafcass, good practice', async () => {
    // Its own window (2019/20 Q3-Q4), so other tests' DRs do not count.
    const a = await raised({ teamId: 'cin-north', raisedOn: '2019-12-02', category: 'care-plan' });
    await t
      .as(iro)
      .post(`/api/v1/disputes/${a}/escalations`, { toStage: 'stage-1', reason: 'Late', escalatedOn: '2019-12-10' })
      .expect(201);
    // 2 January 2020: 20 working days after 2 December (25, 26 December and 1 January skipped).
    await t
      .as(iro)
      .post(`/api/v1/disputes/${a}/resolution`, { outcome: 'resolved', note: 'Plan agreed', resolvedOn: '2020-01-02' })
      .expect(201);
    const b = await raised({ teamId: 'cin-north', raisedOn: '2020-01-06', stage: 'stage-2', category: 'pathway-plan' });
    await t.as(iro).post(`/api/v1/disputes/${b}/cafcass-referral`, { reason: 'Drift', referredOn: '2020-02-03' }).expect(201);
    await t
      .as(iro)
      .post(`/api/v1/disputes/${b}/resolution`, { outcome: 'partly-resolved', note: 'x', resolvedOn: '2020-03-02' })
      .expect(201);
    await t
      .as(iro)
      .post('/api/v1/good-practice-alerts', {
        childRef: 'C-7',
        teamId: 'cin-north',
        summary: 'Great review.',
        raisedOn: '2020-02-14',
      })
      .expect(201);
    await t
      .as(admin)
      .post('/api/v1/good-practice-alerts', {
        childRef: 'C-8',
        teamId: 'lac-1',
        summary: 'Child chaired their review.',
        raisedOn: '2019-11-11',
      })
      .expect(201);

    const stats = (await t.as(inspector).get('/api/v1/disputes/stats?from=2019-10-01&to=2020-03-31').expect(200)).body;
    expect(stats.quarters.map((q: { quarter: string }) => q.quarter)).toEqual(['2019/20 Q3', '2019/20 Q4']);
    expect(stats.quarters[0]).toMatchObject({
      raised: { informal: 1, formal: 1 },
      byCategory: { 'care-plan': 1, 'pathway-plan': 0 },
      highestStageReached: { 'stage-1': 1 },
      resolved: 0,
      goodPracticeAlerts: 1,
    });
    expect(stats.quarters[1]).toMatchObject({
      raised: { informal: 0, formal: 1 },
      byCategory: { 'pathway-plan': 1 },
      highestStageReached: { 'stage-2': 1 },
      resolved: 2,
      // a: formal 10 Dec, target 10 Jan, resolved 2 Jan (on time); b: formal 6 Jan, target 3 Feb, resolved 2 Mar (late).
      resolvedWithinFormalTarget: { resolvedFormal: 2, count: 1, percent: 50 },
      // a: 20 working days; b: 6 Jan -> 2 Mar = 40 working days.
      medianWorkingDaysToResolve: 30,
      cafcassReferrals: 1,
      goodPracticeAlerts: 1,
    });
    expect(stats.totals).toMatchObject({
      raised: { informal: 1, formal: 2 },
      resolved: 2,
      cafcassReferrals: 1,
      goodPracticeAlerts: 2,
    });
    // A team manager's statistics cover their own teams only.
    const cin = (await t.as(cinManager).get('/api/v1/disputes/stats?from=2019-10-01&to=2020-03-31').expect(200)).body;
    expect(cin.totals).toMatchObject({ raised: { informal: 1, formal: 2 }, goodPracticeAlerts: 1 });
    const alerts = (await t.as(cinManager).get('/api/v1/good-practice-alerts').expect(200)).body;
    expect(alerts).toEqual([expect.objectContaining({ childRef: 'C-7', teamId: 'cin-north', raisedBy: iro.userId })]);
  });

  // Runs after the statistics test, which assumes version 1 (20 working days).
  it('a new protocol version applies to new DRs; a DR keeps the version it started under', async () => {
    const before = await raised({ raisedOn: '2020-05-04' });
    const published = await t
      .as(admin)
      .post('/api/v1/dispute-protocols', protocolBody([5, 3, 10], 15))
      .expect(201);
    expect(published.body.events[0].data).toMatchObject({ version: 2, formalTargetWorkingDays: 15 });
    await refused(422, () => t.as(admin).post('/api/v1/dispute-protocols', protocolBody([5, 3, 10], 15)));
    const after = await raise({ stage: 'stage-1', raisedOn: '2020-05-04' }).expect(201);
    expect(after.body).toMatchObject({ protocolVersion: 2, dueOn: '2020-05-07' });
    expect((await t.as(iro).get(`/api/v1/disputes/${before}`).expect(200)).body).toMatchObject({
      protocolVersion: 1,
      formalTargetWorkingDays: 20,
    });
    // The old DR can still use stages the new protocol dropped.
    await t
      .as(iro)
      .post(`/api/v1/disputes/${before}/escalations`, { toStage: 'stage-4', reason: 'Serious drift.', escalatedOn: '2020-05-05' })
      .expect(201);
    await refused(422, () =>
      t.as(iro).post(`/api/v1/disputes/${after.body.disputeId}/escalations`, {
        toStage: 'stage-4',
        reason: 'x',
        escalatedOn: '2020-05-05',
      }),
    );
    const versions = (await t.as(iro).get('/api/v1/dispute-protocols').expect(200)).body;
    expect(versions.map((p: { version: number }) => p.version)).toEqual([1, 2]);
  });

  it('every dispute route is documented', async () => {
    const docs = (await t.http.get('/api/docs-json').expect(200)).body;
    for (const [path, method] of [
      ['/api/v1/disputes', 'post'],
      ['/api/v1/disputes', 'get'],
      ['/api/v1/disputes/stats', 'get'],
      ['/api/v1/disputes/{id}', 'get'],
      ['/api/v1/disputes/{id}/escalations', 'post'],
      ['/api/v1/disputes/{id}/responses', 'post'],
      ['/api/v1/disputes/{id}/resolution', 'post'],
      ['/api/v1/disputes/{id}/reopen', 'post'],
      ['/api/v1/disputes/{id}/cafcass-referral', 'post'],
      ['/api/v1/teams/{teamId}/disputes', 'get'],
      ['/api/v1/dispute-protocols', 'post'],
      ['/api/v1/dispute-protocols', 'get'],
      ['/api/v1/good-practice-alerts', 'post'],
      ['/api/v1/good-practice-alerts', 'get'],
    ]) {
      expect({ path, method, documented: Boolean(docs.paths[path]?.[method]) }).toEqual({ path, method, documented: true });
    }
  });
});

/** A protocol with an informal stage and formal stages of the given response days (first entry = informal). */
function protocolBody(days: number[], formalTargetWorkingDays: number) {
  return {
    stages: days.map((responseWorkingDays, i) => ({
      key: i === 0 ? 'informal' : `stage-${i}`,
      title: i === 0 ? 'Informal' : `Stage ${i}`,
      respondentRole: i === 0 ? 'social worker' : 'manager',
      responseWorkingDays,
    })),
    formalTargetWorkingDays,
  };
}
