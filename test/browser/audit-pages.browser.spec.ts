/**
 * The audit pages in headless Chromium (SQLite): filters, corrections, blind moderation, audit
 * actions, a team's actions, programmes and moderation agreement. Seeded in-process; every page
 * visited shows what its user needs, has no serious or critical axe-core violation, and is kept
 * as a screenshot.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestApp } from '../support/test-app';
import { check as checkPage, launchBrowser, signedInPerson, servedApp } from './browser';
import { webUser as webUserWith } from '../support/web-http';

jest.setTimeout(180_000);
type User = { userId: string; token: string };

describe('audit pages in a real browser', () => {
  let app: TestApp;
  let drop: () => Promise<void>;
  let browser: Browser;
  let base: string;
  const people: BrowserContext[] = [];
  let qa: User, manager: User;
  let auditId = '';
  let programmeId = '';

  const api = (user: User, method: 'get' | 'post', url: string, body: object = {}) =>
    app.http[method](url).set('Authorization', `Bearer ${user.token}`).send(body);

  const webUser = (role: Parameters<TestApp['userWithToken']>[0], teamIds: string[], name: string, username: string) =>
    webUserWith(app, role, username, { teamIds, name });

  async function audit(extra: object, overallGrade: string | null, evidence = 'Plan reviewed on time'): Promise<string> {
    const started = await api(qa, 'post', '/api/v1/audits', {
      caseRef: 'CASE-3001',
      teamId: 'cin-north',
      auditedOn: '2026-04-06',
      ...extra,
    }).expect(201);
    const id = started.body.auditId as string;
    if (overallGrade) {
      await api(qa, 'post', `/api/v1/audits/${id}/grades`, { domain: 'planning', grade: 'good', evidence }).expect(200);
      await api(qa, 'post', `/api/v1/audits/${id}/submit`, { overallGrade, submittedOn: '2026-04-10' }).expect(200);
    }
    return id;
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    ({ app, base, drop } = await servedApp());

    const admin = await app.userWithToken('admin');
    await api(admin, 'post', '/api/v1/teams', { teamId: 'cin-north', name: 'CIN North', service: 'Children in need' }).expect(
      201,
    );
    qa = await webUser('qa-officer', [], 'Quinn Auditor', 'quinn');
    await webUser('qa-officer', [], 'Morgan Moderator', 'morgan');
    manager = await webUser('team-manager', ['cin-north'], 'Mia Manager', 'mia');
    const programme = await api(qa, 'post', '/api/v1/audit-programmes', {
      title: 'Pre-birth assessments',
      kind: 'thematic',
      theme: 'Pre-birth assessment',
      from: '2026-04-01',
      to: '2026-04-30',
      teamIds: ['cin-north'],
    }).expect(201);
    programmeId = programme.body.programmeId as string;
    for (const grade of ['good', 'requires-improvement', 'requires-improvement', ...Array<string>(5).fill('inadequate')]) {
      await audit({ caseRef: 'CASE-PB', programmeId }, grade);
    }
    auditId = await audit({ caseRef: 'CASE-3001' }, 'good', 'Seen alone on each visit');
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    await browser?.close();
    await app?.close();
    await drop?.();
  });

  const signedIn = (username: string): Promise<Page> => signedInPerson(browser, people, base, username);

  const check = (page: Page, name: string): Promise<void> => checkPage(page, name, `audit-pages-${name}`);

  it('the QA officer filters audits, reads and creates programmes', async () => {
    const page = await signedIn('quinn');
    await page.goto(`${base}/audits`);
    await page.getByLabel('Programme').selectOption({ label: 'Pre-birth assessments' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.searchParams.get('programmeId') === programmeId);
    expect(await page.locator('table').innerText()).toContain('CASE-PB');
    expect(await page.locator('table').innerText()).not.toContain('CASE-3001');
    expect(await page.getByRole('link', { name: 'Download this list (CSV)' }).getAttribute('href')).toContain(
      `programmeId=${programmeId}`,
    );
    await check(page, '01-list-filtered');

    await page.getByRole('link', { name: 'Audit programmes', exact: true }).first().click();
    await page.waitForURL((url) => url.pathname === '/audits/programmes');
    expect(await page.locator('table').innerText()).toContain('8 cases audited: 1 good, 2 requires improvement, 5 inadequate');
    await check(page, '02-programmes');

    await page.getByRole('link', { name: 'Pre-birth assessments' }).click();
    expect(await page.locator('#programme-summary').innerText()).toBe(
      '8 cases audited: 1 good, 2 requires improvement, 5 inadequate',
    );
    expect(await page.locator('table').innerText()).toMatch(/Inadequate\s+5/);
    await check(page, '03-programme-summary');

    await page.goto(`${base}/audits/programmes/new`);
    await page.getByLabel('Title').fill('Neglect deep dive');
    await page.getByRole('button', { name: 'Create programme' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Choose at least one team');
    expect(await page.getByLabel('Title').inputValue()).toBe('Neglect deep dive');
    await check(page, '04-programme-new-errors');
    await page.getByLabel('Deep dive').check();
    for (const [prefix, day, month] of [
      ['from', '1', '5'],
      ['to', '31', '5'],
    ]) {
      await page.locator(`#${prefix}-day`).fill(day);
      await page.locator(`#${prefix}-month`).fill(month);
      await page.locator(`#${prefix}-year`).fill('2026');
    }
    await page.getByLabel('CIN North').check();
    await page.getByRole('button', { name: 'Create programme' }).click();
    await page.waitForURL((url) => url.searchParams.get('created') === '1');
    expect(await page.locator('#programme-summary').innerText()).toBe('No cases audited yet');
  });

  it('the QA officer corrects a grade with a reason, requests moderation and raises an action', async () => {
    const page = await signedIn('quinn');
    await page.goto(`${base}/audits/${auditId}`);
    await page.getByRole('button', { name: 'Correct a grade' }).click();
    await page.waitForURL((url) => url.pathname === `/audits/${auditId}/correct`);
    await page.getByLabel('Grade to correct').selectOption({ label: 'Overall grade' });
    await page.getByLabel('Requires improvement').check();
    await page.getByRole('button', { name: 'Record the correction' }).click();
    expect(await page.locator('#reason-error').innerText()).toContain('Enter why the grade is corrected');
    expect(await page.getByLabel('Requires improvement').isChecked()).toBe(true);
    await check(page, '05-correct-errors');
    await page.getByLabel('Reason for the correction').fill('No contingency plan on file');
    await page.getByRole('button', { name: 'Record the correction' }).click();
    await page.waitForURL((url) => url.pathname === `/audits/${auditId}`);
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Grade corrected.');
    expect(await page.getByRole('table').filter({ hasText: 'No contingency plan on file' }).innerText()).toMatch(
      /Overall grade\s+Good\s+Requires improvement/,
    );

    await page.getByRole('button', { name: 'Request moderation' }).click();
    await page.waitForURL((url) => url.pathname === `/audits/${auditId}/moderation-request`);
    await page.getByRole('button', { name: 'Request moderation' }).click();
    expect(await page.locator('#moderatorId-error').innerText()).toContain('Choose a moderator');
    await check(page, '06-moderation-request-errors');
    await page.getByLabel('Moderator').selectOption({ label: 'Morgan Moderator' });
    await page.getByRole('button', { name: 'Request moderation' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'moderation-requested');
    expect(await page.locator('main').innerText()).toContain('Moderation requested from Morgan Moderator');

    await page.getByRole('button', { name: 'Raise an action' }).click();
    await page.waitForURL((url) => url.pathname === `/audits/${auditId}/actions/new`);
    await page.getByLabel('What needs to be done').fill('Add a contingency plan');
    await page.getByLabel('Owner').selectOption({ label: 'Mia Manager (team manager)' });
    await check(page, '07-raise-action');
    await page.getByRole('button', { name: 'Raise action' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'action-raised');
    // And an overdue one raised in the past, through the API.
    await api(qa, 'post', `/api/v1/audits/${auditId}/actions`, {
      description: 'Share the plan with the school',
      ownerId: manager.userId,
      raisedOn: '2026-04-10',
      dueOn: '2026-04-17',
    }).expect(201);
    await page.reload();
    const actions = await page.getByRole('table').filter({ hasText: 'Add a contingency plan' }).innerText();
    expect(actions).toMatch(/Share the plan with the school[\s\S]*17 April 2026\s+Overdue/);
    await check(page, '08-audit-with-actions');

    await page.getByRole('link', { name: 'Cancel action: Add a contingency plan' }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/cancel'));
    await page.getByRole('button', { name: 'Cancel action' }).click();
    expect(await page.locator('#reason-error').innerText()).toContain('Enter why the action is cancelled');
    await check(page, '09-cancel-action-errors');
    await page.getByLabel('Reason for cancelling').fill('Plan added at the core group');
    await page.getByRole('button', { name: 'Cancel action' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'action-cancelled');
  });

  it('the moderator grades blind, then sees the agreement', async () => {
    const page = await signedIn('morgan');
    await page.goto(`${base}/audits/${auditId}`);
    const blind = await page.locator('main').innerText();
    expect(blind).toContain('Hidden until you record your moderation');
    expect(blind).not.toContain('Seen alone on each visit');
    expect(blind).not.toContain('No contingency plan on file');
    await page.getByRole('button', { name: 'Record your moderation' }).click();
    await page.waitForURL((url) => url.pathname === `/audits/${auditId}/moderate`);
    expect(await page.locator('main').innerText()).not.toContain('Seen alone on each visit');
    // Grading blind, the moderator is not asked whether they agree: agreement follows from the grades.
    expect(await page.locator('main').innerText()).not.toContain('Do you agree');
    await page.getByLabel('Rationale').fill('Contingency planning is missing');
    await page.getByRole('button', { name: 'Record moderation' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Choose the overall grade');
    expect(await page.getByLabel('Rationale').inputValue()).toBe('Contingency planning is missing');
    await check(page, '10-moderate-errors');
    await page.locator('input[name="overallGrade"][value="requires-improvement"]').check();
    await page.locator('input[name="grade-planning"][value="requires-improvement"]').check();
    await page.getByRole('button', { name: 'Record moderation' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'moderated');
    const moderated = await page.locator('main').innerText();
    expect(moderated).toContain('Morgan Moderator agreed with the auditor');
    expect(moderated).toMatch(/Moderator's overall grade\s+Requires improvement \(the same grade\)/);
    expect(moderated).toContain('Seen alone on each visit');
    await check(page, '11-moderated');

    await page.goto(`${base}/audits/moderation-agreement`);
    expect(await page.locator('main').innerText()).toMatch(/Moderated audits\s+1/);
    expect(await page.getByRole('table').innerText()).toContain('Quinn Auditor');
    await check(page, '12-moderation-agreement');
  });

  it("the team manager reads the team's audit actions and completes one", async () => {
    const page = await signedIn('mia');
    await page.goto(`${base}/audits`);
    await page.getByRole('link', { name: 'Audit actions: CIN North' }).click();
    const outstanding = await page.getByRole('table').innerText();
    expect(outstanding).toMatch(/Share the plan with the school[\s\S]*Overdue/);
    expect(outstanding).toContain('CASE-3001');
    expect(await page.getByRole('link', { name: 'Download as CSV' }).getAttribute('href')).toBe(
      '/audits/teams/cin-north/actions.csv',
    );
    await check(page, '13-team-actions');

    await page.goto(`${base}/audits/${auditId}`);
    await page.getByRole('link', { name: 'Complete action: Share the plan with the school' }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/complete'));
    await check(page, '14-complete-action');
    await page.getByLabel('Evidence that it is done').fill('Shared at the core group');
    await page.getByRole('button', { name: 'Complete action' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'action-completed');
    await page.goto(`${base}/audits/teams/cin-north/actions`);
    await page.getByLabel('Show', { exact: true }).selectOption({ label: 'Completed' });
    await page.getByRole('button', { name: 'Apply filter' }).click();
    await page.waitForURL((url) => url.searchParams.get('status') === 'completed');
    expect(await page.getByRole('table').innerText()).toMatch(/Share the plan with the school[\s\S]*Completed/);
    await check(page, '15-team-actions-completed');
  });
});
