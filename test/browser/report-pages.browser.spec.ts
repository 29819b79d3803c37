/**
 * The board report page over HTTP (choose, preview, download, close) and its print version in
 * Chromium: A4, a page per section, no table wider than the page (screenshot in docs/).
 */
import type { Browser } from 'playwright-core';
import { PROFILES, TestApp } from '../support/test-app';
import { launchBrowser, screenshot } from './browser';
import { signedIn, textOf, type Person } from '../support/web-http';

const Q1 = encodeURIComponent('2020/21 Q1');

describe.each(PROFILES.filter((p) => p.enabled).slice(0, 1))('board report pages ($name)', (profile) => {
  let app: TestApp;
  let drop: () => Promise<void>;
  let lead: Person, inspector: Person;
  let browser: Browser;
  const api = (token: string, url: string, body: object) => app.http.post(url).set('Authorization', `Bearer ${token}`).send(body);

  beforeAll(async () => {
    const created = await profile.create();
    drop = created.drop;
    app = await TestApp.start(created.env);
    const admin = await app.userWithToken('admin');
    await api(admin.token, '/api/v1/teams', { teamId: 'mash', name: 'Front Door MASH', service: 'Children in need' }).expect(201);
    lead = await signedIn(app, 'improvement-lead', [], 'lee', 'Lee Lead');
    inspector = await signedIn(app, 'inspector', [], 'ines', 'Ines Inspector');
    const iro = await app.userWithToken('iro', ['mash']);
    for (const [childRef, raisedOn] of [
      ['C-1001', '2020-04-06'],
      ['C-1002', '2020-05-04'],
    ]) {
      await api(iro.token, '/api/v1/disputes', {
        childRef,
        teamId: 'mash',
        category: 'care-plan',
        summary: 'Plan not reviewed.',
        desiredOutcome: 'Review.',
        raisedOn,
      }).expect(201);
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app.close();
    await drop();
  });

  it('previews a chosen quarter with its downloads; only an improvement lead sees the close button, and closing freezes it', async () => {
    expect(textOf((await inspector.get('/reports').expect(200)).text)).toContain('Quarterly board report');
    const preview = (await inspector.get(`/reports?quarter=${Q1}&teamId=mash`).expect(200)).text;
    expect(textOf(preview)).toContain('Quarterly board report: 2020/21 Q1, Front Door MASH');
    expect(preview).toContain('4. Dispute resolution');
    expect(preview).not.toContain('Close 2020/21 Q1');
    const docx = await inspector.get(`/reports/board.docx?quarter=${Q1}`).expect(200);
    expect(docx.headers['content-type']).toContain('wordprocessingml');
    const csv = await inspector.get(`/reports/board.csv?quarter=${Q1}&table=disputes-summary`).expect(200);
    expect(csv.text.split('\r\n')[1]).toBe('Raised informally,2,0,0');

    const forLead = (await lead.get(`/reports?quarter=${Q1}`).expect(200)).text;
    expect(forLead).toContain('Close 2020/21 Q1');
    await inspector.post('/reports/close', { quarter: '2020-21-q1' }).expect(403);
    await lead.post('/reports/close', { quarter: '2020-21-q1' }).expect(303);
    const closed = (await lead.get(`/reports?quarter=${Q1}&closed=1`).expect(200)).text;
    expect(textOf(closed)).toContain('Quarter closed.');
    expect(closed).not.toContain('Close 2020/21 Q1');
    expect(textOf(closed)).toMatch(/was closed on \d{1,2} [A-Z][a-z]+ \d{4}: this is the report as at its closing/);
  });

  it('prints on A4 with a page per section and no table wider than the page', async () => {
    const html = (await inspector.get(`/reports/board.html?quarter=${Q1}`).expect(200)).text;
    const page = await browser.newPage({ viewport: { width: 794, height: 1123 } }); // A4 at 96 dpi
    await page.setContent(html);
    await page.emulateMedia({ media: 'print' });
    const overflow = await page.evaluate<number>(
      '[...document.querySelectorAll("table")].filter((t) => t.scrollWidth > t.parentElement.clientWidth + 1).length',
    );
    expect(overflow).toBe(0);
    const breaks = await page.evaluate<string[]>(
      '[...document.querySelectorAll("section + section")].map((s) => getComputedStyle(s).breakBefore)',
    );
    expect(breaks).toEqual(['page', 'page', 'page', 'page']);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    // docs/board-report-print.png is a copy of this screenshot.
    await screenshot(page, 'board-report-print');
    await page.close();
  });
});
