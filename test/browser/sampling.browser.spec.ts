/**
 * The QA officer's sampling journey in headless Chromium (SQLite), issue 19: upload a case list
 * (a name column refused first), draw a sample for a programme, start an audit from the sample
 * with its case and team filled in, and see the programme count it as audited. Every page visited
 * has no serious or critical axe-core violation, its tables fit, and it is kept as a screenshot.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { addDays, dayOf } from '@casetrail/kernel';
import type { TestApp } from '../support/test-app';
import { webUser } from '../support/web-http';
import { check as checkPage, launchBrowser, signedInPerson, servedApp } from './browser';

jest.setTimeout(180_000);
type User = { userId: string; token: string };
const TEAMS = ['cin-north', 'cp-east'];
const ref = (i: number): string => `C-${String(i).padStart(4, '0')}`;
const caseListCsv = (extra = ''): string =>
  [
    `Case reference,Team,Category,Worker id,Open since${extra ? `,${extra}` : ''}`,
    ...Array.from(
      { length: 30 },
      (_, i) => `${ref(i)},${TEAMS[i % 2]},${i % 3 === 0 ? 'CP' : 'CIN'},w${i % 4},15/01/2024${extra ? ',x' : ''}`,
    ),
  ].join('\n');

describe('the sampling pages in a real browser', () => {
  let app: TestApp;
  let drop: () => Promise<void>;
  let browser: Browser;
  let base: string;
  const people: BrowserContext[] = [];
  let qa: User;
  const today = dayOf(new Date());
  const api = (user: User, url: string, body: object) =>
    app.http.post(url).set('Authorization', `Bearer ${user.token}`).send(body);

  beforeAll(async () => {
    browser = await launchBrowser();
    ({ app, base, drop } = await servedApp());
    const admin = await app.userWithToken('admin');
    await api(admin, '/api/v1/teams', { teamId: 'cin-north', name: 'CIN North', service: 'Children in need' }).expect(201);
    await api(admin, '/api/v1/teams', { teamId: 'cp-east', name: 'CP East', service: 'Child protection' }).expect(201);
    qa = await webUser(app, 'qa-officer', 'quinn', { name: 'Quinn Auditor' });
    await api(qa, '/api/v1/audit-programmes', {
      programmeId: 'monthly-june',
      title: 'Monthly audit, June',
      kind: 'monthly',
      from: addDays(today, -20),
      to: today,
      teamIds: TEAMS,
    }).expect(201);
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    await browser?.close();
    await app?.close();
    await drop?.();
  });

  const check = (page: Page, name: string): Promise<void> => checkPage(page, name, `sampling-${name}`);

  it('upload a case list, draw a sample, start an audit from it; the programme shows 1 of 6 audited', async () => {
    const page = await signedInPerson(browser, people, base, 'quinn');

    // The imports page leads to the case lists; a name column is refused in plain words.
    await page.goto(`${base}/imports`);
    await page.getByRole('link', { name: 'case lists' }).click();
    await page.waitForURL((url) => url.pathname === '/case-lists');
    await check(page, '01-case-lists');
    const file = page.getByLabel('CSV or Excel file of open cases');
    await file.setInputFiles({ name: 'open-cases.csv', mimeType: 'text/csv', buffer: Buffer.from(caseListCsv('Child name')) });
    await page.getByRole('button', { name: 'Upload the case list' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain("looks like a person's name");
    await check(page, '02-case-list-refused');

    await page
      .getByLabel('CSV or Excel file of open cases')
      .setInputFiles({ name: 'open-cases-june.csv', mimeType: 'text/csv', buffer: Buffer.from(caseListCsv()) });
    await page.getByRole('button', { name: 'Upload the case list' }).click();
    await page.waitForURL((url) => url.searchParams.get('recorded') === '1');
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Case list recorded: 30 cases.');
    expect(await page.locator('#case-list-teams').innerText()).toMatch(/CIN North\s+15/);
    await check(page, '03-case-list');

    // The programme offers to draw a sample; the form needs a size, then draws.
    await page.goto(`${base}/audits/programmes/monthly-june`);
    await page.getByRole('link', { name: 'Draw a sample' }).click();
    await page.waitForURL((url) => url.pathname === '/audits/programmes/monthly-june/sample/new');
    expect(await page.getByLabel('Seed').inputValue()).toMatch(/^\d{6}$/);
    await page.getByLabel(/open-cases-june\.csv, uploaded/).check();
    await page.getByRole('button', { name: 'Draw the sample' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter the number of cases');
    await check(page, '04-draw-errors');
    await page.getByLabel('A number from each team').check();
    await page.getByLabel('Number of cases').fill('3');
    await page.getByLabel('Stratify by category').check();
    await page.getByLabel('Seed').fill('june-2026');
    await page.getByRole('button', { name: 'Draw the sample' }).click();
    await page.waitForURL((url) => url.pathname === '/audits/programmes/monthly-june/sample');
    expect(await page.locator('#sample-audited').innerText()).toBe('0 of 6 sampled cases audited');
    expect(await page.locator('#sample-inputs').innerText()).toContain('3 per team');
    await check(page, '05-sample');

    // "Check this sample" recomputes it.
    await page.getByRole('button', { name: 'Check this sample' }).click();
    expect(await page.locator('#sample-check').innerText()).toContain('Recomputed from the record: the same 6 cases.');

    // Start an audit from the sample: the case and team are filled in.
    const firstCase = (await page.locator('#sample-chosen tbody tr').first().locator('td').first().innerText()).trim();
    await page
      .locator('#sample-chosen tbody tr')
      .first()
      .getByRole('link', { name: /Start audit/ })
      .click();
    await page.waitForURL((url) => url.pathname === '/audits/start');
    expect(await page.getByLabel('Case reference').inputValue()).toBe(firstCase);
    expect(await page.locator('#start-programme').innerText()).toContain('Monthly audit, June');
    await check(page, '06-start-from-sample');
    await page.getByRole('button', { name: 'Start audit' }).click();
    await page.waitForURL((url) => /^\/audits\/[^/]+$/.test(url.pathname) && url.pathname !== '/audits/start');
    const auditId = new URL(page.url()).pathname.split('/').pop()!;

    // Submitted (through the API, as the audit page's own tests cover its form), it counts as audited.
    await api(qa, `/api/v1/audits/${auditId}/grades`, { domain: 'planning', grade: 'good', evidence: 'Plan reviewed' }).expect(
      200,
    );
    await api(qa, `/api/v1/audits/${auditId}/submit`, { overallGrade: 'good', submittedOn: today }).expect(200);
    await page.goto(`${base}/audits/programmes/monthly-june`);
    expect(await page.locator('#programme-sample').innerText()).toBe('1 of 6 sampled cases audited');
    await check(page, '07-programme');
    await page.getByRole('link', { name: '1 of 6 sampled cases audited' }).click();
    expect(await page.locator('#sample-chosen').innerText()).toContain('Submitted');
  });
});
