/**
 * The audit pages over plain HTTP, on both profiles: list filters kept in the CSV link, grade
 * corrections, blind moderation, audit actions and a team's actions, programmes and their summary,
 * moderation agreement. Each form: success, and on an error the problem shown beside the field,
 * the input kept and nothing recorded.
 */
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { systemContext } from '../../../src/core/command-context';
import { UserUseCases } from '../../../src/users/users.use-cases';
import { PROFILES, TestApp, type User } from '../../support/test-app';
import { cookieOf, csrfOf, TEST_PASSWORD as PASSWORD } from '../../support/web-http';

/** The text of the error summary and of the message beside a field. */
const summaryOf = (html: string): string => /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
const fieldError = (html: string, id: string): string =>
  (new RegExp(`id="${id}-error"[^>]*>([\\s\\S]*?)</p>`).exec(html)?.[1] ?? '')
    .replace(/<span class="govuk-visually-hidden">Error:<\/span>/, '')
    .replace(/<[^>]+>/g, '')
    .trim();

describe.each(PROFILES.filter((p) => p.enabled))('audit pages over HTTP ($name)', (profile) => {
  let app: TestApp;
  let drop: () => Promise<void>;
  let admin: User, qa: User, moderator: User, manager: User, otherManager: User;
  const cookies: Record<string, string> = {};
  let submittedId = '';
  let programmeId = '';

  const head = (): Promise<bigint> => app.app.get<EventStore>(EVENT_STORE).headPosition();
  const page = (who: string, url: string) => app.http.get(url).set('Cookie', cookies[who]);
  /** Posts a form as a signed-in person, with the CSRF token of the page the form is on. */
  const submit = async (who: string, formUrl: string, action: string, form: Record<string, unknown>) => {
    const shown = await page(who, formUrl).expect(200);
    return app.http
      .post(action)
      .set('Cookie', cookies[who])
      .type('form')
      .send({ ...form, _csrf: csrfOf(shown.text) });
  };
  /** A refused form: 400, and the event log exactly as it was. */
  const refused = async (who: string, formUrl: string, action: string, form: Record<string, unknown>) => {
    const before = await head();
    const response = await submit(who, formUrl, action, form);
    expect(response.status).toBe(400);
    expect(await head()).toBe(before);
    return response.text;
  };

  async function webUser(role: Parameters<TestApp['userWithToken']>[0], teams: string[], name: string, username: string) {
    const user = await app.userWithToken(role, teams, name);
    const context = { ...systemContext(user.userId, role), commandId: `test-password-${username}` };
    await app.app.get(UserUseCases).setPassword(user.userId, { username, password: PASSWORD }, context);
    const signIn = await app.http.get('/sign-in').expect(200);
    const signedIn = await app.http
      .post('/sign-in')
      .set('Cookie', cookieOf(signIn))
      .type('form')
      .send({ username, password: PASSWORD, _csrf: csrfOf(signIn.text) })
      .expect(303);
    cookies[username] = cookieOf(signedIn);
    return user;
  }

  const startAudit = async (extra: object = {}): Promise<string> => {
    const created = await app
      .as(qa)
      .post('/api/v1/audits', { caseRef: 'CASE-2001', teamId: 'cin-north', auditedOn: '2026-04-06', ...extra })
      .expect(201);
    return created.body.auditId as string;
  };
  const submitAudit = async (auditId: string, overallGrade: string): Promise<void> => {
    await app
      .as(qa)
      .post(`/api/v1/audits/${auditId}/grades`, { domain: 'planning', grade: 'good', evidence: 'Plan reviewed on time' })
      .expect(200);
    await app
      .as(qa)
      .post(`/api/v1/audits/${auditId}/submit`, {
        overallGrade,
        submittedOn: '2026-04-10',
        strengths: ['Voice of the child heard on every visit'],
        areasForDevelopment: ['Contingency plan missing', 'Chronology out of date'],
      })
      .expect(200);
  };

  beforeAll(async () => {
    const created = await profile.create();
    drop = created.drop;
    app = await TestApp.start(created.env);
    admin = await app.userWithToken('admin');
    for (const teamId of ['cin-north', 'cp-east']) {
      await app
        .as(admin)
        .post('/api/v1/teams', { teamId, name: `Team ${teamId}`, service: 'Children in need' })
        .expect(201);
    }
    qa = await webUser('qa-officer', [], 'Quinn Auditor', 'quinn');
    moderator = await webUser('qa-officer', [], 'Morgan Moderator', 'morgan');
    manager = await webUser('team-manager', ['cin-north'], 'Mia Manager', 'mia');
    otherManager = await webUser('team-manager', ['cp-east'], 'Otto Manager', 'otto');
    submittedId = await startAudit();
    await submitAudit(submittedId, 'good');
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('filters the audit list by programme, team and status, keeps the filters in the CSV link, and shows bad filters as problems', async () => {
    const programme = await app
      .as(qa)
      .post('/api/v1/audit-programmes', {
        title: 'Pre-birth assessments',
        kind: 'thematic',
        from: '2026-04-01',
        to: '2026-04-30',
        teamIds: ['cin-north'],
      })
      .expect(201);
    programmeId = programme.body.programmeId as string;
    await startAudit({ caseRef: 'CASE-IN-PROGRAMME', programmeId });

    const filtered = await page('quinn', `/audits?programmeId=${programmeId}&status=in-progress&teamId=cin-north`).expect(200);
    expect(filtered.text).toContain('CASE-IN-PROGRAMME');
    expect(filtered.text).not.toContain('CASE-2001');
    expect(filtered.text).toContain(`href="/audits.csv?teamId=cin-north&amp;programmeId=${programmeId}&amp;status=in-progress"`);
    expect(filtered.text).toMatch(new RegExp(`<option value="${programmeId}" selected>`));
    const file = await page('quinn', `/audits.csv?programmeId=${programmeId}`).expect(200);
    expect(file.text).toContain('CASE-IN-PROGRAMME');
    expect(file.text).not.toContain('CASE-2001');
    // The team by name, beside the id.
    expect(file.text.split('\r\n')[0]).toContain(',teamId,teamName,');
    expect(file.text).toContain(',cin-north,Team cin-north,');

    const wrong = await page('quinn', '/audits?from=yesterday').expect(400);
    expect(summaryOf(wrong.text)).toContain('From');
    expect(wrong.text).toContain('value="yesterday"');

    // A team manager is offered their own team's actions only.
    const mine = await page('mia', '/audits').expect(200);
    expect(mine.text).toContain('/audits/teams/cin-north/actions');
    expect(mine.text).not.toContain('/audits/teams/cp-east/actions');
  });

  it("shows the audit's findings: its strengths and areas for development, to anyone who reads it", async () => {
    const shown = await page('mia', `/audits/${submittedId}`).expect(200);
    expect(shown.text).toMatch(/<h2 class="govuk-heading-m" id="findings">Findings<\/h2>/);
    expect(shown.text).toMatch(
      /Strengths<\/h3>\s*<ul class="govuk-list govuk-list--bullet"><li>Voice of the child heard on every visit<\/li><\/ul>/,
    );
    expect(shown.text).toMatch(
      /Areas for development<\/h3>\s*<ul class="govuk-list govuk-list--bullet"><li>Contingency plan missing<\/li><li>Chronology out of date<\/li><\/ul>/,
    );
    // Team names, not codes.
    expect(shown.text).toMatch(/Team\s*<\/dt>\s*<dd[^>]*>\s*Team cin-north/);
  });

  it('corrects a submitted grade only with a reason, and lists the correction on the audit', async () => {
    const form = await page('quinn', `/audits/${submittedId}/correct`).expect(200);
    expect(form.text).toContain('Current grades');
    expect(form.text).toMatch(/Planning<\/th>\s*<td class="govuk-table__cell">Good/);

    const noReason = await refused('quinn', `/audits/${submittedId}/correct`, `/audits/${submittedId}/correct`, {
      domain: 'planning',
      to: 'requires-improvement',
      reason: '  ',
    });
    expect(fieldError(noReason, 'reason')).toContain('Enter why the grade is corrected');
    expect(summaryOf(noReason)).toContain('href="#reason"');
    expect(noReason).toMatch(/<option value="planning" selected>/);
    expect(noReason).toMatch(/value="requires-improvement" checked/);

    const unchanged = await refused('quinn', `/audits/${submittedId}/correct`, `/audits/${submittedId}/correct`, {
      domain: 'planning',
      to: 'good',
      reason: 'Checked again',
    });
    expect(fieldError(unchanged, 'to')).toContain('already good');
    expect(unchanged).toContain('Checked again');

    const done = await submit('quinn', `/audits/${submittedId}/correct`, `/audits/${submittedId}/correct`, {
      domain: 'overall',
      to: 'requires-improvement',
      reason: 'The plan was not reviewed at the core group',
    });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`/audits/${submittedId}?done=corrected`);
    const audit = await page('quinn', done.headers.location as string).expect(200);
    expect(audit.text).toContain('Grade corrected.');
    expect(audit.text).toContain('The plan was not reviewed at the core group');
    expect(audit.text).toMatch(
      /Overall grade<\/th>\s*<td class="govuk-table__cell">Good<\/td><td class="govuk-table__cell">Requires improvement/,
    );

    // Not the auditor's to correct: a team manager is refused by the policy.
    await page('mia', `/audits/${submittedId}/correct`).expect(403);
  });

  it('requests moderation, keeps the auditor’s grades from the moderator until they record theirs, then shows the disagreement', async () => {
    const url = `/audits/${submittedId}/moderation-request`;
    const none = await refused('quinn', url, url, {});
    expect(fieldError(none, 'moderatorId')).toBe('Choose a moderator');
    const self = await refused('quinn', url, url, { moderatorId: qa.userId });
    expect(fieldError(self, 'moderatorId')).toContain('cannot be moderated by its own auditor');

    const requested = await submit('quinn', url, url, { moderatorId: moderator.userId });
    expect(requested.status).toBe(303);
    const after = await page('quinn', requested.headers.location as string).expect(200);
    expect(after.text).toContain('Moderation requested from Morgan Moderator');

    // Blind: the moderator sees neither the evidence, nor the grades, nor the correction.
    const blind = await page('morgan', `/audits/${submittedId}`).expect(200);
    expect(blind.text).not.toContain('Plan reviewed on time');
    expect(blind.text).not.toContain('Voice of the child heard on every visit');
    expect(blind.text).not.toContain('Contingency plan missing');
    expect(blind.text).not.toContain('The plan was not reviewed at the core group');
    expect(blind.text).toContain('Hidden until you record your moderation');
    expect(blind.text).toContain(`href="/audits/${submittedId}/moderate"`);
    const form = await page('morgan', `/audits/${submittedId}/moderate`).expect(200);
    expect(form.text).not.toContain('Plan reviewed on time');
    expect(form.text).not.toMatch(/value="(good|requires-improvement)" checked/);
    // Grading blind, the moderator is not asked whether they agree with a judgement they cannot see.
    expect(form.text).not.toContain('Do you agree');
    expect(form.text).not.toContain('name="agreed"');
    // Someone else sees no form (only the assigned moderator records one).
    const notMine = await page('quinn', `/audits/${submittedId}/moderate`).expect(200);
    expect(notMine.text).toContain('There is no moderation for you to record');

    const moderate = `/audits/${submittedId}/moderate`;
    const missing = await refused('morgan', moderate, moderate, {
      'grade-planning': 'inadequate',
      rationale: 'No contingency plan',
    });
    expect(fieldError(missing, 'overallGrade')).toBe('Choose the overall grade');
    expect(missing).toContain('No contingency plan');
    expect(missing).toMatch(/name="grade-planning" type="radio" value="inadequate" checked/);

    const recorded = await submit('morgan', moderate, moderate, {
      'grade-planning': 'inadequate',
      overallGrade: 'inadequate',
      rationale: 'No contingency plan',
    });
    expect(recorded.status).toBe(303);
    const shown = await page('morgan', recorded.headers.location as string).expect(200);
    expect(shown.text).toContain('Moderation recorded.');
    expect(shown.text).toContain('Disagreed');
    expect(shown.text).toContain('Morgan Moderator disagreed with the auditor');
    expect(shown.text).toMatch(/Auditor&#39;s overall grade\s*<\/dt>\s*<dd[^>]*>\s*Requires improvement/);
    expect(shown.text).toMatch(/Moderator&#39;s overall grade\s*<\/dt>\s*<dd[^>]*>\s*Inadequate \(a different grade\)/);
    // No longer blind: the evidence shows again.
    expect(shown.text).toContain('Plan reviewed on time');
    // The domain the moderator graded otherwise: both grades side by side, and the page says it changed.
    expect(shown.text).toContain("The auditor's and the moderator's grades, side by side");
    expect(shown.text).toMatch(
      /Planning<\/th>\s*<td class="govuk-table__cell">Good<\/td>\s*<td class="govuk-table__cell">Inadequate <strong class="govuk-tag govuk-tag--orange">\s*Changed at moderation/,
    );
    // The grades differ: the page says who decides, and the auditor is no longer offered a correction.
    expect(shown.text).toContain('A decision is awaited: a QA officer who is neither of them decides which grade counts');
    const asAuditor = await page('quinn', `/audits/${submittedId}`).expect(200);
    expect(asAuditor.text).not.toContain(`href="/audits/${submittedId}/correct"`);
    // The moderator made the case inadequate: its immediate review is raised at once.
    expect(shown.text).toContain('Immediate review: is immediate safeguarding action needed?');

    // The disagreement is decided on its own form, by a third person: neither the auditor nor the moderator is offered it.
    const resolve = `/audits/${submittedId}/resolve`;
    expect(asAuditor.text).not.toContain(`href="${resolve}"`);
    expect(shown.text).not.toContain(`href="${resolve}"`);
    await webUser('qa-officer', [], 'Quentin Lead', 'quentin');
    const asThird = await page('quentin', `/audits/${submittedId}`).expect(200);
    expect(asThird.text).toContain(`href="${resolve}"`);
    const empty = await refused('quentin', resolve, resolve, {});
    expect(fieldError(empty, 'overallGrade')).toBe('Choose the overall grade');
    expect(fieldError(empty, 'rationale')).toBe('Enter the reasons for the decision');
    const ownDecision = await refused('morgan', resolve, resolve, { overallGrade: 'inadequate', rationale: 'Mine' });
    expect(ownDecision).toContain('neither the audit&#39;s auditor nor its moderator');
    const decided = await submit('quentin', resolve, resolve, {
      overallGrade: 'inadequate',
      rationale: 'No contingency plan for the new baby',
    });
    expect(decided.status).toBe(303);
    const withDecision = await page('quentin', decided.headers.location as string).expect(200);
    expect(withDecision.text).toContain('Decision on the disagreement recorded.');
    expect(withDecision.text).toMatch(/Decided by\s*<\/dt>\s*<dd[^>]*>\s*Quentin Lead on/);
    expect(withDecision.text).not.toContain(`href="${resolve}"`);
  });

  it('an immediate review is completed with its answer (immediate safeguarding action needed or not), never cancelled', async () => {
    const review = (await app.as(qa).get(`/api/v1/audits/${submittedId}`).expect(200)).body.actions.find(
      (a: { immediateReview: boolean }) => a.immediateReview,
    ) as { actionId: string };
    const shown = await page('quinn', `/audits/${submittedId}`).expect(200);
    expect(shown.text).not.toContain(`/audits/${submittedId}/actions/${review.actionId}/cancel`);
    const before = await head();
    await app
      .as(qa)
      .post(`/api/v1/audits/${submittedId}/actions/${review.actionId}/cancel`, { reason: 'Not needed' })
      .expect(422)
      .expect((r) => expect(r.body.details.code).toBe('IMMEDIATE_REVIEW_CANNOT_BE_CANCELLED'));
    expect(await head()).toBe(before);

    const complete = `/audits/${submittedId}/actions/${review.actionId}/complete`;
    const form = await page('mia', complete).expect(200);
    expect(form.text).toContain('Was immediate safeguarding action needed?');
    const noAnswer = await refused('mia', complete, complete, { evidence: 'Case discussed with the social worker' });
    expect(fieldError(noAnswer, 'safeguardingActionNeeded')).toContain('say whether immediate safeguarding action was needed');
    expect(noAnswer).toContain('Case discussed with the social worker');
    const answered = await submit('mia', complete, complete, {
      safeguardingActionNeeded: 'no',
      evidence: 'Case discussed with the social worker; safety plan in place',
    });
    expect(answered.status).toBe(303);
    const after = await page('quinn', `/audits/${submittedId}`).expect(200);
    expect(after.text).toContain('No immediate safeguarding action was needed');
    // The team manager's completion evidence is on the audit.
    expect(after.text).toContain('Evidence: Case discussed with the social worker; safety plan in place');
    const stored = (await app.as(qa).get(`/api/v1/audits/${submittedId}`).expect(200)).body.actions.find(
      (a: { actionId: string }) => a.actionId === review.actionId,
    );
    expect(stored).toMatchObject({ status: 'completed', immediateReview: true, safeguardingActionNeeded: false });
  });

  it('raises, completes and cancels audit actions, and lists a team’s open, overdue and completed actions', async () => {
    const raise = `/audits/${submittedId}/actions/new`;
    const action = `/audits/${submittedId}/actions`;
    const noOwner = await refused('quinn', raise, action, { description: 'Update the chronology' });
    expect(fieldError(noOwner, 'ownerId')).toBe('Choose who owns the action');
    expect(noOwner).toContain('Update the chronology');
    const badDate = await refused('quinn', raise, action, {
      description: 'Update the chronology',
      ownerId: manager.userId,
      'dueOn-day': '1',
      'dueOn-month': '1',
      'dueOn-year': '2020',
    });
    expect(summaryOf(badDate)).toContain('href="#dueOn-day"');
    expect(badDate).toMatch(/name="dueOn-year" type="text" value="2020"/);

    const raised = await submit('quinn', raise, action, {
      description: 'Update the chronology',
      ownerId: manager.userId,
      'dueOn-day': '31',
      'dueOn-month': '12',
      'dueOn-year': '2099',
    });
    expect(raised.status).toBe(303);
    const listed = await page('quinn', raised.headers.location as string).expect(200);
    expect(listed.text).toContain('Action raised.');
    expect(listed.text).toContain('Update the chronology');
    expect(listed.text).toContain('31 December 2099');
    // An overdue one, raised through the API in the past.
    const overdue = await app
      .as(qa)
      .post(`/api/v1/audits/${submittedId}/actions`, {
        description: 'Share the plan with the school',
        ownerId: manager.userId,
        raisedOn: '2026-04-10',
        dueOn: '2026-04-17',
      })
      .expect(201);
    const overdueId = overdue.body.actionId as string;
    const withOverdue = await page('mia', `/audits/${submittedId}`).expect(200);
    expect(withOverdue.text).toMatch(/Share the plan with the school[\s\S]*?Overdue/);
    expect(withOverdue.text).toContain(`/audits/${submittedId}/actions/${overdueId}/complete`);
    expect(withOverdue.text).not.toContain(`/audits/${submittedId}/actions/${overdueId}/cancel`);

    const outstanding = await page('mia', '/audits/teams/cin-north/actions').expect(200);
    expect(outstanding.text).toContain('2 actions: outstanding');
    const overdueOnly = await page('mia', '/audits/teams/cin-north/actions?status=overdue').expect(200);
    expect(overdueOnly.text).toContain('1 action: overdue');
    expect(overdueOnly.text).toContain('href="/audits/teams/cin-north/actions.csv?status=overdue"');
    const overdueCsv = await page('mia', '/audits/teams/cin-north/actions.csv?status=overdue').expect(200);
    expect(overdueCsv.text.split('\r\n').filter(Boolean)).toHaveLength(2);
    expect(overdueCsv.text).toContain('Share the plan with the school');
    // The owner by name, beside the id.
    expect(overdueCsv.text.split('\r\n')[0]).toContain(',ownerId,ownerName,');
    expect(overdueCsv.text).toContain(`,${manager.userId},Mia Manager,`);
    await page('otto', '/audits/teams/cin-north/actions').expect(404);

    // The team manager completes the overdue one: evidence needed.
    const complete = `/audits/${submittedId}/actions/${overdueId}/complete`;
    const noEvidence = await refused('mia', complete, complete, { evidence: '', 'completedOn-day': '20' });
    expect(fieldError(noEvidence, 'evidence')).toBe('Give the evidence that the action is done');
    expect(noEvidence).toMatch(/name="completedOn-day" type="text" value="20"/);
    const completed = await submit('mia', complete, complete, { evidence: 'Shared at the core group' });
    expect(completed.status).toBe(303);
    const done = await page('mia', '/audits/teams/cin-north/actions?status=completed').expect(200);
    expect(done.text).toContain('Share the plan with the school');
    expect(done.text).toContain('Completed');

    // The QA officer cancels the other one: a reason needed; the team manager may not cancel.
    const other = (await app.as(qa).get(`/api/v1/audits/${submittedId}`).expect(200)).body.actions.find(
      (a: { description: string }) => a.description === 'Update the chronology',
    ) as { actionId: string };
    const cancel = `/audits/${submittedId}/actions/${other.actionId}/cancel`;
    await page('mia', cancel).expect(403);
    const noReason = await refused('quinn', cancel, cancel, { reason: ' ' });
    expect(fieldError(noReason, 'reason')).toBe('Enter why the action is cancelled');
    const cancelled = await submit('quinn', cancel, cancel, { reason: 'Case closed: the child moved away' });
    expect(cancelled.status).toBe(303);
    const final = await page('quinn', cancelled.headers.location as string).expect(200);
    expect(final.text).toContain('Action cancelled.');
    const noneLeft = await page('quinn', '/audits/teams/cin-north/actions').expect(200);
    expect(noneLeft.text).toContain('0 actions: outstanding');
  });

  it('creates an audit programme and sums its audits up in a sentence, a table and a CSV', async () => {
    const form = '/audits/programmes/new';
    const noTeams = await refused('quinn', form, '/audits/programmes', {
      title: 'Neglect deep dive',
      kind: 'deep-dive',
      'from-day': '1',
      'from-month': '5',
      'from-year': '2026',
      'to-day': '31',
      'to-month': '5',
      'to-year': '2026',
    });
    expect(fieldError(noTeams, 'teamIds')).toBe('Choose at least one team');
    expect(noTeams).toContain('value="Neglect deep dive"');
    expect(noTeams).toMatch(/value="deep-dive" checked/);
    const backwards = await refused('quinn', form, '/audits/programmes', {
      title: 'Neglect deep dive',
      kind: 'deep-dive',
      teamIds: 'cin-north',
      'from-day': '31',
      'from-month': '5',
      'from-year': '2026',
      'to-day': '1',
      'to-month': '5',
      'to-year': '2026',
    });
    expect(fieldError(backwards, 'to')).toContain('cannot end');
    expect(backwards).toMatch(/value="cin-north" checked/);

    const created = await submit('quinn', form, '/audits/programmes', {
      title: 'Neglect deep dive',
      kind: 'deep-dive',
      teamIds: ['cin-north', 'cp-east'],
      'from-day': '1',
      'from-month': '4',
      'from-year': '2026',
      'to-day': '30',
      'to-month': '4',
      'to-year': '2026',
    });
    expect(created.status).toBe(303);
    const id = /\/audits\/programmes\/([^?]+)\?created=1/.exec(created.headers.location as string)?.[1] ?? '';
    expect(id).not.toBe('');
    const inProgramme: string[] = [];
    for (const grade of ['good', 'requires-improvement', 'requires-improvement', ...Array(5).fill('inadequate')]) {
      inProgramme.push(await startAudit({ programmeId: id }));
      await submitAudit(inProgramme[inProgramme.length - 1], grade as string);
    }
    await startAudit({ programmeId: id }); // still in progress: not yet audited

    const summary = await page('mia', `/audits/programmes/${id}`).expect(200);
    expect(summary.text).toContain('8 cases audited: 1 good, 2 requires improvement, 5 inadequate');
    expect(summary.text).toMatch(/Inadequate<\/th><td class="govuk-table__cell govuk-table__cell--numeric">5</);
    expect(summary.text).toMatch(/In progress \(not yet audited\)<\/th><td[^>]*>1</);
    const file = await page('mia', `/audits/programmes/${id}/summary.csv`).expect(200);
    expect(file.headers['content-type']).toMatch(/text\/csv/);
    // The programme by title beside its id.
    expect(file.text.split('\r\n')[0]).toBe('programmeId,programmeTitle,grade,audits');
    expect(file.text).toContain(`${id},Neglect deep dive,Requires improvement,2`);
    const list = await page('mia', '/audits/programmes').expect(200);
    expect(list.text).toContain('Neglect deep dive');
    expect(list.text).not.toContain('Create an audit programme');
    const listCsv = await page('mia', '/audits/programmes.csv').expect(200);
    expect(listCsv.text).toContain('8 cases audited: 1 good, 2 requires improvement, 5 inadequate');
    // The teams by name beside their ids.
    const [listHeader, ...listRows] = listCsv.text.trim().split('\r\n');
    expect(listHeader).toBe(
      'programmeId,title,kind,theme,from,to,teamIds,teamNames,reAuditOf,reAuditOfTitle,audited,inProgress,summary',
    );
    expect(listRows.find((r) => r.startsWith(`${id},`))).toContain(',cin-north cp-east,Team cin-north; Team cp-east,,,');
    await page('mia', '/audits/programmes/new').expect(403);
    await page('mia', '/audits/programmes/no-such-programme').expect(404);

    // Blind moderation covers the summary: the pending moderator's audit is not in their figures (nor the CSV, nor the API).
    await app.as(qa).post(`/api/v1/audits/${inProgramme[7]}/moderation-requests`, { moderatorId: moderator.userId }).expect(200);
    const blind = await page('morgan', `/audits/programmes/${id}`).expect(200);
    expect(blind.text).toContain('7 cases audited: 1 good, 2 requires improvement, 4 inadequate');
    expect(blind.text).toContain('1 audit in this programme is waiting for your moderation');
    const blindCsv = await page('morgan', '/audits/programmes.csv').expect(200);
    expect(blindCsv.text).toContain('7 cases audited: 1 good, 2 requires improvement, 4 inadequate');
    const blindApi = await app.as(moderator).get(`/api/v1/audit-programmes/${id}/summary`).expect(200);
    expect(blindApi.body).toMatchObject({ audited: 7, awaitingYourModeration: 1, counts: { inadequate: 4 } });
    // ... and the team's action list and the dashboard: the immediate review would show the case was inadequate.
    const actionsCount = (html: string): number => Number(/(\d+) actions?: /.exec(html)?.[1] ?? NaN);
    const blindActions = await page('morgan', '/audits/teams/cin-north/actions').expect(200);
    const seenActions = await page('quinn', '/audits/teams/cin-north/actions').expect(200);
    expect(actionsCount(blindActions.text)).toBe(actionsCount(seenActions.text) - 1);
    expect(blindActions.text).toContain(
      '1 audit in this team is waiting for your moderation, so it is left out of this list until you record it.',
    );
    expect(seenActions.text).not.toContain('waiting for your moderation');
    const blindDashboard = await page('morgan', '/dashboard').expect(200);
    expect(blindDashboard.text).toContain(
      '1 audit in these teams is waiting for your moderation, so it is left out of these figures',
    );
    expect((await page('quinn', '/dashboard').expect(200)).text).not.toContain('waiting for your moderation');
    // Everyone else still sees every audit.
    const others = await page('mia', `/audits/programmes/${id}`).expect(200);
    expect(others.text).toContain('8 cases audited: 1 good, 2 requires improvement, 5 inadequate');
    expect(others.text).not.toContain('waiting for your moderation');
  });

  it('shows moderation agreement overall and per auditor, with a CSV', async () => {
    const agreement = await page('quinn', '/audits/moderation-agreement').expect(200);
    expect(agreement.text).toMatch(/Moderated audits\s*<\/dt>\s*<dd[^>]*>\s*1/);
    expect(agreement.text).toContain('Quinn Auditor');
    expect(agreement.text).toContain('Kappa needs at least 5 moderated audits');
    const file = await page('quinn', '/audits/moderation-agreement.csv').expect(200);
    expect(file.text).toContain(`${qa.userId},1,0,0,0`);
    const wrong = await page('quinn', '/audits/moderation-agreement?to=soon').expect(400);
    expect(summaryOf(wrong.text)).toContain('To');
    expect(otherManager.userId).not.toBe(manager.userId);
  });
});
