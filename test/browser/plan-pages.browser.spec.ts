/**
 * The improvement-plan pages in headless Chromium: recommendations on the plan page, the plan's RAG
 * as on a chosen day, an action's history and its forms (due date, completion, verification,
 * reopening), and a team's outstanding actions. Every page visited: what a user needs is on it,
 * axe-core finds no serious or critical violation, and a screenshot is kept.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Role } from '../../src/shared/principal';
import type { TestApp } from '../support/test-app';
import { check, launchBrowser, signedInPerson, servedApp } from './browser';
import { webUser } from '../support/web-http';

jest.setTimeout(180_000);

describe('improvement-plan pages in a real browser', () => {
  let app: TestApp;
  let drop: () => Promise<void>;
  let browser: Browser;
  let base: string;
  const people: BrowserContext[] = [];
  const userIds: Record<string, string> = {};
  let leadToken = '';

  const api = (token: string) => ({
    post: (path: string, body: object) => app.http.post(path).set('authorization', `Bearer ${token}`).send(body),
  });

  async function user(role: Role, username: string, name: string, teamIds: string[] = []): Promise<string> {
    const { userId, token } = await webUser(app, role, username, { teamIds, name });
    userIds[username] = userId;
    return token;
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    ({ app, base, drop } = await servedApp());

    const admin = (await app.userWithToken('admin', [], 'Ada Admin')).token;
    await api(admin).post('/api/v1/teams', { teamId: 'north', name: 'North Assessment', service: 'Assessment' }).expect(201);
    leadToken = await user('improvement-lead', 'lee', 'Lee Lead');
    await user('team-manager', 'mia', 'Mia Manager', ['north']);
    const lead = api(leadToken);
    await lead
      .post('/api/v1/plans', {
        planId: 'sip',
        title: 'Safeguarding plan',
        trigger: { kind: 'ofsted-inspection', date: '2026-01-05' },
      })
      .expect(201);
    await lead.post('/api/v1/plans/sip/priorities', { priorityId: 'practice', title: 'Frontline practice' }).expect(201);
    await lead
      .post('/api/v1/plans/sip/recommendations', {
        recommendationId: 'rec-1',
        text: 'Ensure every assessment has an explicit analysis of risk',
        timescale: 'within-3-months',
      })
      .expect(201);
    const action = (actionId: string, title: string, dueOn: string) =>
      lead
        .post('/api/v1/plans/sip/actions', {
          actionId,
          priorityId: 'practice',
          recommendationIds: ['rec-1'],
          title,
          ownerId: userIds.mia,
          teamIds: ['north'],
          startOn: '2026-01-12',
          dueOn,
          successMeasure: '95% of audited assessments have a clear risk analysis',
        })
        .expect(201);
    await action('risk', 'Managers check the risk analysis', '2026-03-02');
    await action('tool', 'Agree the audit tool', '2026-12-31');
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    await browser?.close();
    await app?.close();
    await drop?.();
  });

  const signedIn = (username: string): Promise<Page> => signedInPerson(browser, people, base, username, '/dashboard');

  const rowText = (page: Page, title: string): Promise<string> => page.locator('#actions tr', { hasText: title }).innerText();

  it('the plan page: recommendations, a recommendation added, and the RAG as on a chosen day', async () => {
    const page = await signedIn('lee');
    await page.getByRole('link', { name: 'Improvement plans', exact: true }).click();
    await page.getByRole('link', { name: 'Safeguarding plan' }).click();
    const recommendations = page.locator('#recommendations ~ ol').first();
    expect(await recommendations.innerText()).toContain('Ensure every assessment has an explicit analysis of risk');
    expect(await recommendations.innerText()).toContain('Within 3 months: due 5 April 2026');
    expect(await recommendations.getByRole('link', { name: 'Managers check the risk analysis' }).count()).toBe(1);
    await check(page, 'plans-01-plan');

    // The form is on its own page. "By a date" without its date: the decider's error, beside the date boxes.
    await page.getByRole('button', { name: 'Add a recommendation' }).click();
    await page.getByLabel('Recommendation', { exact: true }).fill('Strengthen management oversight of drift');
    await page.getByRole('group', { name: 'Timescale' }).getByLabel('By a date').check();
    await page.getByRole('button', { name: 'Add recommendation' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('needs its due date');
    expect(await page.locator('#recommendationDueOn-error').innerText()).toContain('needs its due date');
    expect(await page.getByLabel('Recommendation', { exact: true }).inputValue()).toBe(
      'Strengthen management oversight of drift',
    );
    await check(page, 'plans-02-recommendation-errors');
    await page.locator('#recommendationDueOn-day').fill('30');
    await page.locator('#recommendationDueOn-month').fill('9');
    await page.locator('#recommendationDueOn-year').fill('2026');
    await page.getByRole('button', { name: 'Add recommendation' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Recommendation added.');
    expect(await page.locator('#recommendations ~ ol').first().innerText()).toContain('By a date: due 30 September 2026');

    // The linking checkboxes on the add-action form list both recommendations.
    await page.getByRole('button', { name: 'Add an action' }).click();
    const linking = page.getByRole('group', { name: 'Recommendations it answers (optional)' });
    expect(await linking.getByRole('checkbox').count()).toBe(2);
    await page.getByRole('link', { name: 'Back to the plan', exact: true }).click();

    // As on a chosen day: a GET form, the address says the day, the caption too.
    const asOn = page.getByRole('group', { name: 'Show the RAG as on another date' });
    await asOn.getByLabel('Day').fill('3');
    await asOn.getByLabel('Month').fill('3');
    await asOn.getByLabel('Year').fill('2026');
    await page.getByRole('button', { name: 'Show as on this date' }).click();
    expect(new URL(page.url()).searchParams.get('on')).toBe('2026-03-03');
    expect(await page.locator('#status').innerText()).toBe('RAG as on 3 March 2026');
    expect(await rowText(page, 'Managers check the risk analysis')).toContain('Red');
    expect(await page.getByRole('link', { name: /Download as CSV/ }).getAttribute('href')).toBe(
      '/plans/sip/actions.csv?on=2026-03-03',
    );
    await check(page, 'plans-03-plan-as-on-march');

    await page.goto(`${base}/plans/sip?on=2026-02-02`);
    expect(await page.locator('#status').innerText()).toBe('RAG as on 2 February 2026');
    expect(await rowText(page, 'Managers check the risk analysis')).toContain('Green');

    // A day that does not exist: the error pattern on the GET form.
    const again = page.getByRole('group', { name: 'Show the RAG as on another date' });
    await again.getByLabel('Day').fill('31');
    await again.getByLabel('Month').fill('2');
    await page.getByRole('button', { name: 'Show as on this date' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('The date to show must be a real date');
    expect(await page.locator('#on-error').innerText()).toContain('The date to show must be a real date');
    await check(page, 'plans-04-plan-as-on-error');
  });

  it('the action page: the owner changes the due date and completes it; the lead verifies and reopens', async () => {
    const owner = await signedIn('mia');
    await owner.goto(`${base}/actions/tool`);
    expect(await owner.getByRole('button', { name: 'Change the due date' }).count()).toBe(1);
    expect(await owner.getByRole('button', { name: 'Verify the completion' }).count()).toBe(0);
    await check(owner, 'plans-05-action-owner');

    await owner.getByRole('button', { name: 'Change the due date' }).click();

    const due = owner.getByRole('group', { name: 'New due date' });
    await due.getByLabel('Day').fill('29');
    await due.getByLabel('Month').fill('1');
    await due.getByLabel('Year').fill('2027');
    await owner.getByRole('button', { name: 'Change due date' }).click();
    expect(await owner.locator('.govuk-error-summary').innerText()).toContain('Enter why the due date changes');
    expect(await owner.locator('#approvedBy-error').innerText()).toContain('Enter who agreed the new due date');
    expect(await owner.getByRole('group', { name: 'New due date' }).getByLabel('Day').inputValue()).toBe('29');
    await check(owner, 'plans-06-due-date-errors');
    await owner.getByLabel('Reason for the change').fill('Audit tool redesigned after the DfE review');
    await owner.getByLabel('Who agreed it').fill('Improvement board');
    await owner.getByRole('button', { name: 'Change due date' }).click();
    expect(await owner.locator('.govuk-notification-banner').innerText()).toContain('Due date changed.');
    const history = await owner.locator('#history').innerText();
    expect(history).toContain('From 31 December 2026 to 29 January 2027 (originally due 31 December 2026).');
    expect(history).toContain('Why: Audit tool redesigned after the DfE review');

    await owner.getByRole('button', { name: 'Mark as complete' }).click();
    await owner.getByRole('button', { name: 'Mark as complete' }).click();
    expect(await owner.locator('#completionEvidence-error').innerText()).toContain('Give the evidence that the action is done');
    await check(owner, 'plans-07-complete-errors');
    await owner.getByLabel('Evidence that it is done').fill('Tool agreed at the board, minutes item 4');
    await owner.getByRole('button', { name: 'Mark as complete' }).click();
    expect(await owner.locator('.govuk-notification-banner').innerText()).toContain('Action marked complete.');
    expect(await owner.locator('#history').innerText()).toContain('Evidence: Tool agreed at the board, minutes item 4');
    expect(await owner.getByRole('button', { name: 'Verify the completion' }).count()).toBe(0);

    const lead = await signedIn('lee');
    await lead.goto(`${base}/actions/tool`);
    await check(lead, 'plans-08-action-completed-lead');
    await lead.getByRole('button', { name: 'Verify the completion' }).click();
    await lead.getByRole('button', { name: 'Verify completion' }).click();
    expect(await lead.locator('.govuk-notification-banner').innerText()).toContain('Completion verified.');
    expect(await lead.locator('#history').innerText()).toContain('Signed off by Lee Lead.');
    await check(lead, 'plans-09-action-verified');

    await lead.getByRole('button', { name: 'Reopen', exact: true }).click();
    await lead.getByRole('button', { name: 'Reopen action' }).click();
    expect(await lead.locator('#reopenReason-error').innerText()).toContain('Enter why it is reopened');
    await check(lead, 'plans-10-reopen-errors');
    await lead.getByLabel('Why it is reopened').fill('Re-audit: the tool misses neglect');
    await lead.getByRole('button', { name: 'Reopen action' }).click();
    expect(await lead.locator('.govuk-notification-banner').innerText()).toContain('Action reopened.');
    expect(await lead.getByRole('button', { name: 'Mark as complete' }).count()).toBe(1);
  });

  it('a team’s outstanding actions: the chooser, the team’s page and its CSV', async () => {
    const page = await signedIn('mia');
    await page.getByRole('link', { name: 'Outstanding actions', exact: true }).click();
    await page.getByRole('button', { name: 'Show outstanding actions' }).click();
    expect(await page.locator('#teamId-error').innerText()).toContain('Choose a team');
    await check(page, 'plans-11-outstanding-chooser-error');
    await page.getByLabel('Team').selectOption({ label: 'North Assessment' });
    await page.getByRole('button', { name: 'Show outstanding actions' }).click();
    expect(new URL(page.url()).pathname).toBe('/teams/north/outstanding-actions');
    expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toBe('North Assessment');
    const row = await page.locator('#outstanding tr', { hasText: 'Managers check the risk analysis' }).innerText();
    expect(row).toContain('Overdue');
    expect(row).toContain('Mia Manager');
    await check(page, 'plans-12-outstanding-team');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Download as CSV/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^north-outstanding-actions-\d{4}-\d{2}-\d{2}\.csv$/);
  });

  it('self-assessments: the list, the error pattern and a recorded quarter', async () => {
    const page = await signedIn('lee');
    await page.getByRole('link', { name: 'Self-assessments', exact: true }).click();
    expect(await page.locator('#self-assessments').innerText()).toContain('No self-assessment recorded');
    await page.getByLabel('Service', { exact: true }).last().fill('mash-assessment');
    await page.getByLabel('Quarter', { exact: true }).fill('2026/27 Q2');
    await page.getByLabel('Score', { exact: true }).fill('12');
    await page.getByRole('button', { name: 'Record self-assessment' }).click();
    expect(await page.locator('#score-error').innerText()).toContain('Score must be a number from 0 to 10');
    expect(await page.locator('.govuk-error-summary li').count()).toBe(4);
    expect(await page.getByLabel('Quarter', { exact: true }).inputValue()).toBe('2026/27 Q2');
    await check(page, 'plans-13-self-assessment-errors');

    await page.getByLabel('Score', { exact: true }).fill('6');
    await page.getByLabel('What do we know about the quality and impact of our practice?').fill('Visits are timely; plans drift');
    await page.getByLabel('How do we know it?').fill('Monthly case audits');
    await page.getByLabel('What are we going to do next?').fill('Manager oversight at every review');
    await page.getByRole('button', { name: 'Record self-assessment' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Self-assessment recorded.');
    const row = await page.locator('#self-assessments tbody tr', { hasText: '2026/27 Q2' }).innerText();
    expect(row).toContain('mash-assessment');
    expect(row).toContain('6');
    await page.getByText('Answers for mash-assessment 2026/27 Q2').click();
    expect(await page.locator('#self-assessments').innerText()).toContain('Manager oversight at every review');
    await check(page, 'plans-14-self-assessments');
  });

  it('the lead creates a plan from an inspection and sets its RAG thresholds; the page says when the action plan is due', async () => {
    const page = await signedIn('lee');
    await page.goto(`${base}/plans`);
    await page.getByLabel('Title').fill('ILACS action plan');
    await page.getByLabel('What prompted it').selectOption('ofsted-inspection');
    const fill = async (group: string, d: string, m: string, y: string): Promise<void> => {
      const boxes = page.getByRole('group', { name: group });
      await boxes.getByLabel('Day').fill(d);
      await boxes.getByLabel('Month').fill(m);
      await boxes.getByLabel('Year').fill(y);
    };
    await fill('Date of the inspection, visit, notice or review', '10', '1', '2025');
    await fill('First day of the inspection (optional)', '6', '1', '2025');
    await fill('Last day of the inspection (optional)', '10', '1', '2025');
    await fill('Date the report was published (optional)', '15', '1', '2025');
    await page.getByLabel('Overall effectiveness').selectOption('requires-improvement');
    await page.getByLabel('The impact of leaders on social work practice with children and families').selectOption('inadequate');
    await page.getByRole('button', { name: 'Create plan' }).click();
    const inspection = await page.locator('#inspection + dl').innerText();
    expect(inspection).toContain('Report published');
    expect(inspection).toMatch(/Action plan due to Ofsted\s+25 April 2025/);
    expect(inspection).toContain('Late');
    await check(page, 'plans-15-inspection');

    await page.getByRole('button', { name: 'Change the RAG settings' }).click();
    await page.getByLabel('Red from how many working days overdue').fill('sixty-one');
    await page.getByRole('button', { name: 'Change RAG settings' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Red from how many working days overdue');
    await check(page, 'plans-16-rag-settings-error');
    await page.getByLabel('Red from how many working days overdue').fill('5');
    await page.getByLabel('Reason for the change').fill('Improvement board, 3 March 2025');
    await page.getByRole('button', { name: 'Change RAG settings' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('RAG settings changed.');
    expect(await page.locator('#rag-settings + p + ul').innerText()).toContain('Red from 5 working days overdue (amber before)');
    await check(page, 'plans-17-rag-settings');
  });
});
