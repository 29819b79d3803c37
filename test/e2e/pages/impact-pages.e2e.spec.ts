/**
 * The impact and programme comparison pages over plain HTTP: the same figures as the API, in
 * words and tables, "before" and "after" and never a cause; a bad filter shows its problem.
 */
import { PROFILES, TestApp } from '../../support/test-app';
import { errorSummaryOf, signedIn, textOf, type Person } from '../../support/web-http';

describe.each(PROFILES.filter((p) => p.enabled))('impact pages over HTTP ($name)', (profile) => {
  let app: TestApp;
  let drop: () => Promise<void>;
  let lead: Person, inspector: Person;

  const api = (token: string, url: string, body: object) => app.http.post(url).set('Authorization', `Bearer ${token}`).send(body);

  beforeAll(async () => {
    const created = await profile.create();
    drop = created.drop;
    app = await TestApp.start(created.env);
    const admin = await app.userWithToken('admin');
    const qa = await app.userWithToken('qa-officer', [], 'Quinn Auditor');
    await api(admin.token, '/api/v1/teams', { teamId: 'neglect-1', name: 'Neglect Team 1', service: 'Children in need' }).expect(
      201,
    );
    lead = await signedIn(app, 'improvement-lead', [], 'lee', 'Lee Lead');
    inspector = await signedIn(app, 'inspector', [], 'ines', 'Ines Inspector');
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
    const first: string[] = [];
    for (const [caseRef, grade] of [
      ['N1', 'good'],
      ['N2', 'requires-improvement'],
      ['N3', 'requires-improvement'],
      ['N4', 'inadequate'],
    ])
      first.push(await audit(caseRef, 'dd', '2026-04-15', grade));
    await api(lead.token, '/api/v1/plans', {
      planId: 'sip',
      title: 'Improvement plan',
      trigger: { kind: 'self-assessment', date: '2026-04-01' },
    }).expect(201);
    await api(lead.token, '/api/v1/plans/sip/priorities', { priorityId: 'practice', title: 'Practice' }).expect(201);
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
});
