import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { collect } from '@casetrail/testing';
import { PROFILES, TestApp } from '../support/test-app';

describe.each(PROFILES.filter((p) => p.enabled))('teams over HTTP ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let admin: { userId: string; token: string };
  let qa: { userId: string; token: string };

  const store = (): EventStore => t.app.get<EventStore>(EVENT_STORE);
  const head = async (): Promise<bigint> => store().headPosition();
  const asAdmin = (r: ReturnType<TestApp['http']['get']>) => r.set('Authorization', `Bearer ${admin.token}`);
  const register = (teamId: string, name = `Team ${teamId}`) =>
    t.http
      .post('/api/v1/teams')
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ teamId, name, service: 'Children in need' });

  beforeEach(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env);
    admin = await t.userWithToken('admin');
    qa = await t.userWithToken('qa-officer');
  });
  afterEach(async () => {
    await t.close();
    await storage.drop();
  });

  it('registers a team and a query right after the response sees it (read-your-writes)', async () => {
    const created = await register('cin-north', '  CIN North  ').expect(201);
    expect(created.body).toMatchObject({ streamId: 'team-cin-north', revision: '0', replayed: false });
    expect(created.body.events).toEqual([
      expect.objectContaining({
        type: 'TeamRegistered',
        data: { teamId: 'cin-north', name: 'CIN North', service: 'Children in need' },
      }),
    ]);
    const list = await asAdmin(t.http.get('/api/v1/teams')).expect(200);
    expect(list.body).toEqual([
      expect.objectContaining({ teamId: 'cin-north', name: 'CIN North', status: 'open', registeredBy: admin.userId }),
    ]);
    const one = await t.http.get('/api/v1/teams/cin-north').set('Authorization', `Bearer ${qa.token}`).expect(200);
    expect(one.body.name).toBe('CIN North');
  });

  it('renames and closes a team; closed teams are listed only on request', async () => {
    await register('cp-east').expect(201);
    await asAdmin(t.http.patch('/api/v1/teams/cp-east')).send({ name: 'CP East and Coast' }).expect(200);
    const closed = await asAdmin(t.http.post('/api/v1/teams/cp-east/close'))
      .send({ reason: 'Merged', closedOn: '2026-01-05' })
      .expect(200);
    expect(closed.body.events[0]).toMatchObject({ type: 'TeamClosed', data: { closedOn: '2026-01-05', reason: 'Merged' } });
    expect((await asAdmin(t.http.get('/api/v1/teams')).expect(200)).body).toEqual([]);
    const all = await asAdmin(t.http.get('/api/v1/teams?includeClosed=true')).expect(200);
    expect(all.body).toEqual([
      expect.objectContaining({ teamId: 'cp-east', name: 'CP East and Coast', status: 'closed', closedOn: '2026-01-05' }),
    ]);
  });

  it('the actor in the event metadata is the signed-in user, never the body', async () => {
    await register('lac-1').expect(201);
    await asAdmin(t.http.patch('/api/v1/teams/lac-1')).send({ name: 'LAC 1', actorId: 'someone-else' }).expect(400);
    const [event] = await collect(store().readStream('team-lac-1'));
    expect(event.metadata).toMatchObject({ actorId: admin.userId, actorRole: 'admin' });
  });

  it('bad input is a 400 naming each failing field, and nothing is appended', async () => {
    const before = await head();
    const response = await asAdmin(t.http.post('/api/v1/teams'))
      .send({ teamId: 'Not A Slug', name: '', service: 42, colour: 'red' })
      .expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(response.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['colour', 'name', 'service', 'teamId']);
    const malformed = await asAdmin(t.http.post('/api/v1/teams')).set('Content-Type', 'application/json').send('{"teamId": ');
    expect(malformed.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'The request body is not valid JSON.' });
    const huge = await asAdmin(t.http.post('/api/v1/teams')).send({ teamId: 'a', name: 'x'.repeat(70_000), service: 'x' });
    expect(huge.status).toBe(413);
    await asAdmin(t.http.post('/api/v1/teams/cin-north/close')).send({ reason: 'x', closedOn: '05/01/2026' }).expect(400);
    await asAdmin(t.http.get('/api/v1/teams?includeClosed=maybe')).expect(400);
    expect(await head()).toBe(before);
  });

  it('a broken rule is a 409/422 in plain English, and nothing is appended', async () => {
    await register('cin-south').expect(201);
    const before = await head();
    const duplicate = await register('cin-south').expect(409);
    expect(duplicate.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'A team with the id "cin-south" is already registered.',
      details: { code: 'TEAM_ALREADY_REGISTERED' },
    });
    const same = await asAdmin(t.http.patch('/api/v1/teams/cin-south')).send({ name: 'Team cin-south' }).expect(422);
    expect(same.body.message).toBe('The team is already called "Team cin-south".');
    const future = await asAdmin(t.http.post('/api/v1/teams/cin-south/close'))
      .send({ reason: 'x', closedOn: '2999-01-01' })
      .expect(422);
    expect(future.body.details.code).toBe('CLOSING_DATE_IN_FUTURE');
    await asAdmin(t.http.patch('/api/v1/teams/nowhere')).send({ name: 'X' }).expect(404);
    await asAdmin(t.http.get('/api/v1/teams/nowhere')).expect(404);
    expect(await head()).toBe(before);
  });

  it('a retried command with the same Idempotency-Key is recorded once and answers the same', async () => {
    const first = await register('fd-1').set('Idempotency-Key', 'retry-me-1').expect(201);
    const again = await register('fd-1').set('Idempotency-Key', 'retry-me-1').expect(201);
    expect(again.body).toEqual({ ...first.body, replayed: true });
    expect(await collect(store().readStream('team-fd-1'))).toHaveLength(1);
  });

  it("an Idempotency-Key is the caller's own: another user's identical key is a new command", async () => {
    const other = await t.userWithToken('admin');
    await register('fd-2').set('Idempotency-Key', 'monday-1').expect(201);
    const rename = await t.http
      .patch('/api/v1/teams/fd-2')
      .set('Authorization', `Bearer ${other.token}`)
      .set('Idempotency-Key', 'monday-1')
      .send({ name: 'Front Door 2' })
      .expect(200);
    expect(rename.body).toMatchObject({ replayed: false, revision: '1' });
    const bad = await register('fd-3').set('Idempotency-Key', 'has spaces &; '.repeat(3)).expect(400);
    expect(bad.body.message).toContain('Idempotency-Key');
  });

  it('no token is 401, an unknown token is 401, a role that may not write is 403', async () => {
    await t.http.get('/api/v1/teams').expect(401);
    await t.http.get('/api/v1/teams').set('Authorization', 'Bearer ct_notarealtokenatall').expect(401);
    await t.http.get('/api/v1/teams').set('Authorization', `Basic ${admin.token}`).expect(401);
    const forbidden = await t.http
      .post('/api/v1/teams')
      .set('Authorization', `Bearer ${qa.token}`)
      .send({ teamId: 'qa-team', name: 'QA', service: 'QA' })
      .expect(403);
    expect(forbidden.body.message).toContain('qa-officer');
    await t.http.get('/api/v1/teams').set('Authorization', `Bearer ${qa.token}`).expect(200);
  });

  it('health and the API docs need no token; every route is documented', async () => {
    const health = await t.http.get('/health').expect(200);
    expect(health.body).toMatchObject({ status: 'ok', eventStore: { status: 'up' }, readDatabase: { status: 'up' } });
    const projections = health.body.projections as { name: string; lag: number }[];
    expect(projections.map((p) => p.name)).toEqual(expect.arrayContaining(['teams', 'users']));
    expect(projections.filter((p) => p.lag !== 0)).toEqual([]);
    expect(health.body.runsProjections).toBe(true);
    await t.http.get('/api/docs').expect(200);
    const docs = await t.http.get('/api/docs-json').expect(200);
    type Router = { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
    const express = t.app.getHttpAdapter().getInstance() as { router?: Router; _router?: Router };
    const router = (express.router ?? express._router)!; // Express 5 : Express 4
    const routes = router.stack
      .flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((m) => [m, layer.route!.path] as const) : []))
      // The API, /health and /metrics are documented; web pages (src/web) are deliberately not.
      .filter(
        ([, path]) => (path.startsWith('/api/') || ['/health', '/metrics'].includes(path)) && !path.startsWith('/api/docs'),
      );
    expect(routes.length).toBeGreaterThan(10);
    for (const [method, path] of routes) {
      const documented = path.replace(/:(\w+)/g, '{$1}');
      expect({ route: `${method} ${path}`, documented: Boolean(docs.body.paths[documented]?.[method]) }).toEqual({
        route: `${method} ${path}`,
        documented: true,
      });
    }
  });
});
