/** Page tests over HTTP: a person with a password, signed in, with the session cookie and a CSRF token of that session. */
import type { Response } from 'supertest';
import type { Role } from '../../src/auth/principal';
import { systemContext } from '../../src/core/command-context';
import { UsersService } from '../../src/users/users.service';
import type { TestApp } from '../support/test-app';

export const PASSWORD = 'correct horse battery staple';

export const cookieOf = (response: Response): string => {
  const header = response.headers['set-cookie'] as unknown as string[] | undefined;
  const cookie = (header ?? []).find((c) => c.startsWith('casetrail_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0];
};
export const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

export interface Person {
  userId: string;
  token: string;
  cookie: string;
  csrf: string;
  get: (url: string) => ReturnType<ReturnType<TestApp['http']['get']>['set']>;
  /** A form post with this session's CSRF token. */
  post: (url: string, form: Record<string, string>) => ReturnType<ReturnType<TestApp['http']['post']>['set']>;
}

/** Registers someone with a role and teams, gives them a username and password, and signs them in through the page. */
export async function signedIn(app: TestApp, role: Role, teamIds: string[], username: string, name?: string): Promise<Person> {
  const { userId, token } = await app.userWithToken(role, teamIds, name ?? `Test ${username}`);
  await app.app.get(UsersService).setPassword(userId, { username, password: PASSWORD }, systemContext('test-setup'));
  const page = await app.http.get('/sign-in').expect(200);
  const signIn = await app.http
    .post('/sign-in')
    .set('Cookie', cookieOf(page))
    .type('form')
    .send({ username, password: PASSWORD, _csrf: csrfOf(page.text) })
    .expect(303);
  const cookie = cookieOf(signIn);
  const dashboard = await app.http.get('/plans').set('Cookie', cookie).expect(200);
  const csrf = csrfOf(dashboard.text);
  return {
    userId,
    token,
    cookie,
    csrf,
    get: (url) => app.http.get(url).set('Cookie', cookie),
    post: (url, form) =>
      app.http
        .post(url)
        .set('Cookie', cookie)
        .type('form')
        .send({ ...form, _csrf: csrf }),
  };
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
