/**
 * The impact and programme comparison pages over plain HTTP: the same figures as the API, in
 * words and tables, "before" and "after" and never a cause; a bad filter shows its problem. The
 * programme page's findings and their actions, the board report's links to the impact views, and
 * the self-assessment draft pages: viewing a draft records nothing, recording it keeps its sources.
 */
import { PROFILES, TestApp } from '../../support/test-app';
import { errorSummaryOf, expectRefused, headOf, signedIn, textOf, type Person } from '../../support/web-http';

/** Text as a browser reads it from the page's HTML (the page escapes &, <, >, quotes and backslashes). */
const unescaped = (html: string): string =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&');
/** A hidden field's value, as a browser posts it. */
const hiddenValue = (html: string, name: string): string =>
  unescaped(new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '');
/** A textarea's text, as a browser posts it. */
const textareaValue = (html: string, id: string): string =>
  unescaped(new RegExp(`<textarea[^>]*id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1] ?? '').trim();

describe.each(PROFILES.filter((p) => p.enabled))('impact pages over HTTP ($name)', (profile) => {
  let app: TestApp;
  let drop: () => Promise<void>;
  let lead: Person, inspector: Person, manager: Person, qaPerson: Person;
  let first: string[] = [];
  let qaToken = '';
  let weakAudit: string;

  const api = (token: string, url: string, body: object) => app.http.post(url).set('Authorization', `Bearer ${token}`).send(body);

  beforeAll(async () => {
    const created = await profile.create();
    drop = created.drop;
    app = await TestApp.start(created.env);
    const admin = await app.userWithToken('admin');
    const qa = await app.userWithToken('qa-officer', [], 'Quinn Auditor');
    qaToken = qa.token;
    await api(admin.token, '/api/v1/teams', { teamId: 'other-1', name: 'Other Team', service: 'Fostering' }).expect(201);
    await api(admin.token, '/api/v1/teams', { teamId: 'neglect-1', name: 'Neglect Team 1', service: 'Children in need' }).expect(
      201,
    );
    await api(admin.token, '/api/v1/teams', { teamId: 'lac-1', name: 'Looked After 1', service: 'Looked after children' }).expect(
      201,
    );
    lead = await signedIn(app, 'improvement-lead', [], 'lee', 'Lee Lead');
    manager = await signedIn(app, 'team-manager', ['neglect-1'], 'tess', 'Tess Manager');
    inspector = await signedIn(app, 'inspector', [], 'ines', 'Ines Inspector');
    qaPerson = await signedIn(app, 'qa-officer', [], 'quentin', 'Quentin QA');
    const audit = async (caseRef: string, programmeId: string, auditedOn: string, grade: string): Promise<string> => {
      const started = await api(qa.token, '/api/v1/audits', { caseRef, teamId: 'neglect-1', auditedOn, programmeId }).expect(201);
      const auditId = started.body.auditId as string;
      await api(qa.token, `/api/v1/audits/${auditId}/grades`, { domain: 'management-oversight', grade }).expect(200);
      await api(qa.token, `/api/v1/audits/${auditId}/submit`, { overallGrade: grade, submittedOn: auditedOn }).expect(200);
      return auditId;
    };
    const programme = (programmeId: string, title: string, from: string, to: string, reAuditOf?: string) =>
      api(qa.token, '/api/v1/audit-programmes', {
        programmeId,
        title,
        kind: reAuditOf ? 're-audit' : 'deep-dive',
        from,
        to,
        teamIds: ['neglect-1'],
        ...(reAuditOf ? { reAuditOf } : {}),
      }).expect(201);
    await programme('dd', 'Neglect deep dive', '2026-04-01', '2026-04-30');
    first = [];
    for (const [caseRef, grade] of [
      ['N1', 'good'],
      ['N2', 'requires-improvement'],
      ['N3', 'requires-improvement'],
      ['N4', 'inadequate'],
    ])
      first.push(await audit(caseRef, 'dd', '2026-04-15', grade));
    weakAudit = first[3];
    await api(lead.token, '/api/v1/plans', {
      planId: 'sip',
      title: 'Improvement plan',
      trigger: { kind: 'self-assessment', date: '2026-04-01' },
    }).expect(201);
    await api(lead.token, '/api/v1/plans/sip/priorities', { priorityId: 'practice', title: 'Practice' }).expect(201);
    await api(lead.token, '/api/v1/plans/sip/recommendations', {
      recommendationId: 'oversight-rec',
      text: 'Managers oversee every case',
      timescale: 'immediately',
    }).expect(201);
    await api(lead.token, '/api/v1/plans/sip/actions', {
      actionId: 'oversight',
      priorityId: 'practice',
      recommendationIds: [],
      title: 'Managers record oversight',
      ownerId: lead.userId,
      teamIds: ['neglect-1'],
      startOn: '2026-05-01',
      dueOn: '2026-06-30',
      successMeasure: 'Oversight good',
      finding: { auditId: first[3], domain: 'management-oversight' },
    }).expect(201);
    // An open action raised from no finding, for the audit page to link.
    await api(lead.token, '/api/v1/plans/sip/actions', {
      actionId: 'chronologies',
      priorityId: 'practice',
      recommendationIds: [],
      title: 'Chronologies kept up to date',
      ownerId: lead.userId,
      teamIds: ['neglect-1'],
      startOn: '2026-05-01',
      dueOn: '2026-12-31',
      successMeasure: 'Chronologies current',
    }).expect(201);
    await api(lead.token, '/api/v1/actions/oversight/complete', { completedOn: '2026-06-30', evidence: 'Done' }).expect(200);
    await programme('re', 'Neglect re-audit', '2026-09-01', '2026-09-30', 'dd');
    for (const [caseRef, grade] of [
      ['N1', 'good'],
      ['N2', 'good'],
      ['N3', 'good'],
      ['N4', 'requires-improvement'],
    ])
      await audit(caseRef, 're', '2026-09-15', grade);
  });
  afterAll(async () => {
    await app.close();
    await drop();
  });

  it('the impact page shows the grades before and after the action was completed, and says that is no cause', async () => {
    const page = textOf((await inspector.get('/impact?actionId=oversight&on=2026-09-30').expect(200)).text);
    expect(page).toContain(
      'Management oversight: before the action was completed on 30 June 2026, 1 of 4 good (25%); after, 3 of 4 good (75%).',
    );
    expect(page).toContain('Good 1 (25%) 3 (75%)');
    expect(page).toContain('They do not show that the action caused any change');
    const before = textOf((await lead.get('/impact?planId=sip&on=2026-06-01').expect(200)).text);
    expect(before).toContain('the action was not completed by then, so there is no "after" yet');
  });

  it('a bad day is a problem on the form, not an error page', async () => {
    const page = await lead.get('/impact?actionId=oversight&on=30-09-2026').expect(200);
    expect(textOf(errorSummaryOf(page.text))).toContain('Day');
  });

  it('the comparison page shows each domain and each case’s change', async () => {
    const page = textOf((await inspector.get('/audits/programmes/re/comparison?with=dd').expect(200)).text);
    expect(page).toContain('Management oversight: 1 of 4 good or better (25%) → 3 of 4 good or better (75%)');
    expect(page).toContain('N4 Overall: inadequate → requires improvement Better');
    expect(page).toContain('Management oversight: requires improvement → good Better');
    expect(page).toContain('This programme is a re-audit of the earlier one.');
    // The re-audit's own page links to it.
    const programme = await inspector.get('/audits/programmes/re').expect(200);
    expect(programme.text).toContain('href="/audits/programmes/re/comparison?with=dd"');
  });

  it('the programme page lists its findings, their cases and the actions that answer them', async () => {
    const page = await inspector.get('/audits/programmes/dd').expect(200);
    const findings = /<section id="findings"[\s\S]*?<\/section>/.exec(page.text)?.[0] ?? '';
    expect(textOf(findings)).toContain(
      'Management oversight: 1 of 4 good or better (25%); 3 cases requires improvement or inadequate; answered by 1 action: "Managers record oversight".',
    );
    expect(textOf(findings)).toContain('N4 : inadequate');
    expect(findings).toContain(`href="/audits/${weakAudit}"`);
    expect(findings).toContain('href="/actions/oversight"');
    expect(findings).toContain('href="/impact?actionId=oversight"');
    // The re-audit: its own findings, and still its comparison.
    const reAudit = await inspector.get('/audits/programmes/re').expect(200);
    expect(textOf(reAudit.text)).toContain(
      'Management oversight: 3 of 4 good or better (75%); 1 case requires improvement or inadequate; no improvement action answers it yet.',
    );
    expect(reAudit.text).toContain('href="/audits/programmes/re/comparison?with=dd"');
  });

  it('the board report links each plan, priority, action and recommendation to its impact view, and to the quarter’s draft', async () => {
    const page = await lead.get('/reports?quarter=2026%2F27+Q2').expect(200);
    expect(page.text).toContain('href="/impact?planId=sip&amp;on=2026-09-30"');
    expect(page.text).toContain('href="/impact?planId=sip&amp;priorityId=practice&amp;on=2026-09-30"');
    expect(page.text).toContain('href="/impact?actionId=oversight&amp;on=2026-09-30"');
    expect(page.text).toContain('href="/impact?recommendationId=oversight-rec&amp;planId=sip&amp;on=2026-09-30"');
    expect(page.text).toContain('href="/self-assessments/draft?period=2026%2F27+Q2"');
    // The inspector may not draft one: no link to it.
    expect((await inspector.get('/reports?quarter=2026%2F27+Q2').expect(200)).text).not.toContain('/self-assessments/draft');
    // The impact page links to the draft of its day's quarter.
    const impact = await lead.get('/impact?planId=sip&on=2026-09-30').expect(200);
    expect(impact.text).toContain('href="/self-assessments/draft?period=2026%2F27+Q2"');
  });

  it('the draft page offers services by name and quarters in words; viewing a draft records nothing', async () => {
    const list = await lead.get('/self-assessments').expect(200);
    expect(list.text).toContain('href="/self-assessments/draft"');
    const choose = await lead.get('/self-assessments/draft?period=2026%2F27+Q2').expect(200);
    expect(choose.text).toMatch(/<option value="children-in-need"\s*>Children in need<\/option>/);
    expect(choose.text).toMatch(/<option value="2026\/27 Q2" selected>July to September 2026 \(2026\/27 Q2\)<\/option>/);
    const before = await headOf(app);
    const draft = await lead.post('/self-assessments/draft', { service: 'children-in-need', period: '2026/27 Q2' }).expect(200);
    expect(await headOf(app)).toBe(before);
    expect(textOf(draft.text)).toContain('Children in need, July to September 2026 (2026/27 Q2)');
    expect(textareaValue(draft.text, 'whatWeKnow')).toContain('4 case audits were completed in 2026/27 Q2');
    // The text to edit is the sentences alone: their sources are the links listed under each part.
    expect(textareaValue(draft.text, 'whatWeKnow')).not.toContain('(source:');
    // Each sentence's sources under its part, as links to the pages showing them.
    const known = /<div[^>]*id="sources-whatWeKnow">[\s\S]*?<\/div>/.exec(draft.text)?.[0] ?? '';
    expect(known).toContain('href="/impact?actionId=oversight&amp;on=2026-09-30"');
    expect(known).toContain('href="/audits/programmes/re/comparison?with=dd"');
    expect(textOf(known)).toContain('Management oversight: 25% good before, 75% after');
  });

  it('a draft recorded from the page keeps its sources; a part left empty re-renders the draft and records nothing', async () => {
    const draft = await lead.post('/self-assessments/draft', { service: 'children-in-need', period: '2026/27 Q2' }).expect(200);
    const sources = hiddenValue(draft.text, 'sources');
    const drafted = JSON.parse(sources) as { part: string; label: string; href: string }[];
    expect(drafted.length).toBeGreaterThan(3);
    const form = {
      service: 'children-in-need',
      period: '2026/27 Q2',
      sources,
      whatWeKnow: textareaValue(draft.text, 'whatWeKnow'),
      howWeKnow: textareaValue(draft.text, 'howWeKnow'),
      whatNext: 'Re-audit management oversight in the spring.',
      score: '6.5',
    };
    const refused = await expectRefused(
      app,
      () => lead.post('/self-assessments/draft/record', { ...form, whatWeKnow: '  ' }),
      'Enter what we know about the quality and impact of our practice',
    );
    expect(refused).toContain('href="/impact?actionId=oversight&amp;on=2026-09-30"');
    expect(textareaValue(refused, 'whatNext')).toBe('Re-audit management oversight in the spring.');

    const recorded = await lead.post('/self-assessments/draft/record', form).expect(303);
    expect(recorded.headers.location).toBe('/self-assessments?done=recorded&service=children-in-need');
    const rows = await app.http
      .get('/api/v1/self-assessments?service=children-in-need')
      .set('Authorization', `Bearer ${lead.token}`)
      .expect(200);
    expect(rows.body).toHaveLength(1);
    expect(rows.body[0]).toMatchObject({
      period: '2026/27 Q2',
      score: 6.5,
      whatNext: 'Re-audit management oversight in the spring.',
    });
    expect(rows.body[0].sources).toEqual(drafted);
    const list = await lead.get('/self-assessments?service=children-in-need').expect(200);
    expect(list.text).toContain('href="/impact?actionId=oversight&amp;on=2026-09-30"');
    expect(textOf(list.text)).toContain('Management oversight: 25% good before, 75% after');
    // Recorded once: the same quarter again is refused on the draft page, not an error page.
    await expectRefused(app, () => lead.post('/self-assessments/draft/record', form), 'already');
  });

  it('a team manager drafts for their own teams’ services only', async () => {
    const everyService = await lead.get('/self-assessments/draft').expect(200);
    expect(textOf(everyService.text)).toContain('Looked after children');
    const choose = await manager.get('/self-assessments/draft').expect(200);
    expect(textOf(choose.text)).toContain('Children in need');
    expect(textOf(choose.text)).not.toContain('Looked after children');
    await manager.post('/self-assessments/draft', { service: 'looked-after-children', period: '2026/27 Q2' }).expect(403);
    await manager.post('/self-assessments/draft', { service: 'children-in-need', period: '2026/27 Q2' }).expect(200);
    await inspector.get('/self-assessments/draft').expect(403);
  });

  it('the audit page lists the improvement action answering its finding, and the action page links back to the audit', async () => {
    const auditPage = await inspector.get(`/audits/${first[3]}`).expect(200);
    const text = textOf(auditPage.text);
    expect(text).toContain('Improvement actions answering this audit');
    expect(text).toContain('Management oversight: inadequate');
    expect(auditPage.text).toContain('href="/actions/oversight"');
    expect(text).toContain('Managers record oversight Complete completed on 30 June 2026');
    // An inspector reads; they neither raise nor link.
    expect(text).not.toContain('Raise an improvement action');
    // The re-audit link: the later audit of the same case.
    expect(text).toContain('Other audits of this case');
    expect(text).toContain('Audited again on: 15 September 2026');

    const actionPage = await inspector.get('/actions/oversight').expect(200);
    expect(textOf(actionPage.text)).toContain('Management oversight in the audit of N4 of 15 April 2026');
    expect(actionPage.text).toContain(`href="/audits/${first[3]}#improvement"`);
    expect(actionPage.text).toContain('href="/impact?actionId=oversight"');
  });

  it('a QA officer links an existing action to a finding from the audit page; both records then show the link', async () => {
    const auditPage = await qaPerson.get(`/audits/${first[1]}`).expect(200);
    expect(auditPage.text).toContain(`href="/audits/${first[1]}/findings/link?domain=management-oversight"`);
    expect(auditPage.text).toContain(`href="/audits/${first[1]}/findings/raise?domain=management-oversight"`);
    const form = await qaPerson.get(`/audits/${first[1]}/findings/link?domain=management-oversight`).expect(200);
    // Only open actions are offered: the completed one takes no new finding.
    expect(textOf(form.text)).toContain('Chronologies kept up to date (Improvement plan)');
    expect(textOf(form.text)).not.toContain('Managers record oversight (Improvement plan)');
    // The completed action is refused with its reason, nothing recorded.
    await expectRefused(
      app,
      () => qaPerson.post(`/audits/${first[1]}/findings/link`, { actionId: 'oversight', domain: 'management-oversight' }),
      'This action was completed on 30 June 2026, so it cannot take on a new finding',
    );
    await qaPerson
      .post(`/audits/${first[1]}/findings/link`, { actionId: 'chronologies', domain: 'management-oversight' })
      .expect(303)
      .expect('Location', `/audits/${first[1]}?done=finding-linked`);
    const after = await qaPerson.get(`/audits/${first[1]}?done=finding-linked`).expect(200);
    expect(textOf(after.text)).toContain('The improvement action now answers this finding too.');
    expect(after.text).toContain('href="/actions/chronologies"');
    const actionPage = await qaPerson.get('/actions/chronologies').expect(200);
    expect(textOf(actionPage.text)).toContain('Management oversight in the audit of N2 of 15 April 2026');
    // Twice is refused in words.
    await expectRefused(
      app,
      () => qaPerson.post(`/audits/${first[1]}/findings/link`, { actionId: 'chronologies', domain: 'management-oversight' }),
      'This action already answers the finding',
    );
  });

  it("raising an improvement action from a finding opens the plan's action form with the finding filled in", async () => {
    const chosen = await qaPerson
      .get(`/audits/${first[2]}/findings/raise?choose=1&planId=sip&domain=management-oversight`)
      .expect(303);
    expect(chosen.headers.location).toBe(`/plans/sip/actions?auditId=${first[2]}&domain=management-oversight`);
    const form = await qaPerson.get(chosen.headers.location).expect(200);
    expect(textOf(form.text)).toContain(
      'This action answers the finding on Management oversight in the audit of N3 of 15 April 2026.',
    );
    expect(form.text).toContain(`name="findingAuditId" value="${first[2]}"`);
    const unchosen = await qaPerson.get(`/audits/${first[2]}/findings/raise?choose=1&domain=management-oversight`).expect(400);
    expect(textOf(unchosen.text)).toContain('Choose the improvement plan the action belongs to');
    // A QA officer's action form without a finding is refused in words, nothing recorded.
    await expectRefused(
      app,
      () =>
        qaPerson.post('/plans/sip/actions', {
          priorityId: 'practice',
          title: 'Anything',
          ownerId: lead.userId,
          teamIds: 'neglect-1',
          'startOn-day': '1',
          'startOn-month': '5',
          'startOn-year': '2026',
          'dueOn-day': '30',
          'dueOn-month': '6',
          'dueOn-year': '2026',
          successMeasure: 'Better',
        }),
      'A QA officer raises an improvement action from an audit finding',
    );
  });

  it("the impact page shows a priority's actions, and the plan page links each priority's and recommendation's impact", async () => {
    const page = textOf((await lead.get('/impact?planId=sip&priorityId=practice&on=2026-09-30').expect(200)).text);
    expect(page).toContain('Managers record oversight');
    expect(page).toContain('Chronologies kept up to date');
    const plan = await lead.get('/plans/sip').expect(200);
    expect(plan.text).toContain('href="/impact?planId=sip&amp;priorityId=practice"');
    const noPlan = await lead.get('/impact?priorityId=practice').expect(200);
    expect(textOf(errorSummaryOf(noPlan.text))).toContain('Name the plan of the priority');
  });

  it("a team manager sees the case reference of their own teams' audits only among the findings an action answers", async () => {
    const started = await api(qaToken, '/api/v1/audits', { caseRef: 'F9', teamId: 'other-1', auditedOn: '2026-04-20' }).expect(
      201,
    );
    const otherAudit = started.body.auditId as string;
    await api(qaToken, `/api/v1/audits/${otherAudit}/grades`, { domain: 'management-oversight', grade: 'inadequate' }).expect(
      200,
    );
    await api(qaToken, `/api/v1/audits/${otherAudit}/submit`, { overallGrade: 'inadequate', submittedOn: '2026-04-20' }).expect(
      200,
    );
    await api(lead.token, '/api/v1/actions/chronologies/findings', {
      auditId: otherAudit,
      domain: 'management-oversight',
    }).expect(201);
    const manager = await signedIn(app, 'team-manager', ['neglect-1'], 'tam', 'Tam Manager');
    const theirs = textOf((await manager.get('/actions/chronologies').expect(200)).text);
    expect(theirs).toContain('Management oversight in the audit of N2 of 15 April 2026');
    expect(theirs).toContain('Management oversight in an audit you cannot see');
    expect(theirs).not.toContain('F9');
    const leads = textOf((await lead.get('/actions/chronologies').expect(200)).text);
    expect(leads).toContain('Management oversight in the audit of F9 of 20 April 2026');
  });
});
