/**
 * The dispute pages over plain HTTP: list filters kept in the CSV link, the Cafcass referral and
 * reopen forms (shown in the timeline), the quarterly statistics with CSV, and good-practice
 * alerts. A refused form shows its problems and records nothing.
 */
import { PROFILES, TestApp } from '../../support/test-app';
import { expectRefused, headOf, signedIn, textOf, type Person } from '../../support/web-http';

describe.each(PROFILES.filter((p) => p.enabled))('dispute pages over HTTP ($name)', (profile) => {
  let app: TestApp;
  let drop: () => Promise<void>;
  let iro: Person, lacManager: Person, inspector: Person;
  let adminToken: string;
  let overdueId: string, resolvedId: string, lateId: string;

  const head = (): Promise<bigint> => headOf(app);
  const api = (token: string, url: string, body: object) => app.http.post(url).set('Authorization', `Bearer ${token}`).send(body);
  const raise = async (body: Record<string, unknown>): Promise<string> => {
    const response = await api(iro.token, '/api/v1/disputes', {
      childRef: 'C-1001',
      teamId: 'lac-1',
      category: 'matching',
      summary: 'Long-term match has drifted for 14 months.',
      desiredOutcome: 'Matching assessment to panel before the next review.',
      ...body,
    }).expect(201);
    return response.body.disputeId as string;
  };
  const refused = (request: () => PromiseLike<{ status: number; text: string }>, ...messages: string[]): Promise<string> =>
    expectRefused(app, request, ...messages);

  beforeAll(async () => {
    const created = await profile.create();
    drop = created.drop;
    app = await TestApp.start(created.env);
    adminToken = (await app.userWithToken('admin')).token;
    for (const [teamId, name] of [
      ['lac-1', 'Looked After Children 1'],
      ['cin-north', 'CIN North'],
    ]) {
      await api(adminToken, '/api/v1/teams', { teamId, name, service: 'Children’s social care' }).expect(201);
    }
    iro = await signedIn(app, 'iro', [], 'ira', 'Ira Reviewer');
    lacManager = await signedIn(app, 'team-manager', ['lac-1'], 'mia', 'Mia Manager');
    inspector = await signedIn(app, 'inspector', [], 'ines', 'Ines Inspector');
    overdueId = await raise({ childRef: 'C-OVERDUE', raisedOn: '2020-05-04' });
    resolvedId = await raise({ childRef: 'C-RESOLVED', teamId: 'cin-north', raisedOn: '2020-05-05' });
    await api(iro.token, `/api/v1/disputes/${resolvedId}/resolution`, {
      outcome: 'partly-resolved',
      note: 'Agreed at the review.',
      resolvedOn: '2020-05-07',
    }).expect(201);
    lateId = await raise({ childRef: 'C-LATE', stage: 'stage-1', raisedOn: '2020-07-06' });
    await api(iro.token, `/api/v1/disputes/${lateId}/responses`, {
      response: 'Plan agreed.',
      respondedOn: '2020-07-07',
    }).expect(201);
    await api(iro.token, `/api/v1/disputes/${lateId}/resolution`, {
      outcome: 'resolved',
      note: 'Plan in place.',
      resolvedOn: '2020-07-08',
    }).expect(201);
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('filters the list by team, status, overdue and day, and keeps every filter in the CSV link', async () => {
    const overdue = await iro.get('/disputes?teamId=lac-1&overdue=true').expect(200);
    expect(textOf(overdue.text)).toContain('C-OVERDUE');
    expect(overdue.text).not.toContain('C-RESOLVED');
    expect(overdue.text).not.toContain('C-LATE');
    expect(overdue.text).toContain('href="/disputes.csv?teamId=lac-1&amp;overdue=true"');

    const resolved = await iro.get('/disputes?status=resolved').expect(200);
    expect(resolved.text).toContain('C-RESOLVED');
    expect(resolved.text).not.toContain('C-OVERDUE');

    // The "as on" day arrives as three boxes and leaves as one `on` in the CSV link.
    const asOn = await iro.get('/disputes?on-day=6&on-month=5&on-year=2020').expect(200);
    expect(asOn.text).toContain('C-OVERDUE');
    expect(asOn.text).not.toContain('C-LATE');
    expect(asOn.text).toContain('href="/disputes.csv?on=2020-05-06"');
    const csv = await iro.get('/disputes.csv?on=2020-05-06&overdue=false').expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.split('\r\n')[0]).toContain('cafcassReferredOn');
    expect(csv.text).toContain('C-OVERDUE');
    expect(csv.text).not.toContain('C-LATE');

    const wrong = await iro.get('/disputes?overdue=maybe&on-day=31&on-month=2&on-year=2020');
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('govuk-error-summary');
    expect(textOf(wrong.text)).toContain('Overdue must be true or false');
    expect(wrong.text).toContain('href="#on-day"');

    // A team manager's list is their teams' DRs only.
    const mine = await lacManager.get('/disputes').expect(200);
    expect(mine.text).toContain('C-OVERDUE');
    expect(mine.text).not.toContain('C-RESOLVED');
  });

  it('refers a DR to Cafcass from its page: the form for the IRO only, errors shown, the referral in the timeline', async () => {
    const page = await iro.get(`/disputes/${overdueId}`).expect(200);
    expect(textOf(page.text)).toContain('Refer to Cafcass');
    const managerPage = await lacManager.get(`/disputes/${overdueId}`).expect(200);
    expect(managerPage.text).not.toContain('/cafcass-referral');
    expect(managerPage.text).not.toContain('/reopen');

    const errors = await refused(
      () => iro.post(`/disputes/${overdueId}/cafcass-referral`, { cafcassReason: '' }),
      'Enter why you are referring it to Cafcass',
    );
    expect(errors).toContain('id="cafcassReason-error"');
    expect(errors).toContain('href="#cafcassReason"');

    const before = await head();
    await lacManager.post(`/disputes/${overdueId}/cafcass-referral`, { cafcassReason: 'Not mine to refer.' }).expect(403);
    expect(await head()).toBe(before);

    await iro
      .post(`/disputes/${overdueId}/cafcass-referral`, { cafcassReason: 'Drift is harming the child.' })
      .expect(303)
      .expect('Location', `/disputes/${overdueId}?done=referred`);
    const after = textOf((await iro.get(`/disputes/${overdueId}?done=referred`).expect(200)).text);
    expect(after).toContain('Referral to Cafcass recorded.');
    expect(after).toMatch(/\d{1,2} \w+ \d{4}: Referred to Cafcass\. Drift is harming the child\./);
    expect(after).not.toContain('Record referral to Cafcass');

    // Already referred: the domain's refusal appears as a form problem, nothing recorded.
    await refused(
      () => iro.post(`/disputes/${overdueId}/cafcass-referral`, { cafcassReason: 'Again.' }),
      'already referred to Cafcass',
    );
    const list = await iro.get('/disputes?teamId=lac-1').expect(200);
    expect(textOf(list.text)).toContain('Referred to Cafcass');
  });

  it('reopens a resolved DR: the form for the IRO only, errors shown, the reopening in the timeline', async () => {
    const page = textOf((await iro.get(`/disputes/${resolvedId}`).expect(200)).text);
    expect(page).toContain('7 May 2020: Resolved: partly resolved. Agreed at the review.');
    // The form is on its own page, reached by a button on the DR.
    expect((await iro.get(`/disputes/${resolvedId}`).expect(200)).text).toContain(`href="/disputes/${resolvedId}/reopen"`);
    expect(textOf((await iro.get(`/disputes/${resolvedId}/reopen`).expect(200)).text)).toContain('Why it is reopened');
    await refused(() => iro.post(`/disputes/${resolvedId}/reopen`, {}), 'Enter why it is reopened');

    await iro.post(`/disputes/${resolvedId}/reopen`, { reopenReason: 'The panel date was cancelled.' }).expect(303);
    const reopened = textOf((await iro.get(`/disputes/${resolvedId}?done=reopened`).expect(200)).text);
    expect(reopened).toContain('Dispute reopened.');
    expect(reopened).toMatch(/Reopened\. The panel date was cancelled\./);
    expect(reopened).not.toContain('Why it is reopened');
    // Reopening restarts the stage clock: the page says so, rather than showing it overdue since May 2020.
    expect(reopened).toContain('Clock restarted on');
    expect(reopened).not.toMatch(/Overdue by \d+ working days/);
    // Open again: reopening once more is not offered, and refused if posted.
    await refused(
      () => iro.post(`/disputes/${resolvedId}/reopen`, { reopenReason: 'Again.' }),
      'only a resolved DR can be reopened',
    );
    // Its page is no longer offered: back to the DR.
    await iro.get(`/disputes/${resolvedId}/reopen`).expect(303).expect('Location', `/disputes/${resolvedId}`);
  });

  it('offers the new outcomes, and refers a resolved DR to Cafcass after the local process', async () => {
    const open = textOf((await iro.get(`/disputes/${overdueId}/resolve`).expect(200)).text);
    expect(open).toContain('Unresolved: the local process ended without agreement');
    expect(open).toContain('Referred to Cafcass after the local process');
    const page = textOf((await iro.get(`/disputes/${lateId}/cafcass-referral`).expect(200)).text);
    expect(page).toContain('The local process has ended. You may still refer to Cafcass');
    await iro.post(`/disputes/${lateId}/cafcass-referral`, { cafcassReason: 'The plan is still not in place.' }).expect(303);
    const referred = textOf((await iro.get(`/disputes/${lateId}`).expect(200)).text);
    expect(referred).toMatch(/Referred to Cafcass after the local process ended\. The plan is still not in place\./);
    expect(referred).toContain(', after the local process ended');
  });

  it('shows a financial quarter’s statistics, with the same figures as CSV; a wrong period is a form problem', async () => {
    const q1 = await iro.get('/disputes/stats?period=2020%2F21+Q1').expect(200);
    const text = textOf(q1.text);
    expect(text).toContain('April to June 2020 (2020/21 Q1)');
    expect(text).toMatch(/Raised informally 2 /);
    expect(text).toMatch(/Resolved 1 /);
    expect(text).toMatch(/Median working days from raising to resolution 2 /);
    expect(text).toMatch(/Referrals to Cafcass 0 /);
    expect(q1.text).toContain('href="/disputes/stats.csv?period=2020%2F21+Q1"');

    const year = textOf((await iro.get('/disputes/stats?period=2020%2F21&teamId=lac-1').expect(200)).text);
    expect(year).toMatch(/Measure 2020\/21 Q1 2020\/21 Q2 2020\/21 Q3 2020\/21 Q4 Total/);
    expect(year).toMatch(/Became formal 0 1 0 0 1/);
    expect(year).toMatch(/Percentage resolved within the formal target None 100% None None 100%/);
    expect(year).toMatch(/Raised in the period, by the highest stage reached .* Informal alert 1 0 0 0 1 Stage 1 0 1 0 0 1/);
    // Formal DRs by category in the quarter they became formal; resolutions by outcome.
    expect(year).toMatch(/Became formal in the period, by what they are about .* Matching 0 1 0 0 1 /);
    expect(year).toMatch(/Resolved in the period, by outcome .* Resolved 0 1 0 0 1 /);

    const csv = await iro.get('/disputes/stats.csv?period=2020%2F21&teamId=lac-1').expect(200);
    const [header, ...lines] = csv.text.trim().split('\r\n');
    expect(header).toMatch(/^quarter,from,to,raisedInformal,raisedFormal,resolved,/);
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^2020\/21 Q2,2020-07-01,2020-09-30,0,1,1,1,1,100,2,0,0,/);
    expect(lines[4]).toMatch(/^Total,2020-04-01,2021-03-31,1,1,/);

    const wrong = await iro.get('/disputes/stats?period=2020+Q9');
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.text)).toContain('Choose a financial year or quarter');
    // A team manager's statistics count their own teams' DRs only.
    const mine = textOf((await lacManager.get('/disputes/stats?period=2020%2F21+Q1').expect(200)).text);
    expect(mine).toMatch(/Raised informally 1 /);
  });

  it('records a good-practice alert: errors shown and nothing recorded, then listed and in the CSV', async () => {
    const page = await iro.get('/disputes/good-practice-alerts').expect(200);
    expect(textOf(page.text)).toContain('No good-practice alerts yet.');
    expect(page.text).toContain('Record a good-practice alert');
    const managerPage = await lacManager.get('/disputes/good-practice-alerts').expect(200);
    expect(managerPage.text).not.toContain('Record a good-practice alert');

    const errors = await refused(
      () =>
        iro.post('/disputes/good-practice-alerts', {
          childRef: '',
          teamId: 'lac-1',
          summary: 'Life-story work begun.',
          'raisedOn-day': '31',
          'raisedOn-month': '2',
          'raisedOn-year': '2020',
        }),
      'Child reference',
    );
    expect(errors).toContain('href="#raisedOn-day"');
    expect(errors).toContain('Life-story work begun.');

    await inspector.post('/disputes/good-practice-alerts', { childRef: 'C-2', teamId: 'lac-1', summary: 'x' }).expect(403);
    await iro
      .post('/disputes/good-practice-alerts', {
        childRef: 'C-GOOD',
        teamId: 'lac-1',
        summary: 'Life-story work begun at the first review.',
        'raisedOn-day': '6',
        'raisedOn-month': '5',
        'raisedOn-year': '2020',
      })
      .expect(303)
      .expect('Location', '/disputes/good-practice-alerts?done=raised');
    const list = textOf((await lacManager.get('/disputes/good-practice-alerts').expect(200)).text);
    expect(list).toContain('6 May 2020 C-GOOD lac-1 Life-story work begun at the first review. Ira Reviewer');
    const csv = await iro.get('/disputes/good-practice-alerts.csv?teamId=lac-1').expect(200);
    expect(csv.text).toContain('C-GOOD,lac-1,2020-05-06');
    const other = await iro.get('/disputes/good-practice-alerts.csv?teamId=cin-north').expect(200);
    expect(other.text).not.toContain('C-GOOD');
  });
});
