import { PROFILES, TestApp, type User } from '../support/test-app';

/**
 * The team list, a team and a team's ratings are answered from memory while the projections they
 * read have not moved (src/core/read-cache.ts): every change shows at once, each viewer gets their
 * own answer, and asAt still reads the past.
 */
describe.each(PROFILES.filter((p) => p.enabled))('GET team views answered again from memory ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let admin: User, qa: User, moderator: User;

  /** The same GET twice: the second (from memory) must be the first, body and ETag. */
  const twice = async (user: User, url: string): Promise<Record<string, unknown>> => {
    const first = await t.as(user).get(url).expect(200);
    const second = await t.as(user).get(url).expect(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers.etag).toBe(first.headers.etag);
    return first.body as Record<string, unknown>;
  };
  const audit = (overallGrade: string): Promise<string> =>
    t.submittedAudit(qa, {
      teamId: 'north',
      auditedOn: '2026-04-15',
      grades: { planning: overallGrade },
      overallGrade,
      submittedOn: '2026-04-30',
    });

  beforeEach(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env);
    admin = await t.userWithToken('admin');
    qa = await t.userWithToken('qa-officer', [], 'Quinn Auditor');
    moderator = await t.userWithToken('qa-officer', [], 'Morgan Moderator');
    await t.as(admin).post('/api/v1/teams', { teamId: 'north', name: 'North', service: 'Assessment' }).expect(201);
  });
  afterEach(async () => {
    await t.close();
    await storage.drop();
  });

  it('a repeated read shows each change as soon as the command that made it has answered', async () => {
    expect(((await twice(qa, '/api/v1/teams')) as unknown as { name: string }[]).map((team) => team.name)).toEqual(['North']);
    expect((await twice(qa, '/api/v1/teams/north')).name).toBe('North');
    expect((await twice(qa, '/api/v1/teams/north/ratings')).audits).toBe(0);

    await t.as(admin).patch('/api/v1/teams/north', { name: 'North and Coast' }).expect(200);
    expect(((await twice(qa, '/api/v1/teams')) as unknown as { name: string }[]).map((team) => team.name)).toEqual([
      'North and Coast',
    ]);
    expect((await twice(qa, '/api/v1/teams/north')).name).toBe('North and Coast');

    const auditId = await audit('good');
    const one = await twice(qa, '/api/v1/teams/north/ratings');
    expect(one).toMatchObject({ audits: 1, overall: { good: { count: 1, percent: 100 } } });
    await t
      .as(qa)
      .post(`/api/v1/audits/${auditId}/corrections`, { domain: 'overall', to: 'inadequate', reason: 'Misread' })
      .expect(200);
    expect(await twice(qa, '/api/v1/teams/north/ratings')).toMatchObject({
      audits: 1,
      overall: { good: { count: 0, percent: 0 }, inadequate: { count: 1, percent: 100 } },
    });
    // The filters are part of what is kept: another period has its own answer.
    expect((await twice(qa, '/api/v1/teams/north/ratings?from=2027-01-01')).audits).toBe(0);
  });

  it('each viewer gets their own answer (blind moderation), and asAt still reads the past', async () => {
    const before = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const auditId = await audit('good');
    await t.as(qa).post(`/api/v1/audits/${auditId}/moderation-requests`, { moderatorId: moderator.userId }).expect(200);

    expect(await twice(qa, '/api/v1/teams/north/ratings')).toMatchObject({ audits: 1, awaitingYourModeration: 0 });
    expect(await twice(moderator, '/api/v1/teams/north/ratings')).toMatchObject({ audits: 0, awaitingYourModeration: 1 });
    expect(await twice(qa, '/api/v1/teams/north/ratings')).toMatchObject({ audits: 1, awaitingYourModeration: 0 });

    const past = await t
      .as(qa)
      .get(`/api/v1/teams/north/ratings?asAt=${encodeURIComponent(before)}`)
      .expect(200);
    expect(past.body).toMatchObject({ audits: 0 });
    expect((await twice(qa, '/api/v1/teams/north/ratings')).audits).toBe(1);
  });
  it('an answer from memory is sent as the same bytes and headers as the first, and its ETag still answers 304', async () => {
    for (const url of ['/api/v1/teams', '/api/v1/teams/north', '/api/v1/teams/north/ratings']) {
      const first = await t.as(qa).get(url).expect(200);
      const second = await t.as(qa).get(url).expect(200);
      expect(second.text).toBe(first.text);
      expect(JSON.parse(second.text)).toEqual(first.body);
      for (const header of ['content-type', 'content-length', 'etag']) expect(second.headers[header]).toBe(first.headers[header]);
      expect(second.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(second.headers.etag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
      expect(Number(second.headers['content-length'])).toBe(Buffer.byteLength(second.text));
      await t.as(qa).get(url).set('If-None-Match', String(second.headers.etag)).expect(304);
      const head = await t.http.head(url).set('Authorization', `Bearer ${qa.token}`).expect(200);
      expect(head.headers.etag).toBe(first.headers.etag);
    }
    // After a change: new bytes, a new ETag, and the old ETag no longer answers 304.
    const before = await t.as(qa).get('/api/v1/teams/north').expect(200);
    await t.as(admin).patch('/api/v1/teams/north', { name: 'North and Coast' }).expect(200);
    const after = await t.as(qa).get('/api/v1/teams/north').set('If-None-Match', String(before.headers.etag)).expect(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.body).toMatchObject({ name: 'North and Coast' });
    // Served through routes whose layers check their literal beginning first (src/core/route-prefixes.ts).
    const stack = (t.app.getHttpAdapter().getInstance() as unknown as { router: { stack: object[] } }).router.stack;
    expect(stack.filter((layer) => Object.prototype.hasOwnProperty.call(layer, 'match')).length).toBeGreaterThan(100);
  });
});
