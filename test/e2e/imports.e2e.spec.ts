import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { XLSX_CONTENT_TYPE } from '../../src/imports/table-reader';
import { auditCsv, auditRows, auditXlsx } from '../support/import-fixtures';
import { PROFILES, TestApp } from '../support/test-app';

type User = { userId: string; token: string };

describe.each(PROFILES.filter((p) => p.enabled))('historic audit imports over HTTP ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let admin: User, qa: User, lead: User, manager: User;

  const head = (): Promise<bigint> => t.app.get<EventStore>(EVENT_STORE).headPosition();
  const upload = (user: User, body: string | Buffer, type: string, query = '') =>
    t.http
      .post(`/api/v1/imports/audits${query}`)
      .set('Authorization', `Bearer ${user.token}`)
      .set('Content-Type', type)
      .send(body);
  const ratings = async () =>
    (await t.http.get('/api/v1/ratings?from=2020-04-01&to=2020-12-31').set('Authorization', `Bearer ${admin.token}`).expect(200))
      .body;

  beforeEach(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env);
    admin = await t.userWithToken('admin');
    qa = await t.userWithToken('qa-officer', [], 'Quinn Auditor');
    lead = await t.userWithToken('improvement-lead');
    for (const teamId of ['cin-north', 'cp-east']) {
      await t.http
        .post('/api/v1/teams')
        .set('Authorization', `Bearer ${admin.token}`)
        .send({ teamId, name: `Team ${teamId}`, service: 'Children in need' })
        .expect(201);
    }
    manager = await t.userWithToken('team-manager', ['cin-north']);
  });
  afterEach(async () => {
    await t.close();
    await storage.drop();
  });

  it('16 historic audits from CSV are recorded as submitted audits with their grades, dates, actor and file', async () => {
    const csv = auditCsv(auditRows(16));
    const report = await upload(qa, csv, 'text/csv').expect(200);
    expect(report.body).toMatchObject({ rows: 16, imported: 16, skipped: 0, errors: [], dryRun: false });
    const byTeam = (await ratings()).teams as { teamId: string; audits: number }[];
    expect(byTeam.map((r) => [r.teamId, r.audits]).sort()).toEqual([
      ['cin-north', 8],
      ['cp-east', 8],
    ]);
    // One audit in detail: the row's business dates, the importer as actor, the file hash and row in the command id.
    const list = (await t.http.get('/api/v1/audits').set('Authorization', `Bearer ${admin.token}`).expect(200)).body as {
      auditId: string;
      caseRef: string;
    }[];
    const first = list.find((a) => a.caseRef === 'CASE-1001')!;
    const audit = (await t.http.get(`/api/v1/audits/${first.auditId}`).set('Authorization', `Bearer ${admin.token}`).expect(200))
      .body;
    expect(audit).toMatchObject({
      teamId: 'cp-east',
      auditedOn: '2020-04-02',
      submittedOn: '2020-04-02',
      status: 'submitted',
      overallGrade: 'good',
      auditorId: qa.userId,
    });
    expect(audit.grades['voice-of-child'].grade).toBe('good');
    expect(audit.grades.planning).toBeUndefined();
    const events = [];
    for await (const e of t.app.get<EventStore>(EVENT_STORE).readStream(`audit-${first.auditId}`)) events.push(e);
    expect(events.map((e) => e.type)).toEqual(['CaseAuditStarted', 'DomainGraded', 'DomainGraded', 'AuditSubmitted']);
    expect(events[0].metadata).toMatchObject({
      actorId: qa.userId,
      actorRole: 'qa-officer',
      commandId: `import:${report.body.sha256}:3`,
      occurredAt: '2020-04-02T12:00:00.000Z',
    });
  });

  it('the same audits as XLSX (date cells) match what the CSV recorded: nothing new, nothing in conflict', async () => {
    const rows = auditRows(16);
    await upload(qa, auditCsv(rows), 'text/csv').expect(200);
    const before = await head();
    const fromCsv = await ratings();
    const report = await upload(qa, await auditXlsx(rows), XLSX_CONTENT_TYPE).expect(200);
    expect(report.body).toMatchObject({ rows: 16, imported: 0, alreadyRecorded: 16, errors: [] });
    expect(await head()).toBe(before);
    expect(await ratings()).toEqual(fromCsv);
  });

  it('the XLSX on its own imports to the same ratings as the CSV on its own', async () => {
    const rows = auditRows(16);
    await upload(qa, await auditXlsx(rows), XLSX_CONTENT_TYPE).expect(200);
    const fromXlsx = await ratings();
    // A fresh store for the CSV.
    await t.close();
    await storage.drop();
    storage = await profile.create();
    t = await TestApp.start(storage.env);
    admin = await t.userWithToken('admin');
    qa = await t.userWithToken('qa-officer', [], 'Quinn Auditor');
    for (const teamId of ['cin-north', 'cp-east']) {
      await t.http
        .post('/api/v1/teams')
        .set('Authorization', `Bearer ${admin.token}`)
        .send({ teamId, name: `Team ${teamId}`, service: 'Children in need' })
        .expect(201);
    }
    await upload(qa, auditCsv(rows, undefined, ';'), 'text/csv').expect(200);
    expect(await ratings()).toEqual(fromXlsx);
    expect(fromXlsx.allTeams).toMatchObject({
      audits: 16,
      overall: {
        outstanding: { count: 4 },
        good: { count: 4 },
        requiresImprovement: { count: 4 },
        inadequate: { count: 4 },
      },
    });
  });

  it('a file with one bad row imports nothing and names that row and column', async () => {
    const rows = auditRows(16);
    rows[11][5] = 'Gud'; // management-oversight of row 13 (row 1 is the headings)
    const before = await head();
    const report = await upload(qa, auditCsv(rows), 'text/csv').expect(200);
    expect(report.body).toMatchObject({ rows: 16, imported: 0, skipped: 16, valid: 15 });
    expect(report.body.errors).toEqual([
      {
        row: 13,
        column: 'management-oversight',
        message:
          "'Gud' is not a grade; use Outstanding, Good, Requires improvement or Inadequate (or N/A where the domain does not apply)",
      },
    ]);
    expect(await head()).toBe(before);

    const csvReport = await upload(qa, auditCsv(rows), 'text/csv', '?dryRun=true&report=csv').expect(200);
    expect(csvReport.headers['content-type']).toMatch(/text\/csv/);
    expect(csvReport.text).toContain('13,"management-oversight","\'Gud\' is not a grade');

    const skipping = await upload(qa, auditCsv(rows), 'text/csv', '?skipInvalid=true').expect(200);
    expect(skipping.body).toMatchObject({ rows: 16, imported: 15, skipped: 1 });
  });

  it('a dry run checks every row against the rules and appends nothing', async () => {
    const rows = auditRows(4);
    rows[1][1] = 'no-such-team';
    rows[2][2] = '31/02/2020';
    rows[3][7] = 'Outstanding'; // domains inadequate, overall outstanding: the decider's rule
    const before = await head();
    const report = await upload(qa, auditCsv(rows), 'text/csv', '?dryRun=true').expect(200);
    expect(report.body).toMatchObject({ rows: 4, imported: 0, valid: 1, dryRun: true });
    expect(report.body.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [3, 'Team'],
      [4, 'Audit date'],
      [5, 'Overall grade'],
    ]);
    expect(await head()).toBe(before);
  });

  it('a second import of the same file appends nothing; a file that contradicts the record is reported, never applied', async () => {
    const rows = auditRows(16);
    await upload(qa, auditCsv(rows), 'text/csv').expect(200);
    const before = await head();
    const again = await upload(qa, auditCsv(rows), 'text/csv').expect(200);
    expect(again.body).toMatchObject({ rows: 16, imported: 0, alreadyRecorded: 16, skipped: 16, errors: [] });
    expect(await head()).toBe(before);

    rows[0][7] = 'Good';
    rows[0][4] = 'Good';
    rows[0][5] = 'Good';
    const changed = await upload(qa, auditCsv(rows), 'text/csv', '?skipInvalid=true').expect(200);
    expect(changed.body.errors).toEqual([
      {
        row: 2,
        column: 'Overall grade',
        message:
          'an audit of CASE-1000 in cin-north on 2020-04-01 is already recorded as Outstanding, not Good; it is left unchanged (correct it on the audit, with a reason)',
      },
    ]);
    expect(changed.body.imported).toBe(0);
    expect(await head()).toBe(before);
  });

  it('the Auditor column names who audited: recorded as the auditor, with the importer as actor; an unknown name is the row error', async () => {
    const rows = auditRows(2);
    rows[1][3] = 'Nobody Known';
    const before = await head();
    const refused = await upload(admin, auditCsv(rows), 'text/csv').expect(200);
    expect(refused.body).toMatchObject({ imported: 0, valid: 1 });
    expect(refused.body.errors).toEqual([
      { row: 3, column: 'Auditor', message: expect.stringContaining("'Nobody Known' is not a registered user") },
    ]);
    expect(await head()).toBe(before);

    rows[1][3] = qa.userId; // by id too
    const report = await upload(admin, auditCsv(rows), 'text/csv').expect(200);
    expect(report.body).toMatchObject({ imported: 2, errors: [] });
    const list = (await t.http.get('/api/v1/audits').set('Authorization', `Bearer ${admin.token}`).expect(200)).body as {
      auditId: string;
    }[];
    for (const { auditId } of list) {
      const audit = (await t.http.get(`/api/v1/audits/${auditId}`).set('Authorization', `Bearer ${admin.token}`).expect(200))
        .body;
      expect(audit.auditorId).toBe(qa.userId);
      for await (const e of t.app.get<EventStore>(EVENT_STORE).readStream(`audit-${auditId}`)) {
        expect(e.metadata.actorId).toBe(admin.userId);
      }
    }
  });

  it('only those who may record audits may import them; templates download for the import roles', async () => {
    await upload(lead, auditCsv(auditRows(1)), 'text/csv').expect(403);
    await upload(manager, auditCsv(auditRows(1)), 'text/csv').expect(403);
    await upload(qa, '{"a":1}', 'application/json').expect(415);
    const csv = await t.http.get('/api/v1/imports/audits/template.csv').set('Authorization', `Bearer ${lead.token}`).expect(200);
    expect(csv.text.split('\r\n')[0]).toContain('Case reference,Team,Audit date,Auditor,Voice of the child');
    const xlsx = await t.http
      .get('/api/v1/imports/audits/template.xlsx')
      .set('Authorization', `Bearer ${qa.token}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    // The template, filled in as it is, imports (dry run).
    const report = await upload(qa, xlsx.body as Buffer, XLSX_CONTENT_TYPE, '?dryRun=true').expect(200);
    expect(report.body).toMatchObject({ rows: 1, errors: [] });
  });
});
