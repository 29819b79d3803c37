/**
 * The admin and account pages over plain HTTP (no browser), on the SQLite profile: each form's
 * success and its GOV.UK error display (summary, message by the field, input kept, nothing
 * recorded), a token shown once and never again, sign-in details set by an administrator, and
 * changing one's own password.
 */
import { QueryBus } from '@nestjs/cqrs';
import { ListFrameworksQuery } from '../../../src/audits/audits.queries';
import { GetTeamQuery } from '../../../src/teams/teams.queries';
import { FindCredentialQuery, GetUserQuery, ListUsersQuery } from '../../../src/users/users.queries';
import { PROFILES, TestApp } from '../../support/test-app';
import {
  cookieOf,
  csrfOf,
  TEST_PASSWORD as PASSWORD,
  errorSummaryOf as summaryOf,
  signIn as signInThroughPage,
  webUser,
  type WebSession,
} from '../../support/web-http';

jest.setTimeout(120_000);

const inputValue = (html: string, id: string): string | undefined => {
  const tag = new RegExp(`<input[^>]*id="${id}"[^>]*>`).exec(html)?.[0];
  return tag ? /value="([^"]*)"/.exec(tag)?.[1] : undefined;
};

describe('admin and account pages over HTTP', () => {
  let app: TestApp;
  let drop: () => Promise<void>;
  let adminId: string;
  const query = <T>(q: object): Promise<T> => app.app.get(QueryBus).execute(q as never);

  /** A person with a password, registered as the CLI does. */
  const person = (role: 'admin' | 'qa-officer' | 'team-manager', username: string, teamIds: string[] = []) =>
    webUser(app, role, username, { teamIds, name: `Person ${username}` });
  /** A signed-in session: its cookie, and a function that posts a form with the session's CSRF token. */
  const signIn = (username: string): Promise<WebSession> => signInThroughPage(app, username);
  let admin: WebSession;

  async function signInStatus(username: string, password: string): Promise<number> {
    const page = await app.http.get('/sign-in').expect(200);
    const response = await app.http
      .post('/sign-in')
      .set('Cookie', cookieOf(page))
      .type('form')
      .send({ username, password, _csrf: csrfOf(page.text) });
    return response.status;
  }

  beforeAll(async () => {
    const created = await PROFILES[0].create();
    drop = created.drop;
    app = await TestApp.start(created.env);
    adminId = (await person('admin', 'ada')).userId;
    admin = await signIn('ada');
    await admin.post('/admin/teams', { teamId: 'cin-north', name: 'CIN North', service: 'Children in need' }).expect(303);
    await admin.post('/admin/teams', { teamId: 'cp-east', name: 'CP East', service: 'Child protection' }).expect(303);
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  describe('users page', () => {
    it('adds a person with sign-in details and no personal access token: tokens come only when asked for', async () => {
      await admin
        .post('/admin/users', {
          name: 'Wendy Web',
          role: 'qa-officer',
          teamIds: 'cin-north',
          username: 'wendy',
          password: PASSWORD,
        })
        .expect(303);
      const users = await query<{ userId: string; name: string }[]>(new ListUsersQuery());
      const wendy = users.find((u) => u.name === 'Wendy Web');
      expect(wendy).toBeDefined();
      const details = await query<{ tokens: unknown[] }>(new GetUserQuery(wendy!.userId));
      expect(details.tokens).toEqual([]);
      expect(await signInStatus('wendy', PASSWORD)).toBe(303);
    });
  });

  describe('user page', () => {
    it('gives a user registered without a password sign-in details, after which they can sign in', async () => {
      const { userId } = await app.userWithToken('qa-officer', [], 'Quinn Cli');
      const page = await admin.get(`/admin/users/${userId}`).expect(200);
      expect(page.text).toContain('Quinn Cli');
      expect(page.text).toContain('No sign-in details yet');
      expect(page.text).toContain('Set sign-in details');

      const short = await admin.post(`/admin/users/${userId}/sign-in`, { username: 'Quinn', password: 'short' }).expect(400);
      expect(summaryOf(short.text)).toContain('Password must be at least 12 characters');
      expect(short.text).toContain('id="password-error"');
      expect(inputValue(short.text, 'username')).toBe('Quinn');
      expect(await query(new FindCredentialQuery({ userId }))).toBeNull();

      const taken = await admin.post(`/admin/users/${userId}/sign-in`, { username: 'ada', password: PASSWORD }).expect(400);
      expect(summaryOf(taken.text)).toContain('The username &quot;ada&quot; is already used by someone else');
      expect(taken.text).toContain('id="username-error"');
      expect(await query(new FindCredentialQuery({ userId }))).toBeNull();
      expect(await signInStatus('quinn', PASSWORD)).toBe(400);

      await admin
        .post(`/admin/users/${userId}/sign-in`, { username: 'Quinn', password: PASSWORD })
        .expect(303)
        .expect('Location', `/admin/users/${userId}?done=sign-in`);
      expect(await signInStatus('quinn', PASSWORD)).toBe(303);
      const after = await admin.get(`/admin/users/${userId}?done=sign-in`).expect(200);
      expect(after.text).toContain('can now sign in with the new details');
      expect(after.text).toContain('Reset sign-in details');
      expect(inputValue(after.text, 'username')).toBe('quinn');
    });

    it('resets a forgotten password: the old one no longer works', async () => {
      const { userId } = await person('qa-officer', 'forgetful');
      await admin
        .post(`/admin/users/${userId}/sign-in`, { username: 'forgetful', password: 'a brand new passphrase' })
        .expect(303);
      expect(await signInStatus('forgetful', PASSWORD)).toBe(400);
      expect(await signInStatus('forgetful', 'a brand new passphrase')).toBe(303);
    });

    it('changes teams; an unchanged choice is refused beside the checkboxes and the choice is kept', async () => {
      const { userId } = await app.userWithToken('team-manager', ['cin-north'], 'Mia Manager');
      const same = await admin.post(`/admin/users/${userId}/teams`, { teamIds: 'cin-north' }).expect(400);
      expect(summaryOf(same.text)).toContain('The user is already in exactly these teams');
      expect(same.text).toContain('id="teamIds-error"');
      expect(same.text).toMatch(/value="cin-north" checked/);

      await admin
        .post(`/admin/users/${userId}/teams`, { teamIds: ['cin-north', 'cp-east'] })
        .expect(303)
        .expect('Location', `/admin/users/${userId}?done=teams`);
      expect((await query<{ teamIds: string[] }>(new GetUserQuery(userId))).teamIds).toEqual(['cin-north', 'cp-east']);
      // No box ticked: no teams at all.
      await admin.post(`/admin/users/${userId}/teams`, {}).expect(303);
      expect((await query<{ teamIds: string[] }>(new GetUserQuery(userId))).teamIds).toEqual([]);
    });

    it('deactivates only with a reason, after a confirmation page', async () => {
      const { userId } = await person('qa-officer', 'leaver');
      const confirm = await admin.get(`/admin/users/${userId}/deactivate`).expect(200);
      expect(confirm.text).toContain('Deactivate Person leaver?');
      const empty = await admin.post(`/admin/users/${userId}/deactivate`, { reason: '  ' }).expect(400);
      expect(summaryOf(empty.text)).toContain('Enter a reason');
      expect((await query<{ status: string }>(new GetUserQuery(userId))).status).toBe('active');

      await admin.post(`/admin/users/${userId}/deactivate`, { reason: 'Left the council' }).expect(303);
      expect((await query<{ status: string }>(new GetUserQuery(userId))).status).toBe('deactivated');
      expect(await signInStatus('leaver', PASSWORD)).toBe(400);
      const page = await admin.get(`/admin/users/${userId}`).expect(200);
      expect(page.text).toContain('was deactivated on');
      expect(page.text).not.toContain('Save sign-in details');
      const again = await admin.post(`/admin/users/${userId}/deactivate`, { reason: 'Twice' }).expect(400);
      expect(summaryOf(again.text)).toContain('has been deactivated');
    });

    it('answers 404 for a user that does not exist, and 403 to anyone but an administrator', async () => {
      await admin.get('/admin/users/00000000-0000-4000-8000-000000000000').expect(404);
      await person('qa-officer', 'curious');
      const other = await signIn('curious');
      await other.get(`/admin/users/${adminId}`).expect(403);
      await other.post(`/admin/users/${adminId}/sign-in`, { username: 'curious2', password: PASSWORD }).expect(403);
      await other.get('/admin/audit-frameworks').expect(403);
    });
  });

  describe('personal access tokens', () => {
    it('shows a new token once, in the response to the form, and never again; it works until revoked', async () => {
      const { userId } = await person('qa-officer', 'tokenholder');
      const bad = await admin.post(`/admin/users/${userId}/tokens`, { label: 'laptop', expiresInDays: '0' }).expect(400);
      expect(summaryOf(bad.text)).toContain('Days until it expires must be 1 or more');
      expect(inputValue(bad.text, 'label')).toBe('laptop');
      expect(inputValue(bad.text, 'expiresInDays')).toBe('0');
      const words = await admin.post(`/admin/users/${userId}/tokens`, { expiresInDays: 'ninety' }).expect(400);
      expect(words.text).toContain('id="expiresInDays-error"');
      const before = (await query<{ tokens: unknown[] }>(new GetUserQuery(userId))).tokens.length;

      const issued = await admin
        .post(`/admin/users/${userId}/tokens`, { label: 'office laptop', expiresInDays: '30' })
        .expect(200);
      expect(issued.headers['cache-control']).toBe('no-store');
      expect(issued.text).toContain('It will not be shown again');
      const token = inputValue(issued.text, 'token') ?? '';
      expect(token.length).toBeGreaterThan(20);
      const after = (await query<{ tokens: { label: string }[] }>(new GetUserQuery(userId))).tokens;
      expect(after).toHaveLength(before + 1);
      expect(after.at(-1)?.label).toBe('office laptop');

      const me = await app.http.get('/api/v1/users/me').set('authorization', `Bearer ${token}`).expect(200);
      expect(me.body.userId).toBe(userId);
      // Never again: not on the user's page, not in their CSV, not on their own tokens page.
      const page = await admin.get(`/admin/users/${userId}`).expect(200);
      expect(page.text).toContain('office laptop');
      expect(page.text).not.toContain(token);
      expect((await admin.get(`/admin/users/${userId}/tokens.csv`).expect(200)).text).not.toContain(token);
      const holder = await signIn('tokenholder');
      const own = await holder.get('/account/tokens').expect(200);
      expect(own.text).toContain('office laptop');
      expect(own.text).not.toContain(token);

      const tokenId = (await query<{ tokens: { tokenId: string }[] }>(new GetUserQuery(userId))).tokens.at(-1)!.tokenId;
      const noReason = await admin.post(`/admin/users/${userId}/tokens/${tokenId}/revoke`, {}).expect(400);
      expect(summaryOf(noReason.text)).toContain('Enter a reason');
      await app.http.get('/api/v1/users/me').set('authorization', `Bearer ${token}`).expect(200);
      await admin
        .post(`/admin/users/${userId}/tokens/${tokenId}/revoke`, { reason: 'Laptop lost' })
        .expect(303)
        .expect('Location', `/admin/users/${userId}?done=revoked`);
      await app.http.get('/api/v1/users/me').set('authorization', `Bearer ${token}`).expect(401);
      const revoked = await admin.get(`/admin/users/${userId}`).expect(200);
      expect(revoked.text).toContain('Revoked');
      expect(revoked.text).toContain('Laptop lost');
    });

    it('lets anyone revoke their own token at /account/tokens, but not issue one unless the API allows it', async () => {
      const { userId, token } = await person('team-manager', 'owner', ['cin-north']);
      const me = await signIn('owner');
      const page = await me.get('/account/tokens').expect(200);
      expect(page.text).toContain('first token');
      expect(page.text).not.toContain('Issue token');
      await me.post('/account/tokens', { label: 'sneaky' }).expect(403);

      const tokenId = (await query<{ tokens: { tokenId: string }[] }>(new GetUserQuery(userId))).tokens[0].tokenId;
      await me.get(`/account/tokens/${tokenId}/revoke`).expect(200);
      const empty = await me.post(`/account/tokens/${tokenId}/revoke`, { reason: '' }).expect(400);
      expect(summaryOf(empty.text)).toContain('Enter a reason');
      await me
        .post(`/account/tokens/${tokenId}/revoke`, { reason: 'Not needed' })
        .expect(303)
        .expect('Location', '/account/tokens?revoked=1');
      await app.http.get('/api/v1/users/me').set('authorization', `Bearer ${token}`).expect(401);

      // Someone else's token is not theirs to revoke: the page names only the caller's own tokens.
      const adminToken = (await query<{ tokens: { tokenId: string }[] }>(new GetUserQuery(adminId))).tokens[0].tokenId;
      await me.get(`/account/tokens/${adminToken}/revoke`).expect(404);
      await me.post(`/account/tokens/${adminToken}/revoke`, { reason: 'mischief' }).expect(404);
      expect((await query<{ tokens: { revokedAt: string | null }[] }>(new GetUserQuery(adminId))).tokens[0].revokedAt).toBeNull();
    });

    it('lets an administrator issue their own token at /account/tokens, shown once', async () => {
      const issued = await admin.post('/account/tokens', { label: 'my script' }).expect(200);
      const token = inputValue(issued.text, 'token') ?? '';
      await app.http.get('/api/v1/users/me').set('authorization', `Bearer ${token}`).expect(200);
      const page = await admin.get('/account/tokens').expect(200);
      expect(page.text).toContain('my script');
      expect(page.text).not.toContain(token);
      const bad = await admin.post('/account/tokens', { label: 'x'.repeat(101) }).expect(400);
      expect(summaryOf(bad.text)).toContain('Name must be 100 characters or fewer');
    });
  });

  describe('change your password', () => {
    it('refuses a wrong current password, a short or unmatched new one, and records nothing', async () => {
      const { userId } = await person('qa-officer', 'changer');
      const me = await signIn('changer');
      const hashBefore = (await query<{ passwordHash: string }>(new FindCredentialQuery({ userId })))!.passwordHash;

      const wrong = await me
        .post('/account/password', {
          currentPassword: 'not my password',
          newPassword: 'another long passphrase',
          confirmPassword: 'another long passphrase',
        })
        .expect(400);
      expect(summaryOf(wrong.text)).toContain('Your current password is not right');
      expect(wrong.text).toContain('id="currentPassword-error"');
      expect(wrong.text).not.toContain('another long passphrase');

      const short = await me
        .post('/account/password', { currentPassword: PASSWORD, newPassword: 'short', confirmPassword: 'short' })
        .expect(400);
      expect(summaryOf(short.text)).toContain('New password must be at least 12 characters');
      expect(short.text).toContain('href="#newPassword"');
      expect(short.text).toContain('id="newPassword-error"');

      const unmatched = await me
        .post('/account/password', {
          currentPassword: PASSWORD,
          newPassword: 'another long passphrase',
          confirmPassword: 'another long passphrase!',
        })
        .expect(400);
      expect(summaryOf(unmatched.text)).toContain('The new passwords do not match');

      const empty = await me.post('/account/password', {}).expect(400);
      expect(summaryOf(empty.text)).toContain('Enter your current password');
      expect((await query<{ passwordHash: string }>(new FindCredentialQuery({ userId })))!.passwordHash).toBe(hashBefore);
      expect(await signInStatus('changer', 'another long passphrase')).toBe(400);

      const changed = await me
        .post('/account/password', {
          currentPassword: PASSWORD,
          newPassword: 'another long passphrase',
          confirmPassword: 'another long passphrase',
        })
        .expect(303)
        .expect('Location', '/account/password?changed=1');
      // A new password ends every session of the person; this browser carries on in the new one the answer sets.
      await me.get('/account/password?changed=1').expect(303);
      const after = await me.get('/account/password?changed=1').set('Cookie', cookieOf(changed)).expect(200);
      expect(after.text).toContain('Your password has been changed');
      expect(await signInStatus('changer', PASSWORD)).toBe(400);
      expect(await signInStatus('changer', 'another long passphrase')).toBe(303);
    });

    it('links the page from the header of every signed-in page', async () => {
      const page = await admin.get('/dashboard').expect(200);
      expect(page.text).toContain('href="/account/password"');
    });
  });

  describe('team page', () => {
    it('renames a team; an unchanged or empty name is refused and kept', async () => {
      const page = await admin.get('/admin/teams/cin-north').expect(200);
      expect(page.text).toContain('CIN North');
      const same = await admin.post('/admin/teams/cin-north/rename', { name: 'CIN North' }).expect(400);
      expect(summaryOf(same.text)).toContain('The team is already called');
      expect(inputValue(same.text, 'name')).toBe('CIN North');
      const empty = await admin.post('/admin/teams/cin-north/rename', { name: ' ' }).expect(400);
      expect(empty.text).toContain('id="name-error"');
      expect((await query<{ name: string }>(new GetTeamQuery('cin-north'))).name).toBe('CIN North');

      await admin
        .post('/admin/teams/cin-north/rename', { name: 'CIN North and West' })
        .expect(303)
        .expect('Location', '/admin/teams/cin-north?renamed=1');
      expect((await query<{ name: string }>(new GetTeamQuery('cin-north'))).name).toBe('CIN North and West');
      await admin.get('/admin/teams/no-such-team').expect(404);
    });

    it('closes a team after a confirmation page, with a reason and a date not in the future', async () => {
      await admin.post('/admin/teams', { teamId: 'closing', name: 'Closing Team', service: 'MASH' }).expect(303);
      expect((await admin.get('/admin/teams/closing/close').expect(200)).text).toContain('Close Closing Team?');
      const future = await admin
        .post('/admin/teams/closing/close', {
          reason: 'Merged',
          'closedOn-day': '1',
          'closedOn-month': '1',
          'closedOn-year': '2999',
        })
        .expect(400);
      expect(summaryOf(future.text)).toContain('in the future');
      expect(future.text).toContain('href="#closedOn-day"');
      expect(future.text).toContain('Merged');
      expect(inputValue(future.text, 'closedOn-year')).toBe('2999');
      const noReason = await admin.post('/admin/teams/closing/close', {}).expect(400);
      expect(noReason.text).toContain('id="reason-error"');
      expect((await query<{ status: string }>(new GetTeamQuery('closing'))).status).toBe('open');

      await admin
        .post('/admin/teams/closing/close', { reason: 'Merged into MASH East' })
        .expect(303)
        .expect('Location', '/admin/teams/closing');
      const closed = await admin.get('/admin/teams/closing').expect(200);
      expect(closed.text).toContain('Merged into MASH East');
      expect(closed.text).not.toContain('Rename team');
      const rename = await admin.post('/admin/teams/closing/rename', { name: 'New' }).expect(400);
      expect(summaryOf(rename.text)).toContain('a closed team cannot be changed');
    });
  });

  describe('audit frameworks and dispute protocols', () => {
    it('lists the framework versions with their domains and publishes a new version from one domain a line', async () => {
      const page = await admin.get('/admin/audit-frameworks').expect(200);
      expect(page.text).toContain('Voice of the child');
      expect(page.text).toMatch(/<textarea[^>]*id="domains"[^>]*>voice-of-child: Voice of the child \|/);
      const versions = async (): Promise<number> =>
        (await query<{ frameworkId: string }[]>(new ListFrameworksQuery())).filter((f) => f.frameworkId === 'default').length;
      const before = await versions();

      const noColon = await admin
        .post('/admin/audit-frameworks', { frameworkId: 'default', domains: 'voice-of-child: Voice\nplanning' })
        .expect(400);
      expect(summaryOf(noColon.text)).toContain('Line 2: write the domain as');
      expect(noColon.text).toMatch(/<textarea[^>]*>voice-of-child: Voice\nplanning<\/textarea>/);
      const badKey = await admin.post('/admin/audit-frameworks', { domains: 'Voice Of Child: Voice' }).expect(400);
      expect(summaryOf(badKey.text)).toContain('Line 1: Domain must be a domain key');
      const twice = await admin.post('/admin/audit-frameworks', { domains: 'a: A\na: Again' }).expect(400);
      expect(summaryOf(twice.text)).toContain('The domain &quot;a&quot; appears more than once');
      const overall = await admin.post('/admin/audit-frameworks', { domains: 'overall: Overall' }).expect(400);
      expect(overall.text).toContain('id="domains-error"');
      const none = await admin.post('/admin/audit-frameworks', { domains: '' }).expect(400);
      expect(summaryOf(none.text)).toContain('Enter at least one domain');
      expect(await versions()).toBe(before);

      await admin
        .post('/admin/audit-frameworks', {
          frameworkId: 'default',
          domains: 'voice-of-child: Voice of the child | Is the child heard?\n\nplanning: Planning\nfamily-time: Family time',
        })
        .expect(303)
        .expect('Location', '/admin/audit-frameworks?published=default');
      expect(await versions()).toBe(before + 1);
      const after = await admin.get('/admin/audit-frameworks?published=default').expect(200);
      expect(after.text).toContain('A new version of the framework default was published');
      expect(after.text).toContain('Family time');
      expect(after.text).toContain(`Version ${before + 1}: 3 domains`);
      const unchanged = await admin
        .post('/admin/audit-frameworks', {
          domains: 'voice-of-child: Voice of the child | Is the child heard?\nplanning: Planning\nfamily-time: Family time',
        })
        .expect(400);
      expect(summaryOf(unchanged.text)).toContain('there is nothing new to publish');
      const csvText = (await admin.get('/admin/audit-frameworks.csv').expect(200)).text;
      expect(csvText).toContain('family-time,Family time');
    });

    it('lists the dispute protocol versions', async () => {
      const page = await admin.get('/admin/dispute-protocols').expect(200);
      expect(page.text).toContain('Dispute protocols');
      expect(page.text).toMatch(/Version \d+ \(current\)|No dispute protocol has been published yet/);
      await admin.get('/admin/dispute-protocols.csv').expect(200);
    });
  });
  describe('bank holidays page', () => {
    it("lists the year's bank holidays; an administrator adds one through a form with plain error messages", async () => {
      const year = await admin.get('/calendar/bank-holidays?year=2022').expect(200);
      expect(year.text).toContain('Bank holidays in 2022');
      expect(year.text).toContain('10 bank holidays in 2022');
      expect(year.text).toContain('19 September 2022'); // the state funeral, a one-off in the published list
      expect(year.text).toContain('Add a bank holiday');
      expect((await admin.get('/admin').expect(200)).text).toContain('href="/calendar/bank-holidays"');

      const post = (form: Record<string, string>) => admin.post('/calendar/bank-holidays', form);
      const empty = await post({}).expect(400);
      expect(summaryOf(empty.text)).toContain('Enter the date of the bank holiday');
      expect(summaryOf(empty.text)).toContain('Enter why it is a bank holiday');
      const weekend = await post({ 'date-day': '16', 'date-month': '7', 'date-year': '2022', reason: 'A Saturday' }).expect(400);
      expect(summaryOf(weekend.text)).toContain('16 July 2022 is a Saturday or Sunday: it is not a working day anyway');
      expect(weekend.text).toContain('id="date-error"');
      expect(inputValue(weekend.text, 'date-day')).toBe('16');
      const unreal = await post({ 'date-day': '31', 'date-month': '2', 'date-year': '2027', reason: 'x' }).expect(400);
      expect(summaryOf(unreal.text)).toContain('Date must be a real date');
      const taken = await post({ 'date-day': '25', 'date-month': '12', 'date-year': '2028', reason: 'Christmas' }).expect(400);
      expect(summaryOf(taken.text)).toContain('25 December 2028 is already a bank holiday');
      const notReplaced = await post({
        'date-day': '7',
        'date-month': '6',
        'date-year': '2027',
        reason: 'Substitute',
        'replaces-day': '8',
        'replaces-month': '6',
        'replaces-year': '2027',
      }).expect(400);
      expect(summaryOf(notReplaced.text)).toContain('8 June 2027 is not a bank holiday, so a substitute cannot replace it');
      expect(notReplaced.text).toContain('id="replaces-error"');

      const added = await post({ 'date-day': '7', 'date-month': '6', 'date-year': '2027', reason: 'Royal jubilee' }).expect(303);
      expect(added.headers.location).toBe('/calendar/bank-holidays?year=2027&added=2027-06-07');
      const shown = await admin.get(added.headers.location as string).expect(200);
      expect(shown.text).toContain('Bank holiday on 7 June 2027 recorded');
      expect(shown.text).toMatch(/7 June 2027<\/td>\s*<td[^>]*>Royal jubilee<\/td>\s*<td[^>]*>Person ada on/);

      // Others see the list, without the form (the policy lets every role read the calendar).
      await person('qa-officer', 'quill');
      const qa = await signIn('quill');
      const readOnly = await qa.get('/calendar/bank-holidays?year=2027').expect(200);
      expect(readOnly.text).toContain('Royal jubilee');
      expect(readOnly.text).not.toContain('Add a bank holiday');
      await qa
        .post('/calendar/bank-holidays', { 'date-day': '8', 'date-month': '6', 'date-year': '2027', reason: 'x' })
        .expect(403);
      const badYear = await qa.get('/calendar/bank-holidays?year=twenty').expect(400);
      expect(summaryOf(badYear.text)).toContain('Enter a year between 1900 and 2200');
    });
  });
});
