/**
 * Page security over plain HTTP (no browser), on both profiles: CSRF tokens, the first-run page
 * locking itself, session cookies, and that a refused form records nothing.
 */
import { CountUsersQuery } from '../../../src/users/users.queries';
import { QueryBus } from '@nestjs/cqrs';
import { PROFILES, TestApp } from '../../support/test-app';
import { cookieOf, csrfOf } from '../../support/web-http';

describe.each(PROFILES.filter((p) => p.enabled))('pages over HTTP ($name)', (profile) => {
  let app: TestApp;
  let drop: () => Promise<void>;
  const users = (): Promise<number> => app.app.get(QueryBus).execute(new CountUsersQuery());

  beforeAll(async () => {
    const created = await profile.create();
    drop = created.drop;
    app = await TestApp.start(created.env);
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('sets one HttpOnly, SameSite=Lax session cookie, not Secure over plain HTTP', async () => {
    const page = await app.http.get('/first-run').expect(200);
    expect(page.headers['set-cookie']).toHaveLength(1);
    const header = (page.headers['set-cookie'] as unknown as string[]).join(';');
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Lax/);
    expect(header).not.toMatch(/Secure/);
  });

  it('refuses a form without its CSRF token, or with a token of another session, and records nothing', async () => {
    const form = {
      name: 'Ada Admin',
      username: 'ada',
      password: 'correct horse battery staple',
      confirmPassword: 'correct horse battery staple',
    };
    const page = await app.http.get('/first-run').expect(200);
    const cookie = cookieOf(page);
    const other = await app.http.get('/first-run').expect(200);

    const missing = await app.http.post('/first-run').set('Cookie', cookie).type('form').send(form).expect(403);
    expect(missing.text).toContain('This form has expired');
    await app.http
      .post('/first-run')
      .set('Cookie', cookie)
      .type('form')
      .send({ ...form, _csrf: csrfOf(other.text) })
      .expect(403);
    expect(await users()).toBe(0);

    const done = await app.http
      .post('/first-run')
      .set('Cookie', cookie)
      .type('form')
      .send({ ...form, _csrf: csrfOf(page.text) })
      .expect(303);
    expect(done.headers.location).toBe('/admin/teams?welcome=1');
    expect(await users()).toBe(1);
  });

  it('locks the first-run page once there is a user', async () => {
    await app.http.get('/first-run').expect(303).expect('Location', '/sign-in');
    const page = await app.http.get('/sign-in').expect(200);
    const cookie = cookieOf(page);
    await app.http
      .post('/first-run')
      .set('Cookie', cookie)
      .type('form')
      .send({
        name: 'Mallory',
        username: 'mallory',
        password: 'correct horse battery staple',
        confirmPassword: 'correct horse battery staple',
        _csrf: csrfOf(page.text),
      })
      .expect(303)
      .expect('Location', '/sign-in');
    expect(await users()).toBe(1);
  });

  it('signs in with the right password only, and a page needs a session', async () => {
    await app.http.get('/dashboard').expect(303).expect('Location', '/sign-in?next=%2Fdashboard');
    const page = await app.http.get('/sign-in').expect(200);
    const cookie = cookieOf(page);
    const wrong = await app.http
      .post('/sign-in')
      .set('Cookie', cookie)
      .type('form')
      .send({ username: 'ada', password: 'not the password', _csrf: csrfOf(page.text) });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('The username or password is not right');
    const right = await app.http
      .post('/sign-in')
      .set('Cookie', cookie)
      .type('form')
      .send({ username: 'ADA', password: 'correct horse battery staple', next: '/audits', _csrf: csrfOf(page.text) })
      .expect(303)
      .expect('Location', '/audits');
    await app.http.get('/audits').set('Cookie', cookieOf(right)).expect(200);
    // The session before sign-in is not the session after: its CSRF token no longer passes.
    await app.http
      .post('/sign-out')
      .set('Cookie', cookieOf(right))
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(403);
  });

  it('offers "show this page as at" on every page read: the form reloads the same page with asAt, a wrong time is shown beside the field', async () => {
    const page = await app.http.get('/sign-in').expect(200);
    const signedIn = await app.http
      .post('/sign-in')
      .set('Cookie', cookieOf(page))
      .type('form')
      .send({ username: 'ada', password: 'correct horse battery staple', _csrf: csrfOf(page.text) })
      .expect(303);
    const cookie = cookieOf(signedIn);
    for (const path of ['/audits', '/disputes', '/plans', '/admin/teams']) {
      const html = (await app.http.get(path).set('Cookie', cookie).expect(200)).text;
      // GOV.UK date boxes with hour and minute, not the browser's date-time widget.
      expect({ path, form: html.includes('name="asAtLocal-day"') && html.includes('name="asAtLocal-minute"') }).toEqual({
        path,
        form: true,
      });
      expect(html).not.toContain('datetime-local');
    }
    // The page's own query is kept; the time is UK time (23:59 BST on 30 June is 22:59 UTC).
    await app.http
      .get('/audits?teamId=abc&asAtLocal=2020-06-30T23:59')
      .set('Cookie', cookie)
      .expect(303)
      .expect('Location', '/audits?teamId=abc&asAt=2020-06-30T22%3A59%3A00Z');
    const earlier = await app.http.get('/plans?asAt=2020-06-30T22:59:00Z').set('Cookie', cookie).expect(200);
    expect(earlier.text).toContain('You are looking at this page as it was at 30 June 2020 at 23:59 (UK time)');
    expect(earlier.text).toContain('href="/plans"');
    const wrong = await app.http.get('/plans?asAtLocal=2020-02-30T10:00').set('Cookie', cookie).expect(400);
    expect(wrong.text).toContain('There is a problem');
    expect(wrong.text).toContain('Enter a real date and time');
    expect(wrong.text).toMatch(/id="asAtLocal-day" name="asAtLocal-day" type="text" value="30"/);
    expect(wrong.text).toContain('href="#asAtLocal-day"');
    // The boxes as a person fills them in: the same reading.
    await app.http
      .get('/audits?teamId=abc&asAtLocal-day=30&asAtLocal-month=6&asAtLocal-year=2020&asAtLocal-hour=23&asAtLocal-minute=59')
      .set('Cookie', cookie)
      .expect(303)
      .expect('Location', '/audits?teamId=abc&asAt=2020-06-30T22%3A59%3A00Z');
    const future = await app.http.get('/plans?asAtLocal=2999-01-01T10:00').set('Cookie', cookie).expect(400);
    expect(future.text).toContain('must be in the past');
  });

  it('leaves the API alone: every API route still answers, an unknown /api path is a JSON 404, no page in the OpenAPI document', async () => {
    // API routes Nest registers after the page fallback still answer (401 here, not the fallback's 404),
    // and the API never gets a session cookie.
    const api = await app.http.get('/api/v1/indicators').expect(401);
    expect(api.headers['set-cookie']).toBeUndefined();
    const missing = await app.http.get('/api/v1/nothing-here').expect(404);
    expect(missing.body).toMatchObject({ statusCode: 404 });
    const docs = await app.http.get('/api/docs-json').expect(200);
    expect(
      Object.keys(docs.body.paths as object).filter(
        (path) => !path.startsWith('/api/') && !['/health', '/metrics'].includes(path),
      ),
    ).toEqual([]);
  });
});
