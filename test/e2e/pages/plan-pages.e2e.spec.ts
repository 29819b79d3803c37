/**
 * Improvement-plan pages over plain HTTP: every form's success and its GOV.UK error display (summary,
 * message beside the field, input kept, nothing recorded), who is shown which form, the plan's RAG
 * "as on" a chosen day (and its CSV), and a team's outstanding actions.
 */
import { systemContext } from '../../../src/core/command-context';
import { UserUseCases } from '../../../src/users/users.use-cases';
import type { Role } from '../../../src/shared/principal';
import { PROFILES, TestApp } from '../../support/test-app';
import { cookieOf, csrfOf, TEST_PASSWORD as PASSWORD, errorSummaryOf as summaryOf } from '../../support/web-http';

jest.setTimeout(60_000);

/** The table row that links to an action. */
const rowOf = (html: string, actionId: string): string =>
  (html.match(/<tr class="govuk-table__row">[\s\S]*?<\/tr>/g) ?? []).find((row) => row.includes(`/actions/${actionId}"`)) ?? '';
const errorBeside = (html: string, id: string): string =>
  new RegExp(`<p id="${id}-error" class="govuk-error-message">([\\s\\S]*?)</p>`).exec(html)?.[1] ?? '';

describe.each(PROFILES.filter((p) => p.enabled))('improvement-plan pages over HTTP ($name)', (profile) => {
  let app: TestApp;
  let drop: () => Promise<void>;
  let adminToken = '';
  let leadToken = '';
  const ids: Record<string, string> = {};
  const sessions: Record<string, { cookie: string; csrf: string }> = {};

  const api = (token: string) => ({
    get: (path: string) => app.http.get(path).set('authorization', `Bearer ${token}`),
    post: (path: string, body: object) => app.http.post(path).set('authorization', `Bearer ${token}`).send(body),
  });

  async function person(role: Role, username: string, name: string, teamIds: string[] = []): Promise<string> {
    const { userId, token } = await app.userWithToken(role, teamIds, name);
    await app.app.get(UserUseCases).setPassword(userId, { username, password: PASSWORD }, systemContext('test-setup'));
    const page = await app.http.get('/sign-in').expect(200);
    const signedIn = await app.http
      .post('/sign-in')
      .set('Cookie', cookieOf(page))
      .type('form')
      .send({ username, password: PASSWORD, _csrf: csrfOf(page.text) })
      .expect(303);
    const cookie = cookieOf(signedIn);
    const dashboard = await app.http.get('/plans').set('Cookie', cookie).expect(200);
    sessions[username] = { cookie, csrf: csrfOf(dashboard.text) };
    ids[username] = userId;
    return token;
  }

  const get = (who: string, path: string) => app.http.get(path).set('Cookie', sessions[who].cookie);
  const post = (who: string, path: string, form: Record<string, unknown>) =>
    app.http
      .post(path)
      .set('Cookie', sessions[who].cookie)
      .type('form')
      .send({ ...form, _csrf: sessions[who].csrf });
  const action = async (actionId: string) => (await api(leadToken).get(`/api/v1/actions/${actionId}`).expect(200)).body;

  async function addAction(actionId: string, ownerId: string, extra: object = {}): Promise<void> {
    await api(leadToken)
      .post('/api/v1/plans/sip/actions', {
        actionId,
        priorityId: 'practice',
        recommendationIds: [],
        title: `Action ${actionId}`,
        ownerId,
        teamIds: ['north'],
        startOn: '2026-01-12',
        dueOn: '2026-03-02',
        successMeasure: 'Audits show it',
        ...extra,
      })
      .expect(201);
  }

  beforeAll(async () => {
    const created = await profile.create();
    drop = created.drop;
    app = await TestApp.start(created.env);
    adminToken = (await app.userWithToken('admin', [], 'Ada Admin')).token;
    for (const [teamId, name] of [
      ['north', 'North Assessment'],
      ['south', 'South Assessment'],
    ]) {
      await api(adminToken).post('/api/v1/teams', { teamId, name, service: 'Assessment' }).expect(201);
    }
    leadToken = await person('improvement-lead', 'lee', 'Lee Lead');
    await person('improvement-lead', 'lou', 'Lou Lead');
    await person('team-manager', 'mia', 'Mia Manager', ['north']);
    await person('inspector', 'ines', 'Ines Inspector');
    await api(leadToken)
      .post('/api/v1/plans', {
        planId: 'sip',
        title: 'Safeguarding plan',
        trigger: { kind: 'ofsted-inspection', date: '2026-01-05' },
      })
      .expect(201);
    await api(leadToken)
      .post('/api/v1/plans/sip/priorities', { priorityId: 'practice', title: 'Frontline practice' })
      .expect(201);
    await addAction('risk', ids.mia);
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  describe('the plan as boards use it, one form per page', () => {
    it('adds a priority on its own page: refused beside the field, then listed on the plan with a banner', async () => {
      const form = await get('lee', '/plans/sip/priorities').expect(200);
      expect(form.text).toContain('<h1 class="govuk-heading-l">Add a priority</h1>');
      expect(form.text).toContain('action="/plans/sip/priorities"');
      await get('mia', '/plans/sip/priorities').expect(403);
      const empty = await post('lee', '/plans/sip/priorities', {}).expect(400);
      expect(summaryOf(empty.text)).toContain('href="#priorityTitle"');
      expect(empty.text).toContain('<h1 class="govuk-heading-l">Add a priority</h1>');

      await post('lee', '/plans/sip/priorities', { priorityTitle: 'Partnerships and governance' })
        .expect(303)
        .expect('Location', '/plans/sip?done=priority');
      const plan = (await get('lee', '/plans/sip?done=priority').expect(200)).text;
      expect(plan).toContain('Priority added.');
      const captions = [...plan.matchAll(/<caption[^>]*>([^<]*)/g)].map((m) => m[1].trim());
      expect(captions).toEqual(expect.arrayContaining(['1. Frontline practice', '2. Partnerships and governance']));
      // Each action is listed under its priority.
      const practice = /id="priority-practice"[\s\S]*?<\/table>/.exec(plan)![0];
      expect(practice).toContain('href="/actions/risk"');
      expect(plan).toContain('After the Ofsted inspection (ILACS) of 5 January 2026.');
      expect(plan).toContain('href="/plans/sip/priorities"');
      expect(plan).not.toContain('name="priorityTitle"');
    });

    it('offers as action owners only those who may update an action; an inspector is refused beside the owner', async () => {
      const form = (await get('lee', '/plans/sip/actions').expect(200)).text;
      expect(form).toContain('Mia Manager (team manager)');
      expect(form).not.toContain('Ines Inspector');
      const refused = await post('lee', '/plans/sip/actions', {
        priorityId: 'practice',
        title: 'Inspector owns it',
        ownerId: ids.ines,
        teamIds: 'north',
        'startOn-day': '12',
        'startOn-month': '1',
        'startOn-year': '2026',
        'dueOn-day': '30',
        'dueOn-month': '4',
        'dueOn-year': '2026',
        successMeasure: 'Never updated',
      }).expect(400);
      expect(errorBeside(refused.text, 'ownerId')).toContain('Ines Inspector cannot own an action');
      expect(refused.text).toContain('<h1 class="govuk-heading-l">Add an action</h1>');
      const titles = (await api(leadToken).get('/api/v1/plans/sip/status').expect(200)).body.actions.map(
        (a: { title: string }) => a.title,
      );
      expect(titles).not.toContain('Inspector owns it');
    });

    it('shows a completion after the due date in working days late, on the action and on the plan', async () => {
      // In a plan of its own, so that the other tests' counts of sip's actions stay as they were.
      await api(leadToken)
        .post('/api/v1/plans', { planId: 'late-plan', title: 'Late plan', trigger: { kind: 'peer-review', date: '2026-01-05' } })
        .expect(201);
      await api(leadToken).post('/api/v1/plans/late-plan/priorities', { priorityId: 'practice', title: 'Practice' }).expect(201);
      await api(leadToken)
        .post('/api/v1/plans/late-plan/actions', {
          actionId: 'late',
          priorityId: 'practice',
          recommendationIds: [],
          title: 'Action late',
          ownerId: ids.mia,
          teamIds: ['north'],
          startOn: '2026-01-12',
          dueOn: '2026-03-02',
          successMeasure: 'Audits show it',
        })
        .expect(201);
      await post('mia', '/actions/late/complete', {
        completionEvidence: 'Done in the end',
        'completedOn-day': '6',
        'completedOn-month': '3',
        'completedOn-year': '2026',
      }).expect(303);
      // Due Monday 2 March, completed Friday 6 March: 4 working days late.
      const page = (await get('mia', '/actions/late').expect(200)).text;
      expect(page).toContain('Completed 4 working days late');
      expect(page).toContain('Complete, not yet verified, completed 4 working days late');
      expect(rowOf((await get('lee', '/plans/late-plan').expect(200)).text, 'late')).toContain('Completed 4 working days late');
      expect((await action('late')).lateWorkingDays).toBe(4);
    });

    it('puts each form of an action on its own page, and sends a reader of a form no longer offered back to the action', async () => {
      const progress = (await get('mia', '/actions/risk/progress').expect(200)).text;
      expect(progress).toContain('<h1 class="govuk-heading-l">Report progress</h1>');
      expect(progress).toContain('action="/actions/risk/progress"');
      await get('ines', '/actions/risk/progress').expect(403);
      expect((await get('mia', '/actions/risk').expect(200)).text).toContain('href="/actions/risk/progress"');
      await get('mia', '/actions/late/progress').expect(303).expect('Location', '/actions/late');
    });
  });

  describe('the list of plans', () => {
    it("counts each plan's actions by RAG today, as the plan status route does, on the page and in its CSV", async () => {
      const { counts } = (await api(leadToken).get('/api/v1/plans/sip/status').expect(200)).body as {
        counts: Record<string, number>;
      };
      const page = await get('ines', '/plans').expect(200);
      expect(page.text).toContain('href="/plans.csv"');
      const file = await get('ines', '/plans.csv').expect(200);
      expect(file.headers['content-type']).toMatch(/text\/csv/);
      const [header, ...rows] = file.text.trim().split('\r\n');
      expect(header).toBe('planId,title,ownerId,ownerName,trigger,triggerDate,red,amber,green,notStarted,complete');
      const sip = rows.find((row) => row.startsWith('sip,'))!.split(',');
      // The owner by name beside the id.
      expect(sip.slice(0, 4)).toEqual(['sip', 'Safeguarding plan', ids.lee, 'Lee Lead']);
      expect(sip.slice(-5).map(Number)).toEqual([counts.red, counts.amber, counts.green, counts.grey, counts.blue]);
      expect(
        sip
          .slice(-5)
          .map(Number)
          .reduce((a, b) => a + b, 0),
      ).toBeGreaterThan(0);
    });
  });

  describe('the list of plans for a team manager', () => {
    it("counts only the plans whose status the API gives them (their teams' or their own), listing the others without counts", async () => {
      await api(leadToken)
        .post('/api/v1/plans', {
          planId: 'south-plan',
          title: 'South plan',
          trigger: { kind: 'ofsted-inspection', date: '2026-01-05' },
        })
        .expect(201);
      await api(leadToken).post('/api/v1/plans/south-plan/priorities', { priorityId: 'practice', title: 'Practice' }).expect(201);
      await api(leadToken)
        .post('/api/v1/plans/south-plan/actions', {
          actionId: 'south-risk',
          priorityId: 'practice',
          recommendationIds: [],
          title: 'South risk analysis',
          ownerId: ids.lou,
          teamIds: ['south'],
          startOn: '2026-01-12',
          dueOn: '2026-03-02',
          successMeasure: 'Audits show it',
        })
        .expect(201);
      const manager = await person('team-manager', 'max', 'Max Manager', ['north']);
      await api(manager).get('/api/v1/plans/south-plan/status').expect(404);
      await api(manager).get('/api/v1/plans/sip/status').expect(200);

      const row = (html: string, title: string): string => {
        const at = html.indexOf(`>${title}</a>`);
        return html.slice(at, html.indexOf('</tr>', at));
      };
      const page = (await get('max', '/plans').expect(200)).text;
      expect(row(page, 'South plan')).toContain('Not shown: none of its actions is for your teams');
      expect(row(page, 'Safeguarding plan')).not.toContain('Not shown');
      const csvRows = (await get('max', '/plans.csv').expect(200)).text.trim().split('\r\n');
      expect(csvRows.find((r) => r.startsWith('south-plan,'))).toMatch(/,,,,,$/);
      expect(csvRows.find((r) => r.startsWith('sip,'))).toMatch(/,\d+,\d+,\d+,\d+,\d+$/);
      // An inspector sees every plan's counts.
      expect(row((await get('ines', '/plans').expect(200)).text, 'South plan')).not.toContain('Not shown');
    });
  });

  describe('the plan as on a chosen day', () => {
    it('the GET form goes to ?on=YYYY-MM-DD, and the RAG differs between two days, with its caption', async () => {
      await get('lee', '/plans/sip?on-day=3&on-month=3&on-year=2026').expect(303).expect('Location', '/plans/sip?on=2026-03-03');

      const march = await get('lee', '/plans/sip?on=2026-03-03').expect(200);
      expect(march.text).toContain('RAG as on 3 March 2026');
      expect(rowOf(march.text, 'risk')).toContain('Red');
      expect(rowOf(march.text, 'risk')).toContain('overdue by 1 working day');
      // The date boxes show the day asked about.
      expect(march.text).toMatch(/id="on-day" name="on-day" type="text" value="3"/);

      const february = await get('lee', '/plans/sip?on=2026-02-02').expect(200);
      expect(february.text).toContain('RAG as on 2 February 2026');
      expect(rowOf(february.text, 'risk')).toContain('Green');
      expect(rowOf(february.text, 'risk')).not.toContain('Red');

      // Before it starts: not started.
      expect(rowOf((await get('lee', '/plans/sip?on=2026-01-06').expect(200)).text, 'risk')).toContain('Not started');
    });

    it('the CSV link keeps the day, and the CSV has that day’s RAG', async () => {
      const march = await get('lee', '/plans/sip?on=2026-03-03').expect(200);
      expect(march.text).toContain('href="/plans/sip/actions.csv?on=2026-03-03"');
      const today = await get('lee', '/plans/sip').expect(200);
      expect(today.text).toContain('href="/plans/sip/actions.csv"');

      const red = await get('lee', '/plans/sip/actions.csv?on=2026-03-03').expect(200);
      expect(red.headers['content-type']).toMatch(/text\/csv/);
      const redRow = red.text.split('\r\n').find((line) => line.startsWith('risk,'));
      expect(redRow).toContain(',red,');
      // People, teams and priorities by name, each beside its id.
      const header = red.text.split('\r\n')[0].split(',');
      expect(header.slice(2, 9)).toEqual([
        'ownerId',
        'ownerName',
        'ownerAgency',
        'teamIds',
        'teamNames',
        'priorityId',
        'priorityTitle',
      ]);
      expect(redRow).toContain(',Mia Manager,');
      expect(redRow).toContain(',North Assessment,practice,Frontline practice,');
      const green = await get('lee', '/plans/sip/actions.csv?on=2026-02-02').expect(200);
      expect(green.text.split('\r\n').find((line) => line.startsWith('risk,'))).toContain(',green,');
      await get('lee', '/plans/sip/actions.csv?on=2026-02-31').expect(400);
    });

    it('a date that is not real, or none, is shown as an error beside the date, the boxes kept', async () => {
      const wrong = await get('lee', '/plans/sip?on-day=31&on-month=2&on-year=2026').expect(400);
      expect(summaryOf(wrong.text)).toContain('The date to show must be a real date');
      expect(summaryOf(wrong.text)).toContain('href="#on-day"');
      expect(errorBeside(wrong.text, 'on')).toContain('The date to show must be a real date');
      expect(wrong.text).toMatch(/id="on-day" name="on-day" type="text" value="31"/);
      expect(wrong.text).toMatch(/<title>Error: /);

      const empty = await get('lee', '/plans/sip?on-day=&on-month=&on-year=').expect(400);
      expect(errorBeside(empty.text, 'on')).toContain('Enter the date to show the plan as on');
    });
  });

  describe('recommendations', () => {
    it('refuses an incomplete recommendation with the GOV.UK error display and records nothing', async () => {
      const none = await post('lee', '/plans/sip/recommendations', {}).expect(400);
      expect(summaryOf(none.text)).toContain('href="#recommendationText"');
      expect(summaryOf(none.text)).toContain('href="#timescale"');
      expect(errorBeside(none.text, 'recommendationText')).toContain('Enter the recommendation');

      // "By a date" without the date: the decider's rule, beside the date boxes; the text is kept.
      const noDate = await post('lee', '/plans/sip/recommendations', {
        recommendationText: 'Ensure every assessment has a risk analysis',
        timescale: 'date',
      }).expect(400);
      expect(errorBeside(noDate.text, 'recommendationDueOn')).toContain('needs its due date');
      expect(noDate.text).toContain('Ensure every assessment has a risk analysis</textarea>');
      expect(noDate.text).toMatch(/value="date" checked/);

      const before = await post('lee', '/plans/sip/recommendations', {
        recommendationText: 'Too early',
        timescale: 'date',
        'recommendationDueOn-day': '1',
        'recommendationDueOn-month': '1',
        'recommendationDueOn-year': '2026',
      }).expect(400);
      expect(errorBeside(before.text, 'recommendationDueOn')).toContain('before the inspection or review');
      expect((await api(leadToken).get('/api/v1/plans/sip/status').expect(200)).body.recommendations).toEqual([]);
    });

    it('records a recommendation, lists it, and an action added with it is listed under it', async () => {
      // The date boxes are ignored unless the timescale is "By a date".
      await post('lee', '/plans/sip/recommendations', {
        recommendationText: 'Ensure every assessment has a risk analysis',
        timescale: 'within-3-months',
        'recommendationDueOn-day': '9',
      })
        .expect(303)
        .expect('Location', '/plans/sip?done=recommendation');
      const status = (await api(leadToken).get('/api/v1/plans/sip/status').expect(200)).body;
      expect(status.recommendations).toHaveLength(1);
      const recommendationId = status.recommendations[0].recommendationId as string;
      const page = await get('lee', '/plans/sip?done=recommendation').expect(200);
      expect(page.text).toContain('Recommendation added.');
      expect(page.text).toContain('Ensure every assessment has a risk analysis');
      expect(page.text).toContain('Within 3 months: due 5 April 2026');
      // Flagged, not blank, while no action answers it (and red: 5 April 2026 is past).
      expect(page.text).toContain('no action answers this recommendation');
      // The add-action form, on its own page, offers it.
      expect((await get('lee', '/plans/sip/actions').expect(200)).text).toContain(
        `name="recommendationIds" type="checkbox" value="${recommendationId}"`,
      );

      const form = {
        priorityId: 'practice',
        title: 'Managers check risk analysis',
        ownerId: ids.mia,
        teamIds: 'north',
        'startOn-day': '12',
        'startOn-month': '1',
        'startOn-year': '2026',
        'dueOn-day': '30',
        'dueOn-month': '4',
        'dueOn-year': '2026',
        successMeasure: '95% of assessments',
      };
      // A recommendation the plan does not have: beside the checkboxes, nothing recorded.
      const unknown = await post('lee', '/plans/sip/actions', { ...form, recommendationIds: 'not-a-rec' }).expect(400);
      expect(errorBeside(unknown.text, 'recommendationIds')).toContain('The plan has no recommendation');
      expect(unknown.text).toContain('value="Managers check risk analysis"');
      expect((await api(leadToken).get('/api/v1/plans/sip/status').expect(200)).body.actions).toHaveLength(1);

      const added = await post('lee', '/plans/sip/actions', { ...form, recommendationIds: recommendationId }).expect(303);
      const actionId = /^\/actions\/([^?]+)\?done=added$/.exec(added.headers.location)![1];
      expect((await action(actionId)).recommendationIds).toEqual([recommendationId]);
      const after = await get('lee', '/plans/sip').expect(200);
      const listed = /id="recommendations"[\s\S]*?<\/ol>/.exec(after.text)![0];
      expect(listed).toContain(`href="/actions/${actionId}">Managers check risk analysis</a>`);
      expect(listed).toContain(
        'past its timescale (&quot;within 3 months&quot;, due 5 April 2026) and not met: 1 of 1 action open; ' +
          'worst open action &quot;Managers check risk analysis&quot;',
      );
      expect(listed).not.toContain('no action answers this recommendation');
      // Due 30 April, after the recommendation is to be met (5 April): added, with a warning shown.
      expect(after.text).toContain('Warning:</strong> due 30 April 2026, after recommendation');
      expect((await get('lee', `/actions/${actionId}`).expect(200)).text).toContain(
        `This action is due 30 April 2026, after recommendation ${recommendationId} is to be met (5 April 2026).`,
      );
    });

    it('shows the recommendation form to managers of plans only', async () => {
      expect((await get('lee', '/plans/sip').expect(200)).text).toContain('Add a recommendation');
      expect((await get('mia', '/plans/sip').expect(200)).text).not.toContain('Add a recommendation');
      await post('mia', '/plans/sip/recommendations', { recommendationText: 'x', timescale: 'immediately' }).expect(403);
    });
  });

  describe('an action: due date, completion, verification, reopening and its history', () => {
    it('the owner changes the due date; errors are shown beside the fields and record nothing', async () => {
      await addAction('revise', ids.mia, { dueOn: '2026-12-31' });
      const page = await get('mia', '/actions/revise').expect(200);
      expect(page.text).toContain('Change the due date');
      expect(page.text).toContain('Mark as complete');
      expect(page.text).not.toContain('Verify the completion');

      const missing = await post('mia', '/actions/revise/due-date', {
        'newDueOn-day': '15',
        'newDueOn-month': '1',
        'newDueOn-year': '2027',
      }).expect(400);
      expect(errorBeside(missing.text, 'dueReason')).toContain('Enter why the due date changes');
      expect(errorBeside(missing.text, 'approvedBy')).toContain('Enter who agreed the new due date');
      expect(summaryOf(missing.text)).toContain('href="#dueReason"');
      expect(missing.text).toMatch(/id="newDueOn-day" name="newDueOn-day" type="text" value="15"/);

      const same = await post('mia', '/actions/revise/due-date', {
        'newDueOn-day': '31',
        'newDueOn-month': '12',
        'newDueOn-year': '2026',
        dueReason: 'No change really',
        approvedBy: 'Board',
      }).expect(400);
      expect(errorBeside(same.text, 'newDueOn')).toContain('already due on 31 December 2026');
      expect(same.text).toContain('No change really</textarea>');
      expect((await action('revise')).dueDateRevisions).toEqual([]);

      await post('mia', '/actions/revise/due-date', {
        'newDueOn-day': '15',
        'newDueOn-month': '1',
        'newDueOn-year': '2027',
        dueReason: 'Audit tool redesigned',
        approvedBy: 'Improvement board',
      })
        .expect(303)
        .expect('Location', '/actions/revise?done=revised');
      const after = await get('mia', '/actions/revise?done=revised').expect(200);
      expect(after.text).toContain('Due date changed.');
      const history = /id="history">[\s\S]*?<\/ol>/.exec(after.text)![0];
      expect(history).toContain('due date changed');
      expect(history).toContain('From 31 December 2026 to 15 January 2027 (originally due 31 December 2026).');
      expect(history).toContain('Why: Audit tool redesigned');
      expect(history).toContain('Agreed by: Improvement board');
      expect(after.text).toContain('15 January 2027 (originally 31 December 2026)');
    });

    it('completion needs evidence and a date not in the future; then a lead who does not own it verifies', async () => {
      await addAction('done', ids.mia, { dueOn: '2026-12-31' });
      const noEvidence = await post('mia', '/actions/done/complete', {}).expect(400);
      expect(errorBeside(noEvidence.text, 'completionEvidence')).toContain('Give the evidence that the action is done');
      expect(summaryOf(noEvidence.text)).toContain('href="#completionEvidence"');

      const future = await post('mia', '/actions/done/complete', {
        completionEvidence: 'September audit: 19 of 20',
        'completedOn-day': '1',
        'completedOn-month': '1',
        'completedOn-year': '2099',
      }).expect(400);
      expect(errorBeside(future.text, 'completedOn')).toContain('is in the future');
      expect(future.text).toContain('September audit: 19 of 20</textarea>');
      expect((await action('done')).status).toBe('open');

      await post('mia', '/actions/done/complete', {
        completionEvidence: 'September audit: 19 of 20',
        'completedOn-day': '2',
        'completedOn-month': '3',
        'completedOn-year': '2026',
      })
        .expect(303)
        .expect('Location', '/actions/done?done=completed');
      const completed = await get('mia', '/actions/done?done=completed').expect(200);
      expect(completed.text).toContain('Action marked complete.');
      expect(completed.text).toContain('2 March 2026: completed');
      expect(completed.text).toContain('Evidence: September audit: 19 of 20');
      // The owner, a team manager, may neither verify nor reopen, and is not shown the forms.
      expect(completed.text).not.toContain('Verify the completion');
      expect(completed.text).not.toContain('Reopen action');
      expect(completed.text).not.toContain('Mark as complete');
      await post('mia', '/actions/done/verify', {}).expect(403);

      const leadPage = await get('lee', '/actions/done').expect(200);
      expect(leadPage.text).toContain('Verify the completion');
      const early = await post('lee', '/actions/done/verify', {
        'verifiedOn-day': '1',
        'verifiedOn-month': '3',
        'verifiedOn-year': '2026',
      }).expect(400);
      expect(errorBeside(early.text, 'verifiedOn')).toContain('cannot be verified earlier');
      expect((await action('done')).verifiedOn).toBeNull();

      await post('lee', '/actions/done/verify', {}).expect(303).expect('Location', '/actions/done?done=verified');
      const verified = await get('lee', '/actions/done?done=verified').expect(200);
      expect(verified.text).toContain('Completion verified.');
      expect(verified.text).toContain('completion verified');
      expect(verified.text).toContain('Signed off by Lee Lead.');
      expect(verified.text).not.toContain('Verify the completion');
    });

    it('a lead who owns the action is not offered verification, and the decider refuses it', async () => {
      await addAction('own', ids.lee, { dueOn: '2026-12-31' });
      await api(leadToken).post('/api/v1/actions/own/complete', { evidence: 'Done', completedOn: '2026-03-02' }).expect(200);
      const page = await get('lee', '/actions/own').expect(200);
      expect(page.text).toContain('someone else on the board must verify');
      expect(page.text).not.toContain('Verify the completion');
      const refused = await post('lee', '/actions/own/verify', {}).expect(400);
      expect(summaryOf(refused.text)).toContain('cannot sign off their own action');
      expect((await action('own')).verifiedOn).toBeNull();
      expect((await get('lou', '/actions/own').expect(200)).text).toContain('Verify the completion');
    });

    it('the lead who recorded the completion is not offered verification, and the decider refuses it', async () => {
      await addAction('by-lee', ids.mia, { dueOn: '2026-12-31' });
      await api(leadToken).post('/api/v1/actions/by-lee/complete', { evidence: 'Done', completedOn: '2026-03-02' }).expect(200);
      const page = await get('lee', '/actions/by-lee').expect(200);
      expect(page.text).toContain('You recorded this action as complete, so someone else on the board must verify it.');
      expect(page.text).toContain('Recorded by Lee Lead.');
      expect(page.text).not.toContain('Verify the completion');
      const refused = await post('lee', '/actions/by-lee/verify', {}).expect(400);
      expect(summaryOf(refused.text)).toContain('you cannot sign it off too');
      expect((await action('by-lee')).verifiedOn).toBeNull();
      expect((await get('lou', '/actions/by-lee').expect(200)).text).toContain('Verify the completion');
    });

    it('a lead reopens a completed action with a reason', async () => {
      await addAction('again', ids.mia, { dueOn: '2026-12-31' });
      await api(leadToken).post('/api/v1/actions/again/complete', { evidence: 'Done', completedOn: '2026-03-02' }).expect(200);
      expect((await get('mia', '/actions/again').expect(200)).text).not.toContain('Reopen action');
      await post('mia', '/actions/again/reopen', { reopenReason: 'x' }).expect(403);

      const empty = await post('lee', '/actions/again/reopen', {}).expect(400);
      expect(errorBeside(empty.text, 'reopenReason')).toContain('Enter why it is reopened');
      expect((await action('again')).status).toBe('completed');

      await post('lee', '/actions/again/reopen', { reopenReason: 'Re-audit: risk analysis missing in 6 of 20' })
        .expect(303)
        .expect('Location', '/actions/again?done=reopened');
      const page = await get('lee', '/actions/again?done=reopened').expect(200);
      expect(page.text).toContain('Action reopened.');
      expect((await action('again')).status).toBe('open');
      expect(page.text).toContain('Mark as complete');
      // The earlier completion stays in the history, followed by the reopening and its reason.
      expect(page.text).toContain('2 March 2026: completed');
      expect(page.text).toContain('reopened</h3>');
      expect(page.text).toContain('Why: Re-audit: risk analysis missing in 6 of 20');
    });

    it('an inspector reads the action and its history, and is offered no form', async () => {
      const page = await get('ines', '/actions/revise').expect(200);
      expect(page.text).toContain('Audit tool redesigned');
      for (const form of [
        'Report progress',
        'Change the due date',
        'Mark as complete',
        'Verify the completion',
        'Reopen action',
      ]) {
        expect(page.text).not.toContain(form);
      }
    });
  });

  describe('a team’s outstanding actions', () => {
    it('the chooser goes to the team’s page; no team is an error', async () => {
      const chooser = await get('lee', '/outstanding-actions').expect(200);
      expect(chooser.text).toContain('North Assessment');
      expect(chooser.text).toContain('South Assessment');
      await get('lee', '/outstanding-actions?teamId=north').expect(303).expect('Location', '/teams/north/outstanding-actions');
      const none = await get('lee', '/outstanding-actions?teamId=').expect(400);
      expect(errorBeside(none.text, 'teamId')).toContain('Choose a team');
    });

    it('lists the open actions with their RAG and a CSV', async () => {
      const page = await get('lee', '/teams/north/outstanding-actions').expect(200);
      expect(page.text).toContain('North Assessment');
      expect(page.text).toContain('href="/actions/risk">Action risk</a>');
      expect(rowOf(page.text, 'risk')).toContain('Overdue');
      // Completed ones are not outstanding.
      expect(page.text).not.toContain('href="/actions/done"');
      expect(page.text).toContain('href="/teams/north/outstanding-actions.csv"');
      const file = await get('lee', '/teams/north/outstanding-actions.csv').expect(200);
      expect(file.text.split('\r\n')[0]).toBe(
        'kind,actionId,title,ownerId,dueOn,overdue,rag,reasons,planId,auditId,caseRef,raisedOn',
      );
      expect(file.text).toContain('improvement-action,risk,Action risk,');
      expect(file.text).not.toContain(',done,');
    });

    it('a team manager chooses among their own teams only, and another team is not found', async () => {
      const chooser = await get('mia', '/outstanding-actions').expect(200);
      expect(chooser.text).toContain('North Assessment');
      expect(chooser.text).not.toContain('South Assessment');
      await get('mia', '/teams/north/outstanding-actions').expect(200);
      await get('mia', '/teams/south/outstanding-actions').expect(404);
      await get('mia', '/teams/south/outstanding-actions.csv').expect(404);
    });
  });

  describe('self-assessments', () => {
    const answers = {
      whatWeKnow: 'Visits are timely; plans drift after 6 months',
      howWeKnow: 'Monthly case audits and the performance scorecard',
      whatNext: 'Manager oversight at every 6-month review',
    };
    const listed = async () => (await api(leadToken).get('/api/v1/self-assessments').expect(200)).body as unknown[];

    it('refuses an incomplete or impossible self-assessment beside its fields, keeps the input, records nothing', async () => {
      const empty = await post('lee', '/self-assessments', {}).expect(400);
      for (const field of ['service', 'period', 'score', 'whatWeKnow', 'howWeKnow', 'whatNext']) {
        expect(summaryOf(empty.text)).toContain(`href="#${field}"`);
        expect(errorBeside(empty.text, field)).not.toBe('');
      }
      expect(errorBeside(empty.text, 'period')).toContain('Choose a quarter');

      const tooHigh = await post('lee', '/self-assessments', {
        service: 'mash-assessment',
        period: '2026/27 Q2',
        score: '11',
        ...answers,
      }).expect(400);
      expect(errorBeside(tooHigh.text, 'score')).toContain('Score must be a number from 0 to 10');
      expect(tooHigh.text).toContain('value="11"');
      expect(tooHigh.text).toContain('value="2026/27 Q2"');
      expect(tooHigh.text).toContain(`${answers.howWeKnow}</textarea>`);

      const future = await post('lee', '/self-assessments', {
        service: 'mash-assessment',
        period: '2099/00 Q1',
        score: '6',
        ...answers,
      }).expect(400);
      expect(errorBeside(future.text, 'period')).toContain('cannot be assessed before it has begun');
      expect(await listed()).toEqual([]);
    });

    it('records one, lists it with a CSV, and refuses the same quarter twice', async () => {
      await post('lee', '/self-assessments', { service: 'mash-assessment', period: '2026/27 Q2', score: '6', ...answers })
        .expect(303)
        .expect('Location', '/self-assessments?done=recorded&service=mash-assessment');
      const page = await get('lee', '/self-assessments?done=recorded&service=mash-assessment').expect(200);
      expect(page.text).toContain('Self-assessment recorded.');
      const row =
        (page.text.match(/<tr class="govuk-table__row">[\s\S]*?<\/tr>/g) ?? []).find((r) => r.includes('2026/27 Q2')) ?? '';
      expect(row).toContain('mash-assessment');
      expect(row).toMatch(/govuk-table__cell--numeric">6</);
      expect(row).toContain('Lee Lead');
      expect(row).toContain(answers.whatNext);
      expect(page.text).toContain('href="/self-assessments.csv?service=mash-assessment"');

      const file = await get('lee', '/self-assessments.csv?service=mash-assessment').expect(200);
      expect(file.text.split('\r\n')[0]).toBe(
        'service,period,periodFrom,score,whatWeKnow,howWeKnow,whatNext,recordedAt,recordedBy',
      );
      expect(file.text).toContain('mash-assessment,2026/27 Q2,2026-07-01,6,');

      const twice = await post('lee', '/self-assessments', {
        service: 'mash-assessment',
        period: '2026/27 Q2',
        score: '7',
        ...answers,
      }).expect(400);
      expect(errorBeside(twice.text, 'period')).toContain('already recorded');
      expect(await listed()).toHaveLength(1);

      const other = await get('lee', '/self-assessments?service=looked-after').expect(200);
      expect(other.text).toContain('No self-assessment recorded for this service.');
      const wrong = await get('lee', '/self-assessments?service=Not%20A%20Service').expect(400);
      expect(errorBeside(wrong.text, 'filterService')).toContain('Choose a service from the list');
    });

    it('takes a decimal score, or none when "no score this quarter" is ticked', async () => {
      const blank = await post('lee', '/self-assessments', {
        service: 'children-disability',
        period: '2026/27 Q1',
        ...answers,
      }).expect(400);
      expect(errorBeside(blank.text, 'score')).toContain('Score must be a number from 0 to 10');
      await post('lee', '/self-assessments', {
        service: 'children-disability',
        period: '2026/27 Q1',
        score: '6.5',
        ...answers,
      }).expect(303);
      await post('lee', '/self-assessments', {
        service: 'children-disability',
        period: '2026/27 Q2',
        noScore: 'yes',
        ...answers,
      }).expect(303);
      const page = await get('lee', '/self-assessments?service=children-disability').expect(200);
      const rows = page.text.match(/<tr class="govuk-table__row">[\s\S]*?<\/tr>/g) ?? [];
      expect(rows.find((r) => r.includes('2026/27 Q1'))).toMatch(/govuk-table__cell--numeric">6.5</);
      expect(rows.find((r) => r.includes('2026/27 Q2'))).toMatch(/govuk-table__cell--numeric">Not scored</);
    });

    it('shows the form only to the roles that record self-assessments', async () => {
      expect((await get('mia', '/self-assessments').expect(200)).text).toContain('Record a self-assessment');
      const inspector = await get('ines', '/self-assessments').expect(200);
      expect(inspector.text).not.toContain('Record a self-assessment');
      expect(inspector.text).toContain('mash-assessment');
      await post('ines', '/self-assessments', { service: 'x-service', period: '2026/27 Q2', score: '5', ...answers }).expect(403);
    });
  });

  describe('the inspection, the RAG settings and partner agencies', () => {
    const day = (name: string, d: number, m: number, y: number) => ({
      [`${name}-day`]: String(d),
      [`${name}-month`]: String(m),
      [`${name}-year`]: String(y),
    });
    const inspection = {
      title: 'ILACS action plan',
      triggerKind: 'ofsted-inspection',
      ...day('triggerDate', 10, 1, 2025),
      ...day('startOn', 6, 1, 2025),
      ...day('endOn', 10, 1, 2025),
      ...day('publishedOn', 15, 1, 2025),
      judgement: 'requires-improvement',
      impactOfLeaders: 'inadequate',
    };
    let planId = '';

    it('creates a plan from an inspection with its dates and judgements per area; the action plan is due 70 working days after publication', async () => {
      const outOfOrder = await post('lee', '/plans', { ...inspection, ...day('publishedOn', 9, 1, 2025) }).expect(400);
      expect(summaryOf(outOfOrder.text)).toContain('before the inspection ended (10 January 2025)');
      expect(outOfOrder.text).toContain('value="ILACS action plan"');
      const notice = await post('lee', '/plans', { ...inspection, triggerKind: 'improvement-notice' }).expect(400);
      expect(summaryOf(notice.text)).toContain('DfE improvement notice does not');

      const created = await post('lee', '/plans', inspection).expect(303);
      planId = /^\/plans\/(.+)$/.exec(created.headers.location)![1];
      const page = await get('ines', `/plans/${planId}`).expect(200);
      const inspectionList = /id="inspection"[\s\S]*?<\/dl>/.exec(page.text)![0].replace(/\s+/g, ' ');
      expect(inspectionList).toContain('Ofsted inspection (ILACS)');
      expect(inspectionList).toContain('6 January 2025 to 10 January 2025');
      expect(inspectionList).toContain('Report published</dt><dd class="govuk-summary-list__value">15 January 2025');
      expect(inspectionList).toContain('Overall effectiveness</dt><dd class="govuk-summary-list__value">Requires improvement');
      expect(inspectionList).toContain(
        'The impact of leaders on social work practice with children and families</dt><dd class="govuk-summary-list__value">Inadequate',
      );
      expect(inspectionList).toContain('25 April 2025');
      expect(inspectionList).toContain('Late');
      expect(inspectionList).toContain('70 working days after the report was published on 15 January 2025');
      expect(page.text).not.toContain('Record as sent to Ofsted'); // an inspector changes nothing

      const early = await post('lee', `/plans/${planId}/submission`, day('submittedOn', 14, 1, 2025)).expect(400);
      expect(errorBeside(early.text, 'submittedOn')).toContain('before the inspection report was published');
      await post('lee', `/plans/${planId}/submission`, day('submittedOn', 29, 4, 2025))
        .expect(303)
        .expect('Location', `/plans/${planId}?done=submitted`);
      const sent = (await get('lee', `/plans/${planId}?done=submitted`).expect(200)).text;
      expect(sent).toContain('Action plan recorded as sent to Ofsted.');
      expect(sent).toContain('submitted on 29 April 2025, 2 working days late');
    });

    it("records the report's publication on a plan made before it was published", async () => {
      const unpublished: Record<string, string> = { ...inspection };
      for (const part of ['day', 'month', 'year']) delete unpublished[`publishedOn-${part}`];
      const created = await post('lee', '/plans', { ...unpublished, title: 'Plan made before the report' }).expect(303);
      const id = /^\/plans\/(.+)$/.exec(created.headers.location)![1];
      expect((await get('lee', `/plans/${id}`).expect(200)).text).toContain('Record the publication');
      expect((await get('ines', `/plans/${id}`).expect(200)).text).not.toContain('Record the publication');

      const early = await post('lee', `/plans/${id}/report-publication`, day('publishedOn', 9, 1, 2025)).expect(400);
      expect(errorBeside(early.text, 'publishedOn')).toContain('before the inspection ended');
      await post('lee', `/plans/${id}/report-publication`, day('publishedOn', 15, 1, 2025))
        .expect(303)
        .expect('Location', `/plans/${id}?done=published`);
      const page = (await get('lee', `/plans/${id}?done=published`).expect(200)).text;
      expect(page).toContain('Publication of the inspection report recorded.');
      expect(page.replace(/\s+/g, ' ')).toContain('Report published</dt><dd class="govuk-summary-list__value">15 January 2025');
      expect(page).not.toContain('Record the publication');
      expect(page).toContain('Record as sent to Ofsted');
    });

    it('the lead changes the RAG settings; a bad setting is shown beside its box and records nothing', async () => {
      const page = (await get('lee', `/plans/${planId}`).expect(200)).text;
      expect(page).toContain('The recommended settings (not changed for this plan)');
      expect(page).toContain('Amber after 1 calendar month without an update');
      const form = {
        redFromWorkingDaysOverdue: '5',
        noUpdateCount: '1',
        noUpdateUnit: 'months',
        escalateAmberAfterDays: '45',
        ragReason: 'Improvement board, 3 March 2025',
      };
      const words = await post('lee', `/plans/${planId}/rag-settings`, { ...form, redFromWorkingDaysOverdue: 'five' }).expect(
        400,
      );
      expect(summaryOf(words.text)).toContain('href="#redFromWorkingDaysOverdue"');
      expect(words.text).toContain('value="five"');
      const thirteen = await post('lee', `/plans/${planId}/rag-settings`, { ...form, noUpdateCount: '13' }).expect(400);
      expect(summaryOf(thirteen.text)).toContain('No update for: enter a whole number of calendar months from 1 to 12');
      await post('mia', `/plans/${planId}/rag-settings`, form).expect(403);
      expect((await api(leadToken).get(`/api/v1/plans/${planId}/status`).expect(200)).body.ragSettings.isDefault).toBe(true);

      await post('lee', `/plans/${planId}/rag-settings`, form)
        .expect(303)
        .expect('Location', `/plans/${planId}?done=rag-settings`);
      const after = (await get('lee', `/plans/${planId}?done=rag-settings`).expect(200)).text;
      expect(after).toContain('RAG settings changed.');
      expect(after).toContain('Red from 5 working days overdue (amber before)');
      expect(after).toContain('Escalate an action amber for more than 45 days');
      expect(after).toMatch(/Set by the board from \d{1,2} \w+ \d{4}/);
    });

    it('an action owned by a partner agency is added and shown with the agency as its owner', async () => {
      await api(leadToken)
        .post(`/api/v1/plans/${planId}/priorities`, { priorityId: 'partners', title: 'Partnerships' })
        .expect(201);
      const form = {
        priorityId: 'partners',
        title: 'Health attend strategy discussions',
        teamIds: 'north',
        ...day('startOn', 3, 2, 2025),
        ...day('dueOn', 30, 5, 2025),
        successMeasure: 'Health attend 90% of strategy discussions',
      };
      const both = await post('lee', `/plans/${planId}/actions`, {
        ...form,
        ownerId: ids.mia,
        ownerAgency: 'Health trust',
      }).expect(400);
      expect(errorBeside(both.text, 'ownerAgency')).toContain('not both');
      const neither = await post('lee', `/plans/${planId}/actions`, form).expect(400);
      expect(errorBeside(neither.text, 'ownerId')).toContain('a Casetrail user, or a partner agency');
      const added = await post('lee', `/plans/${planId}/actions`, { ...form, ownerAgency: 'Health trust' }).expect(303);
      const actionId = /^\/actions\/([^?]+)\?done=added$/.exec(added.headers.location)![1];
      expect(rowOf((await get('lee', `/plans/${planId}`).expect(200)).text, actionId)).toContain('Health trust (partner agency)');
      expect((await get('lee', `/actions/${actionId}`).expect(200)).text).toContain('Health trust (partner agency)');
    });
  });
});
