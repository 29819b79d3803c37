/**
 * The access log records every read of a case-level record (an audit, a dispute, an improvement
 * action) by anyone, through the API and through the pages alike: one interceptor knows those
 * reads by the route's access rule (src/auth/case-level-reads.ts), so no page or controller
 * records them itself. A read the guard refuses records nothing.
 */
import { PROFILES, TestApp, type User } from '../support/test-app';
import { signedIn, type Person } from '../support/web-http';

type Entry = { actorId: string; role: string; route: string; subject: string };

describe.each(PROFILES.filter((p) => p.enabled))('reads of case-level records in the access log ($name)', (profile) => {
  let app: TestApp;
  let drop: () => Promise<void>;
  let admin: User, inspector: User;
  let qa: Person, manager: Person, iro: Person, lead: Person;
  let auditId = '';
  let disputeId = '';

  /** The access log's entries about one subject, oldest first. */
  const readsOf = async (subject: string): Promise<Entry[]> =>
    (
      await app
        .as(inspector)
        .get(`/api/v1/access-log?subject=${encodeURIComponent(subject)}`)
        .expect(200)
    ).body.entries;

  beforeAll(async () => {
    const created = await profile.create();
    drop = created.drop;
    app = await TestApp.start(created.env);
    admin = await app.userWithToken('admin', [], 'Ada Admin');
    inspector = await app.userWithToken('inspector', [], 'Ines Inspector');
    for (const [teamId, name] of [
      ['north', 'North Assessment'],
      ['south', 'South Assessment'],
    ]) {
      await app.as(admin).post('/api/v1/teams', { teamId, name, service: 'Assessment' }).expect(201);
    }
    qa = await signedIn(app, 'qa-officer', [], 'quinn', 'Quinn QA');
    manager = await signedIn(app, 'team-manager', ['north'], 'mia', 'Mia Manager');
    iro = await signedIn(app, 'iro', [], 'ira', 'Ira IRO');
    lead = await signedIn(app, 'improvement-lead', [], 'lee', 'Lee Lead');
    auditId = (
      await app.as(qa).post('/api/v1/audits', { caseRef: 'CASE-1', teamId: 'north', auditedOn: '2026-04-06' }).expect(201)
    ).body.auditId;
    disputeId = (
      await app
        .as(iro)
        .post('/api/v1/disputes', {
          childRef: 'C-1001',
          teamId: 'north',
          category: 'matching',
          summary: 'Long-term match has drifted for 14 months.',
          desiredOutcome: 'Matching assessment to panel before the next review.',
        })
        .expect(201)
    ).body.disputeId;
    await app
      .as(lead)
      .post('/api/v1/plans', {
        planId: 'sip',
        title: 'Safeguarding plan',
        trigger: { kind: 'ofsted-inspection', date: '2026-01-05' },
      })
      .expect(201);
    await app.as(lead).post('/api/v1/plans/sip/priorities', { priorityId: 'practice', title: 'Frontline practice' }).expect(201);
    await app
      .as(lead)
      .post('/api/v1/plans/sip/actions', {
        actionId: 'supervision',
        priorityId: 'practice',
        recommendationIds: [],
        title: 'Monthly supervision',
        ownerId: manager.userId,
        teamIds: ['north'],
        startOn: '2026-01-12',
        dueOn: '2026-03-02',
        successMeasure: 'Audits show it',
      })
      .expect(201);
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('records an audit read through the API and through its page, by whoever reads it', async () => {
    expect(await readsOf(`audit-${auditId}`)).toEqual([]);
    await app.as(manager).get(`/api/v1/audits/${auditId}`).expect(200);
    await manager.get(`/audits/${auditId}`).expect(200);
    await qa.get(`/audits/${auditId}`).expect(200);
    expect(await readsOf(`audit-${auditId}`)).toEqual([
      expect.objectContaining({ actorId: manager.userId, role: 'team-manager', route: `GET /api/v1/audits/${auditId}` }),
      expect.objectContaining({ actorId: manager.userId, role: 'team-manager', route: `GET /audits/${auditId}` }),
      expect.objectContaining({ actorId: qa.userId, role: 'qa-officer', route: `GET /audits/${auditId}` }),
    ]);
  });

  it('records dispute and action reads on both paths', async () => {
    await app.as(iro).get(`/api/v1/disputes/${disputeId}`).expect(200);
    await manager.get(`/disputes/${disputeId}`).expect(200);
    expect((await readsOf(`dispute-${disputeId}`)).map((e) => [e.role, e.route])).toEqual([
      ['iro', `GET /api/v1/disputes/${disputeId}`],
      ['team-manager', `GET /disputes/${disputeId}`],
    ]);
    await app.as(lead).get('/api/v1/actions/supervision').expect(200);
    await manager.get('/actions/supervision').expect(200);
    expect((await readsOf('action-supervision')).map((e) => [e.role, e.route])).toEqual([
      ['improvement-lead', 'GET /api/v1/actions/supervision'],
      ['team-manager', 'GET /actions/supervision'],
    ]);
  });

  it('records nothing for a read the access policy refuses, nor for lists and forms', async () => {
    const other = await signedIn(app, 'team-manager', ['south'], 'sam', 'Sam South');
    await app.as(other).get(`/api/v1/audits/${auditId}`).expect(404);
    await other.get(`/audits/${auditId}`).expect(404);
    await qa.get('/audits').expect(200);
    expect((await readsOf(`audit-${auditId}`)).filter((e) => e.actorId === other.userId)).toEqual([]);
    const all = (await app.as(inspector).get(`/api/v1/access-log?actorId=${qa.userId}`).expect(200)).body.entries as Entry[];
    expect(all.every((e) => e.subject === `audit-${auditId}`)).toBe(true);
  });
});
