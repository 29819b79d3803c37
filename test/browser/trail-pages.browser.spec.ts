/**
 * Every trail page in headless Chromium (SQLite): the content an inspector needs, no serious
 * or critical axe-core violation, and a screenshot of each. Seeded in-process and through the API.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { newEvent } from '@casetrail/testing';
import type { Role } from '../../src/shared/principal';
import { IntegrityService } from '../../src/trail/integrity.service';
import type { TestApp } from '../support/test-app';
import { check, launchBrowser, signedInPerson, servedApp } from './browser';
import { webUser } from '../support/web-http';

jest.setTimeout(120_000);
/** Every part of this id starts with a digit, so a line may not break at its hyphens: the longest unbroken name a record can have. */
const UNBREAKABLE_STREAM = 'review-12345678-1234-4123-8123-123456789012';

describe('trail pages in a real browser', () => {
  let app: TestApp;
  let drop: () => Promise<void>;
  let browser: Browser;
  let base: string;
  let auditId = '';
  const people: BrowserContext[] = [];

  const withPassword = (role: Role, username: string, name: string, teamIds: string[] = []) =>
    webUser(app, role, username, { teamIds, name });

  const signIn = (username: string): Promise<Page> => signedInPerson(browser, people, base, username, '/dashboard');

  beforeAll(async () => {
    browser = await launchBrowser();
    ({ app, base, drop } = await servedApp());

    const admin = await app.userWithToken('admin', [], 'Ada Admin');
    const send = (token: string, method: 'post' | 'patch', path: string, body: object) =>
      app.http[method](path)
        .set('Authorization', `Bearer ${token}`)
        .send(body)
        .expect((r) => expect(r.status).toBeLessThan(300));
    await send(admin.token, 'post', '/api/v1/teams', {
      teamId: 'assessment-1',
      name: 'Assessment Team 1',
      service: 'Assessment',
    });
    await send(admin.token, 'patch', '/api/v1/teams/assessment-1', { name: 'Assessment and Intervention 1' });
    const qa = await withPassword('qa-officer', 'quinn', 'Quinn Auditor');
    await withPassword('team-manager', 'mia', 'Mia Manager', ['assessment-1']);
    await withPassword('inspector', 'ines', 'Ines Inspector');
    const started = await app.http
      .post('/api/v1/audits')
      .set('Authorization', `Bearer ${qa.token}`)
      .send({ caseRef: 'CASE-40213', teamId: 'assessment-1', auditedOn: new Date().toISOString().slice(0, 10) })
      .expect(201);
    auditId = started.body.auditId as string;
    await send(qa.token, 'post', `/api/v1/audits/${auditId}/grades`, {
      domain: 'voice-of-child',
      grade: 'requires-improvement',
      evidence: 'Wishes recorded once, not since the baby was born',
    });
    // A record whose name cannot wrap: it must stay inside its column (the trail table fits at 1,024 px).
    await app.app
      .get<EventStore>(EVENT_STORE)
      .appendToStream(UNBREAKABLE_STREAM, [newEvent('ReviewNoted', { note: 'A record with a long id' })]);
    await app.app.get(IntegrityService).makeCheckpoint('test-setup');
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    await browser?.close();
    await app?.close();
    await drop?.();
  });

  it('the inspector filters the trail, opens a record and reads its history with the state after each event', async () => {
    const page = await signIn('ines');
    await page.getByRole('link', { name: 'Trail', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/trail');
    const all = await page.locator('#events').innerText();
    // Names, not codes: a team by its name now, newest first.
    expect(all).toContain('Team Assessment and Intervention 1: renamed from "Assessment Team 1"');
    expect(all).not.toContain('Team assessment-1');
    expect(all).toContain('Team renamed');
    expect(all.replace(/\s/g, '')).toContain(UNBREAKABLE_STREAM.slice('review-'.length));
    await check(page, 'trail-01-events');

    await page.getByLabel('Kind of record').selectOption({ label: 'Audit' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const events = await page.locator('#events tbody').innerText();
    // An audit by its case reference, its events in words.
    expect(events).toContain('Audit of CASE-40213');
    expect(events).not.toContain(`Audit ${auditId}`);
    expect(events).toContain('Audit started');
    expect(events).not.toContain('CaseAuditStarted');
    expect(events).not.toContain('Assessment and Intervention 1: renamed');
    expect(await page.getByRole('link', { name: 'Download as CSV' }).getAttribute('href')).toMatch(
      /^\/trail\.csv\?streamPrefix=audit-(&|$)/,
    );

    await page.getByRole('link', { name: 'History of Audit of CASE-40213' }).first().click();
    await page.waitForURL((url) => url.pathname === `/trail/streams/audit-${auditId}`);
    expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toBe('Audit of CASE-40213');
    const history = await page.locator('#history').innerText();
    expect(history).toContain('State after this event');
    expect(history).toContain('Quinn Auditor (QA officer)');
    expect(history).toMatch(/Team id\s+assessment-1/);
    expect(history).toMatch(/Domain grades › Voice of child\s+requires-improvement\s+Changed/);
    await check(page, 'trail-02-history');
  });

  it('the inspector runs the integrity check, sees the export form and the access log', async () => {
    const page = await signIn('ines');
    // The access log lists this test's own read of the audit's history (no test relies on another's).
    await page.goto(`${base}/trail/streams/audit-${auditId}`);
    await page.getByRole('link', { name: 'Trail', exact: true }).click();
    await page.getByRole('link', { name: 'Integrity check' }).click();
    const result = await page.locator('#result').innerText();
    expect(result).toContain('Verified');
    expect(await page.locator('main').innerText()).toMatch(/Checkpoint root\s+[0-9a-f]{64}/);
    await check(page, 'trail-03-verified');

    await page.getByRole('link', { name: 'Export', exact: true }).click();
    expect(await page.locator('main').innerText()).toContain('trail:verify-export');
    await page.getByRole('group', { name: 'Format' }).getByLabel(/CSV/).check();
    await check(page, 'trail-04-export');

    await page.getByRole('link', { name: 'Access log', exact: true }).click();
    const entries = await page.locator('#entries').innerText();
    expect(entries).toContain('Ines Inspector (inspector)');
    expect(entries).toContain(`audit-${auditId}`);
    await check(page, 'trail-05-access-log');
  });

  it("a team manager reads their teams' trail, without the inspector's pages", async () => {
    const page = await signIn('mia');
    await page.getByRole('link', { name: 'Trail', exact: true }).click();
    expect(await page.locator('#events').innerText()).toContain('Audit of CASE-40213');
    // Every "History of" link offered answers her: none leads to "Page not found".
    const hrefs = await page
      .locator('#events a[href^="/trail/streams/"]')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of new Set(hrefs))
      expect({ href, status: (await page.request.get(`${base}${href}`)).status() }).toEqual({ href, status: 200 });
    expect(await page.getByRole('link', { name: 'Integrity check' }).count()).toBe(0);
    await check(page, 'trail-06-events-team-manager');
    const refused = await page.goto(`${base}/trail/verify`);
    expect(refused?.status()).toBe(403);
  });
});
