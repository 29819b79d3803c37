import JSZip from 'jszip';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { IntegrityService } from '../../src/trail/integrity.service';
import { PROFILES, TestApp, type User } from '../support/test-app';

type Cell = { kind: string; value?: number | null; text?: string };
type Table = { id: string; columns: string[]; rows: Cell[][] };
type Report = {
  asAt: string;
  position: string;
  closed: { closedOn: string; closedAt: string } | null;
  marking: string | null;
  sections: { id: string; title: string; paragraphs: string[]; tables: Table[] }[];
};

const Q1 = encodeURIComponent('2020/21 Q1');
const Q2 = encodeURIComponent('2020/21 Q2');
/** A cell as shown: number, or its text. */
const shown = (c: Cell): string | number | null => (c.kind === 'text' ? c.text! : (c.value ?? null));
const tableOf = (report: Report, id: string): (string | number | null)[][] =>
  report.sections
    .flatMap((s) => s.tables)
    .find((t) => t.id === id)!
    .rows.map((r) => r.map(shown));
const unescape = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&');
/** The words of a .docx, run by run, from word/document.xml (a .docx is a zip). */
const docxRuns = async (buffer: Buffer): Promise<{ xml: string; runs: string[] }> => {
  const xml = await (await JSZip.loadAsync(buffer)).file('word/document.xml')!.async('string');
  return { xml, runs: [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => unescape(m[1])) };
};
/** Headings and table cells of the HTML, in order. */
const htmlParts = (html: string): string[] =>
  [...html.matchAll(/<(h1|h2|h3|th|td)[^>]*>([^<]*)<\/\1>/g)].map((m) => unescape(m[2])).filter((s) => s !== '');
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

describe.each(PROFILES.filter((p) => p.enabled))('the quarterly board report ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let admin: User, lead: User, boardChair: User, owner: User, inspector: User, iro: User, qa: User, manager: User;
  let beforeThisYear: string;
  let recorded: string;
  let rootHash: string;
  const head = (): Promise<bigint> => t.app.get<EventStore>(EVENT_STORE).headPosition();
  const report = async (query: string, user = inspector): Promise<Report> =>
    (await t.as(user).get(`/api/v1/reports/board?${query}&format=json`).expect(200)).body as Report;
  const dispute = async (childRef: string, raisedOn: string, stage?: string, resolvedOn?: string) => {
    const raised = await t
      .as(iro)
      .post('/api/v1/disputes', {
        childRef,
        teamId: 'mash',
        category: 'care-plan',
        summary: 'Plan not reviewed.',
        desiredOutcome: 'Review.',
        raisedOn,
        ...(stage ? { stage } : {}),
      })
      .expect(201);
    if (resolvedOn) {
      await t
        .as(iro)
        .post(`/api/v1/disputes/${raised.body.disputeId}/resolution`, { outcome: 'resolved', note: 'Agreed.', resolvedOn })
        .expect(201);
    }
  };
  const audit = async (caseRef: string, auditedOn: string, grade: string) => {
    const started = await t.as(qa).post('/api/v1/audits', { caseRef, teamId: 'mash', auditedOn }).expect(201);
    const id = started.body.auditId as string;
    await t.as(qa).post(`/api/v1/audits/${id}/grades`, { domain: 'planning', grade }).expect(200);
    await t.as(qa).post(`/api/v1/audits/${id}/submit`, { overallGrade: grade, submittedOn: auditedOn }).expect(200);
  };
  const action = (actionId: string, startOn: string, dueOn: string) =>
    t
      .as(lead)
      .post('/api/v1/plans/board/actions', {
        actionId,
        priorityId: 'practice',
        recommendationIds: ['risk'],
        title: `Action ${actionId}`,
        ownerId: owner.userId,
        teamIds: ['mash'],
        startOn,
        dueOn,
        successMeasure: 'Risk analysed in 95% of assessments',
      })
      .expect(201);
  const progress = (actionId: string, reportedOn: string, confidence: string) =>
    t.as(owner).post(`/api/v1/actions/${actionId}/progress`, { reportedOn, note: 'Update', confidence }).expect(200);

  beforeAll(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env);
    admin = await t.userWithToken('admin');
    await t.as(admin).post('/api/v1/teams', { teamId: 'mash', name: 'MASH', service: 'Children in need' }).expect(201);
    lead = await t.userWithToken('improvement-lead', [], 'Imogen Lead');
    boardChair = await t.userWithToken('improvement-lead', [], 'Board Chair');
    owner = await t.userWithToken('team-manager', ['mash'], 'Mo Manager');
    manager = await t.userWithToken('team-manager', ['mash'], 'Other Manager');
    inspector = await t.userWithToken('inspector');
    iro = await t.userWithToken('iro', ['mash']);
    qa = await t.userWithToken('qa-officer');

    // A plan with one action in every RAG state on 30 June 2020 (the end of 2020/21 Q1).
    await t
      .as(lead)
      .post('/api/v1/plans', { planId: 'board', title: 'Improvement plan', trigger: { kind: 'peer-review', date: '2020-04-01' } })
      .expect(201);
    await t.as(lead).post('/api/v1/plans/board/priorities', { priorityId: 'practice', title: 'Frontline practice' }).expect(201);
    await t
      .as(lead)
      .post('/api/v1/plans/board/recommendations', {
        recommendationId: 'risk',
        text: 'Assess risk explicitly',
        timescale: 'immediately',
      })
      .expect(201);
    await action('blue', '2020-04-06', '2020-06-30');
    await t.as(owner).post('/api/v1/actions/blue/complete', { completedOn: '2020-06-01', evidence: 'Audit' }).expect(200);
    await t.as(boardChair).post('/api/v1/actions/blue/verify', { verifiedOn: '2020-06-05' }).expect(200);
    await action('grey', '2020-07-01', '2020-12-31');
    await action('red', '2020-04-06', '2020-06-10');
    await progress('red', '2020-06-05', 'on-track');
    await action('amber', '2020-04-06', '2020-09-30');
    await progress('amber', '2020-06-20', 'at-risk');
    await action('green', '2020-04-06', '2020-09-30');
    await progress('green', '2020-06-20', 'on-track');

    // A council-wide indicator, March to June 2020.
    await t
      .as(lead)
      .post('/api/v1/indicators', {
        code: 'contacts-24h',
        name: 'Contacts completed within 24 hours',
        unit: 'percent',
        polarity: 'higher-is-better',
        target: 95,
        tolerance: 5,
        frequency: 'monthly',
      })
      .expect(201);
    for (const [period, value] of [
      ['2020-03', 60],
      ['2020-04', 61.2],
      ['2020-05', 65],
      ['2020-06', 68.1],
    ] as const) {
      await t.as(lead).post('/api/v1/indicators/contacts-24h/measurements', { period, value }).expect(201);
    }

    // Audits: one in 2019/20 Q4, four in 2020/21 Q1.
    await audit('CASE-0001', '2020-02-10', 'outstanding');
    await audit('CASE-1001', '2020-05-01', 'good');
    await audit('CASE-1002', '2020-05-04', 'good');
    await audit('CASE-1003', '2020-06-01', 'requires-improvement');
    // Inadequate: raises an immediate review, still open at the end of the quarter.
    await audit('CASE-1004', '2020-06-10', 'inadequate');

    // Disputes in 2019/20: two informal (one in Q1), one formal.
    await dispute('C-0001', '2019-04-15');
    await dispute('C-0002', '2019-10-01');
    await dispute('C-0003', '2020-02-03', 'stage-1');
    await tick();
    beforeThisYear = new Date().toISOString();
    await tick();
    // 2020/21 Q1: two informal and one formal, all resolved (8, 9 and 10 working days: median 9).
    await dispute('C-1001', '2020-04-06', undefined, '2020-04-20');
    await dispute('C-1002', '2020-05-04', undefined, '2020-05-18');
    await dispute('C-1003', '2020-06-01', 'stage-1', '2020-06-15');
    await t.as(lead).post(`/api/v1/periods/${Q1}/notes`, { notes: 'Note the MASH improvement.' }).expect(201);
    rootHash = (await t.app.get(IntegrityService).makeCheckpoint('test-setup')).checkpoint.rootHash;
    await tick();
    recorded = new Date().toISOString();
  });
  afterAll(async () => {
    await t.close();
    await storage.drop();
  });

  it('shows 2020/21 Q1 from the recorded events: RAG counts and reasons, indicators, audits, disputes and medians', async () => {
    const r = await report(`quarter=${Q1}&asAt=${recorded}`);
    expect(r.marking).toBe('Official – sensitive');
    expect(r.sections.map((s) => s.id)).toEqual(['headline', 'performance', 'audit-quality', 'disputes', 'outstanding']);
    // 1. Red, amber, green, not started, complete, total.
    expect(tableOf(r, 'plan-progress-by-priority')).toEqual([
      ['Improvement plan', 'Frontline practice', 1, 1, 1, 1, 1, 5],
      ['All plans', 'Total', 1, 1, 1, 1, 1, 5],
    ]);
    const status = (await t.as(inspector).get('/api/v1/plans/board/status?on=2020-06-30').expect(200)).body as {
      actions: { actionId: string; rag: string; reasons: string[] }[];
    };
    const reasons = (id: string): string => status.actions.find((a) => a.actionId === id)!.reasons.join('; ');
    expect(reasons('red')).toMatch(/overdue/);
    expect(tableOf(r, 'red-and-amber-actions')).toEqual([
      ['Action red', 'Frontline practice', 'Mo Manager', '2020-06-10', 'red', reasons('red')],
      ['Action amber', 'Frontline practice', 'Mo Manager', '2020-09-30', 'amber', reasons('amber')],
    ]);
    // 2. The indicator's RAG in words, direction of travel and last four periods.
    expect(tableOf(r, 'performance')).toEqual([
      [
        'Contacts completed within 24 hours',
        '68.1 (2020-06)',
        '95 (95 or more)',
        'off target',
        'improving',
        '2020-03: 60; 2020-04: 61.2; 2020-05: 65; 2020-06: 68.1',
      ],
    ]);
    // 3. Grades this quarter against last.
    expect(tableOf(r, 'audit-grades')).toEqual([
      ['Outstanding', 0, 1],
      ['Good', 2, 0],
      ['Requires improvement', 1, 0],
      ['Inadequate', 1, 0],
      ['Total', 4, 1],
    ]);
    expect(tableOf(r, 'audit-good-or-better-by-team')).toEqual([['MASH', 4, 2, 50]]);
    expect(tableOf(r, 'audit-weakest-domains')).toEqual([['planning', 2]]);
    // Closed on time, closed late, still open, raised.
    expect(tableOf(r, 'immediate-reviews')).toEqual([
      ['MASH', 0, 0, 1, 1],
      ['Total', 0, 0, 1, 1],
    ]);
    // 4. This quarter, the same quarter a year before, the whole of 2019/20; the median from the dispute statistics.
    const summary = tableOf(r, 'disputes-summary');
    expect(summary.find((row) => row[0] === 'Raised informally')).toEqual(['Raised informally', 2, 1, 2]);
    expect(summary.find((row) => row[0] === 'Became formal')).toEqual(['Became formal', 1, 0, 1]);
    expect(summary.find((row) => row[0] === 'Resolved')).toEqual(['Resolved', 3, 0, 0]);
    const stats = (await t.as(inspector).get('/api/v1/disputes/stats?from=2020-04-01&to=2020-06-30').expect(200)).body;
    expect(stats.totals.medianWorkingDaysToResolve).toBe(9);
    expect(summary.find((row) => row[0] === 'Median working days to resolve')).toEqual([
      'Median working days to resolve',
      9,
      null,
      null,
    ]);
    expect(tableOf(r, 'disputes-by-category')).toEqual([['care-plan', 3, 1, 3]]);
    // 5. Outstanding actions and the notes entered for the board.
    // Open improvement actions: red, amber, green and the one not yet started.
    expect(tableOf(r, 'outstanding-by-team')[0].slice(0, 2)).toEqual(['MASH', 4]);
    expect(r.sections[4].paragraphs).toContain('The board is asked to note or decide: Note the MASH improvement.');
  });

  it('as at an earlier time it shows what was recorded then', async () => {
    const earlier = await report(`quarter=${Q1}&asAt=${beforeThisYear}`);
    const summary = tableOf(earlier, 'disputes-summary');
    expect(summary.find((row) => row[0] === 'Raised informally')).toEqual(['Raised informally', 0, 1, 2]);
    expect(summary.find((row) => row[0] === 'Resolved')).toEqual(['Resolved', 0, 0, 0]);
    expect(earlier.sections[4].paragraphs).toContain('No notes or decisions were entered for this report.');
    expect(earlier.asAt).toBe(beforeThisYear);
    expect(earlier).toMatchObject({ checkpoint: null });
  });

  it('regenerated as at the same time, the HTML is byte for byte the same and the .docx has the same text, sections and figures', async () => {
    const html = async () => (await t.as(inspector).get(`/api/v1/reports/board?quarter=${Q1}&asAt=${recorded}`).expect(200)).text;
    const docx = async () =>
      (
        await t
          .as(inspector)
          .get(`/api/v1/reports/board?quarter=${Q1}&asAt=${recorded}&format=docx`)
          .buffer(true)
          .parse((res, done) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => done(null, Buffer.concat(chunks)));
          })
          .expect(200)
      ).body as Buffer;
    const [first, second] = [await html(), await html()];
    expect(second).toBe(first);
    expect(first).toContain('@page { size: A4;');
    expect(first).toContain(`As at ${recorded}`);
    expect(first).toContain(`root ${rootHash}`);
    expect(first).toContain('Official – sensitive');
    const [a, b] = [await docxRuns(await docx()), await docxRuns(await docx())];
    expect(b.xml).toBe(a.xml);
    // Every heading and table cell of the HTML appears in the document, in the same order.
    const parts = htmlParts(first);
    let at = 0;
    for (const part of parts) {
      const found = a.runs.indexOf(part, at);
      expect({ part, found: found >= 0 }).toEqual({ part, found: true });
      at = found + 1;
    }
    expect(parts).toContain('4. Dispute resolution');
    expect(a.runs.join(' ')).toContain('Official – sensitive');
  });

  it('each table is a CSV download', async () => {
    const csv = await t
      .as(inspector)
      .get(`/api/v1/reports/board?quarter=${Q1}&asAt=${recorded}&format=csv&table=audit-grades`)
      .expect(200);
    expect(csv.text).toBe(
      'Grade,2020/21 Q1,2019/20 Q4\r\nOutstanding,0,1\r\nGood,2,0\r\nRequires improvement,1,0\r\nInadequate,1,0\r\nTotal,4,1\r\n',
    );
    await t.as(inspector).get(`/api/v1/reports/board?quarter=${Q1}&format=csv`).expect(400);
    await t.as(inspector).get('/api/v1/reports/board?quarter=2020/21%20Q5').expect(400);
  });

  it('the external version suppresses small numbers, carries no marking and no case reference', async () => {
    const r = await report(`quarter=${Q1}&asAt=${recorded}&audience=external`);
    expect(r.marking).toBeNull();
    expect(tableOf(r, 'audit-grades')[4]).toEqual(['Total', 'fewer than 5', 'fewer than 5']);
    expect(tableOf(r, 'audit-good-or-better-by-team')).toEqual([['MASH', 'fewer than 5', 'fewer than 5', 'suppressed']]);
    const summary = tableOf(r, 'disputes-summary');
    expect(summary.find((row) => row[0] === 'Median working days to resolve')).toEqual([
      'Median working days to resolve',
      'suppressed',
      '–',
      '–',
    ]);
    const html = (await t.as(inspector).get(`/api/v1/reports/board?quarter=${Q1}&asAt=${recorded}&audience=external`).expect(200))
      .text;
    expect(html).not.toMatch(/Official – sensitive|CASE-\d|C-\d{4}/);
    expect(html).toContain('fewer than 5');
  });

  it('only readers of every team see the report; only improvement leads and admins close a quarter', async () => {
    await t.as(manager).get(`/api/v1/reports/board?quarter=${Q1}`).expect(403);
    await t.as(iro).get(`/api/v1/reports/board?quarter=${Q1}`).expect(403);
    await t.as(qa).get(`/api/v1/reports/board?quarter=${Q1}&format=json`).expect(200);
    await t.as(inspector).post(`/api/v1/periods/${Q1}/close`).expect(403);
    await t.as(manager).post(`/api/v1/periods/${Q1}/close`).expect(403);
  });

  it('after closing, a late change without a reason is refused (422, nothing recorded); with one it is listed in the next report', async () => {
    const closed = await t.as(lead).post('/api/v1/periods/2020-21-q1/close').expect(201);
    expect(closed.body.events[0]).toMatchObject({ type: 'QuarterClosed', data: { quarter: '2020/21 Q1' } });
    await t.as(admin).post(`/api/v1/periods/${Q1}/close`).expect(409);
    const atClosing = await report(`quarter=${Q1}`);
    expect(atClosing.closed).not.toBeNull();

    const before = await head();
    const body = {
      childRef: 'C-1004',
      teamId: 'mash',
      category: 'care-plan',
      summary: 'Late entry.',
      desiredOutcome: 'Review.',
      raisedOn: '2020-06-20',
    };
    const refused = await t.as(iro).post('/api/v1/disputes', body).expect(422);
    expect(refused.body.details.code).toBe('LATE_CHANGE_NEEDS_REASON');
    expect(await head()).toBe(before);
    const late = () =>
      t
        .as(iro)
        .post('/api/v1/disputes', body)
        .set('Late-Change-Reason', 'Paper referral found in July')
        .set('Idempotency-Key', 'late-1');
    expect((await late().expect(201)).body.replayed).toBe(false);
    // A retry answers the recorded change and completes (never repeats) its late-change record.
    expect((await late().expect(201)).body.replayed).toBe(true);
    // A change into an open quarter needs no reason.
    await t
      .as(iro)
      .post('/api/v1/disputes', { ...body, childRef: 'C-2001', raisedOn: '2020-07-06' })
      .expect(201);

    const next = await report(`quarter=${Q2}`);
    expect(tableOf(next, 'late-changes')).toEqual([
      ['2020/21 Q1', '2020-06-20', 'RaiseDispute', expect.any(String), 'Paper referral found in July'],
    ]);
    // The closed quarter's report is still the one as at its closing: what the board saw.
    const again = await report(`quarter=${Q1}`);
    expect(again).toEqual(atClosing);
    expect(tableOf(again, 'disputes-summary').find((row) => row[0] === 'Raised informally')).toEqual([
      'Raised informally',
      2,
      1,
      2,
    ]);
    const [h1, h2] = [
      (await t.as(inspector).get(`/api/v1/reports/board?quarter=${Q1}`).expect(200)).text,
      (await t.as(inspector).get(`/api/v1/reports/board?quarter=${Q1}&asAt=${new Date().toISOString()}`).expect(200)).text,
    ];
    expect(h2).toBe(h1);
    await t.as(lead).post(`/api/v1/periods/${Q1}/notes`, { notes: 'Too late' }).expect(409);
  });
});
