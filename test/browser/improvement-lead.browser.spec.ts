/**
 * Issue 18's "Done when" for improvement leads, in headless Chromium: an improvement lead alone, through the
 * pages only, creates a plan with its trigger and judgement, a priority, a recommendation, an indicator with a
 * target, actions, progress and a completion, and sees them grouped on the plan page and on the scorecard.
 * Then the lead drafts the quarter's self-assessment from the record, edits it and records it with its sources.
 * The set-up only creates the lead (and the team and the inspector the forms offer); nothing else uses the API.
 * Every page visited: axe-core finds no serious or critical violation, and a screenshot is kept.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { TestApp } from '../support/test-app';
import { webUser } from '../support/web-http';
import { check, launchBrowser, signedInPerson, servedApp } from './browser';

// One journey through eleven pages, each checked with axe: longer than the usual cap (a cap, not a check) on a busy machine.
jest.setTimeout(420_000);

describe("an improvement lead's plan and scorecard, in the browser alone", () => {
  let app: TestApp;
  let drop: () => Promise<void>;
  let browser: Browser;
  let base: string;
  const people: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    ({ app, base, drop } = await servedApp());
    // What an administrator sets up before the lead starts: a team, the lead, and an inspector (who may not own actions).
    const admin = (await app.userWithToken('admin', [], 'Ada Admin')).token;
    await app.http
      .post('/api/v1/teams')
      .set('authorization', `Bearer ${admin}`)
      .send({ teamId: 'north', name: 'North Assessment', service: 'Assessment' })
      .expect(201);
    await webUser(app, 'improvement-lead', 'lee', { name: 'Lee Lead' });
    await app.userWithToken('inspector', [], 'Ian Inspector');
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    await browser?.close();
    await app?.close();
    await drop?.();
  });

  const date = async (group: Locator, day: string, month: string, year: string): Promise<void> => {
    await group.getByLabel('Day').fill(day);
    await group.getByLabel('Month').fill(month);
    await group.getByLabel('Year').fill(year);
  };
  const banner = (page: Page): Promise<string> => page.locator('.govuk-notification-banner--success').innerText();

  it('creates a plan with its trigger and judgement, a priority, a recommendation, actions, progress and a late completion', async () => {
    const page = await signedInPerson(browser, people, base, 'lee', '/dashboard');
    await page.getByRole('link', { name: 'Improvement plans', exact: true }).click();
    await page.getByLabel('Title').fill('Children’s services improvement plan');
    await page.getByLabel('What prompted it').selectOption({ label: 'Ofsted inspection (ILACS)' });
    await date(page.getByRole('group', { name: 'Date of the inspection, visit, notice or review' }), '5', '1', '2026');
    await page.getByLabel('Overall effectiveness').selectOption({ label: 'Inadequate' });
    await page.getByRole('button', { name: 'Create plan' }).click();
    await page.waitForURL(/\/plans\/[^/]+$/);
    expect(await page.locator('#trigger').innerText()).toBe(
      'After the Ofsted inspection (ILACS) of 5 January 2026, judged inadequate.',
    );
    await check(page, 'lead-01-new-plan');

    // A priority, on its own page; back on the plan it is listed, with a success banner.
    await page.getByRole('button', { name: 'Add a priority' }).click();
    await check(page, 'lead-02-add-priority');
    await page.getByRole('button', { name: 'Add priority' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('There is a problem');
    await page.getByLabel('Priority').fill('Quality of frontline practice');
    await page.getByRole('button', { name: 'Add priority' }).click();
    expect(await banner(page)).toContain('Priority added.');
    expect(await page.locator('table.ct-priority caption').first().innerText()).toContain('1. Quality of frontline practice');

    // A recommendation, on its own page.
    await page.getByRole('button', { name: 'Add a recommendation' }).click();
    await page.getByLabel('Recommendation', { exact: true }).fill('Ensure every assessment has an explicit analysis of risk');
    await page.getByRole('group', { name: 'Timescale' }).getByLabel('Within 3 months').check();
    await check(page, 'lead-03-add-recommendation');
    await page.getByRole('button', { name: 'Add recommendation' }).click();
    expect(await banner(page)).toContain('Recommendation added.');

    // Actions: the owner list offers only people who may update an action (never the inspector).
    const addAction = async (title: string, due: [string, string, string], recommendation: boolean) => {
      await page.getByRole('button', { name: 'Add an action' }).click();
      const owners = await page.getByLabel('Owner').locator('option').allInnerTexts();
      expect(owners).toContain('Lee Lead (improvement lead)');
      expect(owners.join('\n')).not.toContain('Ian Inspector');
      await page.getByLabel('Priority').selectOption({ label: 'Quality of frontline practice' });
      await page.getByLabel('Action', { exact: true }).fill(title);
      if (recommendation) await page.getByLabel('Ensure every assessment has an explicit analysis of risk').check();
      await page.getByLabel('Owner').selectOption({ label: 'Lee Lead (improvement lead)' });
      await page.getByLabel('North Assessment').check();
      await date(page.getByRole('group', { name: 'Start date' }), '6', '1', '2026');
      await date(page.getByRole('group', { name: 'Due date' }), ...due);
      await page.getByLabel('Success measure').fill('95% of audited assessments have a clear risk analysis');
      await page.getByRole('button', { name: 'Add action' }).click();
      expect(await banner(page)).toContain('Action added.');
    };
    await addAction('Managers check the risk analysis', ['12', '1', '2026'], true);
    await check(page, 'lead-04-action');

    // Progress, on its own page.
    await page.getByRole('button', { name: 'Report progress' }).click();
    await page.getByLabel('Progress', { exact: true }).fill('Risk analysis checked in 12 of 20 assessments');
    await page.getByRole('group', { name: 'Confidence' }).getByLabel('At risk').check();
    await check(page, 'lead-05-progress');
    await page.getByRole('button', { name: 'Report progress' }).click();
    expect(await banner(page)).toContain('Progress reported.');

    // Completion, four working days after the due date (Monday 12 to Friday 16 January).
    await page.getByRole('button', { name: 'Mark as complete' }).click();
    await page.getByLabel('Evidence that it is done').fill('Audit of 20 assessments: 19 with a clear risk analysis');
    await date(page.getByRole('group', { name: 'Date completed (optional)' }), '16', '1', '2026');
    await check(page, 'lead-06-complete');
    await page.getByRole('button', { name: 'Mark as complete' }).click();
    expect(await banner(page)).toContain('Action marked complete.');
    expect(await page.locator('#rag').innerText()).toContain('Completed 4 working days late');
    await page.getByRole('link', { name: 'Back to the plan' }).click();

    await addAction('Agree the audit tool with partners', ['31', '12', '2026'], false);
    await page.getByRole('link', { name: 'Back to the plan' }).click();

    // The plan as boards use it: both actions under their priority, the late completion in words,
    // and the recommendation with the action answering it.
    const priority = page.locator('table.ct-priority', { hasText: 'Quality of frontline practice' });
    expect(await priority.locator('caption').innerText()).toContain('2 actions');
    expect(await priority.locator('tr', { hasText: 'Managers check the risk analysis' }).innerText()).toContain(
      'Completed 4 working days late',
    );
    expect(await priority.locator('tr', { hasText: 'Agree the audit tool with partners' }).count()).toBe(1);
    const recommendations = page.locator('#recommendations ~ ol').first();
    expect(await recommendations.innerText()).toContain('Ensure every assessment has an explicit analysis of risk');
    expect(await recommendations.getByRole('link', { name: 'Managers check the risk analysis' }).count()).toBe(1);
    await check(page, 'lead-07-plan-grouped');
  });

  it('defines an indicator with a target, records values, changes the target, and sees it on the scorecard', async () => {
    const page = await signedInPerson(browser, people, base, 'lee', '/dashboard');
    await page.goto(`${base}/scorecard`);
    expect(await page.locator('main').innerText()).toContain('No indicators are defined yet');
    await page.getByRole('button', { name: 'Define an indicator' }).click();
    await page.getByRole('button', { name: 'Define indicator' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain("Enter the indicator's name");
    await check(page, 'lead-08-define-errors');
    await page.getByLabel('Name').fill('Contacts completed within 24 hours');
    await page.getByLabel('Code').fill('contacts-24h');
    await page.getByLabel('A percentage (0 to 100)').check();
    await page.getByLabel('Higher is better').check();
    await page.getByLabel('Target').fill('95');
    await page.getByLabel('Amber band (tolerance)').fill('5');
    await page.getByLabel('Monthly').check();
    await page.getByRole('button', { name: 'Define indicator' }).click();
    expect(await banner(page)).toContain('Indicator defined.');
    expect(await page.locator('.govuk-summary-list').innerText()).toContain('95%, amber up to 5 percentage points below it');

    for (const [period, value] of [
      ['2026-10', '88'],
      ['2026-11', '92'],
    ]) {
      await page.getByRole('button', { name: 'Record a measurement' }).click();
      await page.getByLabel('Period', { exact: true }).fill(period);
      await page.getByLabel('Value', { exact: true }).fill(value);
      await page.getByRole('button', { name: 'Record measurement' }).click();
      expect(await banner(page)).toContain('Measurement recorded.');
    }
    // The trend chart shows values on its axis: the lowest (88%) and the highest (the target, 95%).
    const axis = await page.locator('svg.ct-trend .ct-axis-value').allTextContents();
    expect(axis).toEqual(expect.arrayContaining(['88%', '95%']));
    await check(page, 'lead-09-indicator');

    await page.getByRole('button', { name: 'Change the target' }).click();
    await page.getByLabel('New target').fill('90');
    await page.getByLabel('Amber band (tolerance)').fill('3');
    await date(page.getByRole('group', { name: 'Applies from' }), '1', '11', '2026');
    await check(page, 'lead-10-change-target');
    await page.getByRole('button', { name: 'Set target' }).click();
    expect(await banner(page)).toContain('Target changed.');
    expect(await page.locator('.govuk-summary-list').innerText()).toContain('90%, amber up to 3 percentage points below it');

    await page.getByRole('link', { name: 'Back to the scorecard' }).click();
    const row = page.locator('table.ct-scorecard tr', { hasText: 'Contacts completed within 24 hours' });
    const text = await row.innerText();
    expect(text).toContain('92%');
    expect(text).toContain('90%');
    expect(text).toContain('amber up to 3 percentage points below it');
    expect(text).toContain('Green: on target');
    await check(page, 'lead-11-scorecard');
  });

  it('drafts the running quarter’s self-assessment from the record, edits it and records it with its sources', async () => {
    const page = await signedInPerson(browser, people, base, 'lee', '/dashboard');
    await page.goto(`${base}/self-assessments`);
    await page.getByRole('link', { name: 'Draft a self-assessment' }).click();
    await page.getByLabel('Service', { exact: true }).selectOption({ label: 'Assessment' });
    // The running quarter is the first choice, in words: "October to December 2026 (2026/27 Q3)".
    await page.getByLabel('Quarter', { exact: true }).selectOption({ index: 1 });
    const quarter = await page.getByLabel('Quarter', { exact: true }).locator('option:checked').innerText();
    expect(quarter).toMatch(/^[A-Z][a-z]+ to [A-Z][a-z]+ \d{4} \(\d{4}\/\d{2} Q[1-4]\)$/);
    await check(page, 'lead-12-draft-choose');
    await page.getByRole('button', { name: 'Draft the self-assessment' }).click();
    expect(await page.locator('h1').innerText()).toBe(`Assessment, ${quarter}`);
    // The scorecard's indicator is cited under "how we know it", as a link to its page.
    const howWeKnow = page.locator('#sources-howWeKnow');
    expect(await howWeKnow.getByRole('link').count()).toBeGreaterThan(0);
    // Each team's outstanding audit actions are a sentence of "what we will do next".
    expect(await page.getByLabel('What are we going to do next?').inputValue()).toContain('North Assessment:');
    await check(page, 'lead-13-draft');

    // Emptied, it is refused on the same page, the sources still listed; then edited and recorded.
    await page.getByLabel('What are we going to do next?').fill('');
    await page.getByRole('button', { name: 'Record this self-assessment' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter what we are going to do next');
    expect(await howWeKnow.getByRole('link').count()).toBeGreaterThan(0);
    await page.getByLabel('What are we going to do next?').fill('Agree the audit tool with partners by the end of the year.');
    await page.getByLabel('Score', { exact: true }).fill('6.5');
    await page.getByRole('button', { name: 'Record this self-assessment' }).click();
    expect(await banner(page)).toContain('Self-assessment recorded.');
    await page.getByText('Answers for assessment').click();
    const answers = page.locator('#self-assessments .govuk-details__text');
    expect(await answers.innerText()).toContain('Agree the audit tool with partners by the end of the year.');
    expect(await answers.getByRole('link').count()).toBeGreaterThan(0);
    await check(page, 'lead-14-recorded-with-sources');
  });
});
