/**
 * Every form of every page, posted empty and with wrong input, answers in plain English: the GOV.UK
 * error summary, and never class-validator's default text ("must be a string", "must be longer than",
 * "pattern ^[A-Za-z0-9-]{1,20}$", "teamId must …"). The list of forms is checked against the access
 * policy: a new POST page route without an entry here (or a reason in NOT_FORMS) fails the first test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Response } from 'supertest';
import { PAGE_POLICY } from '../../../src/auth/policy';
import { PROFILES, TestApp } from '../../support/test-app';
import { CLASS_VALIDATOR_DEFAULTS } from '../../support/validator-defaults';
import { cookieOf, csrfOf, headOf, signedIn, textOf, type Person } from '../../support/web-http';

jest.setTimeout(180_000);

type Who = 'admin' | 'qa' | 'iro' | 'lead' | 'nobody';
interface Ids {
  auditId: string;
  auditActionId: string;
  disputeId: string;
  userId: string;
  userTokenId: string;
  ownTokenId: string;
}
interface FormCase {
  as: Who;
  path: (ids: Ids) => string;
  /** What is posted, one request each: empty (when an empty form is refused) and wrong. */
  posts: Record<string, unknown>[];
  /** Messages the page must show, by post (the GOV.UK wording the issue asks for). */
  says?: string[][];
}

const long = (n: number): string => 'x'.repeat(n + 1);
/** A GOV.UK date input's boxes, as a browser posts them. */
const date = (name: string, day: string, month: string, year: string) => ({
  [`${name}-day`]: day,
  [`${name}-month`]: month,
  [`${name}-year`]: year,
});

/** POST page routes that take no input a person types, and why. */
const NOT_FORMS: Record<string, string> = {
  'POST /sign-out': 'a button: nothing to type',
};

const FORMS: Record<string, FormCase> = {
  'POST /sign-in': { as: 'nobody', path: () => '/sign-in', posts: [{}], says: [['Enter your username', 'Enter your password']] },
  'POST /first-run': { as: 'nobody', path: () => '/first-run', posts: [] }, // posted before anyone exists: see the first test
  'POST /audits/start': {
    as: 'qa',
    path: () => '/audits/start',
    posts: [{}, { caseRef: 'Jo Smith', teamId: 'North Team', ...date('auditedOn', '1', '', '2026') }],
    says: [
      ['Enter a case reference', 'Choose a team', 'Enter the date of the audit'],
      ['Case reference must be 20 characters or fewer and use only letters, numbers and hyphens', 'must include a month'],
    ],
  },
  'POST /audits/:id': {
    as: 'qa',
    path: (ids) => `/audits/${ids.auditId}`,
    posts: [{ intent: 'submit' }, { intent: 'submit', 'grade-planning': 'excellent', overallGrade: 'x', strengths: long(1000) }],
    says: [['Choose the overall grade']],
  },
  'POST /audits/:id/correct': {
    as: 'qa',
    path: (ids) => `/audits/${ids.auditId}/correct`,
    posts: [{}, { domain: 'Not A Key', to: 'excellent', reason: long(1000) }],
  },
  'POST /audits/:id/resolve': {
    as: 'qa',
    path: (ids) => `/audits/${ids.auditId}/resolve`,
    posts: [{}, { overallGrade: 'excellent', rationale: long(1000) }],
  },
  'POST /audits/:id/moderation-request': {
    as: 'qa',
    path: (ids) => `/audits/${ids.auditId}/moderation-request`,
    posts: [{}, { moderatorId: 'not a person!' }],
    says: [['Choose a moderator']],
  },
  'POST /audits/:id/moderate': {
    as: 'qa',
    path: (ids) => `/audits/${ids.auditId}/moderate`,
    posts: [{}, { overallGrade: 'excellent', agreed: 'maybe', rationale: long(4000) }],
  },
  'POST /audits/:id/actions': {
    as: 'qa',
    path: (ids) => `/audits/${ids.auditId}/actions`,
    posts: [{}, { description: long(1000), ownerId: 'not a person!', ...date('dueOn', '31', '2', '2026') }],
    says: [[], ['Due date must be a real date']],
  },
  'POST /audits/:id/findings/link': {
    as: 'qa',
    path: (ids) => `/audits/${ids.auditId}/findings/link`,
    posts: [{}, { actionId: 'not an action!', domain: 'Management oversight' }],
    says: [
      ['Choose the improvement action that answers this finding', 'Choose the domain of the finding'],
      ['Choose the improvement action from the list', 'Choose the domain of the finding from the list'],
    ],
  },
  'POST /audits/:id/actions/:actionId/complete': {
    as: 'qa',
    path: (ids) => `/audits/${ids.auditId}/actions/${ids.auditActionId}/complete`,
    posts: [{}, { evidence: long(2000), ...date('completedOn', '', '6', '2026') }],
  },
  'POST /audits/:id/actions/:actionId/cancel': {
    as: 'qa',
    path: (ids) => `/audits/${ids.auditId}/actions/${ids.auditActionId}/cancel`,
    posts: [{}, { reason: long(1000), ...date('cancelledOn', '40', '6', '2026') }],
  },
  'POST /audits/programmes': {
    as: 'qa',
    path: () => '/audits/programmes',
    posts: [
      {},
      { title: long(200), kind: 'x', teamIds: 'North Team', ...date('from', '1', '', '2026'), ...date('to', '31', '4', '') },
    ],
    says: [
      ['Enter a title', 'Choose the kind of programme', 'Enter the start date', 'Enter the end date', 'Choose at least one team'],
      ['Start date must include a month', 'End date must include a year'],
    ],
  },
  'POST /disputes/good-practice-alerts': {
    as: 'iro',
    path: () => '/disputes/good-practice-alerts',
    posts: [{}, { childRef: 'Jo Smith', teamId: 'North Team', summary: long(2000), ...date('raisedOn', '1', '', '2026') }],
    says: [['Enter the child’s reference', 'Choose a team', 'Enter what was good']],
  },
  'POST /disputes/raise': {
    as: 'iro',
    path: () => '/disputes/raise',
    posts: [{}, { childRef: 'Jo Smith', teamId: 'North Team', category: 'x', summary: long(2000), desiredOutcome: long(2000) }],
    says: [
      [
        'Enter the child’s reference',
        'Choose a team',
        'Choose what it is about',
        'Enter what the problem is',
        'Enter what should happen',
      ],
    ],
  },
  'POST /disputes/:id/escalate': {
    as: 'iro',
    path: (ids) => `/disputes/${ids.disputeId}/escalate`,
    posts: [{}, { toStage: 'Stage One!', reason: long(2000) }],
  },
  'POST /disputes/:id/respond': {
    as: 'iro',
    path: (ids) => `/disputes/${ids.disputeId}/respond`,
    posts: [{}, { response: long(4000), respondentName: long(100), satisfactory: 'maybe' }],
  },
  'POST /disputes/:id/resolve': {
    as: 'iro',
    path: (ids) => `/disputes/${ids.disputeId}/resolve`,
    posts: [{}, { outcome: 'x', note: long(2000) }],
  },
  'POST /disputes/:id/reopen': {
    as: 'iro',
    path: (ids) => `/disputes/${ids.disputeId}/reopen`,
    posts: [{}, { reason: long(2000) }],
  },
  'POST /disputes/:id/cafcass-referral': {
    as: 'iro',
    path: (ids) => `/disputes/${ids.disputeId}/cafcass-referral`,
    posts: [{}, { reason: long(2000) }],
  },
  'POST /plans': {
    as: 'lead',
    path: () => '/plans',
    posts: [{}, { title: long(200), triggerKind: 'x', judgement: 'x', ...date('triggerDate', '1', '', '2026') }],
    says: [['Enter a title']],
  },
  'POST /plans/:id/priorities': { as: 'lead', path: () => '/plans/sip/priorities', posts: [{}, { priorityTitle: long(200) }] },
  'POST /plans/:id/recommendations': {
    as: 'lead',
    path: () => '/plans/sip/recommendations',
    posts: [
      {},
      {
        recommendationText: long(2000),
        timescale: 'x',
        recommendationOwnerAgency: 'x',
        ...date('recommendationDueOn', '1', '', ''),
      },
    ],
  },
  'POST /plans/:id/actions': {
    as: 'lead',
    path: () => '/plans/sip/actions',
    posts: [
      {},
      {
        priorityId: 'not a priority!',
        title: long(200),
        ownerAgency: 'x',
        teamIds: 'North Team',
        successMeasure: long(1000),
        ...date('startOn', '1', '', '2026'),
        ...date('dueOn', '31', '2', '2026'),
      },
    ],
    says: [['Choose a priority', 'Enter the action', 'Choose at least one team', 'Enter the start date', 'Enter a due date']],
  },
  'POST /plans/:id/rag-settings': {
    as: 'lead',
    path: () => '/plans/sip/rag-settings',
    posts: [
      {},
      {
        redFromWorkingDaysOverdue: 'lots',
        noUpdateCount: '-1',
        noUpdateUnit: 'years',
        escalateAmberAfterDays: '99999',
        ragReason: long(1000),
      },
    ],
  },
  // An empty form submits the plan (today is the default): only a wrong date is posted.
  'POST /plans/:id/submission': {
    as: 'lead',
    path: () => '/plans/sip/submission',
    posts: [date('submittedOn', '1', '', '2026')],
  },
  'POST /plans/:id/report-publication': {
    as: 'lead',
    path: () => '/plans/sip/report-publication',
    posts: [{}, date('publishedOn', '1', '13', '2026')],
  },
  'POST /actions/:id/progress': {
    as: 'lead',
    path: () => '/actions/act-1/progress',
    posts: [{}, { note: long(2000), confidence: 'x', evidence: long(2000) }],
  },
  'POST /actions/:id/due-date': {
    as: 'lead',
    path: () => '/actions/act-1/due-date',
    posts: [{}, { dueReason: long(1000), approvedBy: long(200), ...date('newDueOn', '', '', '2026') }],
  },
  'POST /actions/:id/complete': {
    as: 'lead',
    path: () => '/actions/act-1/complete',
    posts: [{}, { completionEvidence: long(2000), ...date('completedOn', '1', '', '2026') }],
    says: [['Give the evidence that the action is done']],
  },
  // An empty form signs the action off today: only a wrong date is posted.
  'POST /actions/:id/verify': { as: 'lead', path: () => '/actions/act-1/verify', posts: [date('verifiedOn', '1', '', '2026')] },
  'POST /actions/:id/reopen': { as: 'lead', path: () => '/actions/act-1/reopen', posts: [{}, { reopenReason: long(1000) }] },
  'POST /self-assessments': {
    as: 'lead',
    path: () => '/self-assessments',
    posts: [
      {},
      { service: 'Not a service', period: '2020', score: 'eleven', whatWeKnow: long(10000), howWeKnow: 'x', whatNext: 'x' },
    ],
  },
  'POST /self-assessments/draft': {
    as: 'lead',
    path: () => '/self-assessments/draft',
    posts: [{}, { service: 'Not a service', period: '2020' }, { service: 'no-such-service', period: '2026/27 Q1' }],
    says: [['Choose a service', 'Choose a quarter'], ['Choose a service from the list'], ['No team belongs to the service']],
  },
  'POST /self-assessments/draft/record': {
    as: 'lead',
    path: () => '/self-assessments/draft/record',
    posts: [
      { service: 'children-in-need', period: '2026/27 Q1', sources: '[]' },
      {
        service: 'children-in-need',
        period: '2026/27 Q1',
        score: 'eleven',
        whatWeKnow: long(10000),
        howWeKnow: 'x',
        whatNext: 'x',
        sources: 'not a list',
      },
    ],
    says: [
      [
        'Enter what we know about the quality and impact of our practice',
        'Enter how we know it',
        'Enter what we are going to do next',
      ],
    ],
  },
  'POST /calendar/bank-holidays': {
    as: 'admin',
    path: () => '/calendar/bank-holidays',
    posts: [{}, { reason: long(500), ...date('date', '1', '', '2026'), ...date('replaces', '99', '1', '2026') }],
  },
  'POST /reports/close': { as: 'lead', path: () => '/reports/close', posts: [{}, { quarter: '2020 Q5' }] },
  'POST /scorecard/indicators/new': {
    as: 'lead',
    path: () => '/scorecard/indicators/new',
    posts: [
      {},
      { code: 'Not A Code!', name: long(300), unit: 'x', polarity: 'x', target: 'lots', tolerance: '-1', frequency: 'x' },
    ],
  },
  'POST /scorecard/:code/measurements': {
    as: 'lead',
    path: () => '/scorecard/contacts-24h/measurements',
    posts: [{}, { teamId: 'North Team', period: 'June', value: 'lots', numerator: '-1', note: long(1000) }],
  },
  'POST /scorecard/:code/target': {
    as: 'lead',
    path: () => '/scorecard/contacts-24h/target',
    posts: [{}, { target: '-1', tolerance: 'x', ...date('from', '1', '', '2026') }],
  },
  'POST /scorecard/:code/team-targets': {
    as: 'lead',
    path: () => '/scorecard/contacts-24h/team-targets',
    posts: [{}, { teamTarget: 'x', teamTolerance: '2000000', teamId: 'North Team', ...date('teamFrom', '', '4', '2026') }],
  },
  'POST /scorecard/:code/comparators': {
    as: 'lead',
    path: () => '/scorecard/contacts-24h/comparators',
    posts: [{}, { comparator: 'x', year: '2019', comparatorValue: 'x', source: long(200) }],
  },
  'POST /scorecard/:code/aggregation': {
    as: 'lead',
    path: () => '/scorecard/contacts-24h/aggregation',
    posts: [{}, { aggregation: 'x' }],
  },
  'POST /scorecard/:code/corrections': {
    as: 'lead',
    path: () => '/scorecard/contacts-24h/corrections',
    posts: [{}, { teamId: 'North Team', period: 'June', value: '-5', reason: long(1000) }],
  },
  'POST /admin/teams': {
    as: 'admin',
    path: () => '/admin/teams',
    posts: [{}, { teamId: 'North Team', name: long(100), service: long(100) }],
    says: [['Enter a team code', 'Enter a team name']],
  },
  'POST /admin/users': {
    as: 'admin',
    path: () => '/admin/users',
    posts: [{}, { name: long(100), role: 'boss', teamIds: 'North Team', username: '!', password: 'short' }],
    says: [['Enter the person’s name', 'Choose a role']],
  },
  'POST /admin/teams/:id/rename': { as: 'admin', path: () => '/admin/teams/north/rename', posts: [{}, { name: long(100) }] },
  'POST /admin/teams/:id/close': {
    as: 'admin',
    path: () => '/admin/teams/north/close',
    posts: [{}, { reason: long(500), ...date('closedOn', '1', '', '2026') }],
  },
  // No team at all is a choice (the person leaves every team): only a wrong team is posted.
  'POST /admin/users/:id/teams': {
    as: 'admin',
    path: (ids) => `/admin/users/${ids.userId}/teams`,
    posts: [{ teamIds: 'North Team' }],
  },
  'POST /admin/users/:id/sign-in': {
    as: 'admin',
    path: (ids) => `/admin/users/${ids.userId}/sign-in`,
    posts: [{}, { username: '!', password: 'short' }],
    says: [['Enter a username', 'Enter a password']],
  },
  // An empty form issues a token with the defaults: only wrong input is posted.
  'POST /admin/users/:id/tokens': {
    as: 'admin',
    path: (ids) => `/admin/users/${ids.userId}/tokens`,
    posts: [{ label: long(100), expiresInDays: '0' }],
  },
  'POST /admin/users/:id/tokens/:tokenId/revoke': {
    as: 'admin',
    path: (ids) => `/admin/users/${ids.userId}/tokens/${ids.userTokenId}/revoke`,
    posts: [{}, { reason: long(500) }],
  },
  'POST /admin/users/:id/deactivate': {
    as: 'admin',
    path: (ids) => `/admin/users/${ids.userId}/deactivate`,
    posts: [{}, { reason: long(500) }],
  },
  'POST /admin/audit-frameworks': {
    as: 'admin',
    path: () => '/admin/audit-frameworks',
    posts: [{}, { frameworkId: 'not a framework!', domains: 'Not A Key: title\nplanning' }],
  },
  'POST /account/password': {
    as: 'admin',
    path: () => '/account/password',
    posts: [{}, { currentPassword: 'wrong', newPassword: 'short', confirmPassword: 'other' }],
  },
  'POST /account/tokens': { as: 'admin', path: () => '/account/tokens', posts: [{ label: long(100), expiresInDays: '-3' }] },
  'POST /account/tokens/:tokenId/revoke': {
    as: 'admin',
    path: (ids) => `/account/tokens/${ids.ownTokenId}/revoke`,
    posts: [{}, { reason: long(500) }],
  },
  'POST /imports/check': { as: 'qa', path: () => '/imports/check', posts: [] }, // a file upload: see its own test
  'POST /imports/confirm': { as: 'qa', path: () => '/imports/confirm', posts: [{}, { sha256: 'not a hash', format: 'csv' }] },
  'POST /case-lists': { as: 'qa', path: () => '/case-lists', posts: [] }, // a file upload: see its own test
  'POST /audits/programmes/:id/sample': {
    as: 'qa',
    path: () => '/audits/programmes/monthly/sample',
    posts: [{}, { caseListId: 'not a list!', sizeBy: 'perTeam', size: 'lots', excludeAuditedWithinMonths: 'x', seed: long(100) }],
    says: [
      ['Choose the case list', 'Enter a seed'],
      [
        'Case list must be the id of a recorded case list',
        'Enter the number of cases as a whole number, like 5',
        'Enter the months as a whole number, like 12',
        'Seed must be 100 characters or fewer',
      ],
    ],
  },
};

/**
 * The pages' GET forms (filters, "as on" dates), by template, each with wrong input in its query
 * string. Every template with a `method="get"` form must be listed (the second test checks).
 */
/**
 * `status: 200`: the page shows the problem without refusing the request, or ignores a team it does not
 * know; `summary: false`: no error summary (the error page, or nothing to say).
 */
const GET_FORMS: Record<
  string,
  { as: Exclude<Who, 'nobody'>; url: string | ((ids: Ids) => string); status?: 200; summary?: false }
> = {
  // Choose the plan (and domain) of an improvement action raised from a finding: neither chosen.
  'audits/finding-raise.njk': { as: 'qa', url: (ids) => `/audits/${ids.auditId}/findings/raise?choose=1&planId=nope&domain=!` },
  'audits/list.njk': { as: 'admin', url: '/audits?teamId=North%20Team&programmeId=!&status=x&from=yesterday&to=2026-02-30' },
  'audits/team-actions.njk': { as: 'admin', url: '/audits/teams/north/actions?status=x', summary: false }, // the error page
  'audits/agreement.njk': { as: 'admin', url: '/audits/moderation-agreement?from=yesterday&to=2026-13-01' },
  'calendar/bank-holidays.njk': { as: 'admin', url: '/calendar/bank-holidays?year=last' },
  'dashboard.njk': { as: 'admin', url: '/dashboard?teamId=North%20Team', status: 200, summary: false },
  'disputes/alerts.njk': { as: 'admin', url: '/disputes/good-practice-alerts?teamId=North%20Team' },
  'disputes/list.njk': { as: 'admin', url: '/disputes?teamId=North%20Team&status=x&overdue=x&on-day=1&on-year=2026' },
  'disputes/stats.njk': { as: 'admin', url: '/disputes/stats?period=someday&teamId=North%20Team' },
  'impact/comparison.njk': { as: 'admin', url: '/audits/programmes/p-1/comparison?with=!!', status: 200 },
  'impact/impact.njk': { as: 'admin', url: '/impact?actionId=!!&on=someday', status: 200 },
  'layout.njk': { as: 'admin', url: '/dashboard?asAtLocal=someday' },
  'plans/outstanding.njk': { as: 'admin', url: '/outstanding-actions?teamId=North%20Team' },
  'plans/self-assessments.njk': { as: 'admin', url: '/self-assessments?service=Not%20A%20Service' },
  'plans/show.njk': { as: 'admin', url: '/plans/sip?on-day=1&on-month=&on-year=2026' },
  'reports/board.njk': { as: 'admin', url: '/reports?quarter=Q5&teamId=North%20Team&audience=x' },
  'scorecard/list.njk': { as: 'admin', url: '/scorecard?teamId=North%20Team&period=June' },
  'scorecard/show.njk': { as: 'admin', url: '/scorecard/contacts-24h?teamId=North%20Team', status: 200, summary: false },
  'trail/access-log.njk': { as: 'admin', url: `/trail/access-log?from=yesterday&to=x&actorId=${'x'.repeat(201)}` },
  'trail/export.njk': { as: 'admin', url: '/trail/export/download?format=x&teamId=North%20Team&from=yesterday' },
  'trail/list.njk': { as: 'admin', url: '/trail?from=yesterday&type=!&teamId=North%20Team&order=x&limit=lots' },
};
const VIEWS = join(__dirname, '../../../src/web/views');
const templates = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? templates(join(dir, entry.name)) : entry.name.endsWith('.njk') ? [join(dir, entry.name)] : [],
  );
const getFormTemplates = templates(VIEWS)
  .filter((path) => /<form method="get"/i.test(readFileSync(path, 'utf8')))
  .map((path) => relative(VIEWS, path).split(sep).join('/'));

/** The default texts found in what a page shows. */
const defaultsIn = (html: string): string[] => {
  const text = textOf(html);
  return CLASS_VALIDATOR_DEFAULTS.filter((pattern) => pattern.test(text)).map((pattern) => {
    const at = text.search(pattern);
    return `${pattern.source}: "…${text.slice(Math.max(0, at - 60), at + 60)}…"`;
  });
};

const postRoutes = Object.keys(PAGE_POLICY).filter((route) => route.startsWith('POST '));

describe.each(PROFILES.filter((p) => p.name === 'sqlite'))(
  'every form says what is wrong in plain English ($name)',
  (profile) => {
    let app: TestApp;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const created = await profile.create();
      drop = created.drop;
      app = await TestApp.start(created.env);
    });
    afterAll(async () => {
      await app?.close();
      await drop?.();
    });

    it('every POST page route of the access policy is a form listed here, or says why it is not', () => {
      const unlisted = postRoutes.filter((route) => !(route in FORMS) && !(route in NOT_FORMS));
      const gone = Object.keys({ ...FORMS, ...NOT_FORMS }).filter((route) => !postRoutes.includes(route));
      expect({ unlisted, gone }).toEqual({ unlisted: [], gone: [] });
    });

    it('every template with a GET form (filters, "as on") is listed here', () => {
      expect(getFormTemplates.length).toBeGreaterThan(10);
      expect(getFormTemplates.filter((template) => !(template in GET_FORMS))).toEqual([]);
      expect(Object.keys(GET_FORMS).filter((template) => !getFormTemplates.includes(template))).toEqual([]);
    });

    it('the first-run form, posted empty and wrong, before anyone exists', async () => {
      for (const form of [{}, { name: long(100), username: '!', password: 'short', confirmPassword: 'other' }]) {
        const shown = await app.http.get('/first-run').expect(200);
        const response = await app.http
          .post('/first-run')
          .set('Cookie', cookieOf(shown))
          .type('form')
          .send({ ...form, _csrf: csrfOf(shown.text) });
        expect(response.status).toBe(400);
        expect(response.text).toContain('govuk-error-summary');
        expect(defaultsIn(response.text)).toEqual([]);
      }
    });

    describe('the other forms', () => {
      const people = {} as Record<Exclude<Who, 'nobody'>, Person>;
      const ids = {} as Ids;
      const api = (who: Person, path: string, body?: object) =>
        body === undefined
          ? app.http.get(path).set('Authorization', `Bearer ${who.token}`)
          : app.http.post(path).set('Authorization', `Bearer ${who.token}`).send(body);

      beforeAll(async () => {
        const admin = (people.admin = await signedIn(app, 'admin', [], 'ada', 'Ada Admin'));
        await api(admin, '/api/v1/teams', { teamId: 'north', name: 'North', service: 'Children in need' }).expect(201);
        people.qa = await signedIn(app, 'qa-officer', ['north'], 'quinn', 'Quinn Auditor');
        people.iro = await signedIn(app, 'iro', ['north'], 'ira', 'Ira Iro');
        people.lead = await signedIn(app, 'improvement-lead', [], 'lee', 'Lee Lead');
        ids.userId = people.qa.userId;

        const audit = await api(people.qa, '/api/v1/audits', {
          caseRef: 'CASE-1',
          teamId: 'north',
          auditedOn: '2026-04-06',
        }).expect(201);
        ids.auditId = audit.body.auditId as string;
        const action = await api(people.qa, `/api/v1/audits/${ids.auditId}/actions`, {
          description: 'Update the chronology',
          ownerId: people.qa.userId,
        }).expect(201);
        ids.auditActionId = action.body.actionId as string;
        const dispute = await api(people.iro, '/api/v1/disputes', {
          childRef: 'C-1001',
          teamId: 'north',
          category: 'matching',
          summary: 'The match has drifted.',
          desiredOutcome: 'A panel date.',
        }).expect(201);
        ids.disputeId = dispute.body.disputeId as string;
        await api(people.qa, '/api/v1/audit-programmes', {
          programmeId: 'monthly',
          title: 'Monthly audit',
          kind: 'monthly',
          from: '2026-04-01',
          to: '2026-04-30',
          teamIds: ['north'],
        }).expect(201);
        await api(people.lead, '/api/v1/plans', {
          planId: 'sip',
          title: 'Safeguarding plan',
          trigger: { kind: 'ofsted-inspection', date: '2026-01-05' },
        }).expect(201);
        await api(people.lead, '/api/v1/plans/sip/priorities', { priorityId: 'practice', title: 'Frontline practice' }).expect(
          201,
        );
        await api(people.lead, '/api/v1/plans/sip/actions', {
          actionId: 'act-1',
          priorityId: 'practice',
          recommendationIds: [],
          title: 'Check risk analysis',
          ownerId: people.lead.userId,
          teamIds: ['north'],
          startOn: '2026-01-12',
          dueOn: '2026-03-02',
          successMeasure: 'Audits show it',
        }).expect(201);
        await api(people.lead, '/api/v1/indicators', {
          code: 'contacts-24h',
          name: 'Contacts completed within 24 hours',
          unit: 'percent',
          polarity: 'higher-is-better',
          target: 95,
          tolerance: 5,
          frequency: 'monthly',
        }).expect(201);
        const tokenOf = async (userId: string): Promise<string> => {
          const user = await api(admin, `/api/v1/users/${userId}`).expect(200);
          return (user.body.tokens as { tokenId: string }[])[0].tokenId;
        };
        ids.userTokenId = await tokenOf(people.qa.userId);
        ids.ownTokenId = await tokenOf(admin.userId);
      });

      const cases = Object.entries(FORMS).flatMap(([route, form]) =>
        form.posts.map((body, index) => ({
          route,
          form,
          body,
          index,
          kind: index === 0 && Object.keys(body).length === 0 ? 'empty' : 'wrong',
        })),
      );

      it.each(cases)('$route, $kind input', async ({ form, body, index }) => {
        const before = await headOf(app);
        const response: Response =
          form.as === 'nobody'
            ? await (async () => {
                const shown = await app.http.get(form.path(ids)).expect(200);
                return app.http
                  .post(form.path(ids))
                  .set('Cookie', cookieOf(shown))
                  .type('form')
                  .send({ ...body, _csrf: csrfOf(shown.text) });
              })()
            : await people[form.as].post(form.path(ids), body);
        expect(response.status).toBe(400);
        expect(defaultsIn(response.text)).toEqual([]);
        for (const message of form.says?.[index] ?? []) expect(textOf(response.text)).toContain(message);
        expect(await headOf(app)).toBe(before);
      });

      it.each(Object.entries(GET_FORMS))('the GET form of %s, wrong input', async (_, form) => {
        const response = await people[form.as].get(typeof form.url === 'function' ? form.url(ids) : form.url);
        expect(response.status).toBe(form.status ?? 400);
        if (form.summary !== false) expect(response.text).toContain('govuk-error-summary');
        expect(defaultsIn(response.text)).toEqual([]);
      });

      it('POST /imports/check: no file, and a file of wrong rows', async () => {
        const noFile = await people.qa.post('/imports/check', {});
        expect(noFile.status).toBe(400);
        expect(textOf(noFile.text)).toContain('Choose a .csv or .xlsx file to check');
        const csvFile = [
          'Case reference,Team,Audit date,Auditor,Planning,Overall grade',
          'Jo Smith,North Team,31/02/2020,Nobody,excellent,brilliant',
          ',,,,,',
        ].join('\n');
        const checked = await app.http
          .post('/imports/check')
          .set('Cookie', people.qa.cookie)
          .field('_csrf', people.qa.csrf)
          .attach('file', Buffer.from(csvFile), 'audits.csv');
        expect(checked.status).toBe(200);
        expect(defaultsIn(checked.text)).toEqual([]);
      });

      it('POST /case-lists: no file, and a file of wrong rows (nothing recorded)', async () => {
        const before = await headOf(app);
        const noFile = await people.qa.post('/case-lists', {});
        expect(noFile.status).toBe(400);
        expect(textOf(noFile.text)).toContain('Choose a .csv or .xlsx file of open cases');
        const csvFile = ['Case reference,Team,Date of birth', 'Jo Smith,North Team,01/02/2020', ',,'].join('\n');
        const refused = await app.http
          .post('/case-lists')
          .set('Cookie', people.qa.cookie)
          .field('_csrf', people.qa.csrf)
          .attach('file', Buffer.from(csvFile), 'cases.csv');
        expect(refused.status).toBe(400);
        expect(refused.text).toContain('govuk-error-summary');
        expect(textOf(refused.text)).toContain('looks like a date of birth');
        expect(defaultsIn(refused.text)).toEqual([]);
        const badRows = ['Case reference,Team,Open since', 'Jo Smith,North Team,31/02/2020', 'C-1,north,yesterday'].join('\n');
        const wrong = await app.http
          .post('/case-lists')
          .set('Cookie', people.qa.cookie)
          .field('_csrf', people.qa.csrf)
          .attach('file', Buffer.from(badRows), 'cases.csv');
        expect(wrong.status).toBe(400);
        expect(wrong.text).toContain('id="case-list-errors"');
        expect(defaultsIn(wrong.text)).toEqual([]);
        expect(await headOf(app)).toBe(before);
      });
    });
  },
);
