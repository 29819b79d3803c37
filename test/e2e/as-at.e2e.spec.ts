import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { dayOf } from '@casetrail/kernel';
import { PROFILES, TestApp, type User } from '../support/test-app';

type Captured = { url: string; user: User; status: number; body: string };

/**
 * GET routes that are not read views of the read models, so `asAt` does not apply to them:
 * the health check, the metrics (live counters of this process), the API docs, and the inspector trail (which reads the event log itself,
 * with its own from/to): trail pages, changes, verify, checkpoints, export, stream histories
 * and the access log.
 */
const NOT_READ_VIEWS = [
  /^\/health$/,
  /^\/metrics$/,
  /^\/api\/docs/,
  /^\/api\/v1\/trail(\/|$)/,
  /^\/api\/v1\/streams\//,
  /^\/api\/v1\/access-log$/,
];

/** Fields that say when a response was generated, not what it says (none yet; add them here). */
const VOLATILE_FIELDS = new Set(['generatedAt']);

const withoutVolatile = (text: string): string => {
  if (!text) return text;
  const strip = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(strip)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([k]) => !VOLATILE_FIELDS.has(k))
              .map(([k, v]) => [k, strip(v)]),
          )
        : value;
  try {
    return JSON.stringify(strip(JSON.parse(text)));
  } catch {
    return text;
  }
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(PROFILES.filter((p) => p.enabled))('as-at reads over HTTP ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let admin: User, qa: User, moderator: User, qaLead: User, manager: User, iro: User, lead: User, owner: User, inspector: User;

  /** A recording step must succeed: the story is the test's input. */
  const ok = async (request: PromiseLike<{ status: number; body: Record<string, unknown> }>) => {
    const response = await request;
    if (response.status >= 300) throw new Error(`Recording failed (${response.status}): ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const head = (): Promise<bigint> => t.app.get<EventStore>(EVENT_STORE).headPosition();

  beforeEach(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env);
    admin = await t.userWithToken('admin', [], 'Ada Admin');
    qa = await t.userWithToken('qa-officer', [], 'Quinn Auditor');
    moderator = await t.userWithToken('qa-officer', [], 'Morgan Moderator');
    qaLead = await t.userWithToken('qa-officer', [], 'Quentin Lead');
    iro = await t.userWithToken('iro', [], 'Ira Reviewing');
    lead = await t.userWithToken('improvement-lead', [], 'Imogen Lead');
    inspector = await t.userWithToken('inspector', [], 'Ines Inspector');
    for (const teamId of ['cin-north', 'mash', 'lac-1']) {
      await ok(t.as(admin).post('/api/v1/teams', { teamId, name: `Team ${teamId}`, service: 'Children in need' }));
    }
    manager = await t.userWithToken('team-manager', ['cin-north', 'lac-1'], 'Mia Manager');
    owner = await t.userWithToken('team-manager', ['mash'], 'Mo Owner');
  });
  afterEach(async () => {
    await t.close();
    await storage.drop();
  });

  /** Ids of everything recorded, by the path segment that precedes them in a route. */
  const ids: Record<string, string[]> = {};
  const remember = (segment: string, id: string) => (ids[segment] ??= []).includes(id) || ids[segment].push(id);

  async function recordFirstPart(): Promise<void> {
    for (const team of ['cin-north', 'mash', 'lac-1']) remember('teams', team);
    for (const user of [admin, qa, manager, owner]) remember('users', user.userId);

    // Audits in a programme: graded, submitted, moderated; one left in progress; an action raised.
    await ok(
      t.as(qa).post('/api/v1/audit-programmes', {
        programmeId: 'spring-2026',
        title: 'Spring audits',
        kind: 'monthly',
        from: '2026-04-01',
        to: '2026-04-30',
        teamIds: ['cin-north', 'mash'],
      }),
    );
    remember('audit-programmes', 'spring-2026');
    // The programme's case sample, drawn from an uploaded case list.
    const caseList = [
      'Case reference,Team,Category,Worker id,Open since',
      ...['CASE-1001', 'CASE-1002', 'CASE-1003', 'CASE-1004'].map(
        (ref, i) => `${ref},${i % 2 ? 'mash' : 'cin-north'},CIN,w${i},15/01/2024`,
      ),
    ].join('\n');
    const listed = await ok(
      t.http.post('/api/v1/case-lists').set('Authorization', `Bearer ${qa.token}`).set('Content-Type', 'text/csv').send(caseList),
    );
    await ok(
      t.as(qa).post('/api/v1/samples', { programmeId: 'spring-2026', caseListId: listed.caseListId, perTeam: 1, seed: 'as-at' }),
    );
    remember('samples', 'spring-2026');
    const audit = (
      await ok(
        t.as(qa).post('/api/v1/audits', {
          caseRef: 'CASE-1001',
          teamId: 'cin-north',
          auditedOn: '2026-04-06',
          programmeId: 'spring-2026',
        }),
      )
    ).auditId as string;
    await ok(t.as(qa).post(`/api/v1/audits/${audit}/grades`, { domain: 'planning', grade: 'requires-improvement' }));
    await ok(
      t.as(qa).post(`/api/v1/audits/${audit}/grades`, { domain: 'voice-of-child', grade: 'good', evidence: 'Seen alone' }),
    );
    await ok(t.as(qa).post(`/api/v1/audits/${audit}/submit`, { overallGrade: 'good', submittedOn: '2026-04-07' }));
    await ok(t.as(qa).post(`/api/v1/audits/${audit}/moderation-requests`, { moderatorId: moderator.userId }));
    await ok(
      t.as(moderator).post(`/api/v1/audits/${audit}/moderation`, {
        overallGrade: 'requires-improvement',
        domainGrades: { planning: 'requires-improvement' },
        agreed: false,
        rationale: 'The plan has no timescales',
      }),
    );
    const action = await ok(
      t.as(qa).post(`/api/v1/audits/${audit}/actions`, {
        description: 'Update the chronology',
        ownerId: manager.userId,
        raisedOn: '2026-04-10',
      }),
    );
    const second = (await ok(t.as(qa).post('/api/v1/audits', { caseRef: 'CASE-1002', teamId: 'mash', auditedOn: '2026-05-01' })))
      .auditId as string;
    await ok(t.as(qa).post(`/api/v1/audits/${second}/grades`, { domain: 'planning', grade: 'good' }));
    remember('audits', audit);
    remember('audits', second);
    remember('audit-actions', action.actionId as string);

    // Disputes: one escalated after an unsatisfactory response, one informal; a good-practice alert.
    const dispute = (
      await ok(
        t.as(iro).post('/api/v1/disputes', {
          childRef: 'C-1001',
          teamId: 'lac-1',
          category: 'matching',
          summary: 'Long-term match has drifted for 14 months.',
          desiredOutcome: 'Matching assessment to panel before the next review.',
          raisedOn: '2026-09-01',
        }),
      )
    ).disputeId as string;
    await ok(
      t.as(iro).post(`/api/v1/disputes/${dispute}/responses`, {
        response: 'Allocated.',
        respondedOn: '2026-09-03',
        satisfactory: false,
      }),
    );
    await ok(
      t.as(iro).post(`/api/v1/disputes/${dispute}/escalations`, {
        toStage: 'stage-1',
        reason: 'No date agreed.',
        escalatedOn: '2026-09-04',
      }),
    );
    const informal = (
      await ok(
        t.as(iro).post('/api/v1/disputes', {
          childRef: 'C-1002',
          teamId: 'cin-north',
          category: 'matching',
          summary: 'Plan not shared with the child.',
          desiredOutcome: 'Share the plan.',
          raisedOn: '2026-10-01',
        }),
      )
    ).disputeId as string;
    await ok(
      t.as(iro).post('/api/v1/good-practice-alerts', {
        childRef: 'C-7',
        teamId: 'cin-north',
        summary: 'Great review.',
        raisedOn: '2026-09-14',
      }),
    );
    remember('disputes', dispute);
    remember('disputes', informal);

    // An improvement plan with a priority, a recommendation, two actions and progress.
    await ok(
      t.as(lead).post('/api/v1/plans', {
        planId: 'ofsted-2026',
        title: 'Safeguarding improvement plan',
        trigger: { kind: 'ofsted-inspection', date: '2026-03-03', judgement: 'inadequate' },
      }),
    );
    await ok(t.as(lead).post('/api/v1/plans/ofsted-2026/priorities', { priorityId: 'practice', title: 'Frontline practice' }));
    await ok(
      t.as(lead).post('/api/v1/plans/ofsted-2026/recommendations', {
        recommendationId: 'risk',
        text: 'Ensure that assessments contain an explicit assessment of risk',
        timescale: 'immediately',
      }),
    );
    for (const [actionId, dueOn] of [
      ['risk-analysis', '2026-10-30'],
      ['supervision', '2027-01-29'],
    ]) {
      await ok(
        t.as(lead).post('/api/v1/plans/ofsted-2026/actions', {
          actionId,
          priorityId: 'practice',
          recommendationIds: ['risk'],
          title: `Action ${actionId}`,
          ownerId: owner.userId,
          teamIds: ['mash'],
          startOn: '2026-04-01',
          dueOn,
          successMeasure: '95% of assessments include a risk analysis',
        }),
      );
      remember('actions', actionId);
    }
    await ok(
      t.as(owner).post('/api/v1/actions/risk-analysis/progress', {
        reportedOn: '2026-09-01',
        note: 'Monthly update',
        confidence: 'on-track',
      }),
    );
    remember('plans', 'ofsted-2026');

    // An indicator with a measurement, and a self-assessment.
    await ok(
      t.as(lead).post('/api/v1/indicators', {
        code: 'contacts-24h',
        name: 'Contacts completed within 24 hours',
        unit: 'percent',
        polarity: 'higher-is-better',
        target: 95,
        tolerance: 5,
        frequency: 'monthly',
      }),
    );
    await ok(t.as(lead).post('/api/v1/indicators/contacts-24h/measurements', { teamId: 'mash', period: '2026-06', value: 91.5 }));
    remember('indicators', 'contacts-24h');
    await ok(
      t.as(lead).post('/api/v1/self-assessments', {
        service: 'mash-assessment',
        period: '2026/27 Q1',
        score: 6,
        whatWeKnow: 'Timeliness improved.',
        howWeKnow: 'Monthly audits.',
        whatNext: 'Audit supervision.',
      }),
    );
  }

  async function recordSecondPart(): Promise<void> {
    const [audit, second] = ids['audits'];
    // Auditor (good) and moderator (requires improvement) disagree: a third QA officer's decision settles it.
    await ok(
      t
        .as(qaLead)
        .post(`/api/v1/audits/${audit}/corrections`, { domain: 'overall', to: 'inadequate', reason: 'New information' }),
    );
    await ok(
      t.as(manager).post(`/api/v1/audits/${audit}/actions/${ids['audit-actions'][0]}/complete`, {
        evidence: 'Done',
        completedOn: '2026-05-01',
      }),
    );
    await ok(t.as(qa).post(`/api/v1/audits/${second}/submit`, { overallGrade: 'good', submittedOn: '2026-05-02' }));
    await ok(t.as(qa).post('/api/v1/audits', { caseRef: 'CASE-1003', teamId: 'lac-1', auditedOn: '2026-06-01' }));
    const [dispute, informal] = ids['disputes'];
    await ok(
      t.as(iro).post(`/api/v1/disputes/${dispute}/resolution`, {
        outcome: 'resolved',
        note: 'Panel agreed.',
        resolvedOn: '2026-10-02',
      }),
    );
    await ok(
      t.as(iro).post(`/api/v1/disputes/${informal}/responses`, {
        response: 'Shared.',
        respondedOn: '2026-10-05',
        satisfactory: true,
      }),
    );
    await ok(
      t.as(iro).post('/api/v1/disputes', {
        childRef: 'C-1003',
        teamId: 'mash',
        category: 'matching',
        summary: 'Later dispute.',
        desiredOutcome: 'x',
        raisedOn: '2026-11-01',
      }),
    );
    await ok(
      t.as(owner).post('/api/v1/actions/risk-analysis/progress', {
        reportedOn: '2026-10-01',
        note: 'Slipping',
        confidence: 'off-track',
      }),
    );
    await ok(
      t.as(owner).post('/api/v1/actions/supervision/complete', { completedOn: '2026-11-01', evidence: 'Supervision audit' }),
    );
    await ok(t.as(lead).post('/api/v1/indicators/contacts-24h/measurements', { teamId: 'mash', period: '2026-07', value: 97 }));
    await ok(
      t.as(lead).post('/api/v1/indicators/contacts-24h/corrections', {
        teamId: 'mash',
        period: '2026-06',
        value: 80,
        reason: 'Miscounted',
      }),
    );
    await ok(
      t.as(lead).post('/api/v1/self-assessments', {
        service: 'mash-assessment',
        period: '2026/27 Q2',
        score: 7,
        whatWeKnow: 'Better.',
        howWeKnow: 'Audits.',
        whatNext: 'More.',
      }),
    );
    await ok(t.as(admin).patch('/api/v1/teams/mash', { name: 'MASH and Early Help' }));
    await ok(t.as(admin).post('/api/v1/teams/lac-1/close', { reason: 'Merged', closedOn: '2026-11-01' }));
    await t.userWithToken('team-manager', ['cin-north'], 'Newly Arrived');
  }

  /** Every read GET in the OpenAPI document, with path params filled from what was recorded. */
  async function readViewUrls(): Promise<string[]> {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as {
      paths: Record<string, { get?: { parameters?: { in: string; name: string }[] } }>;
    };
    const urls: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      if (!operations.get || NOT_READ_VIEWS.some((skip) => skip.test(path))) continue;
      let expanded = [path];
      for (const match of path.matchAll(/\/([^/{]+)\/\{[^}]+\}/g)) {
        const values = ids[match[1]];
        if (!values?.length) throw new Error(`No recorded id for ${match[0]} in ${path}: record one in this test`);
        expanded = expanded.flatMap((p) => values.map((v) => p.replace(match[0], `/${match[1]}/${encodeURIComponent(v)}`)));
      }
      const query = new Set((operations.get.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
      const variants = [''];
      if (query.has('teamId')) variants.push(...ids['teams'].map((team) => `teamId=${team}`));
      if (query.has('includeClosed')) variants.push('includeClosed=true');
      if (query.has('on')) variants.push('on=2026-09-15');
      if (query.has('from') && query.has('to')) variants.push('from=2026-01-01&to=2026-12-31');
      for (const url of expanded) for (const v of variants) urls.push(v ? `${url}?${v}` : url);
    }
    return urls;
  }

  /** Reads each URL as the first of these users allowed to read it. */
  async function capture(urls: string[]): Promise<Captured[]> {
    const captured: Captured[] = [];
    for (const url of urls) {
      for (const user of [admin, inspector, qa, lead, manager, owner]) {
        const response = await t.as(user).get(url);
        if (response.status === 403) continue;
        captured.push({ url, user, status: response.status, body: withoutVolatile(response.text) });
        break;
      }
    }
    return captured;
  }

  const replay = async (c: Captured, asAt: string): Promise<Captured> => {
    const response = await t.as(c.user).get(`${c.url}${c.url.includes('?') ? '&' : '?'}asAt=${encodeURIComponent(asAt)}`);
    return { ...c, status: response.status, body: withoutVolatile(response.text) };
  };

  it('every read view answered with asAt=T is byte for byte what it answered at T', async () => {
    await recordFirstPart();
    const urls = await readViewUrls();
    const before = await capture(urls);
    await sleep(10);
    const instant = new Date().toISOString();
    const positionAtT = await head();
    await sleep(10);
    await recordSecondPart();

    // The views really changed since T, so the comparison below can fail.
    const now = await capture(urls);
    const changed = now.filter((c, i) => c.body !== before[i].body || c.status !== before[i].status).map((c) => c.url);
    expect(changed.length).toBeGreaterThan(urls.length / 3);

    const replayed = [];
    for (const c of before) replayed.push(await replay(c, instant));
    const show = (list: Captured[]) => list.map(({ url, status, body }) => ({ url, status, body }));
    expect(show(replayed)).toEqual(show(before));
    expect(before.filter((c) => c.status === 200).length).toBeGreaterThan(urls.length * 0.8);

    const one = await t
      .as(admin)
      .get(`/api/v1/teams?asAt=${encodeURIComponent(instant)}`)
      .expect(200);
    expect(one.header['as-at-position']).toBe(positionAtT.toString()); // the last event recorded at or before T
  });

  it('asAt before the first event answers empty views; a bad asAt is a 400 and a POST with asAt too', async () => {
    await recordFirstPart();
    const empty = await t.as(admin).get('/api/v1/teams?asAt=2001-01-01T00:00:00Z').expect(200);
    expect(empty.body).toEqual([]);
    expect(empty.header['as-at-position']).toBe('0');
    expect((await t.as(admin).get('/api/v1/audits?asAt=2001-01-01T00:00:00Z').expect(200)).body).toEqual([]);
    await t.as(admin).get('/api/v1/teams/mash?asAt=2001-01-01T00:00:00Z').expect(404);
    expect((await t.as(admin).get('/api/v1/teams').expect(200)).body).toHaveLength(3);

    for (const bad of ['yesterday', '2020-06-30', '2020-06-31T00:00:00Z', '2020-06-30T23:59:59', '2999-01-01T00:00:00Z']) {
      const response = await t.as(admin).get(`/api/v1/teams?asAt=${encodeURIComponent(bad)}`);
      expect({ bad, status: response.status }).toEqual({ bad, status: 400 });
      expect(response.body.message).toMatch(/asAt/);
    }
    await t.as(admin).get('/api/v1/teams?asAt=2020-01-01T00:00:00Z&asAt=2021-01-01T00:00:00Z').expect(400);
    const before = await head();
    await t
      .as(admin)
      .post(`/api/v1/teams?asAt=${encodeURIComponent(new Date().toISOString())}`)
      .send({ teamId: 'late', name: 'Late', service: 'x' })
      .expect(400);
    expect(await head()).toBe(before);
  });
});

describe.each(PROFILES.filter((p) => p.enabled))('the business day `on` under asAt ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;

  beforeEach(async () => {
    storage = await profile.create();
  });
  afterEach(async () => {
    jest.useRealTimers();
    await t.close();
    await storage.drop();
  });

  it('`on` defaults to the day of asAt, not to today', async () => {
    // Everything is recorded on 30 June 2020: only Date is faked, and the store stamps
    // recordedAt from it (never earlier than the last event, so from the very first event on).
    jest.useFakeTimers({
      now: new Date('2020-06-30T10:00:00Z'),
      doNotFake: [
        'nextTick',
        'setImmediate',
        'clearImmediate',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
    t = await TestApp.start(storage.env);
    const admin = await t.userWithToken('admin');
    const iro = await t.userWithToken('iro');
    await t.http
      .post('/api/v1/teams')
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ teamId: 'lac-1', name: 'LAC 1', service: 'Looked after' })
      .expect(201);
    const raised = await t.http
      .post('/api/v1/disputes')
      .set('Authorization', `Bearer ${iro.token}`)
      .send({
        childRef: 'C-1',
        teamId: 'lac-1',
        category: 'matching',
        summary: 'Drift.',
        desiredOutcome: 'Panel.',
        raisedOn: '2020-06-01',
      })
      .expect(201);
    jest.useRealTimers();
    // A token issued in 2020 has expired by now: read as someone signed in today (an inspector reads every DR).
    const reader = await t.userWithToken('inspector');
    const get = (url: string) => t.http.get(url).set('Authorization', `Bearer ${reader.token}`);
    const id = raised.body.disputeId as string;
    // 23:59:59 BST on 30 June: "that day" is the London day (at 23:59:59 UTC it was already 1 July in London).
    const asAt = encodeURIComponent('2020-06-30T22:59:59Z');

    const defaulted = await get(`/api/v1/disputes/${id}?asAt=${asAt}`).expect(200);
    const onThatDay = await get(`/api/v1/disputes/${id}?asAt=${asAt}&on=2020-06-30`).expect(200);
    const onToday = await get(`/api/v1/disputes/${id}?asAt=${asAt}&on=${dayOf(new Date())}`).expect(200);
    expect(defaulted.text).toBe(onThatDay.text);
    expect(defaulted.text).not.toBe(onToday.text); // the day matters to this view, so the check can fail
    // Without asAt, `on` is today.
    expect((await get(`/api/v1/disputes/${id}`).expect(200)).text).toBe(onToday.text);
    // Half past midnight BST on 1 July (23:30 UTC on 30 June): the day of asAt is 1 July in London.
    const afterMidnight = encodeURIComponent('2020-06-30T23:30:00Z');
    const late = await get(`/api/v1/disputes/${id}?asAt=${afterMidnight}`).expect(200);
    expect(late.body.on).toBe('2020-07-01');
    const list = await get(`/api/v1/teams/lac-1/disputes?asAt=${asAt}`).expect(200);
    expect(list.text).toBe((await get(`/api/v1/teams/lac-1/disputes?asAt=${asAt}&on=2020-06-30`).expect(200)).text);
  });
});
