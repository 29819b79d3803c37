/**
 * Every main page for every role, and printing, in headless Chromium on one seeded store (an
 * audit, a dispute, a plan with an action and an indicator with measurements):
 *
 * - each role signs in and visits every page its menu offers plus the records it reads (audit,
 *   dispute, plan, indicator, action) and its account pages; axe-core must find no serious or
 *   critical violation on any of them, and a screenshot of each is kept;
 * - each role visits the pages no menu leads to straight away (case lists, a programme's sample and
 *   its draw and check, the audit's finding forms, the impact view by priority, the self-assessment
 *   draft and the draft itself once posted, the indicator forms): 200 for the roles the policy
 *   (PAGE_POLICY) lets see them and the 403 page for the others, no serious or critical axe-core
 *   violation, tables that fit at 1,024 px; one screenshot of each, for the role that uses it;
 * - printed (print media), the plan, the audit, the dispute and the scorecard show no menu, no
 *   form and no button, their tables fit the width of A4, and a print-only footer gives the
 *   "as at" time and the trail head (the log's position and that event's hash); a small plan is
 *   at most two A4 pages as a PDF.
 *
 * `SCREENSHOTS_DIR=docs/screenshots` (scripts/screenshots.mjs) keeps the screenshots, and the
 * print previews of a plan and an audit, in the docs instead of test/browser/screenshots/out.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { PAGE_POLICY } from '../../src/auth/policy';
import type { Role } from '../../src/shared/principal';
import type { TestApp } from '../support/test-app';
import { webUser } from '../support/web-http';
import {
  launchBrowser,
  SCREENSHOTS,
  seriousAccessibilityProblems,
  signedInPerson,
  tablesThatDoNotFit,
  type AxeProblem,
  servedApp,
} from './browser';

jest.setTimeout(600_000);
const OUT = process.env.SCREENSHOTS_DIR ? resolve(process.env.SCREENSHOTS_DIR) : join(SCREENSHOTS, 'every-page');
/** The printable width of A4 with the stylesheet's margins (210 mm - 2 x 12 mm) in CSS pixels (96 per inch). */
const A4_PRINTABLE_PX = Math.floor(((210 - 24) / 25.4) * 96);
/** What a small plan may take on paper. */
const MAX_PLAN_PAGES = 2;

const PEOPLE: { role: Role; username: string; name: string; teamIds: string[] }[] = [
  { role: 'admin', username: 'ada', name: 'Ada Admin', teamIds: [] },
  { role: 'qa-officer', username: 'quinn', name: 'Quinn Auditor', teamIds: [] },
  { role: 'iro', username: 'ira', name: 'Ira Reviewer', teamIds: [] },
  { role: 'team-manager', username: 'mia', name: 'Mia Manager', teamIds: ['north'] },
  { role: 'improvement-lead', username: 'lee', name: 'Lee Lead', teamIds: [] },
  { role: 'inspector', username: 'ina', name: 'Ina Inspector', teamIds: [] },
];

/** Pages every role is offered (by its menu) or reads (records, account): path -> a short name for the screenshot. */
const slug = (path: string): string =>
  path
    .replace(/^\//, '')
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/-$/, '') || 'home';

/** The audit programme whose sample the pages show. */
const PROGRAMME = 'monthly-november';
/**
 * Pages no menu leads to straight away, by their policy route (its roles say who gets 200 rather than
 * the 403 page), and the role whose screenshot of each is kept.
 */
const FORM_AND_VIEW_PAGES: {
  route: string;
  path: (ids: Record<string, string>) => string;
  shotFor: Role;
  /** The screenshot's name after the role, when not the path's. */
  name?: string;
}[] = [
  { route: 'GET /case-lists', path: () => '/case-lists', shotFor: 'qa-officer' },
  { route: 'GET /case-lists/:id', path: (ids) => `/case-lists/${ids.caseList}`, shotFor: 'qa-officer' },
  { route: 'GET /audits/programmes/:id/sample', path: () => `/audits/programmes/${PROGRAMME}/sample`, shotFor: 'qa-officer' },
  {
    route: 'GET /audits/programmes/:id/sample/new',
    path: () => `/audits/programmes/${PROGRAMME}/sample/new`,
    shotFor: 'qa-officer',
  },
  {
    route: 'GET /audits/programmes/:id/sample/verify',
    path: () => `/audits/programmes/${PROGRAMME}/sample/verify`,
    shotFor: 'qa-officer',
  },
  {
    route: 'GET /audits/:id/findings/raise',
    path: (ids) => `/audits/${ids.finding}/findings/raise?domain=planning`,
    shotFor: 'qa-officer',
  },
  {
    route: 'GET /audits/:id/findings/link',
    path: (ids) => `/audits/${ids.finding}/findings/link?domain=planning`,
    shotFor: 'qa-officer',
  },
  {
    route: 'GET /impact',
    path: () => '/impact?planId=sip&priorityId=practice',
    shotFor: 'improvement-lead',
    name: 'impact-by-priority',
  },
  { route: 'GET /self-assessments/draft', path: () => '/self-assessments/draft', shotFor: 'improvement-lead' },
  { route: 'GET /scorecard/indicators/new', path: () => '/scorecard/indicators/new', shotFor: 'improvement-lead' },
  ...(['target', 'measurements', 'corrections', 'team-targets', 'comparators', 'aggregation'] as const).map((form) => ({
    route: `GET /scorecard/:code/${form}`,
    path: () => `/scorecard/contacts-24h/${form}`,
    shotFor: 'improvement-lead' as Role,
  })),
];
/** The roles the policy lets see a page (those signed in with another role get the 403 page). */
const rolesOf = (route: string): readonly Role[] => {
  const rule = PAGE_POLICY[route];
  if (!rule) throw new Error(`${route} is not in the policy (src/auth/policy.ts)`);
  return 'roles' in rule ? rule.roles : [];
};

/** PDF pages: each page object is "/Type /Page" (the page tree is "/Type /Pages"). */
const pdfPageCount = (pdf: Buffer): number => (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;

describe('every main page for every role, and printing, in a real browser', () => {
  let app: TestApp;
  let drop: () => Promise<void>;
  let browser: Browser;
  let base: string;
  const people: BrowserContext[] = [];
  const ids = { audit: '', dispute: '', action: 'risk', caseList: '', finding: '' };
  const tokens: Record<string, string> = {};
  const shots: { file: string; role: string; path: string; title: string }[] = [];

  const api = (username: string, path: string, body: object) =>
    app.http.post(path).set('Authorization', `Bearer ${tokens[username]}`).send(body);
  const store = (): EventStore => app.app.get<EventStore>(EVENT_STORE);

  async function eventAt(position: bigint): Promise<{ hash: string; recordedAt: string }> {
    for await (const e of store().readAll({ fromPosition: position, direction: 'backwards', maxCount: 1, upcast: false })) {
      return { hash: e.metadata.hash, recordedAt: e.metadata.recordedAt };
    }
    throw new Error(`no event at ${position}`);
  }

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    browser = await launchBrowser();
    ({ app, base, drop } = await servedApp());

    // The administrator first: the team manager's team must exist before they are registered.
    for (const p of PEOPLE) {
      tokens[p.username] = (await webUser(app, p.role, p.username, p)).token;
      if (p.role === 'admin') {
        await api('ada', '/api/v1/teams', { teamId: 'north', name: 'North Assessment', service: 'Assessment' }).expect(201);
      }
    }

    const audit = await api('quinn', '/api/v1/audits', { caseRef: 'CASE-1001', teamId: 'north', auditedOn: '2026-11-02' }).expect(
      201,
    );
    ids.audit = audit.body.auditId as string;
    await api('quinn', `/api/v1/audits/${ids.audit}/grades`, {
      domain: 'planning',
      grade: 'good',
      evidence: 'The plan is specific and reviewed on time.',
    }).expect(200);
    await api('quinn', `/api/v1/audits/${ids.audit}/submit`, { overallGrade: 'good', submittedOn: '2026-11-04' }).expect(200);

    const dispute = await api('ira', '/api/v1/disputes', {
      childRef: 'C-1001',
      teamId: 'north',
      category: 'matching',
      summary: 'The long-term match has drifted for 14 months.',
      desiredOutcome: 'A matching assessment to panel before the next review.',
      raisedOn: '2026-11-09',
    }).expect(201);
    ids.dispute = dispute.body.disputeId as string;

    await api('lee', '/api/v1/plans', {
      planId: 'sip',
      title: 'Safeguarding plan',
      trigger: { kind: 'ofsted-inspection', date: '2026-01-05' },
    }).expect(201);
    await api('lee', '/api/v1/plans/sip/priorities', { priorityId: 'practice', title: 'Frontline practice' }).expect(201);
    await api('lee', '/api/v1/plans/sip/recommendations', {
      recommendationId: 'rec-1',
      text: 'Ensure every assessment has an explicit analysis of risk',
      timescale: 'within-3-months',
    }).expect(201);
    const mia = (await app.http.get('/api/v1/users').set('Authorization', `Bearer ${tokens.ada}`).expect(200)).body.find(
      (u: { name: string }) => u.name === 'Mia Manager',
    ) as { userId: string };
    await api('lee', '/api/v1/plans/sip/actions', {
      actionId: ids.action,
      priorityId: 'practice',
      recommendationIds: ['rec-1'],
      title: 'Managers check the risk analysis',
      ownerId: mia.userId,
      teamIds: ['north'],
      startOn: '2026-01-12',
      dueOn: '2026-12-31',
      successMeasure: '95% of audited assessments have a clear risk analysis',
    }).expect(201);

    await api('lee', '/api/v1/indicators', {
      code: 'contacts-24h',
      name: 'Contacts completed within 24 hours',
      unit: 'percent',
      polarity: 'higher-is-better',
      target: 95,
      tolerance: 5,
      frequency: 'monthly',
    }).expect(201);
    for (const [period, value] of [
      ['2026-08', 80],
      ['2026-09', 88],
      ['2026-10', 97],
    ] as const) {
      await api('lee', '/api/v1/indicators/contacts-24h/measurements', { period, value }).expect(201);
    }

    // A programme, a case list of North's open cases and the programme's sample drawn from it. CASE-1001,
    // audited this month, is left out of the sample with its reason.
    await api('quinn', '/api/v1/audit-programmes', {
      programmeId: PROGRAMME,
      title: 'Monthly audit, November',
      kind: 'monthly',
      from: '2026-11-01',
      to: '2026-11-30',
      teamIds: ['north'],
    }).expect(201);
    const caseList = await app.http
      .post('/api/v1/case-lists?fileName=open-cases-november.csv')
      .set('Authorization', `Bearer ${tokens.quinn}`)
      .set('Content-Type', 'text/csv')
      .send(
        [
          'Case reference,Team,Category,Worker id,Open since',
          ...Array.from({ length: 12 }, (_, i) => `CASE-${1001 + i},north,${i % 3 === 0 ? 'CP' : 'CIN'},w${i % 4},15/01/2026`),
        ].join('\n'),
      )
      .expect(201);
    ids.caseList = caseList.body.caseListId as string;
    await api('quinn', '/api/v1/samples', {
      programmeId: PROGRAMME,
      caseListId: ids.caseList,
      perTeam: 4,
      excludeAuditedWithinMonths: 12,
      seed: 'november',
    }).expect(201);

    // The first sampled case audited: planning requires improvement, a finding the existing action is linked to.
    const sample = await app.http.get(`/api/v1/samples/${PROGRAMME}`).set('Authorization', `Bearer ${tokens.quinn}`).expect(200);
    const [sampled] = sample.body.chosen as { caseRef: string; teamId: string }[];
    const finding = await api('quinn', '/api/v1/audits', {
      caseRef: sampled.caseRef,
      teamId: sampled.teamId,
      auditedOn: '2026-11-16',
      programmeId: PROGRAMME,
    }).expect(201);
    ids.finding = finding.body.auditId as string;
    await api('quinn', `/api/v1/audits/${ids.finding}/grades`, {
      domain: 'planning',
      grade: 'requires-improvement',
      evidence: 'The plan has no timescales and is not reviewed.',
    }).expect(200);
    await api('quinn', `/api/v1/audits/${ids.finding}/submit`, {
      overallGrade: 'requires-improvement',
      submittedOn: '2026-11-18',
    }).expect(200);
    await api('quinn', `/api/v1/actions/${ids.action}/findings`, { auditId: ids.finding, domain: 'planning' }).expect(201);
  });

  afterAll(async () => {
    // What scripts/screenshots.mjs lists in docs/screenshots.md.
    writeFileSync(join(OUT, 'index.json'), `${JSON.stringify(shots, null, 2)}\n`);
    for (const person of people) await person.close();
    await browser?.close();
    await app?.close();
    await drop?.();
  });

  /** A path with its record ids as words, for a screenshot's name. */
  const recordless = (path: string): string =>
    path
      .replace(ids.audit, 'record')
      .replace(ids.dispute, 'record')
      .replace(ids.finding, 'finding')
      .replace(ids.caseList, 'record');

  const signedIn = (username: string): Promise<Page> => signedInPerson(browser, people, base, username, '/dashboard');

  const records = (): string[] => [
    `/audits/${ids.audit}`,
    `/disputes/${ids.dispute}`,
    '/plans/sip',
    `/actions/${ids.action}`,
    '/scorecard/contacts-24h',
    '/account/tokens',
    '/account/password',
  ];

  it.each(PEOPLE.map((p) => [p.role, p.username] as const))(
    'as %s: every page of the menu and every record it reads has no serious or critical accessibility problem',
    async (role, username) => {
      const page = await signedIn(username);
      const menu = await page
        .locator('.govuk-service-navigation a.govuk-service-navigation__link')
        .evaluateAll((links) => links.map((a) => new URL((a as unknown as { href: string }).href).pathname));
      expect(menu).toContain('/dashboard');
      const visited: { path: string; status: number }[] = [];
      const problems: { path: string; problems: AxeProblem[] }[] = [];
      // "/" (the service name's link) only sends on to the dashboard.
      for (const path of [...new Set([...menu, ...records()])].filter((p) => p !== '/')) {
        const response = await page.goto(`${base}${path}`);
        const status = response?.status() ?? 0;
        visited.push({ path, status });
        // A record this role may not read is a 403 page: checked too, but not a main page to show.
        if (status === 200) {
          const file = `${role}-${slug(recordless(path))}.png`;
          await page.screenshot({ path: join(OUT, file) });
          shots.push({ file, role, path, title: (await page.title()).split(' – ')[0] });
        }
        const found = await seriousAccessibilityProblems(page);
        if (found.length) problems.push({ path, problems: found });
      }
      // Nothing but a refusal (never a failure or a missing page), and every menu page answered.
      expect(visited.filter((v) => ![200, 403].includes(v.status))).toEqual([]);
      expect(visited.filter((v) => menu.includes(v.path) && v.status !== 200)).toEqual([]);
      expect(problems).toEqual([]);
    },
  );

  it.each(PEOPLE.map((p) => [p.role, p.username] as const))(
    'as %s: case lists, the sample, the finding forms, the impact by priority, the self-assessment draft and the indicator forms answer as the policy says, with no serious or critical accessibility problem',
    async (role, username) => {
      const page = await signedIn(username);
      const answered: { route: string; status: number }[] = [];
      const expected: { route: string; status: number }[] = [];
      const problems: { path: string; problems: AxeProblem[] | string[] }[] = [];
      // In full: what these pages are for (the sample's cases, the draft's sources) is below the first 900 px.
      const keep = async (path: string, status: number, shotFor: Role, name = slug(recordless(path.split('?')[0]))) => {
        if (status !== 200 || role !== shotFor) return;
        const file = `${role}-${name}.png`;
        await page.screenshot({ path: join(OUT, file), fullPage: true });
        shots.push({ file, role, path, title: (await page.title()).split(' – ')[0] });
      };
      const inspect = async (path: string): Promise<void> => {
        const found = await seriousAccessibilityProblems(page);
        if (found.length) problems.push({ path, problems: found });
        const wide = await tablesThatDoNotFit(page);
        if (wide.length) problems.push({ path, problems: wide });
      };
      for (const { route, path: pathOf, shotFor, name } of FORM_AND_VIEW_PAGES) {
        const path = pathOf(ids);
        const response = await page.goto(`${base}${path}`);
        const status = response?.status() ?? 0;
        answered.push({ route, status });
        expected.push({ route, status: rolesOf(route).includes(role) ? 200 : 403 });
        await keep(path, status, shotFor, name);
        await inspect(path);
      }
      expect(answered).toEqual(expected);

      // The draft itself: North's service and the quarter running now, posted from the form.
      if (rolesOf('POST /self-assessments/draft').includes(role)) {
        await page.goto(`${base}/self-assessments/draft`);
        await page.locator('#service').selectOption({ label: 'Assessment' });
        await page.locator('#period').selectOption({ index: 1 });
        await page.getByRole('button', { name: 'Draft the self-assessment' }).click();
        await page.waitForURL((url) => url.pathname === '/self-assessments/draft');
        expect(await page.title()).toMatch(/^Self-assessment draft: Assessment, /);
        // Each sentence cites where it comes from: the audits, the dispute, the plan and the indicator recorded above.
        expect(await page.locator('main [id^="sources-"] li a').count()).toBeGreaterThan(0);
        await keep('/self-assessments/draft', 200, 'improvement-lead', 'self-assessments-draft-drafted');
        await inspect('/self-assessments/draft (drafted)');
      }
      expect(problems).toEqual([]);
    },
  );

  it('prints the plan, the audit, the dispute and the scorecard without the menu, forms or buttons, with the as-at time and the trail head', async () => {
    const page = await signedIn('ina');
    for (const path of ['/plans/sip', `/audits/${ids.audit}`, `/disputes/${ids.dispute}`, '/scorecard']) {
      await page.emulateMedia({ media: 'screen' });
      const before = await store().headPosition();
      await page.goto(`${base}${path}`);
      const after = await store().headPosition();
      // On screen: the menu and the forms are there, the print footer is not.
      expect(await page.locator('.govuk-service-navigation').isVisible()).toBe(true);
      expect(await page.locator('#print-footer').isVisible()).toBe(false);

      await page.emulateMedia({ media: 'print' });
      const shown = async (selector: string): Promise<number> =>
        page.locator(selector).evaluateAll((all) => all.filter((e) => e.getClientRects().length > 0).length);
      expect({ path, menu: await shown('.govuk-service-navigation, .ct-header, .govuk-footer') }).toEqual({ path, menu: 0 });
      expect({ path, forms: await shown('main form, button, .govuk-button, input, select, textarea') }).toEqual({
        path,
        forms: 0,
      });
      const footer = await page.locator('#print-footer').innerText();
      expect(footer).toMatch(/As at \d{1,2} [A-Z][a-z]+ \d{4} at \d\d:\d\d \(UK time\)/);
      // The head when the page was made (reading a record may itself be recorded, so between before and after).
      const position = BigInt(await page.locator('#print-footer [data-print="position"]').innerText());
      expect(position >= before && position <= after).toBe(true);
      expect(await page.locator('#print-footer [data-print="hash"]').innerText()).toBe((await eventAt(position)).hash);
      // No link address printed after a link (GOV.UK Frontend's print rule adds them).
      const addresses = await page
        .locator('main a[href]')
        .evaluateAll(
          (links) =>
            links.filter((a) =>
              (globalThis as unknown as { getComputedStyle(e: unknown, p: string): { content: string } })
                .getComputedStyle(a, '::after')
                .content.includes('/'),
            ).length,
        );
      expect({ path, addresses }).toEqual({ path, addresses: 0 });
      expect({ path, tables: await tablesThatDoNotFit(page, A4_PRINTABLE_PX) }).toEqual({ path, tables: [] });
      if (path === '/plans/sip' || path.startsWith('/audits/')) {
        const file = `print-${path.startsWith('/plans') ? 'plan' : 'audit'}.png`;
        // As on paper: the width of A4 (794 px at 96 per inch), the whole document.
        await page.setViewportSize({ width: 794, height: 1123 });
        await page.screenshot({ path: join(OUT, file), fullPage: true });
        await page.setViewportSize({ width: 1280, height: 900 });
        shots.push({ file, role: 'print', path, title: `${(await page.title()).split(' – ')[0]} (print preview)` });
      }
    }

    // A small plan fits on two sides of A4 (Chromium prints with the print stylesheet).
    await page.goto(`${base}/plans/sip`);
    const pages = pdfPageCount(await page.pdf({ format: 'A4' }));
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(MAX_PLAN_PAGES);
  });

  it('printed as at an earlier time, the footer names that time and the trail head then, not now', async () => {
    const earlier = await store().headPosition();
    const then = await eventAt(earlier);
    // What is recorded next must be later than that instant, to the millisecond the as-at time is given in.
    while (Date.now() <= Date.parse(then.recordedAt)) await new Promise((r) => setImmediate(r));
    await api('lee', '/api/v1/indicators/contacts-24h/measurements', { period: '2026-11', value: 99 }).expect(201);
    expect(await store().headPosition()).toBeGreaterThan(earlier);

    const page = await signedIn('lee');
    await page.emulateMedia({ media: 'print' });
    await page.goto(`${base}/scorecard?asAt=${encodeURIComponent(then.recordedAt)}`);
    expect(await page.locator('#print-footer').innerText()).toContain('As it was at');
    expect(await page.locator('#print-footer [data-print="position"]').innerText()).toBe(earlier.toString());
    expect(await page.locator('#print-footer [data-print="hash"]').innerText()).toBe(then.hash);
  });
});
