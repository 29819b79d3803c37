/**
 * The case-list and sample pages over plain HTTP (issue 19): upload a case list (a name column is
 * refused, nothing recorded), draw a sample for a programme (bad input records nothing), the sample
 * page (inputs in words, reasons, audited count, "Start audit" prefilled), and "Check this sample".
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { addDays, dayOf } from '@casetrail/kernel';
import { PROFILES, TestApp } from '../../support/test-app';
import { headOf, signedIn, textOf, type Person } from '../../support/web-http';

const TEAMS = ['cin-north', 'cp-east'];
const ref = (i: number): string => `C-${String(i).padStart(4, '0')}`;
/** 40 open cases, 20 a team, two categories; `extra` adds a column (a refused one, in one test). */
const caseListCsv = (extra = ''): string =>
  [
    `Case reference,Team,Category,Worker id,Open since${extra ? `,${extra}` : ''}`,
    ...Array.from(
      { length: 40 },
      (_, i) => `${ref(i)},${TEAMS[i % 2]},${i % 4 < 2 ? 'CIN' : 'CP'},w${i % 5},15/01/2024${extra ? ',x' : ''}`,
    ),
  ].join('\n');

describe.each(PROFILES.filter((p) => p.enabled))('case list and sample pages over HTTP ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let qa: Person, manager: Person;
  let caseListId = '';
  const today = dayOf(new Date());
  const upload = (who: Person, body: Buffer, name: string) =>
    t.http.post('/case-lists').set('Cookie', who.cookie).field('_csrf', who.csrf).attach('file', body, name);

  beforeAll(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env);
    const admin = await t.userWithToken('admin');
    for (const teamId of TEAMS) {
      await t.http
        .post('/api/v1/teams')
        .set('Authorization', `Bearer ${admin.token}`)
        .send({
          teamId,
          name: teamId === 'cin-north' ? 'North Children in Need' : 'East Child Protection',
          service: 'Children in need',
        })
        .expect(201);
    }
    qa = await signedIn(t, 'qa-officer', [], 'quinn', 'Quinn Auditor');
    manager = await signedIn(t, 'team-manager', ['cin-north'], 'tess', 'Tess Manager');
    for (const programmeId of ['june', 'july']) {
      await t
        .as(qa)
        .post('/api/v1/audit-programmes', {
          programmeId,
          title: `Monthly audit ${programmeId}`,
          kind: 'monthly',
          from: addDays(today, -30),
          to: today,
          teamIds: TEAMS,
        })
        .expect(201);
    }
    // C-0000 audited last month: the draw leaves it out.
    await t
      .as(qa)
      .post('/api/v1/audits', { caseRef: ref(0), teamId: 'cin-north', auditedOn: addDays(today, -20) })
      .expect(201);
  });
  afterAll(async () => {
    await t.close();
    await storage.drop();
  });

  it("a case list with a child's name column is refused in plain words, and nothing is recorded", async () => {
    const before = await headOf(t);
    const refused = await upload(qa, Buffer.from(caseListCsv('Child name')), 'open-cases.csv').expect(400);
    expect(refused.text).toContain('govuk-error-summary');
    expect(textOf(refused.text)).toContain(
      'The case list was not recorded. Row 1, column "Child name": looks like a person\'s name: Casetrail keeps case references, never names',
    );
    const noFile = await qa.post('/case-lists', {}).expect(400);
    expect(textOf(noFile.text)).toContain('Choose a .csv or .xlsx file of open cases');
    expect(await headOf(t)).toBe(before);
    // Only QA officers and administrators upload case lists.
    await upload(manager, Buffer.from(caseListCsv()), 'open-cases.csv').expect(403);
  });

  it('a good case list is recorded and shown: rows, teams by name with counts, categories and its SHA-256', async () => {
    const recorded = await upload(qa, Buffer.from(caseListCsv()), 'open-cases-june.csv').expect(303);
    const location = recorded.headers.location as string;
    caseListId = /^\/case-lists\/([^?]+)\?recorded=1$/.exec(location)![1];
    const shown = await qa.get(location).expect(200);
    const text = textOf(shown.text);
    expect(text).toContain('Case list recorded: 40 cases.');
    expect(text).toContain('open-cases-june.csv');
    expect(text).toMatch(/North Children in Need 20/);
    expect(text).toMatch(/East Child Protection 20/);
    expect(text).toMatch(/CIN 20/);
    expect(text).toMatch(/CP 20/);
    expect(shown.text).toMatch(/File fingerprint \(SHA-256\)[\s\S]*?<code>[0-9a-f]{64}<\/code>/);
    const list = await qa.get('/case-lists').expect(200);
    expect(list.text).toContain(`href="/case-lists/${caseListId}">open-cases-june.csv</a>`);
    // The imports page leads to it.
    expect((await qa.get('/imports').expect(200)).text).toContain('href="/case-lists"');
  });

  it('the draw form offers the list by its name and day, with a random seed; bad input records nothing', async () => {
    const programme = await qa.get('/audits/programmes/june').expect(200);
    expect(programme.text).toContain('href="/audits/programmes/june/sample/new"');
    const form = await qa.get('/audits/programmes/june/sample/new').expect(200);
    expect(textOf(form.text)).toMatch(/open-cases-june\.csv, uploaded \d{1,2} \w+ \d{4} at \d\d:\d\d \(40 cases\)/);
    expect(form.text).toMatch(/name="seed" type="text"[^>]*value="\d{6}"/);
    expect(form.text).toMatch(/name="excludeAuditedWithinMonths" type="text"[^>]*value="12"/);

    const before = await headOf(t);
    const empty = await qa.post('/audits/programmes/june/sample', {}).expect(400);
    expect(textOf(empty.text)).toContain('Choose the case list');
    expect(textOf(empty.text)).toContain('Enter a seed');
    const wrong = await qa
      .post('/audits/programmes/june/sample', {
        caseListId,
        sizeBy: 'perTeam',
        size: 'five',
        excludeAuditedWithinMonths: '-1',
        seed: 'x',
      })
      .expect(400);
    expect(textOf(wrong.text)).toContain('Enter the number of cases as a whole number, like 5');
    expect(textOf(wrong.text)).toContain('must be 0 or more');
    const fraction = await qa
      .post('/audits/programmes/june/sample', { caseListId, sizeBy: 'total', size: '2.5', seed: 'x' })
      .expect(400);
    expect(textOf(fraction.text)).toContain('Total must be a whole number');
    const noSize = await qa.post('/audits/programmes/june/sample', { caseListId, seed: 'x' }).expect(400);
    expect(textOf(noSize.text)).toContain('Say how many cases to sample');
    expect(await headOf(t)).toBe(before);
    // Team managers read samples but do not draw them.
    await manager.get('/audits/programmes/june/sample/new').expect(403);
  });

  it('the sample page: inputs in words, each case with its team, category and reason, the left-out case, and Start audit prefilled', async () => {
    const drawn = await qa
      .post('/audits/programmes/june/sample', {
        caseListId,
        sizeBy: 'perTeam',
        size: '4',
        stratifyByCategory: 'yes',
        excludeAuditedWithinMonths: '12',
        seed: 'june-2026',
      })
      .expect(303);
    expect(drawn.headers.location).toBe('/audits/programmes/june/sample?drawn=1');
    const page = await qa.get(drawn.headers.location as string).expect(200);
    const text = textOf(page.text);
    expect(text).toContain('Sample drawn and recorded.');
    expect(text).toContain('0 of 8 sampled cases audited');
    expect(text).toContain('open-cases-june.csv, uploaded');
    expect(text).toContain('4 per team');
    expect(text).toContain('Yes: each team’s cases drawn from each category in proportion');
    expect(text).toContain('Cases audited in the 12 months before the draw');
    expect(text).toContain('june-2026');
    const chosen = /<table class="govuk-table" id="sample-chosen">[\s\S]*?<\/table>/.exec(page.text)![0];
    expect(chosen.match(/<tr class="govuk-table__row">/g)).toHaveLength(9);
    expect(chosen).toContain('North Children in Need');
    expect(chosen).toContain('East Child Protection');
    expect(chosen).not.toContain('cin-north</td>');
    // The reasons name the team, not its id.
    expect(textOf(chosen)).toMatch(
      /chosen at random \(seed "june-2026"\) among \d+ eligible (CIN|CP) cases of North Children in Need/,
    );
    expect(chosen).not.toMatch(/cases of cin-north/);
    const excluded = /<table class="govuk-table" id="sample-excluded">[\s\S]*?<\/table>/.exec(page.text)![0];
    expect(textOf(excluded)).toMatch(
      /C-0000 North Children in Need CIN audited on \d{1,2} [A-Z][a-z]+ \d{4}, within the 12 months before/,
    );

    // "Start audit" opens the start form with the case, team and programme filled in.
    const [, href] = /<a class="govuk-link" href="(\/audits\/start\?[^"]+)">Start audit/.exec(chosen)!;
    const decoded = href.replace(/&amp;/g, '&');
    const params = new URLSearchParams(decoded.split('?')[1]);
    expect(params.get('programmeId')).toBe('june');
    const start = await qa.get(decoded).expect(200);
    expect(start.text).toMatch(new RegExp(`name="caseRef" type="text"[^>]*value="${params.get('caseRef')}"`));
    expect(start.text).toMatch(new RegExp(`<option value="${params.get('teamId')}" selected>`));
    expect(start.text).toContain('<input type="hidden" name="programmeId" value="june">');
    expect(textOf(start.text)).toContain('For the audit programme Monthly audit june');
    // Values the API would refuse are left out, not shown.
    const bad = await qa.get('/audits/start?caseRef=Jo%20Smith&teamId=nowhere!&programmeId=no-such').expect(200);
    expect(bad.text).toMatch(/name="caseRef" type="text"[^>]*value=""/);
    expect(bad.text).not.toMatch(/name="_csrf" value="[^"]*">\s*<input type="hidden" name="programmeId"/);
    expect(bad.text).not.toContain('id="start-programme"');

    // Start it from the form, then submit it: the sample and the programme page count it.
    const [y, m, d] = today.split('-');
    const started = await qa
      .post('/audits/start', {
        caseRef: params.get('caseRef'),
        teamId: params.get('teamId'),
        programmeId: 'june',
        'auditedOn-day': String(Number(d)),
        'auditedOn-month': String(Number(m)),
        'auditedOn-year': y,
      })
      .expect(303);
    const auditId = (started.headers.location as string).split('/').pop()!;
    const inProgress = await qa.get('/audits/programmes/june/sample').expect(200);
    expect(inProgress.text).toContain(`href="/audits/${auditId}">In progress`);
    expect(textOf(inProgress.text)).toContain('0 of 8 sampled cases audited');
    await t
      .as(qa)
      .post(`/api/v1/audits/${auditId}/grades`, { domain: 'planning', grade: 'good', evidence: 'Plan reviewed on time' })
      .expect(200);
    await t.as(qa).post(`/api/v1/audits/${auditId}/submit`, { overallGrade: 'good', submittedOn: today }).expect(200);
    expect(textOf((await qa.get('/audits/programmes/june/sample').expect(200)).text)).toContain('1 of 8 sampled cases audited');
    const programme = await manager.get('/audits/programmes/june').expect(200);
    expect(programme.text).toContain('href="/audits/programmes/june/sample">1 of 8 sampled cases audited</a>');
    // A team manager reads the sample but is offered no "Start audit".
    const asManager = await manager.get('/audits/programmes/june/sample').expect(200);
    expect(asManager.text).not.toContain('Start audit');
    expect(textOf(asManager.text)).toContain('Not shown: another team’s case');
    expect(textOf(asManager.text)).toContain('Not started');
    // A programme with no sample: "Draw a sample" for QA, nothing to draw for a manager.
    expect((await qa.get('/audits/programmes/july').expect(200)).text).toContain('Draw a sample');
    expect((await manager.get('/audits/programmes/july').expect(200)).text).not.toContain('Draw a sample');
  });

  it('"Check this sample" recomputes it from the record: the same cases', async () => {
    const page = await qa.get('/audits/programmes/june/sample').expect(200);
    expect(page.text).toContain('href="/audits/programmes/june/sample/verify"');
    const checked = await manager.get('/audits/programmes/june/sample/verify').expect(200);
    expect(textOf(checked.text)).toContain('Recomputed from the record: the same 8 cases.');
    // A second draw for the same programme is refused in words, and records nothing.
    const before = await headOf(t);
    const again = await qa
      .post('/audits/programmes/june/sample', { caseListId, sizeBy: 'total', size: '6', seed: 'other' })
      .expect(400);
    expect(textOf(again.text)).toContain('A sample is already drawn for programme june');
    expect(await headOf(t)).toBe(before);
  });

  it("as at an earlier instant, the case lists and samples are those recorded by then, not today's", async () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await sleep(10);
    const earlier = new Date().toISOString();
    await sleep(10);
    // A second, shorter list (another file, so another list) and the July sample drawn from it, after `earlier`.
    const july = caseListCsv().split('\n').slice(0, 31).join('\n');
    const recorded = await upload(qa, Buffer.from(july), 'open-cases-july.csv').expect(303);
    const julyListId = /^\/case-lists\/([^?]+)\?recorded=1$/.exec(recorded.headers.location as string)![1];
    await qa
      .post('/audits/programmes/july/sample', { caseListId: julyListId, sizeBy: 'total', size: '4', seed: 'july' })
      .expect(303);
    const asAt = `asAt=${encodeURIComponent(earlier)}`;

    // Today: both lists, and the July sample.
    expect((await qa.get('/case-lists').expect(200)).text).toContain(`href="/case-lists/${julyListId}">open-cases-july.csv</a>`);
    await t.as(qa).get('/api/v1/samples/july').expect(200);
    // As at `earlier`: the June list only, no July list or sample (the pages and the API alike).
    const lists = (await qa.get(`/case-lists?${asAt}`).expect(200)).text;
    expect(lists).toContain(`href="/case-lists/${caseListId}">open-cases-june.csv</a>`);
    expect(lists).not.toContain('open-cases-july.csv');
    await qa.get(`/case-lists/${julyListId}?${asAt}`).expect(404);
    expect(textOf((await qa.get(`/audits/programmes/june/sample/new?${asAt}`).expect(200)).text)).not.toContain(
      'open-cases-july.csv',
    );
    await t.as(qa).get(`/api/v1/samples/july?${asAt}`).expect(404);
    await t.as(qa).get(`/api/v1/samples/july/verify?${asAt}`).expect(404);
    expect((await manager.get(`/audits/programmes/july/sample?${asAt}`).expect(200)).text).toContain('id="sample-none"');
    expect((await manager.get('/audits/programmes/july/sample').expect(200)).text).not.toContain('id="sample-none"');
    // The June sample was drawn before `earlier`: the same as today.
    expect((await t.as(qa).get(`/api/v1/samples/june?${asAt}`).expect(200)).body).toEqual(
      (await t.as(qa).get('/api/v1/samples/june').expect(200)).body,
    );
  });

  // The SQLite file is the store that can be edited behind the application here (the trail pages' test does the same).
  if (profile.name === 'sqlite')
    it('"Check this sample" says what differs when a recorded input was changed behind the application (SQLite file)', async () => {
      const db = new Database(join(storage.env.DATA_DIR, 'events.sqlite'));
      try {
        db.exec('DROP TRIGGER IF EXISTS events_are_immutable_update; DROP TRIGGER IF EXISTS events_are_immutable_delete;');
        const row = db.prepare('SELECT position, data FROM events WHERE stream_id = ?').get('sample-june') as {
          position: number;
          data: string;
        };
        const data = JSON.parse(row.data) as { inputs: { seed: string } };
        data.inputs.seed = 'another seed';
        db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify(data), row.position);
      } finally {
        db.close();
      }
      const checked = await qa.get('/audits/programmes/june/sample/verify').expect(200);
      expect(textOf(checked.text)).toContain('Recomputed from the record: it differs.');
      expect(checked.text).toMatch(/<ul class="govuk-list govuk-list--bullet"><li>[^<]+<\/li>/);
    });
});
