import { PROFILES, TestApp, type User } from '../support/test-app';

/**
 * Issue 21's done-when, with every event entered through the API: a neglect deep dive finds weak
 * management oversight, an action is raised from the finding and completed, a re-audit of the same
 * cases grades it again; the impact view, the comparison and the self-evaluation draft say so.
 */
describe.each(PROFILES.filter((p) => p.enabled))('from finding to impact over HTTP ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let admin: User, qa: User, lead: User, manager: User;

  const TEAM = 'neglect-1';
  const DOMAIN = 'management-oversight';
  const cases = Array.from({ length: 16 }, (_, i) => `N${String(i + 1).padStart(2, '0')}`);
  const repeat = (n: number, grade: string): string[] => Array<string>(n).fill(grade);
  /** Deep dive: 3 good, 10 RI, 3 inadequate. Re-audit: the first 9 good, the next 6 RI, the last inadequate. */
  const deepDive = [...repeat(3, 'good'), ...repeat(10, 'requires-improvement'), ...repeat(3, 'inadequate')];
  const reAudit = [...repeat(9, 'good'), ...repeat(6, 'requires-improvement'), ...repeat(1, 'inadequate')];

  /** Starts, grades (management oversight and planning) and submits an audit; returns its id. */
  const audit = (caseRef: string, programmeId: string, auditedOn: string, grade: string): Promise<string> =>
    t.submittedAudit(qa, {
      caseRef,
      teamId: TEAM,
      auditedOn,
      programmeId,
      grades: { [DOMAIN]: grade, planning: 'good' },
      overallGrade: grade,
      submittedOn: auditedOn,
    });

  beforeEach(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env);
    admin = await t.userWithToken('admin');
    qa = await t.userWithToken('qa-officer', [], 'Quinn Auditor');
    lead = await t.userWithToken('improvement-lead', [], 'Lee Lead');
    await t.as(admin).post('/api/v1/teams', { teamId: TEAM, name: 'Neglect Team 1', service: 'Children in need' }).expect(201);
    await t.as(admin).post('/api/v1/teams', { teamId: 'other-1', name: 'Other Team', service: 'Fostering' }).expect(201);
    manager = await t.userWithToken('team-manager', ['other-1'], 'Olive Other');
  });
  afterEach(async () => {
    await t.close();
    await storage.drop();
  });

  it('a deep dive finding raises an action; after it is completed a re-audit of the same 16 cases shows 18.75% good before and 56.25% after', async () => {
    // ---- The neglect deep dive: management oversight 3 good, 10 RI, 3 inadequate.
    await t
      .as(qa)
      .post('/api/v1/audit-programmes', {
        programmeId: 'neglect-dd',
        title: 'Neglect deep dive',
        kind: 'deep-dive',
        theme: 'Neglect',
        from: '2026-04-01',
        to: '2026-04-30',
        teamIds: [TEAM],
      })
      .expect(201);
    const firstAudits: string[] = [];
    for (const [i, caseRef] of cases.entries()) firstAudits.push(await audit(caseRef, 'neglect-dd', '2026-04-15', deepDive[i]));

    // ---- The plan and an indicator to measure the action by.
    await t
      .as(lead)
      .post('/api/v1/plans', {
        planId: 'sip',
        title: 'Children in need improvement plan',
        trigger: { kind: 'self-assessment', date: '2026-04-01' },
      })
      .expect(201);
    await t.as(lead).post('/api/v1/plans/sip/priorities', { priorityId: 'practice', title: 'Quality of practice' }).expect(201);
    await t
      .as(lead)
      .post('/api/v1/indicators', {
        code: 'supervision-in-time',
        name: 'Case supervision in timescale',
        unit: 'percent',
        polarity: 'higher-is-better',
        target: 95,
        tolerance: 5,
        frequency: 'monthly',
      })
      .expect(201);
    for (const [period, value] of [
      ['2026-04', 70],
      ['2026-08', 92],
    ] as const)
      await t.as(lead).post('/api/v1/indicators/supervision-in-time/measurements', { period, value }).expect(201);

    const action = {
      actionId: 'mo-supervision',
      priorityId: 'practice',
      recommendationIds: [],
      title: 'Team managers record management oversight on every case',
      ownerId: lead.userId,
      teamIds: [TEAM],
      startOn: '2026-05-01',
      dueOn: '2026-06-30',
      successMeasure: 'Management oversight good in most re-audited cases',
      indicatorCode: 'supervision-in-time',
    };
    const inadequateAudit = firstAudits[15];
    const goodAudit = firstAudits[0];
    // The rules of a finding, each refused with its reason and nothing recorded.
    const refused = async (finding: object, code: string): Promise<void> => {
      const answer = await t
        .as(lead)
        .post('/api/v1/plans/sip/actions', { ...action, finding })
        .expect(422);
      expect(answer.body.details.code).toBe(code);
      await t.as(lead).get('/api/v1/actions/mo-supervision').expect(404);
    };
    await refused({ auditId: 'no-such-audit', domain: DOMAIN }, 'FINDING_AUDIT_NOT_FOUND');
    await refused({ auditId: inadequateAudit, domain: 'horoscope' }, 'FINDING_DOMAIN_NOT_IN_FRAMEWORK');
    await refused({ auditId: goodAudit, domain: DOMAIN }, 'FINDING_NOT_AN_AREA_FOR_DEVELOPMENT');
    await t
      .as(lead)
      .post('/api/v1/plans/sip/actions', { ...action, finding: { auditId: inadequateAudit } })
      .expect(400);
    await t
      .as(lead)
      .post('/api/v1/plans/sip/actions', { ...action, finding: { auditId: inadequateAudit, domain: DOMAIN } })
      .expect(201);

    // The programme lists its finding with the action that answers it.
    const findings = await t.as(qa).get('/api/v1/audit-programmes/neglect-dd/findings').expect(200);
    const oversight = findings.body.findings.find((f: { domain: string }) => f.domain === DOMAIN);
    expect(oversight).toMatchObject({
      title: 'Management oversight',
      figures: { graded: 16, good: { count: 3, percent: 18.75 } },
      actions: [{ actionId: 'mo-supervision', planId: 'sip', auditId: inadequateAudit }],
    });
    expect(oversight.cases).toHaveLength(13);
    expect(findings.body.findings.map((f: { domain: string }) => f.domain)).toEqual([DOMAIN]);

    // ---- The action completes at the end of June.
    await t
      .as(lead)
      .post('/api/v1/actions/mo-supervision/complete', { completedOn: '2026-06-30', evidence: 'Oversight recorded on all cases' })
      .expect(200);

    // An instant after the completion and before the re-audit, to read the impact view as it was then.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const beforeReAudit = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));

    // ---- The re-audit of the same 16 cases: 9 good, 6 RI, 1 inadequate.
    await t
      .as(qa)
      .post('/api/v1/audit-programmes', {
        programmeId: 'neglect-re',
        title: 'Neglect re-audit',
        kind: 're-audit',
        from: '2026-09-01',
        to: '2026-09-30',
        teamIds: [TEAM],
        reAuditOf: 'neglect-dd',
      })
      .expect(201);
    const secondAudits: string[] = [];
    for (const [i, caseRef] of cases.entries()) secondAudits.push(await audit(caseRef, 'neglect-re', '2026-09-15', reAudit[i]));

    // ---- The impact view: 18.75% good before, 56.25% after; figures, not a cause.
    const impact = await t.as(lead).get('/api/v1/impact?actionId=mo-supervision&on=2026-09-30').expect(200);
    expect(impact.body.counts).toMatchObject({ total: 1, completed: 1, blue: 1 });
    expect(impact.body.caution).toMatch(/do not show that the action caused/);
    const [view] = impact.body.actions;
    expect(view).toMatchObject({ completedOn: '2026-06-30', finding: { auditId: inadequateAudit, domain: DOMAIN } });
    expect(view.grades.before).toMatchObject({ graded: 16, good: { count: 3, percent: 18.75 }, audits: 16 });
    expect(view.grades.after).toMatchObject({ graded: 16, good: { count: 9, percent: 56.25 }, audits: 16 });
    expect(view.grades.text).toBe(
      'Management oversight: before the action was completed on 30 June 2026, 3 of 16 good (18.75%); after, 9 of 16 good (56.25%).',
    );
    expect(view.indicator.values).toEqual([
      expect.objectContaining({ period: '2026-04', value: 70, target: 95, rag: 'red', when: 'before' }),
      expect.objectContaining({ period: '2026-08', value: 92, target: 95, rag: 'amber', when: 'after' }),
    ]);
    // As on a day before the completion there is no "after" yet; the plan's view and the recommendation-less plan view agree.
    const earlier = await t.as(lead).get('/api/v1/impact?actionId=mo-supervision&on=2026-06-01').expect(200);
    expect(earlier.body.actions[0]).toMatchObject({ completedOn: null, grades: { after: null, before: { graded: 16 } } });
    const plan = await t.as(lead).get('/api/v1/impact?planId=sip&on=2026-09-30').expect(200);
    expect(plan.body.actions.map((a: { actionId: string }) => a.actionId)).toEqual(['mo-supervision']);
    await t.as(lead).get('/api/v1/impact').expect(422);
    // As at an instant before the re-audit was recorded: the same "before", and no audit "after" yet.
    const known = await t
      .as(lead)
      .get(`/api/v1/impact?actionId=mo-supervision&on=2026-09-30&asAt=${encodeURIComponent(beforeReAudit)}`)
      .expect(200);
    expect(known.body.actions[0].grades.before).toMatchObject({ good: { count: 3, percent: 18.75 } });
    expect(known.body.actions[0].grades.after).toMatchObject({ graded: 0, audits: 0 });
    expect(known.body.actions[0].grades.text).toContain('after, no audits yet');
    await t.as(lead).get('/api/v1/impact?actionId=nope').expect(404);

    // ---- The programme comparison: domain by domain and case by case.
    const comparison = await t.as(qa).get('/api/v1/audit-programmes/neglect-re/comparison?with=neglect-dd').expect(200);
    expect(comparison.body.isReAuditOfIt).toBe(true);
    expect(comparison.body.cases).toHaveLength(16);
    const changeOf = (caseRef: string): string =>
      comparison.body.cases
        .find((c: { caseRef: string }) => c.caseRef === caseRef)
        .domains.find((d: { domain: string }) => d.domain === DOMAIN).text;
    expect(changeOf('N01')).toBe('Management oversight: good → good');
    expect(changeOf('N05')).toBe('Management oversight: requires improvement → good');
    expect(changeOf('N14')).toBe('Management oversight: inadequate → requires improvement');
    expect(changeOf('N16')).toBe('Management oversight: inadequate → inadequate');
    const domain = comparison.body.domains.find((d: { domain: string }) => d.domain === DOMAIN);
    expect(domain).toMatchObject({
      earlier: { good: { count: 3, percent: 18.75 } },
      later: { good: { count: 9, percent: 56.25 } },
      cases: { improved: 8, declined: 0, unchanged: 8 },
    });
    // A team manager of another team sees none of these cases.
    const theirs = await t.as(manager).get('/api/v1/audit-programmes/neglect-re/comparison?with=neglect-dd').expect(200);
    expect(theirs.body.cases).toEqual([]);

    // ---- Each re-audited case is linked to its earlier audit.
    const link = await t.as(qa).get(`/api/v1/audits/${secondAudits[13]}/re-audit`).expect(200);
    expect(link.body).toMatchObject({ caseRef: 'N14', earlier: { auditId: firstAudits[13], programmeId: 'neglect-dd' } });
    expect(link.body.changes.find((c: { domain: string }) => c.domain === DOMAIN).text).toBe(
      'Management oversight: inadequate → requires improvement',
    );
    const first = await t.as(qa).get(`/api/v1/audits/${firstAudits[13]}/re-audit`).expect(200);
    expect(first.body).toMatchObject({ earlier: null, later: [{ auditId: secondAudits[13] }], changes: [] });

    // ---- The self-evaluation draft for the service and the quarter of the re-audit.
    const draft = await t
      .as(lead)
      .post('/api/v1/self-assessments/draft', { service: 'children-in-need', period: '2026/27 Q2' })
      .expect(200);
    expect(draft.body).toMatchObject({ service: 'children-in-need', on: '2026-09-30', teamIds: [TEAM] });
    expect(draft.body.whatWeKnow).toContain('56.25%');
    expect(draft.body.whatWeKnow).toContain('18.75%');
    // The indicator's months in words, as the pages say them.
    expect(draft.body.whatWeKnow).toMatch(/ in August 2026 against a target of .*since April 2026/);
    // The re-audit's own finding is not answered by any action yet.
    expect(draft.body.whatNext).toContain(
      'Management oversight in "Neglect re-audit": 7 cases were graded requires improvement or inadequate and no improvement action answers the finding yet.',
    );
    // The immediate reviews the inadequate audits raised are still open: outstanding and overdue.
    expect(draft.body.whatNext).toContain(
      'Neglect Team 1: address the 4 outstanding audit actions (4 overdue on 30 September 2026).',
    );
    const hrefs = draft.body.sources.map((s: { href: string }) => s.href);
    expect(hrefs).toContain('/api/v1/audit-programmes/neglect-re/comparison?with=neglect-dd');
    expect(hrefs).toContain('/api/v1/impact?actionId=mo-supervision&on=2026-09-30');
    for (const sentence of draft.body.sentences) expect(sentence.sources.length).toBeGreaterThan(0);
    // Sources are labelled in words people read: days as "30 September 2026", never ISO dates.
    const labels = draft.body.sources.map((s: { label: string }) => s.label).join('\n');
    expect(labels).toContain('Neglect Team 1: outstanding actions on 30 September 2026');
    expect(labels).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    const cited = draft.body.sentences.find((s: { text: string }) => s.text.startsWith('Management oversight: 56.25% good'));
    expect(cited.sources[0].href).toBe('/api/v1/audit-programmes/neglect-re/comparison?with=neglect-dd');
    // Every link the draft gives answers.
    for (const href of new Set<string>(hrefs)) await t.as(lead).get(href).expect(200);

    // Recording it (edited or not) keeps the sources.
    const { whatWeKnow, howWeKnow, whatNext, sources } = draft.body;
    await t
      .as(lead)
      .post('/api/v1/self-assessments', {
        service: 'children-in-need',
        period: '2026/27 Q2',
        whatWeKnow,
        howWeKnow,
        whatNext,
        sources,
      })
      .expect(201);
    const recorded = await t.as(lead).get('/api/v1/self-assessments?service=children-in-need').expect(200);
    expect(recorded.body).toHaveLength(1);
    expect(recorded.body[0].whatWeKnow).toContain('56.25%');
    expect(recorded.body[0].sources).toEqual(sources);
    // A team manager drafts only for their own teams' services.
    await t.as(manager).post('/api/v1/self-assessments/draft', { service: 'children-in-need', period: '2026/27 Q2' }).expect(403);
    await t.as(lead).post('/api/v1/self-assessments/draft', { service: 'children-in-need', period: '2026-09' }).expect(400);
    await t.as(lead).post('/api/v1/self-assessments/draft', { service: 'nobody', period: '2026/27 Q2' }).expect(422);
  });

  it('an existing action linked to a finding answers it too; the impact view then shows before and after for it, by action and by priority', async () => {
    // A small deep dive: management oversight 1 good, 2 RI, 1 inadequate (25% good).
    const small = cases.slice(0, 4);
    const before = ['good', 'requires-improvement', 'requires-improvement', 'inadequate'];
    const after = ['good', 'good', 'good', 'requires-improvement'];
    const programme = (programmeId: string, title: string, from: string, to: string, reAuditOf?: string) =>
      t
        .as(qa)
        .post('/api/v1/audit-programmes', {
          programmeId,
          title,
          kind: reAuditOf ? 're-audit' : 'deep-dive',
          from,
          to,
          teamIds: [TEAM],
          ...(reAuditOf ? { reAuditOf } : {}),
        })
        .expect(201);
    await programme('dd', 'Neglect deep dive', '2026-04-01', '2026-04-30');
    const firstAudits: string[] = [];
    for (const [i, caseRef] of small.entries()) firstAudits.push(await audit(caseRef, 'dd', '2026-04-15', before[i]));
    await t
      .as(lead)
      .post('/api/v1/plans', {
        planId: 'sip',
        title: 'Improvement plan',
        trigger: { kind: 'self-assessment', date: '2026-04-01' },
      })
      .expect(201);
    await t.as(lead).post('/api/v1/plans/sip/priorities', { priorityId: 'practice', title: 'Quality of practice' }).expect(201);
    const action = {
      priorityId: 'practice',
      recommendationIds: [],
      title: 'Team managers record management oversight on every case',
      ownerId: lead.userId,
      teamIds: [TEAM],
      startOn: '2026-05-01',
      dueOn: '2026-06-30',
      successMeasure: 'Management oversight good in most re-audited cases',
    };
    // The improvement lead added it before the audits were read: it answers no finding.
    await t
      .as(lead)
      .post('/api/v1/plans/sip/actions', { ...action, actionId: 'oversight' })
      .expect(201);

    // ---- A QA officer raises an improvement action only from a finding.
    const refused = await t
      .as(qa)
      .post('/api/v1/plans/sip/actions', { ...action, actionId: 'by-qa' })
      .expect(422);
    expect(refused.body.details.code).toBe('QA_OFFICER_RAISES_FROM_FINDING');
    expect(refused.body.message).toContain('A QA officer raises an improvement action from an audit finding');
    await t.as(lead).get('/api/v1/actions/by-qa').expect(404);
    await t
      .as(qa)
      .post('/api/v1/plans/sip/actions', {
        ...action,
        actionId: 'by-qa',
        title: 'Chronologies kept up to date',
        finding: { auditId: firstAudits[2], domain: DOMAIN },
      })
      .expect(201);
    // A team manager neither raises nor links.
    await t.as(manager).post('/api/v1/actions/oversight/findings', { auditId: firstAudits[3], domain: DOMAIN }).expect(403);

    // ---- Linking the existing action to two findings; the same one twice is refused, nothing appended.
    await t.as(qa).post('/api/v1/actions/oversight/findings', { auditId: firstAudits[3], domain: DOMAIN }).expect(201);
    await t.as(lead).post('/api/v1/actions/oversight/findings', { auditId: firstAudits[1], domain: DOMAIN }).expect(201);
    const twice = await t
      .as(lead)
      .post('/api/v1/actions/oversight/findings', { auditId: firstAudits[3], domain: DOMAIN })
      .expect(409);
    expect(twice.body.details.code).toBe('ACTION_ALREADY_ANSWERS_FINDING');
    const notWeak = await t
      .as(lead)
      .post('/api/v1/actions/oversight/findings', { auditId: firstAudits[0], domain: DOMAIN })
      .expect(422);
    expect(notWeak.body.details.code).toBe('FINDING_NOT_AN_AREA_FOR_DEVELOPMENT');
    await t.as(lead).post('/api/v1/actions/oversight/findings', { auditId: firstAudits[3] }).expect(400);
    await t.as(lead).post('/api/v1/actions/nope/findings', { auditId: firstAudits[3], domain: DOMAIN }).expect(404);
    const trail = await t.as(admin).get('/api/v1/trail?streamId=action-oversight').expect(200);
    expect((JSON.stringify(trail.body).match(/"ActionLinkedToFinding"/g) ?? []).length).toBe(2);

    // The links read both ways: the audit's answering actions, the action's findings.
    const answering = await t.as(qa).get(`/api/v1/audits/${firstAudits[3]}/improvement-actions`).expect(200);
    expect(answering.body).toEqual([
      expect.objectContaining({ actionId: 'oversight', planId: 'sip', domain: DOMAIN, rag: expect.any(String) }),
    ]);
    const ofAction = await t.as(lead).get('/api/v1/actions/oversight/findings').expect(200);
    expect(ofAction.body).toEqual([
      { auditId: firstAudits[3], domain: DOMAIN, domainTitle: 'Management oversight', caseRef: 'N04', auditedOn: '2026-04-15' },
      { auditId: firstAudits[1], domain: DOMAIN, domainTitle: 'Management oversight', caseRef: 'N02', auditedOn: '2026-04-15' },
    ]);
    await t.as(manager).get('/api/v1/actions/oversight/findings').expect(404);
    await t.as(lead).get('/api/v1/actions/nope/findings').expect(404);

    // The programme's finding lists both actions that answer it, once each.
    const findings = await t.as(qa).get('/api/v1/audit-programmes/dd/findings').expect(200);
    const oversight = findings.body.findings.find((f: { domain: string }) => f.domain === DOMAIN);
    expect(oversight.actions.map((a: { actionId: string }) => a.actionId).sort()).toEqual(['by-qa', 'oversight']);

    // ---- Completed at the end of June; a completed action takes no new finding.
    await t
      .as(lead)
      .post('/api/v1/actions/oversight/complete', { completedOn: '2026-06-30', evidence: 'Oversight recorded on all cases' })
      .expect(200);
    const closed = await t
      .as(lead)
      .post('/api/v1/actions/oversight/findings', { auditId: firstAudits[2], domain: DOMAIN })
      .expect(409);
    expect(closed.body.details.code).toBe('COMPLETED_ACTION_TAKES_NO_FINDING');

    // ---- The re-audit of the same 4 cases: 3 good, 1 RI.
    await programme('re', 'Neglect re-audit', '2026-09-01', '2026-09-30', 'dd');
    for (const [i, caseRef] of small.entries()) await audit(caseRef, 're', '2026-09-15', after[i]);

    const impact = await t.as(lead).get('/api/v1/impact?actionId=oversight&on=2026-09-30').expect(200);
    const [view] = impact.body.actions;
    expect(view.findings).toEqual([
      { auditId: firstAudits[3], domain: DOMAIN },
      { auditId: firstAudits[1], domain: DOMAIN },
    ]);
    expect(view.finding).toEqual({ auditId: firstAudits[3], domain: DOMAIN });
    expect(view.gradesByDomain).toHaveLength(1);
    expect(view.grades.text).toBe(
      'Management oversight: before the action was completed on 30 June 2026, 1 of 4 good (25%); after, 3 of 4 good (75%).',
    );
    // A priority's actions, as a recommendation's and a plan's.
    const priority = await t.as(lead).get('/api/v1/impact?planId=sip&priorityId=practice&on=2026-09-30').expect(200);
    expect(priority.body.subject).toEqual({ kind: 'priority', id: 'practice', planIds: ['sip'] });
    expect(priority.body.actions.map((a: { actionId: string }) => a.actionId).sort()).toEqual(['by-qa', 'oversight']);
    expect(priority.body.counts).toMatchObject({ total: 2, completed: 1 });
    await t.as(lead).get('/api/v1/impact?priorityId=practice').expect(422);
    await t.as(lead).get('/api/v1/impact?planId=sip&priorityId=nope').expect(404);

    // The self-evaluation draft says the linked action's before and after too.
    const draft = await t
      .as(lead)
      .post('/api/v1/self-assessments/draft', { service: 'children-in-need', period: '2026/27 Q2' })
      .expect(200);
    expect(draft.body.whatWeKnow).toContain('Team managers record management oversight on every case');
    expect(draft.body.whatWeKnow).toContain('in 3 of 4 (75%)');
  });
});
