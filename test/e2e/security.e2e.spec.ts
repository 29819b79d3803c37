/**
 * Issue 17, "Trust in operation": the defects found in a security review, one test each,
 * on both profiles. Each failed before its fix.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { safeNext } from '../../src/web/pages/sign-in.page';
import { PROFILES, TestApp } from '../support/test-app';
import { cookieOf, csrfOf, signIn, webUser } from '../support/web-http';

type User = { userId: string; token: string };

describe.each(PROFILES.filter((p) => p.enabled))('security (issue 17) ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let admin: User, inspector: User;

  const head = (): Promise<bigint> => t.app.get<EventStore>(EVENT_STORE).headPosition();
  const get = (user: User, url: string) => t.http.get(url).set('Authorization', `Bearer ${user.token}`);
  const post = (user: User, url: string, body: unknown) =>
    t.http
      .post(url)
      .set('Authorization', `Bearer ${user.token}`)
      .send(body as object);

  beforeAll(async () => {
    storage = await profile.create();
    t = await TestApp.start({ ...storage.env, RATE_LIMIT_PER_MINUTE: '100000' });
    admin = await t.userWithToken('admin');
    inspector = await t.userWithToken('inspector');
    await webUser(t, 'admin', 'ada');
  });
  afterAll(async () => {
    await t?.close();
    await storage?.drop();
  });

  describe('3. sign-in sends people to a path on this site only', () => {
    it.each([
      '/\\evil.example',
      '/\\/evil.example',
      '//evil.example',
      'https://evil.example',
      '/a\\b',
      '/a b',
      '/a\tb',
      '/a\u0000b',
    ])('refuses next=%j and goes to /', (next) => expect(safeNext(next)).toBe('/'));

    it.each(['/audits', '/audits/A-1?tab=grades', '/scorecard/SC-1#history'])('keeps next=%j', (next) =>
      expect(safeNext(next)).toBe(next),
    );

    it('a sign-in form posted with next=/\\evil.example lands on /, not on another host', async () => {
      const page = await t.http.get('/sign-in?next=%2F%5Cevil.example').expect(200);
      expect(page.text).not.toContain('evil.example');
      await t.http
        .post('/sign-in')
        .set('Cookie', cookieOf(page))
        .type('form')
        .send({ username: 'ada', password: 'correct horse battery staple', next: '/\\evil.example', _csrf: csrfOf(page.text) })
        .expect(303)
        .expect('Location', '/');
    });
  });

  describe('7. sessions end at once, in every browser', () => {
    const signedInTwice = async (username: string) => {
      const user = await webUser(t, 'qa-officer', username);
      return { user, first: await signIn(t, username), second: await signIn(t, username) };
    };

    it('signing out in one browser ends the session in the other', async () => {
      const { first, second } = await signedInTwice('sam');
      await second.get('/dashboard').expect(200);
      await first.post('/sign-out', {}).expect(200);
      await first.get('/dashboard').expect(303).expect('Location', '/sign-in?next=%2Fdashboard');
      await second.get('/dashboard').expect(303).expect('Location', '/sign-in?next=%2Fdashboard');
      // Signing in again starts a new session that works.
      const again = await signIn(t, 'sam');
      await again.get('/dashboard').expect(200);
    });

    it('a new password ends every other session; the browser that changed it carries on', async () => {
      const { first, second } = await signedInTwice('pat');
      const changed = await first.post('/account/password', {
        currentPassword: 'correct horse battery staple',
        newPassword: 'a much newer horse battery',
        confirmPassword: 'a much newer horse battery',
      });
      expect(changed.status).toBe(303);
      await second.get('/dashboard').expect(303);
      await first.get('/dashboard').set('Cookie', cookieOf(changed)).expect(200);
      await signIn(t, 'pat', 'a much newer horse battery');
    });

    it('an administrator setting a new password ends the person’s sessions', async () => {
      const { user, first } = await signedInTwice('kit');
      const adminSession = await signIn(t, 'ada');
      await adminSession
        .post(`/admin/users/${user.userId}/sign-in`, { username: 'kit', password: 'another horse battery staple' })
        .expect(303);
      await first.get('/dashboard').expect(303);
    });

    it('deactivation ends the person’s sessions', async () => {
      const { user, first, second } = await signedInTwice('lou');
      await post(admin, `/api/v1/users/${user.userId}/deactivate`, { reason: 'left the council' }).expect(200);
      await first.get('/dashboard').expect(303);
      await second.get('/dashboard').expect(303);
    });
  });

  describe('6. a team manager reads their own teams only', () => {
    let lead: User, north: User, south: User;
    beforeAll(async () => {
      for (const teamId of ['north', 'south']) {
        await post(admin, '/api/v1/teams', { teamId, name: `Team ${teamId}`, service: 'Children in need' }).expect(201);
      }
      lead = await t.userWithToken('improvement-lead', [], 'Lee Lead');
      north = await t.userWithToken('team-manager', ['north'], 'Nell North');
      south = await t.userWithToken('team-manager', ['south'], 'Sol South');
      await post(lead, '/api/v1/plans', {
        planId: 'south-plan',
        title: 'South plan',
        trigger: { kind: 'ofsted-inspection', date: '2026-03-03', judgement: 'inadequate' },
      }).expect(201);
      await post(lead, '/api/v1/plans/south-plan/priorities', { priorityId: 'practice', title: 'Practice' }).expect(201);
      await post(lead, '/api/v1/plans/south-plan/recommendations', {
        recommendationId: 'risk',
        text: 'Assess risk explicitly',
        timescale: 'immediately',
      }).expect(201);
      await post(lead, '/api/v1/plans/south-plan/actions', {
        actionId: 'south-action',
        priorityId: 'practice',
        recommendationIds: ['risk'],
        title: 'Risk analysis',
        ownerId: south.userId,
        teamIds: ['south'],
        startOn: '2026-04-01',
        dueOn: '2026-10-30',
        successMeasure: 'Risk analysed in 95% of assessments',
      }).expect(201);
      await post(lead, '/api/v1/indicators', {
        code: 'visits',
        name: 'Visits in time',
        unit: 'percent',
        polarity: 'higher-is-better',
        target: 95,
        tolerance: 5,
        frequency: 'monthly',
      }).expect(201);
      await post(north, '/api/v1/indicators/visits/measurements', { teamId: 'north', period: '2020-05', value: 91 }).expect(201);
      await post(south, '/api/v1/indicators/visits/measurements', { teamId: 'south', period: '2020-05', value: 42 }).expect(201);
      const qa = await t.userWithToken('qa-officer', [], 'Quinn QA');
      for (const teamId of ['north', 'south']) {
        await post(qa, '/api/v1/audits', { caseRef: `CASE-${teamId}`, teamId, auditedOn: '2026-04-06' }).expect(201);
      }
    });

    it("another team's improvement action and plan answer 404, as if missing; their own team's manager reads them", async () => {
      const action = await get(north, '/api/v1/actions/south-action').expect(404);
      expect(action.body.details).toEqual({ code: 'ACTION_NOT_FOUND' });
      const plan = await get(north, '/api/v1/plans/south-plan/status').expect(404);
      expect(plan.body.details).toEqual({ code: 'PLAN_NOT_FOUND' });
      await get(south, '/api/v1/actions/south-action').expect(200);
      await get(south, '/api/v1/plans/south-plan/status').expect(200);
      await get(lead, '/api/v1/plans/south-plan/status').expect(200);
    });

    it("another team's scorecard is 404; an indicator and the ratings show their own teams' rows only", async () => {
      await get(north, '/api/v1/scorecard?teamId=south').expect(404);
      await get(north, '/api/v1/scorecard?teamId=north').expect(200);
      const indicator = await get(north, '/api/v1/indicators/visits').expect(200);
      expect((indicator.body.measurements as { teamId: string }[]).map((m) => m.teamId)).toEqual(['north']);
      const everyone = await get(lead, '/api/v1/indicators/visits').expect(200);
      expect((everyone.body.measurements as { teamId: string }[]).map((m) => m.teamId).sort()).toEqual(['north', 'south']);
      const ratings = await get(north, '/api/v1/ratings').expect(200);
      expect((ratings.body.teams as { teamId: string }[]).map((r) => r.teamId)).not.toContain('south');
    });
  });

  describe('10. store files and DATA_DIR', () => {
    it('every file in DATA_DIR is readable and writable by its owner only', async () => {
      const dir = t.env.DATA_DIR;
      const files = readdirSync(dir).filter((name) => statSync(join(dir, name)).isFile());
      expect(files.length).toBeGreaterThan(0);
      for (const name of files)
        expect({ name, mode: (statSync(join(dir, name)).mode & 0o777).toString(8) }).toEqual({ name, mode: '600' });
    });

    it('a DATA_DIR that cannot be written stops start-up with one plain message', async () => {
      // Tests run as root, so permissions cannot refuse a write: a DATA_DIR under a plain file can never be made.
      const blocker = join(storage.env.DATA_DIR, 'a-plain-file');
      writeFileSync(blocker, '');
      await expect(TestApp.start({ ...storage.env, DATA_DIR: join(blocker, 'data') })).rejects.toThrow(
        /^DATA_DIR \(.*\) cannot be written: ENOTDIR\. Casetrail keeps its stores there/,
      );
    });
  });

  describe('8. every time parameter is strict ISO 8601', () => {
    const wrong = ["' OR '1'='1", '1', 'May 2099', '2020-06-31T00:00:00Z', '2020-06-30', '2020-06-30T24:00:00Z'];
    const routes = [
      '/api/v1/trail?from=',
      '/api/v1/trail?to=',
      '/api/v1/trail/changes?from=',
      '/api/v1/trail/export?from=',
      '/api/v1/access-log?from=',
      '/api/v1/access-log?to=',
      '/api/v1/audits?asAt=',
    ];
    it.each(wrong)('%j is 400 with a plain message on the trail, changes, export, access-log and as-at routes', async (value) => {
      for (const route of routes) {
        const answer = await get(inspector, `${route}${encodeURIComponent(value)}`);
        expect({ route, status: answer.status }).toEqual({ route, status: 400 });
        expect(answer.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
        expect(JSON.stringify(answer.body)).toMatch(/must be a real date and time|asAt must be one date and time/);
        expect(JSON.stringify(answer.body)).not.toMatch(/at .*\.ts|Error:/);
      }
    });

    it.each(["' OR '1'='1", '1', 'May 2099', '2020-06-31'])('a day parameter %j is 400 too', async (value) => {
      for (const route of ['/api/v1/ratings?from=', '/api/v1/disputes/stats?to=', '/api/v1/disputes?on=']) {
        const answer = await get(admin, `${route}${encodeURIComponent(value)}`);
        expect({ route, status: answer.status }).toEqual({ route, status: 400 });
      }
    });

    it('a well-formed instant still answers, normalised to UTC', async () => {
      await get(inspector, '/api/v1/trail?from=2020-06-30T23:59:59Z').expect(200);
      await get(inspector, `/api/v1/trail?to=${encodeURIComponent('2020-07-01T00:59:59.5+01:00')}`).expect(200);
      await get(inspector, '/api/v1/trail/changes?from=2000-01-01T00:00:00Z').expect(200);
      await get(inspector, '/api/v1/access-log?from=2000-01-01T00:00:00Z').expect(200);
    });
  });

  describe('9. free text is well-formed Unicode without NUL', () => {
    it.each([
      ['a lone high surrogate', 'Team \ud800 lone'],
      ['a lone low surrogate', 'Team \udc00 lone'],
      ['a NUL', 'Team \u0000 nul'],
    ])('%s in a command body is 400 and nothing is appended', async (_what, name) => {
      const before = await head();
      const answer = await post(admin, '/api/v1/teams', { teamId: 'unicode-1', name, service: 'Children in need' }).expect(400);
      expect(answer.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringContaining('not valid Unicode'),
      });
      await post(admin, '/api/v1/teams', {
        teamId: 'unicode-1',
        name: 'Fine',
        service: 'Children in need',
        extra: { deep: ['\u0000'] },
      }).expect(400);
      expect(await head()).toBe(before);
    });

    it('a paired surrogate (an emoji) is text like any other', async () => {
      await post(admin, '/api/v1/teams', { teamId: 'unicode-2', name: 'Team \ud83d\ude00', service: 'Children in need' }).expect(
        201,
      );
    });

    it('a NUL in a form field is refused too, and nothing is appended', async () => {
      const session = await signIn(t, 'ada');
      const before = await head();
      const answer = await session.post('/admin/teams', {
        teamId: 'unicode-3',
        name: 'Team \u0000',
        service: 'Children in need',
      });
      expect(answer.status).toBe(400);
      expect(await head()).toBe(before);
    });
  });

  describe('10. HEAD answers as GET without a body', () => {
    it.each(['/health', '/', '/sign-in', '/web-assets/casetrail.css'])('HEAD %s', async (path) => {
      const getAnswer = await t.http.get(path);
      const headAnswer = await t.http.head(path);
      expect(headAnswer.status).toBe(getAnswer.status);
      expect(headAnswer.text ?? '').toBe('');
    });

    it('HEAD on an API route needs the same token as GET', async () => {
      await t.http.head('/api/v1/teams').expect(401);
      await t.http.head('/api/v1/teams').set('Authorization', `Bearer ${admin.token}`).expect(200);
    });
  });
});

describe('4. rate limits count who is verified, else the address; failed sign-ins back off (sqlite)', () => {
  const profile = PROFILES[0];
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  const randomBearer = (): string => `Bearer ct_${randomBytes(24).toString('base64url')}`;

  beforeEach(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env); // the default RATE_LIMIT_PER_MINUTE (600)
  });
  afterEach(async () => {
    await t?.close();
    await storage?.drop();
  });

  const tryPassword = async (username: string, password: string) => {
    const page = await t.http.get('/sign-in').set('Authorization', randomBearer()).expect(200);
    return t.http
      .post('/sign-in')
      .set('Cookie', cookieOf(page))
      .set('Authorization', randomBearer())
      .type('form')
      .send({ username, password, _csrf: csrfOf(page.text) });
  };

  it('30 wrong passwords for one account, each with a random bearer header: after 5, each attempt is 429 with Retry-After, the right password too', async () => {
    await webUser(t, 'admin', 'ada');
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const answer = await tryPassword('ada', `wrong password ${i}`);
      statuses.push(answer.status);
      if (answer.status === 429) {
        expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
        expect(answer.text).toContain('Too many failed sign-ins');
      }
    }
    expect(statuses.slice(0, 5)).toEqual(Array(5).fill(400));
    expect(statuses.slice(5)).toEqual(Array(25).fill(429));
    const right = await tryPassword('ada', 'correct horse battery staple');
    expect(right.status).toBe(429);
  });

  it('failed sign-ins are counted per address too, whatever the usernames', async () => {
    await webUser(t, 'admin', 'ada'); // with no user at all, the sign-in page sends people to set-up
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await tryPassword(`nobody-${i}`, 'wrong password')).status);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(400));
    expect(statuses.slice(20)).toEqual(Array(5).fill(429));
  });

  it('200 requests with one invalid token, 20 allowed a minute: 401s, then 429 with Retry-After; a valid token from the same address is unaffected', async () => {
    // A low limit, so that the count does not depend on how fast a busy machine sends: the window is a
    // minute from the first request, and 200 requests would have to take over four minutes to see
    // fewer than 100 refusals.
    await t.close();
    t = await TestApp.start({ ...storage.env, RATE_LIMIT_PER_MINUTE: '20' });
    const valid = await t.userWithToken('admin');
    const invalid = `Bearer ct_${'x'.repeat(30)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push((await t.http.get('/api/v1/teams').set('Authorization', invalid)).status);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(100);
    expect(new Set(statuses)).toEqual(new Set([401, 429]));
    const limited = await t.http.get('/api/v1/teams').set('Authorization', invalid).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(/wait a minute/),
    });
    // Random made-up tokens buy nothing: they count against the same address.
    await t.http.get('/api/v1/teams').set('Authorization', randomBearer()).expect(429);
    await t.http.get('/api/v1/teams').set('Authorization', `Bearer ${valid.token}`).expect(200);
  });
});
