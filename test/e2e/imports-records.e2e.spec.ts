/**
 * Indicator values and staff imported over HTTP, on both profiles: the same readers and rules as the
 * audit import (dry run, all or nothing, --skip-invalid, a re-import appends nothing, errors by row
 * and column, templates), each row through the API's own use case.
 */
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { XLSX_CONTENT_TYPE } from '../../src/imports/table-reader';
import { INDICATOR_HEADINGS, indicatorRows, tableCsv, tableXlsx } from '../support/import-fixtures';
import { PROFILES, TestApp } from '../support/test-app';

type User = { userId: string; token: string };

describe.each(PROFILES.filter((p) => p.enabled))('indicator value and staff imports over HTTP ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let admin: User, lead: User, qa: User;

  const head = (): Promise<bigint> => t.app.get<EventStore>(EVENT_STORE).headPosition();
  const upload = (kind: string, user: User, body: string | Buffer, type = 'text/csv', query = '') =>
    t.http
      .post(`/api/v1/imports/${kind}${query}`)
      .set('Authorization', `Bearer ${user.token}`)
      .set('Content-Type', type)
      .send(body);
  const measurements = async () =>
    (
      (await t.http.get('/api/v1/indicators/contacts-24h').set('Authorization', `Bearer ${admin.token}`).expect(200)).body as {
        measurements: { teamId: string | null; period: string; value: number; numerator: number; recordedBy: string }[];
      }
    ).measurements;
  const users = async () =>
    (await t.http.get('/api/v1/users').set('Authorization', `Bearer ${admin.token}`).expect(200)).body as {
      userId: string;
      name: string;
      role: string;
      teamIds: string[];
    }[];

  beforeAll(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env);
    admin = await t.userWithToken('admin');
    lead = await t.userWithToken('improvement-lead');
    qa = await t.userWithToken('qa-officer');
    for (const teamId of ['cin-north', 'cp-east']) {
      await t.http
        .post('/api/v1/teams')
        .set('Authorization', `Bearer ${admin.token}`)
        .send({ teamId, name: `Team ${teamId}`, service: 'Children in need' })
        .expect(201);
    }
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
  });
  afterAll(async () => {
    await t.close();
    await storage.drop();
  });

  it('indicator values: a bad row imports nothing and is named by row and column; a dry run appends nothing; then CSV and XLSX record the same', async () => {
    const rows = indicatorRows(12);
    const bad = rows.map((r) => [...r]);
    bad[4][3] = 'lots';
    const before = await head();
    const refused = await upload('indicators', lead, tableCsv(INDICATOR_HEADINGS, bad)).expect(200);
    expect(refused.body).toMatchObject({ kind: 'indicators', rows: 12, imported: 0, valid: 11 });
    expect(refused.body.errors).toEqual([
      {
        row: 6,
        column: 'Value',
        message: "'lots' is not a number; write a number such as 68.1 or 1318 (a percentage without the % sign)",
      },
    ]);
    const dry = await upload('indicators', lead, tableCsv(INDICATOR_HEADINGS, rows), 'text/csv', '?dryRun=true').expect(200);
    expect(dry.body).toMatchObject({ rows: 12, imported: 0, valid: 12, errors: [], dryRun: true });
    expect(await head()).toBe(before);

    const imported = await upload('indicators', lead, tableCsv(INDICATOR_HEADINGS, rows)).expect(200);
    expect(imported.body).toMatchObject({ rows: 12, imported: 12, skipped: 0, errors: [] });
    const recorded = await measurements();
    expect(recorded).toHaveLength(12);
    expect(recorded.find((m) => m.teamId === null && m.period === '2020-04')).toMatchObject({
      value: 75,
      numerator: 150,
      recordedBy: lead.userId,
    });
    // The same values as a workbook (numbers as number cells): already recorded, nothing appended.
    const after = await head();
    const again = await upload('indicators', lead, await tableXlsx(INDICATOR_HEADINGS, rows), XLSX_CONTENT_TYPE).expect(200);
    expect(again.body).toMatchObject({ rows: 12, imported: 0, alreadyRecorded: 12, errors: [] });
    expect(await head()).toBe(after);
  });

  it('indicator values: the decider rules per row (unknown indicator, unknown team, a value the ratio contradicts); a recorded value that differs is reported, never changed; skipInvalid imports the rest', async () => {
    const rows: (string | number)[][] = [
      ['contacts-24h', '', '2021-01', 80, 160, 200],
      ['no-such-code', '', '2021-01', 50, '', ''],
      ['contacts-24h', 'nowhere', '2021-01', 50, '', ''],
      ['contacts-24h', 'cp-east', '2021-01', 90, 160, 200],
      ['contacts-24h', '', '2020-04', 70, '', ''],
    ];
    const before = await head();
    const report = await upload('indicators', lead, tableCsv(INDICATOR_HEADINGS, rows), 'text/csv', '?skipInvalid=true').expect(
      200,
    );
    expect(report.body).toMatchObject({ rows: 5, imported: 1, valid: 1 });
    expect(report.body.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [3, 'Indicator'],
      [4, 'Team'],
      [5, 'Value'],
      [6, 'Value'],
    ]);
    expect(report.body.errors[3].message).toContain('already recorded as 75 (150 of 200), not 70; it is left unchanged');
    expect(await head()).toBeGreaterThan(before);
    expect((await measurements()).find((m) => m.teamId === null && m.period === '2020-04')?.value).toBe(75);
  });

  it('staff: registered with name, role and teams and no token; a password column is refused; a re-import appends nothing; a different role for a registered name is reported', async () => {
    const headings = ['Name', 'Role', 'Teams'];
    const rows = [
      ['Ava Auditor', 'QA officer', 'cin-north'],
      ['Tom Manager', 'team-manager', 'cin-north; cp-east'],
      ['Iris Reviewer', 'Independent reviewing officer', ''],
    ];
    const before = await head();
    const withPassword = await upload(
      'users',
      admin,
      tableCsv(
        [...headings, 'Password'],
        rows.map((r) => [...r, 'secret1']),
      ),
    ).expect(200);
    expect(withPassword.body.errors).toEqual([
      expect.objectContaining({ row: 1, column: 'Password', message: expect.stringContaining('never imports passwords') }),
    ]);
    const badRole = await upload('users', admin, tableCsv(headings, [...rows, ['Pat Person', 'Boss', '']])).expect(200);
    expect(badRole.body).toMatchObject({
      imported: 0,
      errors: [{ row: 5, column: 'Role', message: expect.stringContaining("'Boss' is not a role") }],
    });
    const unknownTeam = await upload('users', admin, tableCsv(headings, [['Pat Person', 'Team manager', 'nowhere']])).expect(200);
    expect(unknownTeam.body.errors).toEqual([{ row: 2, column: 'Teams', message: expect.stringContaining('nowhere') }]);
    expect(await head()).toBe(before);

    const imported = await upload('users', admin, await tableXlsx(headings, rows), XLSX_CONTENT_TYPE).expect(200);
    expect(imported.body).toMatchObject({ kind: 'users', rows: 3, imported: 3, errors: [] });
    const registered = await users();
    expect(registered.find((u) => u.name === 'Tom Manager')).toMatchObject({
      role: 'team-manager',
      teamIds: ['cin-north', 'cp-east'],
    });
    expect(registered.find((u) => u.name === 'Iris Reviewer')).toMatchObject({ role: 'iro', teamIds: [] });
    const tom = registered.find((u) => u.name === 'Tom Manager')!;
    const detail = await t.http.get(`/api/v1/users/${tom.userId}`).set('Authorization', `Bearer ${admin.token}`).expect(200);
    expect(detail.body.tokens).toEqual([]);

    const after = await head();
    const again = await upload('users', admin, tableCsv(headings, rows)).expect(200);
    expect(again.body).toMatchObject({ imported: 0, alreadyRecorded: 3, errors: [] });
    const changed = await upload('users', admin, tableCsv(headings, [['ava auditor', 'Admin', 'cin-north']])).expect(200);
    expect(changed.body.errors).toEqual([
      { row: 2, column: 'Role', message: expect.stringContaining('Ava Auditor is already registered as qa-officer') },
    ]);
    expect(await head()).toBe(after);
  });

  it('who may: indicator values for improvement leads and admins, staff for admins; templates as CSV and XLSX', async () => {
    await upload('indicators', qa, tableCsv(INDICATOR_HEADINGS, [])).expect(403);
    await upload('users', lead, tableCsv(['Name', 'Role'], [])).expect(403);
    const csv = await t.http
      .get('/api/v1/imports/indicators/template.csv')
      .set('Authorization', `Bearer ${qa.token}`)
      .expect(200);
    expect(csv.text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('Indicator,Team,Period,Value,Numerator,Denominator,Note');
    const users = await t.http
      .get('/api/v1/imports/users/template.csv')
      .set('Authorization', `Bearer ${admin.token}`)
      .expect(200);
    expect(users.text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('Name,Role,Teams');
    const xlsx = await t.http
      .get('/api/v1/imports/users/template.xlsx')
      .set('Authorization', `Bearer ${admin.token}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    await t.http.get('/api/v1/imports/users/template.csv').set('Authorization', `Bearer ${lead.token}`).expect(403);
  });
});
