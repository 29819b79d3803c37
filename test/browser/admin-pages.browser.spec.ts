/**
 * The admin and account pages in headless Chromium (SQLite): an administrator gives a user made by
 * the CLI sign-in details, issues and revokes a token, changes teams, renames and closes a team,
 * publishes a framework version and reads the dispute protocols; the user then signs in, changes
 * their password and looks at their tokens. Every page visited: what a person needs is on it,
 * axe-core finds no serious or critical violation, the Content-Security-Policy blocks nothing.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { systemContext } from '../../src/core/command-context';
import { UserUseCases } from '../../src/users/users.use-cases';
import type { TestApp } from '../support/test-app';
import { check as checkPage, launchBrowser, person as newPage, signInThroughPage, servedApp } from './browser';
import { TEST_PASSWORD as PASSWORD } from '../support/web-http';

jest.setTimeout(180_000);
const NEW_PASSWORD = 'a different long passphrase';

describe('admin and account pages in a real browser', () => {
  let app: TestApp;
  let drop: () => Promise<void>;
  let browser: Browser;
  let base: string;
  let quinnId = '';
  const people: BrowserContext[] = [];
  const cspViolations: string[] = [];
  const visited: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    ({ app, base, drop } = await servedApp());
    // Seeded in-process: an administrator with a password, two teams, and a user made as the CLI makes them (no password).
    const users = app.app.get(UserUseCases);
    const { userId: adaId } = await users.register({ name: 'Ada Admin', role: 'admin' }, systemContext('test-setup'));
    await users.setPassword(adaId, { username: 'ada', password: PASSWORD }, systemContext('test-setup'));
    const { token } = await app.userWithToken('admin', [], 'Setup Admin');
    for (const [teamId, name] of [
      ['cin-north', 'CIN North'],
      ['cp-east', 'CP East'],
    ]) {
      await app.http
        .post('/api/v1/teams')
        .set('authorization', `Bearer ${token}`)
        .send({ teamId, name, service: 'Children in need' })
        .expect(201);
    }
    quinnId = (await app.userWithToken('qa-officer', [], 'Quinn Auditor')).userId;
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    await browser?.close();
    await app?.close();
    await drop?.();
  });

  async function person(): Promise<Page> {
    const page = await newPage(browser, people);
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
        cspViolations.push(`${page.url()}: ${message.text()}`);
    });
    return page;
  }

  async function check(page: Page, name: string): Promise<void> {
    visited.push(name);
    await checkPage(page, name, `admin-${name}`);
  }

  const signIn = (page: Page, username: string, password = PASSWORD): Promise<void> =>
    signInThroughPage(page, base, username, { password, landing: '/dashboard' });

  it('an administrator manages a user: sign-in details, a token shown once, teams, and a confirmation before deactivating', async () => {
    const page = await person();
    await signIn(page, 'ada');
    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('link', { name: 'Quinn Auditor' }).click();
    await page.waitForURL((url) => url.pathname === `/admin/users/${quinnId}`);
    expect(await page.locator('.govuk-summary-list').innerText()).toContain('No sign-in details yet');
    await check(page, '01-user');

    await page.getByLabel('Username').fill('quinn');
    await page.getByLabel('New password').fill('short');
    await page.getByRole('button', { name: 'Save sign-in details' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Password must be at least 12 characters');
    expect(await page.getByLabel('Username').inputValue()).toBe('quinn');
    await check(page, '02-user-errors');
    await page.getByLabel('New password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Save sign-in details' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Quinn Auditor can now sign in');
    expect(await page.locator('.govuk-summary-list').innerText()).toContain('quinn');

    await page.getByLabel('Name', { exact: true }).fill('reporting script');
    await page.getByLabel('Days until it expires').fill('30');
    await page.getByRole('button', { name: 'Issue token' }).click();
    expect(await page.locator('.govuk-warning-text').innerText()).toContain('It will not be shown again');
    const token = await page.getByLabel('The token').inputValue();
    expect(token.length).toBeGreaterThan(20);
    expect(page.url()).not.toContain(token);
    await check(page, '03-token-issued');
    await page.getByRole('link', { name: 'Back to Quinn Auditor' }).click();
    expect(await page.content()).not.toContain(token);
    expect(await page.locator('table', { hasText: 'reporting script' }).innerText()).toContain('Active');

    await page.getByRole('link', { name: 'Revoke reporting script' }).click();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain(
      'Revoke Quinn Auditor’s token “reporting script”?',
    );
    await page.getByRole('button', { name: 'Revoke token' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter a reason');
    await check(page, '04-revoke-token-errors');
    await page.getByLabel('Reason').fill('Script retired');
    await page.getByRole('button', { name: 'Revoke token' }).click();
    expect(await page.locator('table', { hasText: 'reporting script' }).innerText()).toContain('Revoked');

    await page.getByLabel('CIN North (cin-north)').check();
    await page.getByRole('button', { name: 'Save teams' }).click();
    expect(await page.locator('.govuk-summary-list').innerText()).toContain('CIN North');

    await page.getByRole('link', { name: 'Deactivate Quinn Auditor' }).click();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Deactivate Quinn Auditor?');
    await check(page, '05-deactivate-user');
    await page.getByRole('link', { name: 'Cancel' }).click();
    expect(await page.locator('.govuk-summary-list').innerText()).toContain('Active');
  });

  it('an administrator renames and closes a team', async () => {
    const page = await person();
    await signIn(page, 'ada');
    await page.goto(`${base}/admin/teams`);
    await page.getByRole('link', { name: 'CP East' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/teams/cp-east');
    await check(page, '06-team');
    await page.getByLabel('New name').fill('');
    await page.getByRole('button', { name: 'Rename team' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter the new team name');
    await check(page, '07-team-errors');
    await page.getByLabel('New name').fill('CP East and South');
    await page.getByRole('button', { name: 'Rename team' }).click();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('CP East and South');

    await page.getByRole('link', { name: 'Close CP East and South' }).click();
    await page.getByLabel('Reason').fill('Merged into CIN North');
    // The closing date's own boxes: every page also has the "as at" form's day, month and year.
    const closingDate = page.getByRole('group', { name: 'Closing date' });
    await closingDate.getByLabel('Year').fill('2999');
    await closingDate.getByLabel('Day').fill('1');
    await closingDate.getByLabel('Month').fill('1');
    await page.getByRole('button', { name: 'Close team' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('in the future');
    expect(await page.getByLabel('Reason').inputValue()).toBe('Merged into CIN North');
    await check(page, '08-close-team');
    await closingDate.getByLabel('Year').fill('');
    await closingDate.getByLabel('Day').fill('');
    await closingDate.getByLabel('Month').fill('');
    await page.getByRole('button', { name: 'Close team' }).click();
    expect(await page.locator('.govuk-summary-list').innerText()).toContain('Merged into CIN North');
  });

  it('an administrator publishes a framework version and reads the dispute protocols', async () => {
    const page = await person();
    await signIn(page, 'ada');
    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    await page.getByRole('link', { name: 'Audit frameworks' }).click();
    expect(await page.locator('table').first().innerText()).toContain('Voice of the child');
    await check(page, '09-audit-frameworks');
    const domains = page.getByLabel('Domains');
    await domains.fill(`${await domains.inputValue()}\nfamily time`);
    await page.getByRole('button', { name: 'Publish new version' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toMatch(/Line \d+: write the domain as/);
    await check(page, '10-audit-frameworks-errors');
    await domains.fill((await domains.inputValue()).replace('family time', 'family-time: Family time'));
    await page.getByRole('button', { name: 'Publish new version' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('A new version of the framework default');
    expect(await page.locator('table').first().innerText()).toContain('Family time');

    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    await page.getByRole('link', { name: 'Dispute protocols' }).click();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Dispute protocols');
    await check(page, '11-dispute-protocols');
  });

  it('a user changes their password from the header link and revokes their own token', async () => {
    const page = await person();
    await signIn(page, 'quinn');
    await page.getByRole('link', { name: 'Change your password' }).click();
    await page.waitForURL((url) => url.pathname === '/account/password');
    await check(page, '12-change-password');
    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Your current password is not right');
    await check(page, '13-change-password-errors');
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Your password has been changed');

    await page.getByRole('link', { name: 'See and revoke your personal access tokens' }).click();
    await page.waitForURL((url) => url.pathname === '/account/tokens');
    expect(await page.locator('table').innerText()).toContain('first token');
    await check(page, '14-account-tokens');
    await page.getByRole('link', { name: 'Revoke first token' }).click();
    await check(page, '15-account-revoke-token');
    await page.getByLabel('Reason').fill('Not needed');
    await page.getByRole('button', { name: 'Revoke token' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('The token was revoked');
    expect(await page.locator('table').innerText()).toContain('Revoked');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, 'quinn', NEW_PASSWORD);
  });

  it('no page broke the Content-Security-Policy', () => {
    expect(visited.length).toBe(15);
    expect(cspViolations).toEqual([]);
  });
});
