/**
 * The import page over plain HTTP, on both profiles: upload, the dry run's preview (nothing
 * recorded), confirm; a file with a bad row shows that row and column and imports nothing.
 */
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { auditCsv, auditRows, auditXlsx, INDICATOR_HEADINGS, indicatorRows, tableCsv } from '../../support/import-fixtures';
import { PROFILES, TestApp } from '../../support/test-app';
import { signedIn, type Person } from '../../support/web-http';

describe.each(PROFILES.filter((p) => p.enabled))('import page over HTTP ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let qa: Person, lead: Person;
  const head = (): Promise<bigint> => t.app.get<EventStore>(EVENT_STORE).headPosition();
  const upload = (who: Person, body: Buffer, name: string, csrf = who.csrf) =>
    t.http.post('/imports/check').set('Cookie', who.cookie).field('_csrf', csrf).attach('file', body, name);

  beforeAll(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env);
    const admin = await t.userWithToken('admin');
    await t.userWithToken('qa-officer', [], 'Quinn Auditor'); // the files' Auditor column names her
    for (const teamId of ['cin-north', 'cp-east']) {
      await t.http
        .post('/api/v1/teams')
        .set('Authorization', `Bearer ${admin.token}`)
        .send({ teamId, name: `Team ${teamId}`, service: 'Children in need' })
        .expect(201);
    }
    qa = await signedIn(t, 'qa-officer', [], 'quinn');
    lead = await signedIn(t, 'improvement-lead', [], 'ivy');
  });
  afterAll(async () => {
    await t.close();
    await storage.drop();
  });

  it('a file with one bad row: the preview names the row and column, and there is nothing to confirm without choosing to skip it', async () => {
    const rows = auditRows(16);
    rows[2][4] = 'Gud';
    const before = await head();
    const preview = await upload(qa, Buffer.from(auditCsv(rows)), 'audits.csv').expect(200);
    expect(preview.text).toContain('Check before importing');
    expect(preview.text).toMatch(
      /<td class="govuk-table__cell">4<\/td><td class="govuk-table__cell">Voice of the child<\/td><td class="govuk-table__cell">&#39;Gud&#39; is not a grade/,
    );
    expect(preview.text).toContain('Import the 15 good rows and leave the others out');
    expect(await head()).toBe(before);
  });

  it('upload, preview (nothing recorded), confirm: 16 audits recorded; the same file again records nothing', async () => {
    const file = await auditXlsx(auditRows(16));
    const before = await head();
    const preview = await upload(qa, file, 'audits.xlsx').expect(200);
    expect(preview.text).toContain('Import 16 audits');
    expect(await head()).toBe(before);
    const sha256 = /name="sha256" value="([0-9a-f]{64})"/.exec(preview.text)![1];
    const done = await qa.post('/imports/confirm', { sha256, format: 'xlsx', name: 'audits.xlsx' }).expect(200);
    expect(done.text).toContain('16 audits recorded.');
    const after = await head();
    expect(after).toBeGreaterThan(before);

    const again = await upload(qa, file, 'audits.xlsx').expect(200);
    expect(again.text).toMatch(/Already recorded \(left as they are\)<\/dt><dd class="govuk-summary-list__value">16</);
    expect(again.text).not.toContain('id="import-confirm"');
    // A confirmation whose upload is gone (already used) records nothing.
    await qa.post('/imports/confirm', { sha256, format: 'xlsx' }).expect(400);
    expect(await head()).toBe(after);
  });

  it('the upload needs the CSRF token; each kind of file only for the roles of its API route', async () => {
    await upload(qa, Buffer.from(auditCsv(auditRows(1))), 'audits.csv', 'wrong').expect(403);
    const page = await lead.get('/imports').expect(200);
    expect(page.text).toMatch(/<title>Import records – Casetrail/);
    expect(page.text).toContain('value="indicators"');
    expect(page.text).not.toContain('value="audits"');
    await upload(lead, Buffer.from(auditCsv(auditRows(1))), 'audits.csv').expect(403);
    const qaPage = await qa.get('/imports').expect(200);
    expect(qaPage.text).toContain('value="audits"');
    expect(qaPage.text).not.toContain('value="indicators"');
  });

  it('indicator values: the lead chooses the kind, previews (nothing recorded) and confirms', async () => {
    const admin = await t.userWithToken('admin');
    await t.http
      .post('/api/v1/indicators')
      .set('Authorization', `Bearer ${admin.token}`)
      .send({
        code: 'contacts-24h',
        name: 'Contacts completed within 24 hours',
        unit: 'percent',
        polarity: 'higher-is-better',
        target: 95,
        tolerance: 5,
        frequency: 'monthly',
      })
      .expect(201);
    const before = await head();
    const preview = await t.http
      .post('/imports/check')
      .set('Cookie', lead.cookie)
      .field('_csrf', lead.csrf)
      .field('kind', 'indicators')
      .attach('file', Buffer.from(tableCsv(INDICATOR_HEADINGS, indicatorRows(3))), 'extract.csv')
      .expect(200);
    expect(preview.text).toContain('Import 3 indicator values');
    expect(await head()).toBe(before);
    const sha256 = /name="sha256" value="([0-9a-f]{64})"/.exec(preview.text)![1];
    const done = await lead
      .post('/imports/confirm', { sha256, format: 'csv', kind: 'indicators', name: 'extract.csv' })
      .expect(200);
    expect(done.text).toContain('3 indicator values recorded.');
    expect(await head()).toBeGreaterThan(before);
  });
});
