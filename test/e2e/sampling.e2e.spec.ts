/**
 * Reproducible case sampling over HTTP and sample:verify on the command line: a case list of 200
 * cases in 4 teams, 5 per team, cases audited in the last 12 months left out.
 */
import { addDays, dayOf } from '@casetrail/kernel';
import { runCli } from '../support/cli-process';
import { PROFILES, TestApp, type User } from '../support/test-app';

const TEAMS = ['cin-north', 'cp-east', 'cla-west', 'leaving-care'];
const CATEGORIES = ['CIN', 'CP', 'CLA', 'Care leaver'];
const ref = (i: number): string => `C-${String(i).padStart(4, '0')}`;
const caseListCsv = (extraHeading = ''): string =>
  [
    `Case reference,Team,Category,Worker id,Open since${extraHeading ? `,${extraHeading}` : ''}`,
    ...Array.from(
      { length: 200 },
      (_, i) => `${ref(i)},${TEAMS[i % 4]},${CATEGORIES[Math.floor(i / 4) % 4]},w${i % 13},15/01/2024${extraHeading ? ',x' : ''}`,
    ),
  ].join('\n');

describe.each(PROFILES.filter((p) => p.enabled))('case sampling ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let admin: User, qa: User, inspector: User;
  const today = dayOf(new Date());
  /** Cases 0, 10, 20, ... 190 audited recently (20 cases); cases 5, 15, ... audited 13 months ago. */
  const recent = Array.from({ length: 20 }, (_, k) => ref(k * 10));
  const old = Array.from({ length: 20 }, (_, k) => ref(k * 10 + 5));

  beforeAll(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env);
    admin = await t.userWithToken('admin');
    qa = await t.userWithToken('qa-officer');
    inspector = await t.userWithToken('inspector');
    for (const teamId of TEAMS) {
      await t
        .as(admin)
        .post('/api/v1/teams', { teamId, name: `Team ${teamId}`, service: 'Children in need' })
        .expect(201);
    }
    for (const programmeId of ['sample-a', 'sample-b', 'sample-c']) {
      await t
        .as(qa)
        .post('/api/v1/audit-programmes', {
          programmeId,
          title: programmeId,
          kind: 'monthly',
          from: addDays(today, -300),
          to: today,
          teamIds: TEAMS,
        })
        .expect(201);
    }
    // Audits recorded through the historic import: 20 within the last 12 months, 20 thirteen months ago.
    const audit = (caseRef: string, i: number, on: string): string => `${caseRef},${TEAMS[i % 4]},${on},Good,Good`;
    const csv = [
      'Case reference,Team,Audit date,Planning,Overall grade',
      ...recent.map((c) => audit(c, Number(c.slice(2)), addDays(today, -30))),
      ...old.map((c) => audit(c, Number(c.slice(2)), addDays(today, -400))),
    ].join('\n');
    const imported = await t.http
      .post('/api/v1/imports/audits')
      .set('Authorization', `Bearer ${qa.token}`)
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(200);
    expect(imported.body).toMatchObject({ imported: 40, errors: [] });
  });
  afterAll(async () => {
    await t.close();
    await storage.drop();
  });

  it("a case list with a column that looks like a child's name or date of birth is refused and not recorded", async () => {
    const response = await t.http
      .post('/api/v1/case-lists')
      .set('Authorization', `Bearer ${qa.token}`)
      .set('Content-Type', 'text/csv')
      .send(caseListCsv('Child name'))
      .expect(422);
    expect(response.body).toMatchObject({
      statusCode: 422,
      message: expect.stringContaining('Row 1, column "Child name": looks like a person\'s name'),
      details: {
        recorded: false,
        errors: [{ row: 1, column: 'Child name', message: expect.stringContaining("looks like a person's name") }],
      },
    });
    const dob = await t.http
      .post('/api/v1/case-lists')
      .set('Authorization', `Bearer ${qa.token}`)
      .set('Content-Type', 'text/csv')
      .send(caseListCsv('DOB'))
      .expect(422);
    expect(dob.body.details.errors[0].message).toContain('looks like a date of birth');
  });

  it('5 per team from 200 cases: same seed same cases, another seed other cases, none audited in 12 months, and it verifies', async () => {
    // A file name too long to show is refused before anything is read or recorded.
    await t.http
      .post(`/api/v1/case-lists?fileName=${'x'.repeat(201)}`)
      .set('Authorization', `Bearer ${qa.token}`)
      .set('Content-Type', 'text/csv')
      .send(caseListCsv())
      .expect(400)
      .expect((r) => expect(JSON.stringify(r.body)).toContain('File name must be 200 characters or fewer'));
    const upload = await t.http
      .post('/api/v1/case-lists?fileName=open-cases-june-2026.csv')
      .set('Authorization', `Bearer ${qa.token}`)
      .set('Content-Type', 'text/csv')
      .send(caseListCsv())
      .expect(201);
    expect(upload.body).toMatchObject({
      recorded: true,
      cases: 200,
      fileName: 'open-cases-june-2026.csv',
      fileSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const { caseListId } = upload.body as { caseListId: string };

    const draw = (programmeId: string, seed: string) =>
      t.as(qa).post('/api/v1/samples', { programmeId, caseListId, perTeam: 5, seed }).expect(201);
    const a = (await draw('sample-a', 'June 2026')).body;
    const b = (await draw('sample-b', 'June 2026')).body;
    const c = (await draw('sample-c', 'another seed')).body;
    const refs = (s: { chosen: { caseRef: string }[] }) => s.chosen.map((x) => x.caseRef).sort();

    expect(a.chosen).toHaveLength(20);
    for (const team of TEAMS) expect(a.chosen.filter((x: { teamId: string }) => x.teamId === team)).toHaveLength(5);
    expect(refs(a).filter((r) => recent.includes(r))).toEqual([]);
    expect(a.excluded.map((x: { caseRef: string }) => x.caseRef).sort()).toEqual(recent);
    expect(refs(b)).toEqual(refs(a));
    expect(refs(c)).not.toEqual(refs(a));
    expect(a).toMatchObject({
      sampleSize: 20,
      auditedOfSample: 0,
      inputs: { excludeAuditedWithinMonths: 12, seed: 'June 2026' },
    });

    // Never redrawn.
    await t.as(qa).post('/api/v1/samples', { programmeId: 'sample-a', caseListId, perTeam: 5, seed: 'cherry' }).expect(409);

    // Anyone may recompute it: the API and the CLI agree it verifies.
    expect((await t.as(inspector).get('/api/v1/samples/sample-a/verify').expect(200)).body).toMatchObject({
      valid: true,
      problems: [],
    });
    const cli = await runCli(storage.env, ['sample:verify', 'sample-a']);
    expect({ code: cli.code, out: JSON.parse(cli.stdout) }).toMatchObject({ code: 0, out: { valid: true, chosen: 20 } });
    const missing = await runCli(storage.env, ['sample:verify', 'no-such-programme']);
    expect(missing.code).toBe(1);
  });
});
