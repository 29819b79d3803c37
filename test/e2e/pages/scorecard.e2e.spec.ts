/**
 * The scorecard pages over plain HTTP: value, target, RAG as words, direction in words, a trend
 * line described for screen readers, CSVs; an indicator's history and its forms (record, correct,
 * targets, comparators, aggregation), each on its own page, for the roles that may. A refused form
 * shows its own page again with its problems and records nothing.
 */
import { PROFILES, TestApp } from '../../support/test-app';
import { expectRefused, headOf, signedIn, textOf, type Person } from '../../support/web-http';

describe.each(PROFILES.filter((p) => p.enabled))('scorecard pages over HTTP ($name)', (profile) => {
  let app: TestApp;
  let drop: () => Promise<void>;
  let lead: Person, mashManager: Person, inspector: Person;

  const head = (): Promise<bigint> => headOf(app);
  const api = (token: string, url: string, body: object) => app.http.post(url).set('Authorization', `Bearer ${token}`).send(body);
  const refused = (request: () => PromiseLike<{ status: number; text: string }>, ...messages: string[]): Promise<string> =>
    expectRefused(app, request, ...messages);

  beforeAll(async () => {
    const created = await profile.create();
    drop = created.drop;
    app = await TestApp.start(created.env);
    const admin = await app.userWithToken('admin');
    for (const [teamId, name] of [
      ['mash', 'Front Door MASH'],
      ['cin-north', 'CIN North'],
    ]) {
      await api(admin.token, '/api/v1/teams', { teamId, name, service: 'Children’s social care' }).expect(201);
    }
    lead = await signedIn(app, 'improvement-lead', [], 'lee', 'Lee Lead');
    mashManager = await signedIn(app, 'team-manager', ['mash'], 'mia', 'Mia Manager');
    inspector = await signedIn(app, 'inspector', [], 'ines', 'Ines Inspector');
    await api(lead.token, '/api/v1/indicators', {
      code: 'contacts-24h',
      name: 'Contacts completed within 24 hours',
      unit: 'percent',
      polarity: 'higher-is-better',
      target: 95,
      tolerance: 5,
      frequency: 'monthly',
    }).expect(201);
    await api(lead.token, '/api/v1/indicators', {
      code: 'cp-rate',
      name: 'Child protection plans per 10,000',
      unit: 'rate-per-10k',
      polarity: 'lower-is-better',
      target: 36,
      tolerance: 4,
      frequency: 'quarterly',
    }).expect(201);
    for (const [period, value] of [
      ['2025-01', 80],
      ['2025-02', 88],
      ['2025-03', 92],
      ['2025-04', 96],
    ] as const) {
      await api(lead.token, '/api/v1/indicators/contacts-24h/measurements', { period, value }).expect(201);
    }
    await api(lead.token, '/api/v1/indicators/contacts-24h/measurements', {
      teamId: 'mash',
      period: '2025-04',
      value: 70,
    }).expect(201);
    await api(lead.token, '/api/v1/indicators/cp-rate/measurements', { period: '2024/25 Q4', value: 38 }).expect(201);
    await api(lead.token, '/api/v1/indicators/cp-rate/measurements', { period: '2025/26 Q1', value: 42 }).expect(201);
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('shows each indicator with value, target, RAG in words, direction in words and a described trend line', async () => {
    const page = await inspector.get('/scorecard').expect(200);
    const text = textOf(page.text);
    expect(text).toContain('Contacts completed within 24 hours');
    // The value, then the financial year to date (April only) and the 12 months to April (the mean of Jan-Apr).
    expect(text).toMatch(
      /2025-04 96% Year to date 96% 12 months 89% \(4 of 12 months\) 95% amber up to 5 percentage points below it Green: on target ↑ Improving up from 92% in 2025-03/,
    );
    // Lower is better: a rise is a decline, said in words, not colour.
    expect(text).toMatch(
      /2025\/26 Q1 42 per 10,000 36 per 10,000 amber up to 4 per 10,000 above it Red: off target ↑ Getting worse up from 38 per 10,000/,
    );
    expect(page.text).toMatch(
      /<svg class="ct-sparkline"[^>]*role="img"[^>]*aria-label="Trend over the last 4 periods, rising: from 80% in 2025-01 to 96% in 2025-04/,
    );
    expect(page.text).toContain('<a class="govuk-link" href="/scorecard/contacts-24h">');
    expect(page.text).toContain('href="/scorecard.csv"');
    // The navigation has the scorecard, marked as the current page.
    expect(page.text).toMatch(/href="\/scorecard"[^>]*aria-current="true"/);

    const earlier = textOf((await inspector.get('/scorecard?period=2025-02').expect(200)).text);
    expect(earlier).toMatch(
      /2025-02 88% Year to date 84% \(2 of 11 months\) 12 months 84% \(2 of 12 months\) 95% amber up to 5 percentage points below it Red: off target ↑ Improving up from 80% in 2025-01/,
    );

    // A quarter after the last value: "Not measured", never coloured, no direction of travel.
    const later = textOf((await inspector.get(`/scorecard?period=${encodeURIComponent('2025/26 Q2')}`).expect(200)).text);
    expect(later).toMatch(
      /2025-04 not measured in 2025\/26 Q2: the latest value is for 2025-04 Not measured Year to date 96% \(1 of 6 months\) 12 months 89% \(4 of 12 months\) 95% amber up to 5 percentage points below it Not measured Not enough values/,
    );
    expect(later).not.toMatch(/Red: off target|Green: on target|Amber: within tolerance/);

    const team = await inspector.get('/scorecard?teamId=mash').expect(200);
    expect(textOf(team.text)).toMatch(
      /2025-04 70% Year to date 70% 12 months 70% \(1 of 12 months\) 95% amber up to 5 percentage points below it Red: off target Not enough values/,
    );
    expect(team.text).toContain('href="/scorecard.csv?teamId=mash"');
    expect(team.text).toContain('href="/scorecard/contacts-24h?teamId=mash"');

    const csv = await inspector.get('/scorecard.csv?period=2025-02').expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'code,name,unit,polarity,frequency,teamId,period,value,numerator,denominator,corrected,target,tolerance,rag,previousPeriod,previousValue,direction',
    );
    expect(lines).toContain(
      'contacts-24h,Contacts completed within 24 hours,percent,higher-is-better,monthly,,2025-02,88,,,false,95,5,red,2025-01,80,improving',
    );

    const wrong = await inspector.get('/scorecard?period=2025-13');
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.text)).toContain('Period "2025-13" is not a real month, quarter or week');
    expect(wrong.text).toContain('href="#period"');
  });

  it('an improvement lead defines an indicator on its own page: plain-English errors, nothing recorded, then its page', async () => {
    const scorecard = await lead.get('/scorecard').expect(200);
    expect(scorecard.text).toContain('href="/scorecard/indicators/new"');
    expect((await inspector.get('/scorecard').expect(200)).text).not.toContain('href="/scorecard/indicators/new"');
    await inspector.get('/scorecard/indicators/new').expect(403);
    await mashManager.post('/scorecard/indicators/new', { code: 'x-code' }).expect(403);

    const empty = await refused(
      () => lead.post('/scorecard/indicators/new', {}),
      "Enter the indicator's name",
      'Choose what the indicator is measured in',
      'Choose whether a higher or a lower value is better',
      'Enter the target as a number, for example 95',
      'Choose how often it is measured',
    );
    expect(empty).toContain('href="#code"');
    const typed = {
      code: 'visits-on-time',
      name: 'Visits on time',
      unit: 'percent',
      polarity: 'higher-is-better',
      target: '120',
      tolerance: '5',
      frequency: 'monthly',
    };
    const tooHigh = await refused(() => lead.post('/scorecard/indicators/new', typed));
    expect(tooHigh).toContain('id="target-error"');
    expect(tooHigh).toContain('value="Visits on time"');
    const taken = await refused(() => lead.post('/scorecard/indicators/new', { ...typed, code: 'contacts-24h', target: '90' }));
    expect(taken).toContain('id="code-error"');

    await lead
      .post('/scorecard/indicators/new', { ...typed, target: '90' })
      .expect(303)
      .expect('Location', '/scorecard/visits-on-time?done=defined');
    const page = textOf((await lead.get('/scorecard/visits-on-time?done=defined').expect(200)).text);
    expect(page).toContain('Indicator defined.');
    expect(page).toContain('90%, amber up to 5 percentage points below it');
  });

  it('changes the target on its own page, and the trend chart shows values on its axis', async () => {
    const page = await lead.get('/scorecard/contacts-24h').expect(200);
    expect(page.text).toContain('href="/scorecard/contacts-24h/target"');
    expect(page.text).not.toContain('action="/scorecard/contacts-24h/target"');
    const axis = [...page.text.matchAll(/class="ct-axis-value">([^<]*)</g)].map((m) => m[1]);
    expect(axis).toEqual(['80%', '88%', '96%']);
    const form = await lead.get('/scorecard/contacts-24h/target').expect(200);
    expect(form.text).toContain('<h1 class="govuk-heading-l">Change the target</h1>');
    expect(form.text).toContain('action="/scorecard/contacts-24h/target"');
    await inspector.get('/scorecard/contacts-24h/target').expect(403);
  });

  it('offers each form of an indicator on its own page, at the address it posts to, to the roles that may', async () => {
    const forms = [
      ['measurements', 'record-form', 'Record a measurement'],
      ['corrections', 'correct-form', 'Correct a measurement'],
      ['team-targets', 'team-target-form', "Set a team's own target"],
      ['comparators', 'comparator-form', 'Record a comparator'],
      ['aggregation', 'aggregation-form', 'Change how the months add up over a year'],
    ];
    const page = await lead.get('/scorecard/contacts-24h').expect(200);
    expect(page.text).not.toContain('action="/scorecard/contacts-24h/'); // the indicator's page stacks no forms
    for (const [path, id, heading] of forms) {
      expect(page.text).toContain(`href="/scorecard/contacts-24h/${path}"`);
      const form = await lead.get(`/scorecard/contacts-24h/${path}`).expect(200);
      expect(form.text).toContain(`<h1 class="govuk-heading-l" id="${id}">${heading}</h1>`);
      expect(form.text).toContain(`action="/scorecard/contacts-24h/${path}"`);
      expect(form.text).toContain('href="/scorecard/contacts-24h">Cancel and go back to the indicator</a>');
      expect(form.text).not.toContain('id="history"');
      await inspector.get(`/scorecard/contacts-24h/${path}`).expect(403);
    }
    await mashManager.get('/scorecard/contacts-24h/corrections').expect(200);
    await mashManager.get('/scorecard/contacts-24h/comparators').expect(403);
    await lead.get('/scorecard/no-such-code/measurements').expect(404);
  });

  it('shows an indicator: history as a table beside its chart, targets, and CSV of every team’s values', async () => {
    const page = await inspector.get('/scorecard/contacts-24h').expect(200);
    const text = textOf(page.text);
    expect(text).toContain('Higher is better');
    expect(text).toContain('95%, amber up to 5 percentage points below it');
    expect(text).toMatch(
      /History: Council-wide Period Value Numerator Denominator Note and corrections 2025-01 80% .*2025-04 96%/,
    );
    expect(page.text).toMatch(/<svg class="ct-trend"[^>]*role="img"[^>]*aria-labelledby="trend-heading"/);
    expect(text).toContain('Trend over the last 4 periods, rising: from 80% in 2025-01 to 96% in 2025-04');
    // No forms for an inspector.
    expect(page.text).not.toContain('/scorecard/contacts-24h/measurements');
    expect(page.text).not.toContain('/scorecard/contacts-24h/target');

    const mash = textOf((await inspector.get('/scorecard/contacts-24h?teamId=mash').expect(200)).text);
    expect(mash).toContain('History: Front Door MASH');
    expect(mash).toContain('One value so far: 70% in 2025-04.');

    const csv = await inspector.get('/scorecard/contacts-24h/history.csv').expect(200);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^code,teamId,period,periodFrom,periodTo,value,/);
    expect(lines).toHaveLength(6);
    expect(csv.text).toContain('contacts-24h,mash,2025-04,2025-04-01,2025-04-30,70,');

    await inspector.get('/scorecard/no-such-code').expect(404);
  });

  it('records a measurement: errors beside the fields and nothing recorded; a team manager for their own team only', async () => {
    const managerPage = await mashManager.get('/scorecard/contacts-24h').expect(200);
    expect(managerPage.text).toContain('href="/scorecard/contacts-24h/measurements"');
    expect(managerPage.text).not.toContain('/scorecard/contacts-24h/target');
    const managerForm = await mashManager.get('/scorecard/contacts-24h/measurements').expect(200);
    expect(managerForm.text).toContain('<option value="mash"');
    expect(managerForm.text).not.toContain('<option value="cin-north"');

    const bad = await refused(
      () => lead.post('/scorecard/contacts-24h/measurements', { period: '2025-05', value: 'lots' }),
      'Value must be a number, for example 68.1',
    );
    expect(bad).toContain('id="value-error"');
    expect(bad).toContain('value="lots"');
    expect(bad).toContain('<h1 class="govuk-heading-l" id="record-form">Record a measurement</h1>');
    await refused(
      () => lead.post('/scorecard/contacts-24h/measurements', { period: '2025/26 Q1', value: '90' }),
      'This indicator is measured monthly, so its period looks like "2020-06"',
    );
    const again = await refused(
      () => lead.post('/scorecard/contacts-24h/measurements', { period: '2025-04', value: '90' }),
      'A value for 2025-04 is already recorded for the whole council',
    );
    expect(again).toContain('id="recordPeriod-error"');
    await refused(
      () => lead.post('/scorecard/contacts-24h/measurements', { period: '2025-05', value: '90', numerator: '9' }),
      'Give both the numerator and the denominator, or neither.',
    );

    const before = await head();
    await mashManager
      .post('/scorecard/contacts-24h/measurements', { teamId: 'cin-north', period: '2025-05', value: '90' })
      .expect(403);
    expect(await head()).toBe(before);

    await mashManager
      .post('/scorecard/contacts-24h/measurements', {
        teamId: 'mash',
        period: '2025-05',
        value: '75.5',
        note: 'Two staff off sick.',
      })
      .expect(303)
      .expect('Location', '/scorecard/contacts-24h?done=recorded');
    const after = textOf((await mashManager.get('/scorecard/contacts-24h?teamId=mash&done=recorded').expect(200)).text);
    expect(after).toContain('Measurement recorded.');
    expect(after).toMatch(/2025-05 75\.5% Two staff off sick\./);
  });

  it('corrects a measurement: a period with no value is a form problem, not a missing page; the correction is shown', async () => {
    await refused(
      () => lead.post('/scorecard/contacts-24h/corrections', { period: '2024-01', value: '50', reason: 'Late recording.' }),
      'No value for 2024-01 is recorded for the whole council, so there is nothing to correct.',
    );
    const noReason = await refused(
      () => lead.post('/scorecard/contacts-24h/corrections', { period: '2025-03', value: '93' }),
      'Enter the reason for the correction',
    );
    expect(noReason).toContain('id="reason-error"');
    expect(noReason).toContain('<h1 class="govuk-heading-l" id="correct-form">Correct a measurement</h1>');
    expect(noReason).toContain('value="93"');
    await refused(
      () => lead.post('/scorecard/contacts-24h/corrections', { period: '2025-03', value: '92', reason: 'Same.' }),
      'The recorded value is already 92.',
    );

    await lead
      .post('/scorecard/contacts-24h/corrections', { period: '2025-03', value: '93', reason: 'Late recording of 21 contacts.' })
      .expect(303);
    const after = textOf((await lead.get('/scorecard/contacts-24h?done=corrected').expect(200)).text);
    expect(after).toContain('Measurement corrected.');
    expect(after).toContain('92% corrected to 93% by Lee Lead: Late recording of 21 contacts.');
    const card = textOf((await lead.get('/scorecard?period=2025-03').expect(200)).text);
    expect(card).toMatch(/2025-03 \(corrected\) 93%/);
  });

  it('sets a new target: refusals shown beside the field and nothing recorded; the targets table shows both spells', async () => {
    const unchanged = await refused(
      () =>
        lead.post('/scorecard/contacts-24h/target', {
          target: '95',
          tolerance: '5',
          'from-day': '1',
          'from-month': '10',
          'from-year': '2025',
        }),
      'The target is already 95 with a tolerance of 5.',
    );
    expect(unchanged).toContain('id="target-error"');
    await refused(
      () =>
        lead.post('/scorecard/contacts-24h/target', {
          target: '120',
          tolerance: '5',
          'from-day': '1',
          'from-month': '10',
          'from-year': '2025',
        }),
      'target 120 is not a percentage between 0 and 100.',
    );
    const badDay = await refused(() =>
      lead.post('/scorecard/contacts-24h/target', {
        target: '90',
        tolerance: '5',
        'from-day': '31',
        'from-month': '2',
        'from-year': '2025',
      }),
    );
    expect(badDay).toContain('href="#from-day"');

    const before = await head();
    await mashManager
      .post('/scorecard/contacts-24h/target', {
        target: '90',
        tolerance: '5',
        'from-day': '1',
        'from-month': '10',
        'from-year': '2025',
      })
      .expect(403);
    expect(await head()).toBe(before);

    await lead
      .post('/scorecard/contacts-24h/target', {
        target: '90',
        tolerance: '3',
        'from-day': '1',
        'from-month': '10',
        'from-year': '2025',
      })
      .expect(303)
      .expect('Location', '/scorecard/contacts-24h?done=target');
    const after = textOf((await lead.get('/scorecard/contacts-24h?done=target').expect(200)).text);
    expect(after).toContain('Target changed.');
    expect(after).toContain('90%, amber up to 3 percentage points below it');
    expect(after).toMatch(/The start 95% 5 percentage points 1 October 2025 90% 3 percentage points/);
  });

  it('an indicator shows its target bands, how its months add up, comparators and team targets; the lead records them', async () => {
    const page = textOf((await inspector.get('/scorecard/contacts-24h').expect(200)).text);
    expect(page).toMatch(/Target bands Green \d+ or more; amber \d+ to under \d+; red under \d+/);
    expect(page).toContain(
      'Over a year Mean of the months (of the numerators and denominators when every month has them) (the default for this unit)',
    );
    expect(page).toContain('Year to date (2025-04 to 2025-04, 1 of 1 months): 96%');
    expect(page).toContain('12 months (2024-05 to 2025-04, 4 of 12 months): 89.25%');
    expect(page).toContain('No comparator recorded (England average, statistical neighbours).');
    expect(page).not.toContain('Record a comparator'); // an inspector reads, changes nothing

    const summed = await refused(
      () => lead.post('/scorecard/contacts-24h/aggregation', { aggregation: 'sum' }),
      'A percentage cannot simply be summed over months',
    );
    expect(summed).toContain('href="#aggregation"');
    expect(summed).toContain('id="aggregation-form">Change how the months add up over a year</h1>');
    expect(summed).toMatch(/value="sum" checked/);
    const badYear = await refused(
      () => lead.post('/scorecard/contacts-24h/comparators', { comparator: 'england', year: '2024/26', comparatorValue: '82.5' }),
      '"2024/26" is not a financial year: write it like 2019/20.',
    );
    expect(badYear).toContain('id="year-error"');
    expect(badYear).toContain('id="comparator-form">Record a comparator</h1>');
    expect(badYear).toContain('value="2024/26"');
    const tooHigh = await refused(
      () =>
        lead.post('/scorecard/contacts-24h/team-targets', {
          teamId: 'mash',
          teamTarget: '120',
          teamTolerance: '5',
          'teamFrom-day': '1',
          'teamFrom-month': '4',
          'teamFrom-year': '2025',
        }),
      'target 120 is not a percentage between 0 and 100.',
    );
    expect(tooHigh).toContain('id="teamTarget-error"');
    expect(tooHigh).toContain(`id="team-target-form">Set a team's own target</h1>`);
    expect(tooHigh).toContain('value="120"');
    const before = await head();
    await mashManager
      .post('/scorecard/contacts-24h/comparators', { comparator: 'england', year: '2024/25', comparatorValue: '82.5' })
      .expect(403);
    expect(await head()).toBe(before);

    await lead
      .post('/scorecard/contacts-24h/comparators', {
        comparator: 'england',
        year: '2024/25',
        comparatorValue: '82.5',
        source: 'DfE',
      })
      .expect(303)
      .expect('Location', '/scorecard/contacts-24h?done=comparator');
    await lead
      .post('/scorecard/contacts-24h/team-targets', {
        teamId: 'mash',
        teamTarget: '65',
        teamTolerance: '5',
        'teamFrom-day': '1',
        'teamFrom-month': '4',
        'teamFrom-year': '2025',
      })
      .expect(303)
      .expect('Location', '/scorecard/contacts-24h?done=team-target');
    const after = textOf((await lead.get('/scorecard/contacts-24h?done=team-target').expect(200)).text);
    expect(after).toContain('Team target set.');
    expect(after).toContain('England average 2024/25 82.5% DfE');
    expect(after).toContain('Front Door MASH 1 April 2025 65% 5 percentage points');
    // The team's scorecard measures it against its own target (70 against 65: green), and names it.
    const team = await inspector.get('/scorecard?teamId=mash').expect(200);
    expect(textOf(team.text)).toMatch(
      /2025-05 75.5% Year to date 72.75% 12 months 72.75% \(2 of 12 months\) 65% amber up to 5 percentage points below it team target England average 82.5% \(2024\/25\) Green: on target/,
    );
  });

  it("a team manager sees their own teams' figures and the council-wide ones, never another team's, as in the API", async () => {
    await api(lead.token, '/api/v1/indicators/contacts-24h/measurements', {
      teamId: 'cin-north',
      period: '2025-04',
      value: 61.5,
    }).expect(201);
    // The API's answer to the same person.
    const fromApi = await app.http.get('/api/v1/indicators/contacts-24h').set('Authorization', `Bearer ${mashManager.token}`);
    const apiTeams = new Set((fromApi.body as { measurements: { teamId: string | null }[] }).measurements.map((m) => m.teamId));
    expect(apiTeams.has('cin-north')).toBe(false);

    const csv = (await mashManager.get('/scorecard/contacts-24h/history.csv').expect(200)).text;
    expect(csv).toContain('contacts-24h,mash,2025-04,');
    expect(csv).not.toContain('cin-north');
    expect(csv).not.toContain('61.5');

    const page = await mashManager.get('/scorecard/contacts-24h').expect(200);
    expect(page.text).not.toContain('CIN North');
    expect(page.text).not.toContain('cin-north');
    await mashManager.get('/scorecard/contacts-24h?teamId=cin-north').expect(404);

    const list = await mashManager.get('/scorecard').expect(200);
    expect(list.text).not.toContain('CIN North');
    expect(list.text).toContain('<option value="mash"');
    await mashManager.get('/scorecard?teamId=cin-north').expect(404);
    await mashManager.get('/scorecard.csv?teamId=cin-north').expect(404);

    // Everyone else still sees every team.
    expect((await inspector.get('/scorecard/contacts-24h/history.csv').expect(200)).text).toContain('cin-north,2025-04');
  });
});
