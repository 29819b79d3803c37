/**
 * Journeys through the pages in headless Chromium, one per role, through the UI only (no API
 * calls, no seeding): the administrator sets Casetrail up from an empty store exactly as a
 * newcomer would. On every page visited: axe-core finds no serious or critical violation, the
 * strict Content-Security-Policy blocks nothing, and a screenshot is saved.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dayInWords, instantsAtLondonTime, londonClockAt } from '@casetrail/kernel';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TrailEventView } from '../../src/trail/trail-event';
import { verifyExport } from '../../src/trail/verify-export';
import type { TestApp } from '../support/test-app';
import { launchBrowser, newPerson, screenshot, seriousAccessibilityProblems, servedApp } from './browser';
import { TEST_PASSWORD as PASSWORD } from '../support/web-http';

jest.setTimeout(180_000);

describe('web pages in a real browser', () => {
  let app: TestApp;
  let drop: () => Promise<void>;
  let browser: Browser;
  let base: string;
  const people: BrowserContext[] = [];
  const cspViolations: string[] = [];
  const visited: string[] = [];
  /** A minute after the setup began and before any audit: the inspector replays the dashboard as at then. */
  let beforeAnyAudit = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    ({ app, base, drop } = await servedApp());
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    await browser?.close();
    await app?.close();
    await drop?.();
  });

  async function person(options: { javaScript?: boolean } = {}): Promise<Page> {
    const context = await newPerson(browser, options);
    people.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
        cspViolations.push(`${page.url()}: ${message.text()}`);
    });
    return page;
  }

  /** Every page a journey reaches: accessible, and kept as a screenshot. */
  async function check(page: Page, name: string): Promise<void> {
    visited.push(name);
    await screenshot(page, name);
    expect({ page: name, problems: await seriousAccessibilityProblems(page) }).toEqual({ page: name, problems: [] });
  }

  async function signIn(page: Page, username: string): Promise<void> {
    await page.goto(`${base}/`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('a newcomer sets Casetrail up: first administrator, a team and the people who use it', async () => {
    const page = await person();
    await page.goto(`${base}/`);
    await page.waitForURL((url) => url.pathname === '/first-run');
    await check(page, '01-first-run');

    // The error pattern: summary at the top, message beside the field, input kept.
    await page.getByLabel('Your name').fill('Ada Admin');
    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Confirm password').fill('short');
    await page.getByRole('button', { name: 'Create administrator and sign in' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Password must be at least 12 characters');
    expect(await page.locator('#password-error').innerText()).toContain('at least 12 characters');
    expect(await page.getByLabel('Your name').inputValue()).toBe('Ada Admin');
    await check(page, '02-first-run-errors');

    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create administrator and sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/teams');
    expect(await page.locator('.ct-header').innerText()).toContain('Northshire County Council');

    await page.getByLabel('Team code').fill('assessment-1');
    await page.getByLabel('Team name').fill('Assessment Team 1');
    await page.getByLabel('Service', { exact: true }).fill('Assessment');
    await page.getByRole('button', { name: 'Add team' }).click();
    expect(await page.locator('table').innerText()).toContain('Assessment Team 1');
    await check(page, '03-admin-teams');

    for (const [name, role, username, team] of [
      ['Quinn Auditor', 'QA officer', 'quinn', false],
      ['Mia Manager', 'Team manager', 'mia', true],
      ['Ira Reviewer', 'IRO', 'ira', false],
      ['Lee Lead', 'Improvement lead', 'lee', false],
      ['Ines Inspector', 'Inspector', 'ines', false],
    ] as const) {
      await page.goto(`${base}/admin/users`);
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByLabel('Role').selectOption({ label: role });
      if (team) await page.getByLabel('Assessment Team 1 (assessment-1)').check();
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('First password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Add user' }).click();
      expect(await page.locator('.govuk-notification-banner').innerText()).toContain(`${name} can now sign in`);
    }
    await check(page, '04-admin-users');
    // Rounded down to the minute (the field's precision): still before the first audit below.
    beforeAnyAudit = londonClockAt(new Date()).local.slice(0, 16); // the form reads UK time
  });

  it('the QA officer audits a case, submits it inadequate and sees the immediate review', async () => {
    const page = await person();
    await signIn(page, 'quinn');
    await page.waitForURL((url) => url.pathname === '/dashboard');
    await check(page, '05-dashboard-qa');

    await page.getByRole('link', { name: 'Audits', exact: true }).click();
    await page.getByRole('button', { name: 'Start a case audit' }).click();
    await check(page, '06-start-audit');
    await page.getByLabel('Case reference').fill('CASE-40213');
    await page.getByLabel('Team').selectOption({ label: 'Assessment Team 1' });
    await page.getByRole('button', { name: 'Start audit' }).click();
    expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toBe('CASE-40213');

    await page.getByRole('group', { name: 'Voice of the child' }).getByLabel('Requires improvement').check();
    await page.getByLabel('Evidence for voice of the child').fill('Wishes recorded once, not since the baby was born');
    await page.getByRole('group', { name: /risk/i }).getByLabel('Inadequate').check();
    await page.getByRole('button', { name: 'Save and submit' }).click();
    // No overall grade yet: the summary says so, the grades chosen are kept.
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Choose the overall grade');
    expect(await page.getByRole('group', { name: 'Voice of the child' }).getByLabel('Requires improvement').isChecked()).toBe(
      true,
    );
    await check(page, '07-grade-audit-errors');

    await page.getByRole('group', { name: 'Overall grade' }).getByLabel('Inadequate').check();
    await page.getByRole('button', { name: 'Save and submit' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Audit submitted');
    expect(await page.locator('.govuk-warning-text').innerText()).toContain(
      'Immediate review: is immediate safeguarding action needed?',
    );
    expect(await page.locator('.govuk-warning-text').innerText()).toContain('Owner: Mia Manager');
    await check(page, '08-audit-submitted-immediate-review');
  });

  it('the same forms work with JavaScript off (progressive enhancement)', async () => {
    // axe-core needs JavaScript, so these pages (the same templates as above) are not re-checked here.
    const page = await person({ javaScript: false });
    await signIn(page, 'quinn');
    await page.waitForURL((url) => url.pathname === '/dashboard');
    await page.goto(`${base}/audits/start`);
    await page.getByLabel('Case reference').fill('CASE-50001');
    await page.getByLabel('Team').selectOption({ label: 'Assessment Team 1' });
    await page.getByRole('button', { name: 'Start audit' }).click();
    await page.getByRole('group', { name: 'Planning' }).getByLabel('Good', { exact: true }).check();
    await page.getByRole('group', { name: 'Overall grade' }).getByLabel('Good', { exact: true }).check();
    await page.getByRole('button', { name: 'Save and submit' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Audit submitted');
    expect(await page.locator('.govuk-warning-text').count()).toBe(0);
  });

  it('the IRO raises a dispute, escalates it past stage 1, and the team manager answers', async () => {
    const page = await person();
    await signIn(page, 'ira');
    await page.waitForURL((url) => url.pathname === '/dashboard');
    await page.getByRole('link', { name: 'Disputes', exact: true }).click();
    await page.getByRole('button', { name: 'Raise a dispute' }).click();
    await page.getByRole('button', { name: 'Raise dispute' }).click();
    // Nothing filled in: every field is named in the summary.
    expect(await page.locator('.govuk-error-summary li').count()).toBe(5);
    await check(page, '11-raise-dispute-errors');
    await page.getByLabel('Child reference').fill('C-1001');
    await page.getByLabel('Team').selectOption({ label: 'Assessment Team 1' });
    await page.getByLabel('What it is about').selectOption({ label: 'Matching' });
    await page.getByLabel('What the problem is').fill('Long-term match with the foster carers has drifted for 14 months.');
    await page.getByLabel('What should happen').fill('Matching assessment to fostering panel before the next review.');
    await page.getByRole('button', { name: 'Raise dispute' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Dispute raised');
    expect(await page.locator('#timeline').innerText()).toContain('Informal alert');

    // Each form of the DR is on its own page, reached by a button.
    await page.getByRole('button', { name: 'Escalate' }).click();
    await page.getByRole('group', { name: 'Stage to escalate to' }).getByLabel('Stage 2').check();
    await page.getByLabel('Reason').fill('No panel date after the informal alert.');
    await page.getByRole('button', { name: 'Escalate' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Dispute escalated');
    const timeline = await page.locator('#timeline').innerText();
    expect(timeline).toContain('Stage 2');
    expect(timeline).toContain('Bypassed: Stage 1.');
    expect(timeline).toContain('Why: No panel date after the informal alert.');
    await check(page, '12-dispute-escalated');

    // The team manager of the DR's team answers the stage now current.
    const manager = await person();
    await signIn(manager, 'mia');
    await manager.goto(page.url().split('?')[0]);
    await manager.getByRole('button', { name: 'Record a response' }).click();
    await manager.getByLabel('Response').fill('Panel booked for 2 June.');
    await manager.getByRole('button', { name: 'Record response' }).click();
    expect(await manager.locator('#timeline').innerText()).toContain('Panel booked for 2 June.');
    expect(await manager.getByRole('button', { name: 'Escalate' }).count()).toBe(0);
    await check(manager, '13-dispute-answered-by-manager');
  });

  it('the improvement lead adds an action, reports it at risk and sees amber with the reason', async () => {
    const page = await person();
    await signIn(page, 'lee');
    await page.waitForURL((url) => url.pathname === '/dashboard');
    await page.getByRole('link', { name: 'Improvement plans', exact: true }).click();
    await page.getByLabel('Title').fill('Safeguarding improvement plan');
    await page.getByLabel('What prompted it').selectOption({ label: 'Ofsted inspection (ILACS)' });
    await page.getByRole('button', { name: 'Create plan' }).click();
    await page.getByRole('button', { name: 'Add a priority' }).click();
    await page.getByLabel('Priority', { exact: true }).fill('Quality and effectiveness of frontline practice');
    await page.getByRole('button', { name: 'Add priority' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Priority added.');

    await page.getByRole('button', { name: 'Add an action' }).click();

    await page.getByLabel('Priority', { exact: true }).selectOption({ label: 'Quality and effectiveness of frontline practice' });
    await page.getByLabel('Action', { exact: true }).fill('Team managers check the risk analysis in every assessment');
    await page.getByLabel('Owner').selectOption({ label: 'Mia Manager (team manager)' });
    await page.getByLabel('Assessment Team 1').check();
    const due = new Date(Date.now() + 60 * 86_400_000);
    await page.locator('#dueOn-day').fill(String(due.getUTCDate()));
    await page.locator('#dueOn-month').fill(String(due.getUTCMonth() + 1));
    await page.locator('#dueOn-year').fill(String(due.getUTCFullYear()));
    await page.getByLabel('Success measure').fill('95% of audited assessments have a clear risk analysis');
    await page.getByRole('button', { name: 'Add action' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Action added');
    // Just started and on time: green.
    expect(await page.locator('#rag').innerText()).toContain('Green');

    await page.getByRole('button', { name: 'Report progress' }).click();
    await page.getByLabel('Progress', { exact: true }).fill('Audit tool agreed; 10 of 40 assessments checked');
    await page.getByRole('group', { name: 'Confidence' }).getByLabel('At risk').check();
    await page.getByRole('button', { name: 'Report progress' }).click();
    const rag = await page.locator('#rag').innerText();
    expect(rag).toContain('Amber');
    expect(rag).toContain(`at risk (update of ${dayInWords(new Date().toISOString().slice(0, 10))})`);
    await check(page, '14-action-amber');

    await page.getByRole('link', { name: 'Back to the plan' }).click();
    expect(await page.locator('table').innerText()).toContain('at risk (update of');
    await check(page, '15-plan-status');
  });

  it('the inspector replays the dashboard as at an earlier time, checks the trail and exports it', async () => {
    const page = await person();
    await signIn(page, 'ines');
    await page.waitForURL((url) => url.pathname === '/dashboard');
    const inadequate = () => page.locator('#grades-table tr', { hasText: 'All teams' }).locator('td').nth(3).innerText();
    expect(await inadequate()).toBe('1');
    // GOV.UK date boxes with hour and minute, as a person types them (no browser date-time widget).
    const [year, month, day, hour, minute] = beforeAnyAudit.split(/[-T:]/);
    const asAt = page.locator('#as-at');
    await asAt.getByLabel('Day').fill(String(Number(day)));
    await asAt.getByLabel('Month').fill(String(Number(month)));
    await asAt.getByLabel('Year').fill(year);
    await asAt.getByLabel('Hour').fill(hour);
    await asAt.getByLabel('Minute').fill(minute);
    await page.getByRole('button', { name: 'Show as at' }).click();
    expect(new URL(page.url()).searchParams.get('asAt')).toBe(
      instantsAtLondonTime(beforeAnyAudit)[0].toISOString().replace('.000Z', 'Z'),
    );
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('You are looking at this page as it was at');
    expect(await inadequate()).toBe('0');
    await check(page, '16-dashboard-as-at');
    await page.getByRole('link', { name: 'Show the page as it is now' }).click();
    expect(await inadequate()).toBe('1');

    // Then checks that nothing recorded has been altered since...
    await page.getByRole('link', { name: 'Trail', exact: true }).click();
    await page.getByRole('link', { name: 'Integrity check' }).click();
    const result = await page.locator('#result').innerText();
    expect(result).toContain('Verified');
    expect(result).toMatch(/The trail is intact: \d+ events checked/);
    await check(page, '17-trail-verified');

    // ...and takes the whole trail away as a file, which verifies offline with the same check as
    // `npm run cli -- trail:verify-export` and holds what the journeys above recorded.
    await page.getByRole('link', { name: 'Export', exact: true }).click();
    await check(page, '18-trail-export');
    await page
      .getByRole('group', { name: 'Format' })
      .getByLabel(/NDJSON/)
      .check();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download export' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^casetrail-trail-.+\.ndjson$/);
    const dir = mkdtempSync(join(tmpdir(), 'journey-export-'));
    try {
      const file = join(dir, download.suggestedFilename());
      await download.saveAs(file);
      const verification = await verifyExport(file);
      expect(verification).toMatchObject({ valid: true, format: 'ndjson', manifest: { complete: true } });
      expect(verification.firstInvalid).toBeUndefined();
      const events = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as TrailEventView | { manifest: unknown })
        .filter((line): line is TrailEventView => !('manifest' in line));
      expect(events).toHaveLength(verification.checkedEvents);
      const recorded = (type: string, field: string, value: string) =>
        events.some((e) => e.type === type && (e.data as Record<string, unknown>)[field] === value);
      expect(recorded('TeamRegistered', 'name', 'Assessment Team 1')).toBe(true);
      expect(recorded('CaseAuditStarted', 'caseRef', 'CASE-40213')).toBe(true);
      expect(recorded('AuditSubmitted', 'overallGrade', 'inadequate')).toBe(true);
      expect(recorded('DisputeRaised', 'childRef', 'C-1001')).toBe(true);
      // The response is personal free text, stored (and so exported) encrypted: the event itself is there.
      expect(events.some((e) => e.type === 'DisputeResponseRecorded')).toBe(true);
      expect(recorded('ImprovementPlanCreated', 'title', 'Safeguarding improvement plan')).toBe(true);
      expect(recorded('ActionProgressReported', 'confidence', 'at-risk')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('someone without the role gets "You do not have access", not an error', async () => {
    const page = await person();
    await signIn(page, 'ines');
    const response = await page.goto(`${base}/audits/start`);
    expect(response?.status()).toBe(403);
    expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toBe('You do not have access to this page');
    await check(page, '09-no-access');
    const missing = await page.goto(`${base}/no-such-page`);
    expect(missing?.status()).toBe(404);
    expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toBe('Page not found');
    await check(page, '10-not-found');
  });

  it('no page broke the Content-Security-Policy', () => {
    expect(visited.length).toBeGreaterThan(0);
    expect(cspViolations).toEqual([]);
  });
});
