/**
 * The dispute statistics, good-practice alerts, Cafcass and reopen forms, and the scorecard pages in
 * headless Chromium (SQLite): data seeded in-process, then every new page visited as the people who
 * use it. On each: what the user needs is there, and axe-core finds no serious or critical violation.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Role } from '../../src/shared/principal';
import type { TestApp } from '../support/test-app';
import { check as checkPage, launchBrowser, signedInPerson, servedApp } from './browser';
import { webUser } from '../support/web-http';

jest.setTimeout(180_000);

describe('dispute and scorecard pages in a real browser', () => {
  let app: TestApp;
  let drop: () => Promise<void>;
  let browser: Browser;
  let base: string;
  const people: BrowserContext[] = [];
  let iroToken = '';
  let disputeId = '';
  let resolvedId = '';

  const api = (token: string, url: string, body: object) => app.http.post(url).set('Authorization', `Bearer ${token}`).send(body);

  const user = async (role: Role, teamIds: string[], username: string, name: string): Promise<string> =>
    (await webUser(app, role, username, { teamIds, name })).token;

  const signedIn = (username: string): Promise<Page> => signedInPerson(browser, people, base, username);

  async function check(page: Page, name: string): Promise<void> {
    await checkPage(page, name);
    // A repeated id makes a label name the wrong element (a heading and a field once shared "target").
    const ids = await page.locator('[id]').evaluateAll((elements) => elements.map((e) => e.id));
    expect({ page: name, repeated: ids.filter((id, i) => ids.indexOf(id) !== i) }).toEqual({ page: name, repeated: [] });
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    ({ app, base, drop } = await servedApp());

    const admin = await app.userWithToken('admin');
    for (const [teamId, name] of [
      ['lac-1', 'Looked After Children 1'],
      ['mash', 'Front Door MASH'],
    ]) {
      await api(admin.token, '/api/v1/teams', { teamId, name, service: 'Children’s social care' }).expect(201);
    }
    iroToken = await user('iro', [], 'ira', 'Ira Reviewer');
    const leadToken = await user('improvement-lead', [], 'lee', 'Lee Lead');
    await user('team-manager', ['mash'], 'mia', 'Mia Manager');

    const dispute = {
      childRef: 'C-1001',
      teamId: 'lac-1',
      category: 'matching',
      summary: 'Long-term match has drifted for 14 months.',
      desiredOutcome: 'Matching assessment to panel before the next review.',
    };
    disputeId = (await api(iroToken, '/api/v1/disputes', { ...dispute, raisedOn: '2020-05-04' }).expect(201)).body.disputeId;
    resolvedId = (await api(iroToken, '/api/v1/disputes', { ...dispute, childRef: 'C-1002', raisedOn: '2020-05-05' }).expect(201))
      .body.disputeId;
    await api(iroToken, `/api/v1/disputes/${resolvedId}/resolution`, {
      outcome: 'resolved',
      note: 'Agreed at the review.',
      resolvedOn: '2020-05-07',
    }).expect(201);

    await api(leadToken, '/api/v1/indicators', {
      code: 'contacts-24h',
      name: 'Contacts completed within 24 hours',
      unit: 'percent',
      polarity: 'higher-is-better',
      target: 95,
      tolerance: 5,
      frequency: 'monthly',
    }).expect(201);
    for (const [period, value] of [
      ['2025-01', 80],
      ['2025-02', 88],
      ['2025-03', 97],
    ] as const) {
      await api(leadToken, '/api/v1/indicators/contacts-24h/measurements', { period, value }).expect(201);
    }
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    await browser?.close();
    await app?.close();
    await drop?.();
  });

  it('the IRO filters the list, refers to Cafcass, reopens, reads the statistics and records a good-practice alert', async () => {
    const page = await signedIn('ira');
    await page.goto(`${base}/disputes`);
    await page.getByLabel('Overdue', { exact: true }).selectOption({ label: 'Overdue' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.searchParams.get('overdue') === 'true');
    expect(await page.locator('table').innerText()).toContain('C-1001');
    expect(await page.locator('table').innerText()).not.toContain('C-1002');
    expect(await page.getByRole('link', { name: 'Download this list (CSV)' }).getAttribute('href')).toContain('overdue=true');
    await check(page, 'disputes-01-list-filtered');

    await page.goto(`${base}/disputes/${disputeId}`);
    // Each form is on its own page, reached by a button on the DR.
    await page.getByRole('button', { name: 'Refer to Cafcass' }).click();
    await page.getByRole('button', { name: 'Record referral to Cafcass' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter why you are referring it to Cafcass');
    await check(page, 'disputes-02-cafcass-error');
    await page.getByLabel('Why you are referring').fill('Drift is harming the child.');
    await page.getByRole('button', { name: 'Record referral to Cafcass' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Referral to Cafcass recorded.');
    expect(await page.locator('#history').innerText()).toMatch(/Referred to Cafcass\.\s+Drift is harming the child\./);
    await check(page, 'disputes-03-cafcass-referred');

    await page.goto(`${base}/disputes/${resolvedId}`);
    await page.getByRole('button', { name: 'Reopen', exact: true }).click();
    await page.getByLabel('Why it is reopened').fill('The panel date was cancelled.');
    await page.getByRole('button', { name: 'Reopen', exact: true }).click();
    expect(await page.locator('#history').innerText()).toMatch(/Reopened\.\s+The panel date was cancelled\./);
    await check(page, 'disputes-04-reopened');

    await page.goto(`${base}/disputes`);
    await page.getByRole('link', { name: 'Quarterly statistics' }).click();
    await page.getByLabel('Period').selectOption('2020/21');
    await page.getByRole('button', { name: 'Show statistics' }).click();
    const stats = await page.locator('#stats').innerText();
    expect(stats).toContain('2020/21 Q1');
    expect(stats).toMatch(/Raised informally\s+2\s+0\s+0\s+0\s+2/);
    expect(await page.getByRole('link', { name: 'Download these statistics (CSV)' }).getAttribute('href')).toBe(
      '/disputes/stats.csv?period=2020%2F21',
    );
    await check(page, 'disputes-05-statistics');

    await page.goto(`${base}/disputes/good-practice-alerts`);
    await page.getByRole('button', { name: 'Record alert' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Choose a team');
    await check(page, 'disputes-06-alert-errors');
    await page.getByLabel('Child reference').fill('C-2001');
    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Looked After Children 1' });
    await page.getByLabel('What was good').fill('Life-story work begun at the first review.');
    await page.getByRole('button', { name: 'Record alert' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Good-practice alert recorded.');
    expect(await page.locator('table').innerText()).toContain('Life-story work begun at the first review.');
    await check(page, 'disputes-07-alerts');
  });

  it('the improvement lead reads the scorecard, records and corrects a value and sets a target', async () => {
    const page = await signedIn('lee');
    await page.getByRole('link', { name: 'Scorecard', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/scorecard');
    const row = await page.locator('tbody tr').first().innerText();
    expect(row).toContain('97%');
    expect(row).toContain('Green: on target');
    expect(row).toContain('Improving');
    const trend = page.getByRole('img', { name: /Trend over the last 3 periods, rising/ });
    expect(await trend.count()).toBe(1);
    await check(page, 'scorecard-01-scorecard');

    await page.getByRole('link', { name: 'Contacts completed within 24 hours' }).click();
    expect(await page.locator('#history').innerText()).toMatch(/2025-02\s+88%/);
    expect(await page.getByRole('img', { name: 'Council-wide: values over time' }).count()).toBe(1);
    await check(page, 'scorecard-02-indicator');

    // Each form of the indicator is on its own page, reached by a button; a refusal stays on that page.
    await page.getByRole('button', { name: 'Record a measurement' }).click();
    await page.waitForURL((url) => url.pathname === '/scorecard/contacts-24h/measurements');
    await page.getByLabel('Period', { exact: true }).fill('2025-04');
    await page.getByLabel('Value', { exact: true }).fill('lots');
    await page.getByRole('button', { name: 'Record measurement' }).click();
    expect(await page.locator('#value-error').innerText()).toContain('Value must be a number');
    await check(page, 'scorecard-03-record-error');
    expect(await page.getByLabel('Period', { exact: true }).inputValue()).toBe('2025-04');
    await page.getByLabel('Value', { exact: true }).fill('91');
    await page.getByRole('button', { name: 'Record measurement' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Measurement recorded.');
    expect(await page.locator('#history').innerText()).toMatch(/2025-04\s+91%/);

    await page.getByRole('button', { name: 'Correct a measurement' }).click();
    await check(page, 'scorecard-03b-correct-form');
    await page.getByLabel('Period of the value to correct').fill('2025-04');
    await page.getByLabel('Corrected value').fill('92');
    await page.getByLabel('Reason for the correction').fill('Late recording of 12 contacts.');
    await page.getByRole('button', { name: 'Correct measurement' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Measurement corrected.');
    expect(await page.locator('#history').innerText()).toContain('91% corrected to 92% by Lee Lead');

    await page.getByRole('button', { name: 'Change the target' }).click();
    const targetForm = page.locator('form[action$="/target"]');
    await targetForm.getByLabel('New target').fill('90');
    await targetForm.getByLabel('Amber band (tolerance)').fill('3');
    // The "as at" form at the top posts to this address too: the date boxes of the form are its "Applies from".
    const appliesFrom = targetForm.getByRole('group', { name: 'Applies from' });
    await appliesFrom.getByLabel('Day').fill('1');
    await appliesFrom.getByLabel('Month').fill('4');
    await appliesFrom.getByLabel('Year').fill('2025');
    await page.getByRole('button', { name: 'Set target' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Target changed.');
    expect(await page.locator('.govuk-summary-list').innerText()).toContain('90%, amber up to 3 percentage points below it');
    expect(await page.locator('.govuk-summary-list').innerText()).toContain(
      'Green 90 or more; amber 87 to under 90; red under 87',
    );
    await check(page, 'scorecard-04-indicator-after');

    await page.getByRole('button', { name: 'Record a comparator' }).click();
    await page.getByLabel('Comparator').selectOption('england');
    await page.locator('#year').fill('2024/26'); // the "as at" form has a Year box too
    await page.getByLabel('Published value').fill('82.5');
    await page.getByRole('button', { name: 'Record comparator' }).click();
    expect(await page.locator('#year-error').innerText()).toContain('is not a financial year');
    expect(await page.getByLabel('Published value').inputValue()).toBe('82.5');
    await check(page, 'scorecard-04a-comparator-error');
    await page.locator('#year').fill('2024/25'); // the "as at" form has a Year box too
    await page.getByRole('button', { name: 'Record comparator' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Comparator recorded.');
    expect(await page.locator('#comparators').innerText()).toMatch(/England average\s+2024\/25\s+82.5%/);

    await page.getByRole('button', { name: "Set a team's own target" }).click();
    await page.getByLabel('Team', { exact: true }).selectOption('mash');
    await page.getByLabel('Team target').fill('85');
    await page.getByLabel('Tolerance').fill('5');
    const teamFrom = page.getByRole('group', { name: 'Applies from' });
    await teamFrom.getByLabel('Day').fill('1');
    await teamFrom.getByLabel('Month').fill('4');
    await teamFrom.getByLabel('Year').fill('2025');
    await check(page, 'scorecard-04c-team-target-form');
    await page.getByRole('button', { name: 'Set team target' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Team target set.');
    expect(await page.locator('#team-targets').innerText()).toMatch(/Front Door MASH\s+1 April 2025\s+85%/);

    await page.getByRole('button', { name: 'Change how the months add up' }).click();
    await page.getByRole('radio', { name: 'Sum of the months (a count)' }).check();
    await page.getByRole('button', { name: 'Change how it adds up' }).click();
    expect(await page.locator('#aggregation-error').innerText()).toContain('cannot simply be summed');
    await check(page, 'scorecard-04d-aggregation-error');
    await page.getByRole('link', { name: 'Cancel and go back to the indicator' }).click();
    await page.waitForURL((url) => url.pathname === '/scorecard/contacts-24h');
    await page.getByRole('link', { name: 'Back to the scorecard' }).click();
    expect(await page.locator('tbody tr').first().innerText()).toContain('England average 82.5% (2024/25)');
    await check(page, 'scorecard-04b-comparator');
  });

  it('a team manager sees the record form for their own team only, and no target form', async () => {
    const page = await signedIn('mia');
    await page.goto(`${base}/scorecard/contacts-24h`);
    await page.getByRole('button', { name: 'Record a measurement' }).click();
    const teams = await page.locator('#recordTeamId option').allInnerTexts();
    expect(teams).toEqual(['Choose a team', 'Front Door MASH']);
    expect(await page.getByRole('button', { name: 'Change the target' }).count()).toBe(0);
    await check(page, 'scorecard-05-team-manager');
    await page.goto(`${base}/scorecard/contacts-24h`);
    expect(await page.getByRole('button', { name: "Set a team's own target" }).count()).toBe(0);
  });
});
