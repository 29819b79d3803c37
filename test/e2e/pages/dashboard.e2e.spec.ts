/**
 * The dashboard's figures over HTTP, on both profiles: % good or better by financial quarter and
 * indicator RAG, seeded through the API and read on the page as a person sees it.
 */
import { financialQuarter } from '@casetrail/kernel';
import { PROFILES, TestApp } from '../../support/test-app';
import { signIn, webUser } from '../../support/web-http';

/** The words of a part of the page, as a screen reader would read them. */
const textOf = (html: string, from: string, to: string): string => {
  const part = html.slice(html.indexOf(from), html.indexOf(to, html.indexOf(from)));
  return part
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
};

describe.each(PROFILES.filter((p) => p.enabled))('dashboard figures ($name)', (profile) => {
  let app: TestApp;
  let drop: () => Promise<void>;
  let cookie: string;
  const today = new Date().toISOString().slice(0, 10);
  const thisQuarter = financialQuarter(today);
  const lastQuarter = financialQuarter(
    new Date(Date.parse(`${thisQuarter.from}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10),
  );

  beforeAll(async () => {
    const created = await profile.create();
    drop = created.drop;
    app = await TestApp.start(created.env);
    const admin = await webUser(app, 'admin', 'ada');
    const qa = await app.userWithToken('qa-officer', [], 'Quinn Qa');
    const lead = await app.userWithToken('improvement-lead', [], 'Lee Lead');
    const as = (token: string) => ({
      post: (url: string, body: object) => app.http.post(url).set('Authorization', `Bearer ${token}`).send(body),
    });
    await as(admin.token).post('/api/v1/teams', { teamId: 'north', name: 'North', service: 'CIN' }).expect(201);
    const audit = async (auditedOn: string, grade: string): Promise<void> => {
      const started = await as(qa.token)
        .post('/api/v1/audits', { caseRef: `C-${Math.random().toString(36).slice(2, 8)}`, teamId: 'north', auditedOn })
        .expect(201);
      const id = started.body.auditId as string;
      await as(qa.token).post(`/api/v1/audits/${id}/grades`, { domain: 'planning', grade }).expect(200);
      await as(qa.token).post(`/api/v1/audits/${id}/submit`, { overallGrade: grade, submittedOn: today }).expect(200);
    };
    await audit(lastQuarter.from, 'good');
    await audit(thisQuarter.from, 'outstanding');
    await audit(thisQuarter.from, 'inadequate');
    await audit(thisQuarter.from, 'requires-improvement');
    await as(lead.token)
      .post('/api/v1/indicators', {
        code: 'visits',
        name: 'Visits in time',
        unit: 'percent',
        polarity: 'higher-is-better',
        target: 90,
        tolerance: 5,
        frequency: 'monthly',
      })
      .expect(201);
    await as(lead.token)
      .post('/api/v1/indicators', {
        code: 'contacts',
        name: 'Contacts in 24 hours',
        unit: 'percent',
        polarity: 'higher-is-better',
        target: 95,
        tolerance: 5,
        frequency: 'monthly',
      })
      .expect(201);
    await as(lead.token)
      .post('/api/v1/indicators/visits/measurements', { teamId: 'north', period: today.slice(0, 7), value: 70 })
      .expect(201);

    cookie = (await signIn(app, 'ada')).cookie;
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('shows % good or better (with the number of audits) for each of the last four financial quarters', async () => {
    const html = (await app.http.get('/dashboard').set('Cookie', cookie).expect(200)).text;
    const table = textOf(html, 'Good or better, by quarter', 'Actions and disputes');
    // Quarters in words, their financial label beside: "July to September 2026 (2026/27 Q2)".
    expect(table).toMatch(/(January|April|July|October) to (March|June|September|December) \d{4} \(\d{4}\/\d{2} Q\d\)/);
    expect(table).toContain(`(${lastQuarter.label}) 100% (1) 100% (1)`);
    // outstanding, inadequate, requires improvement: 1 of 3 good or better
    expect(table).toContain(`(${thisQuarter.label}) 33.3% (3) 33.3% (3)`);
    expect(table.match(/\d{4}\/\d{2} Q\d/g)).toHaveLength(4);
  });

  it('counts indicators by RAG for the chosen team, and council-wide', async () => {
    const team = (await app.http.get('/dashboard?teamId=north').set('Cookie', cookie).expect(200)).text;
    expect(textOf(team, 'Indicators for North', 'See the scorecard')).toBe(
      'Indicators for North Red Amber Green No value yet 1 0 0 1',
    );
    // Council-wide figures are measured as such (no team): none recorded yet.
    const all = (await app.http.get('/dashboard').set('Cookie', cookie).expect(200)).text;
    expect(textOf(all, '<h2 class="govuk-heading-m">Indicators', 'See the scorecard')).toBe(
      'Indicators Red Amber Green No value yet 0 0 0 2',
    );
  });
  it("a team manager sees their own teams' plans and rows only, as the API would show them", async () => {
    const admin = await app.userWithToken('admin', [], 'Second Admin');
    const lead = await app.userWithToken('improvement-lead', [], 'Lena Lead');
    const manager = await webUser(app, 'team-manager', 'nora', { teamIds: ['north'], name: 'Nora North' });
    const post = (token: string, url: string, body: object) =>
      app.http.post(url).set('Authorization', `Bearer ${token}`).send(body).expect(201);
    await post(admin.token, '/api/v1/teams', { teamId: 'south', name: 'South', service: 'CIN' });
    for (const [planId, teamId] of [
      ['plan-north', 'north'],
      ['plan-south', 'south'],
    ]) {
      await post(lead.token, '/api/v1/plans', {
        planId,
        title: `Plan for team ${teamId}`,
        trigger: { kind: 'ofsted-inspection', date: '2026-03-03', judgement: 'inadequate' },
      });
      await post(lead.token, `/api/v1/plans/${planId}/priorities`, { priorityId: 'practice', title: 'Practice' });
      await post(lead.token, `/api/v1/plans/${planId}/recommendations`, {
        recommendationId: 'risk',
        text: 'Assess risk explicitly',
        timescale: 'immediately',
      });
      await post(lead.token, `/api/v1/plans/${planId}/actions`, {
        actionId: `${planId}-action`,
        priorityId: 'practice',
        recommendationIds: ['risk'],
        title: 'Risk analysis',
        ownerId: lead.userId,
        teamIds: [teamId],
        startOn: '2026-04-01',
        dueOn: '2026-10-30',
        successMeasure: 'Risk analysed in 95% of assessments',
      });
    }
    const asManager = (url: string) => app.http.get(url).set('Authorization', `Bearer ${manager.token}`);
    await asManager('/api/v1/plans/plan-north/status').expect(200);
    await asManager('/api/v1/plans/plan-south/status').expect(404);

    const html = (
      await app.http
        .get('/dashboard')
        .set('Cookie', (await signIn(app, 'nora')).cookie)
        .expect(200)
    ).text;
    expect(html).toContain('Plan for team north');
    expect(html).not.toContain('Plan for team south');
    expect(html).not.toContain('South');
    // Everyone else sees both.
    const all = (await app.http.get('/dashboard').set('Cookie', cookie).expect(200)).text;
    expect(all).toContain('Plan for team north');
    expect(all).toContain('Plan for team south');
  });

  it('the main menu offers the board report to those the policy lets read it, and not to a team manager', async () => {
    const menuOf = async (username: string): Promise<string> =>
      textOf(
        (
          await app.http
            .get('/dashboard')
            .set('Cookie', (await signIn(app, username)).cookie)
            .expect(200)
        ).text,
        'Main menu',
        '</nav>',
      );
    await webUser(app, 'improvement-lead', 'lena', { name: 'Lena Menu' });
    await webUser(app, 'team-manager', 'tom', { teamIds: ['north'], name: 'Tom Menu' });
    expect(await menuOf('lena')).toContain('Board report');
    expect(await menuOf('ada')).toContain('Board report');
    expect(await menuOf('tom')).not.toContain('Board report');
    expect(await menuOf('tom')).toContain('Self-assessments');
  });
});
