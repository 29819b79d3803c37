/**
 * Pages over plain HTTP, as a browser would use them: the session cookie, the CSRF token of a
 * form, signing in, and reading what a page says went wrong. Shared by the *-http specs.
 */
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import type { Response } from 'supertest';
import { systemContext } from '../../src/core/command-context';
import type { Role } from '../../src/shared/principal';
import { UserUseCases } from '../../src/users/users.use-cases';
import type { TestApp } from './test-app';

export const TEST_PASSWORD = 'correct horse battery staple';

/** The session cookie a response sets; the last one counts, as in a browser (a first visit gets one from the middleware, then maybe a new one). */
export function cookieOf(response: Response): string {
  const header = (response.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
  const cookie = header.filter((c) => c.startsWith('casetrail_session=')).at(-1);
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0];
}

/** The CSRF token in a page's forms. */
export const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** The GOV.UK error summary of a page (empty when there is none). */
export const errorSummaryOf = (html: string): string => /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';

/** A signed-in person's browser: their cookie, and GET/POST with their session's CSRF token. */
export interface WebSession {
  cookie: string;
  csrf: string;
  get(path: string): ReturnType<TestApp['http']['get']>;
  post(path: string, form: Record<string, unknown>): ReturnType<TestApp['http']['post']>;
}

/** Signs in through the sign-in form, as a person would. */
export async function signIn(app: TestApp, username: string, password = TEST_PASSWORD): Promise<WebSession> {
  const page = await app.http.get('/sign-in').expect(200);
  const signedIn = await app.http
    .post('/sign-in')
    .set('Cookie', cookieOf(page))
    .type('form')
    .send({ username, password, _csrf: csrfOf(page.text) })
    .expect(303);
  const cookie = cookieOf(signedIn);
  // The token is the session's, whatever page shows it; every role may read the dashboard.
  const csrf = csrfOf((await app.http.get('/dashboard').set('Cookie', cookie).expect(200)).text);
  return {
    cookie,
    csrf,
    get: (path) => app.http.get(path).set('Cookie', cookie),
    post: (path, form) =>
      app.http
        .post(path)
        .set('Cookie', cookie)
        .type('form')
        .send({ ...form, _csrf: csrf }),
  };
}

/** A person registered as the CLI does (with an API token), given sign-in details. */
export async function webUser(
  app: TestApp,
  role: Role,
  username: string,
  options: { teamIds?: string[]; name?: string; password?: string } = {},
): Promise<{ userId: string; token: string }> {
  const user = await app.userWithToken(role, options.teamIds ?? [], options.name ?? `Test ${username}`);
  await app.app
    .get(UserUseCases)
    .setPassword(user.userId, { username, password: options.password ?? TEST_PASSWORD }, systemContext('test-setup'));
  return user;
}

/** A person with a role and teams, given sign-in details and signed in through the page. */
export type Person = WebSession & { userId: string; token: string };

export async function signedIn(app: TestApp, role: Role, teamIds: string[], username: string, name?: string): Promise<Person> {
  const user = await webUser(app, role, username, { teamIds, name });
  return { ...user, ...(await signIn(app, username)) };
}

/** The visible text of a page, tags removed and white space collapsed, for "the page says ..." checks. */
export const textOf = (html: string): string =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/** The event store's head: a refused form must leave it where it was. */
export const headOf = (app: TestApp): Promise<bigint> => app.app.get<EventStore>(EVENT_STORE).headPosition();

/** A refused form: 400, the error summary, each message on the page, and nothing recorded. Returns the page. */
export async function expectRefused(
  app: TestApp,
  request: () => PromiseLike<{ status: number; text: string }>,
  ...messages: string[]
): Promise<string> {
  const before = await headOf(app);
  const response = await request();
  expect(response.status).toBe(400);
  expect(response.text).toContain('govuk-error-summary');
  for (const message of messages) expect(textOf(response.text)).toContain(message);
  expect(await headOf(app)).toBe(before);
  return response.text;
}
