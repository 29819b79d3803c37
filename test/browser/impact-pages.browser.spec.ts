/**
 * The impact and programme comparison pages in headless Chromium (SQLite): data entered through the
 * API in-process, then each page visited as an improvement lead. On each: the figures are there,
 * axe-core finds no serious or critical violation, and the tables fit a small laptop's screen.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import type { TestApp } from '../support/test-app';
import { check, launchBrowser, signedInPerson, servedApp } from './browser';
import { webUser } from '../support/web-http';

jest.setTimeout(180_000);

describe('impact pages in a real browser', () => {
  let app: TestApp;
  let drop: () => Promise<void>;
  let browser: Browser;
  let base: string;
  const people: BrowserContext[] = [];
  let first: string[] = [];

  const api = (token: string, url: string, body: object) => app.http.post(url).set('Authorization', `Bearer ${token}`).send(body);

  beforeAll(async () => {
    browser = await launchBrowser();
    ({ app, base, drop } = await servedApp({}));
    const admin = await app.userWithToken('admin');
    const qa = await app.userWithToken('qa-officer', [], 'Quinn Auditor');
    const lead = await webUser(app, 'improvement-lead', 'lee', { name: 'Lee Lead' });
    await api(admin.token, '/api/v1/teams', { teamId: 'neglect-1', name: 'Neglect Team 1', service: 'Children in need' }).expect(
      201,
    );
    const audit = async (caseRef: string, programmeId: string, auditedOn: string, grade: string): Promise<string> => {
      const started = await api(qa.token, '/api/v1/audits', { caseRef, teamId: 'neglect-1', auditedOn, programmeId }).expect(201);
      const auditId = started.body.auditId as string;
      await api(qa.token, `/api/v1/audits/${auditId}/grades`, { domain: 'management-oversight', grade }).expect(200);
      await api(qa.token, `/api/v1/audits/${auditId}/grades`, { domain: 'planning', grade: 'good' }).expect(200);
      await api(qa.token, `/api/v1/audits/${auditId}/submit`, { overallGrade: grade, submittedOn: auditedOn }).expect(200);
      return auditId;
    };
    const programme = (programmeId: string, title: string, from: string, to: string, reAuditOf?: string) =>
      api(qa.token, '/api/v1/audit-programmes', {
        programmeId,
        title,
        kind: reAuditOf ? 're-audit' : 'deep-dive',
        from,
        to,
        teamIds: ['neglect-1'],
        ...(reAuditOf ? { reAuditOf } : {}),
      }).expect(201);
    await programme('dd', 'Neglect deep dive', '2026-04-01', '2026-04-30');
    first = [];
    for (const [caseRef, grade] of [
      ['N1', 'good'],
      ['N2', 'requires-improvement'],
      ['N3', 'requires-improvement'],
      ['N4', 'inadequate'],
    ])
      first.push(await audit(caseRef, 'dd', '2026-04-15', grade));
    await api(lead.token, '/api/v1/plans', {
      planId: 'sip',
      title: 'Improvement plan',
      trigger: { kind: 'self-assessment', date: '2026-04-01' },
    }).expect(201);
    await api(lead.token, '/api/v1/plans/sip/priorities', { priorityId: 'practice', title: 'Practice' }).expect(201);
    await api(lead.token, '/api/v1/indicators', {
      code: 'supervision',
      name: 'Case supervision in timescale',
      unit: 'percent',
      polarity: 'higher-is-better',
      target: 95,
      tolerance: 5,
      frequency: 'monthly',
    }).expect(201);
    await api(lead.token, '/api/v1/indicators/supervision/measurements', { period: '2026-04', value: 70 }).expect(201);
    await api(lead.token, '/api/v1/indicators/supervision/measurements', { period: '2026-08', value: 92 }).expect(201);
    await api(lead.token, '/api/v1/plans/sip/actions', {
      actionId: 'oversight',
      priorityId: 'practice',
      recommendationIds: [],
      title: 'Managers record oversight on every case',
      ownerId: lead.userId,
      teamIds: ['neglect-1'],
      startOn: '2026-05-01',
      dueOn: '2026-06-30',
      successMeasure: 'Oversight good',
      indicatorCode: 'supervision',
      finding: { auditId: first[3], domain: 'management-oversight' },
    }).expect(201);
    await api(lead.token, '/api/v1/actions/oversight/complete', { completedOn: '2026-06-30', evidence: 'Done' }).expect(200);
    await programme('re', 'Neglect re-audit', '2026-09-01', '2026-09-30', 'dd');
    for (const [caseRef, grade] of [
      ['N1', 'good'],
      ['N2', 'good'],
      ['N3', 'good'],
      ['N4', 'requires-improvement'],
    ])
      await audit(caseRef, 're', '2026-09-15', grade);
  });
  afterAll(async () => {
    for (const context of people) await context.close();
    await browser?.close();
    await app?.close();
    await drop?.();
  });

  it('the impact view and the comparison read as a lead would read them', async () => {
    const page = await signedInPerson(browser, people, base, 'lee');
    await page.goto(`${base}/impact?actionId=oversight&on=2026-09-30`);
    await page
      .getByText('before the action was completed on 30 June 2026, 1 of 4 good (25%); after, 3 of 4 good (75%)')
      .waitFor();
    await check(page, 'impact-view');

    await page.goto(`${base}/audits/programmes/re`);
    await page.getByRole('link', { name: 'Compare with the programme it re-audits' }).click();
    await page.getByText('N4').waitFor();
    await page.getByText('Management oversight: inadequate → requires improvement').waitFor();
    await check(page, 'programme-comparison');
  });

  it('the audit page and the action page link each other, and an action is raised from a finding with it filled in', async () => {
    const page = await signedInPerson(browser, people, base, 'lee');
    await page.goto(`${base}/audits/${first[3]}`);
    await page.getByRole('heading', { name: 'Improvement actions answering this audit' }).waitFor();
    await page.getByText('Audited again on:').waitFor();
    await check(page, 'audit-findings');
    await page.getByRole('link', { name: 'Managers record oversight on every case' }).click();
    await page.getByRole('heading', { name: 'What it answers' }).waitFor();
    await check(page, 'action-answers');
    await page.getByRole('link', { name: 'the audit of N4 of 15 April 2026' }).click();
    await page.getByRole('heading', { name: 'N4' }).waitFor();

    await page.goto(`${base}/audits/${first[1]}`);
    await page.getByRole('link', { name: 'Raise an improvement action for management oversight' }).click();
    await page.getByLabel('Improvement plan').selectOption({ label: 'Improvement plan' });
    await check(page, 'raise-from-finding');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page
      .getByText('This action answers the finding on Management oversight in the audit of N2 of 15 April 2026.')
      .waitFor();
    await check(page, 'action-form-with-finding');
  });
});
