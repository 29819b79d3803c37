import { ROLES, type Principal, type Role } from '../shared';

/**
 * Who may do what: THE access policy, one entry per route, keyed by "<METHOD> <Nest route path>".
 * AuthGuard enforces it; controllers carry no role or team checks of their own. A route that
 * Nest registers without an entry here stops the application at start-up (AuthGuard.onApplicationBootstrap
 * in auth.guard.ts, tested by route-policy.spec.ts), and the access-matrix e2e test and the matrix in
 * docs/access.md are generated from this same table.
 */

/** Where the team(s) a request concerns come from. */
export type TeamSource =
  | { param: string } // a route parameter names the team, e.g. /teams/:teamId/ratings
  | { body: string } // a body field names the team (a missing field counts as "not one of yours")
  | { query: string } // an optional query filter; without it a list is narrowed to the caller's teams
  | { service: string } // a body field names a service (src/teams/service-id.ts): the request concerns that service's teams
  | { resource: ResourceKind; param: string }; // the team of the record named by a route parameter

/** Records whose team (and owner) the guard looks up in the read models (see team-resolver.ts). */
export type ResourceKind = 'audit' | 'dispute' | 'improvement-action' | 'plan' | 'stream';

/**
 * A limit that applies to some roles only:
 * - own-teams: the request must concern one of the caller's teams;
 * - owner: the caller must own the record (or raised it);
 * - self: the route parameter must be the caller's own user id.
 * `otherwise` is the answer when the limit is not met: 404 for a record or team in another team
 * (its existence must not leak), 403 where the caller names the target and existence is no secret.
 * Lists are narrowed for the limited roles: the guard puts their teams on `request.teamScope`
 * (and, with `orOwn`, their user id on `request.ownerScope`).
 */
export type Limit =
  | {
      to: 'own-teams';
      for: readonly Role[];
      team: TeamSource;
      otherwise: 403 | 404;
      /** Also the records the caller owns or raised, in any team; lists naming another team are narrowed to those. */
      orOwn?: true;
    }
  | { to: 'owner'; for: readonly Role[]; record: { resource: ResourceKind; param: string }; otherwise: 403 | 404 }
  | { to: 'self'; for: readonly Role[]; param: string; otherwise: 403 };

export type RouteRule = { public: true; why: string } | { roles: readonly Role[]; limit?: Limit; note?: string };

const ALL: readonly Role[] = ROLES;
const EXCEPT = (...excluded: Role[]): Role[] => ROLES.filter((role) => !excluded.includes(role));
const TEAM_MANAGER: readonly Role[] = ['team-manager'];
/** Dispute resolutions: a team manager sees their teams' DRs, an iro the DRs they raised and their teams'. */
const DR_BOUND: readonly Role[] = ['team-manager', 'iro'];
const ownDisputes = (team: TeamSource): Limit => ({ to: 'own-teams', for: DR_BOUND, team, otherwise: 404, orOwn: true });
const ownDispute = ownDisputes({ resource: 'dispute', param: 'id' });
/** Everyone but the roles that read every team's trail (inspector, admin). */
const TRAIL_TEAM_BOUND: readonly Role[] = EXCEPT('inspector', 'admin');

const ownTeamsByParam = (param = 'teamId'): Limit => ({ to: 'own-teams', for: TEAM_MANAGER, team: { param }, otherwise: 404 });
const ownTeamsOf = (resource: ResourceKind, param = 'id'): Limit => ({
  to: 'own-teams',
  for: TEAM_MANAGER,
  team: { resource, param },
  otherwise: 404,
});
/** A list: team managers see their own teams only (another team's ?teamId answers 404). */
const listOwnTeams: Limit = { to: 'own-teams', for: TEAM_MANAGER, team: { query: 'teamId' }, otherwise: 404 };
/** A record a team manager reads when it concerns one of their teams or they own it; otherwise 404, as if missing. */
const ownTeamsOrOwned = (resource: ResourceKind, param = 'id'): Limit => ({
  to: 'own-teams',
  for: TEAM_MANAGER,
  team: { resource, param },
  otherwise: 404,
  orOwn: true,
});
/**
 * Team-level figures: team managers see their own teams' rows (narrowed by the handler), and
 * another team's ?teamId answers 404. Council-wide totals stay readable (see docs/security.md).
 */
const ownTeamFigures: Limit = listOwnTeams;

export const API_POLICY = {
  // ---- health and docs ----
  'GET /health': { public: true, why: 'load balancers and monitors probe it without a token' },
  'GET /metrics': {
    roles: ['admin'],
    note: 'or Prometheus with the scrape token METRICS_TOKEN, accepted on this route only (docs/security.md)',
  },

  // ---- teams: admin manages them, everyone reads the register ----
  'POST /api/v1/teams': { roles: ['admin'] },
  'PATCH /api/v1/teams/:id': { roles: ['admin'] },
  'POST /api/v1/teams/:id/close': { roles: ['admin'] },
  'GET /api/v1/teams': { roles: ALL },
  'GET /api/v1/teams/:id': { roles: ALL },

  // ---- users and personal access tokens ----
  'POST /api/v1/users': { roles: ['admin'] },
  'GET /api/v1/users': { roles: ['admin', 'inspector'] },
  'GET /api/v1/users/me': { roles: ALL },
  'GET /api/v1/users/:id': { roles: ['admin', 'inspector'] },
  'PUT /api/v1/users/:id/teams': { roles: ['admin'] },
  'POST /api/v1/users/:id/tokens': { roles: ['admin'] },
  'POST /api/v1/users/:id/tokens/:tokenId/revoke': {
    roles: ALL,
    limit: { to: 'self', for: EXCEPT('admin'), param: 'id', otherwise: 403 },
    note: 'anyone revokes their own token, inspectors too (a lost laptop cannot wait for an admin); admins revoke anyone’s',
  },
  'POST /api/v1/users/:id/deactivate': { roles: ['admin'] },

  // ---- case audits: qa-officer audits any team ----
  'POST /api/v1/audits': { roles: ['qa-officer', 'admin'] },
  'POST /api/v1/audits/:id/grades': { roles: ['qa-officer', 'admin'] },
  'POST /api/v1/audits/:id/submit': { roles: ['qa-officer', 'admin'] },
  'POST /api/v1/audits/:id/corrections': { roles: ['qa-officer', 'admin'] },
  'POST /api/v1/audits/:id/disagreement-resolution': {
    roles: ['qa-officer', 'admin'],
    note: 'neither the audit’s auditor nor its moderator (a domain rule)',
  },
  'POST /api/v1/audits/:id/moderation-requests': { roles: ['qa-officer', 'admin'] },
  'POST /api/v1/audits/:id/moderation': { roles: ['qa-officer', 'admin'] },
  'POST /api/v1/audits/:id/actions': { roles: ['qa-officer', 'admin'] },
  'POST /api/v1/audits/:id/actions/:actionId/complete': {
    roles: ['qa-officer', 'admin', 'team-manager'],
    limit: ownTeamsOf('audit'),
  },
  'POST /api/v1/audits/:id/actions/:actionId/cancel': { roles: ['qa-officer', 'admin'] },
  'GET /api/v1/audits': { roles: ALL, limit: listOwnTeams },
  'GET /api/v1/audits/:id': { roles: ALL, limit: ownTeamsOf('audit'), note: 'blind for its pending moderator (a view rule)' },
  'POST /api/v1/audit-programmes': { roles: ['qa-officer', 'admin'] },
  'GET /api/v1/audit-programmes': { roles: ALL },
  'GET /api/v1/audit-programmes/:id/summary': { roles: ALL },
  'GET /api/v1/audit-programmes/:id/findings': {
    roles: ALL,
    limit: listOwnTeams,
    note: "team managers: their own teams' audits of the programme",
  },
  'GET /api/v1/audit-programmes/:id/comparison': {
    roles: ALL,
    limit: listOwnTeams,
    note: "team managers: their own teams' cases of both programmes",
  },
  'GET /api/v1/audits/:id/re-audit': {
    roles: ALL,
    limit: ownTeamsOf('audit'),
    note: "team managers: the earlier audits of their own teams' cases",
  },
  'GET /api/v1/audits/:id/improvement-actions': { roles: ALL, limit: ownTeamsOf('audit') },
  // ---- imports (src/imports): whoever may record an audit may import historic ones ----
  'POST /api/v1/imports/audits': { roles: ['qa-officer', 'admin'] },
  'GET /api/v1/imports/audits/template.csv': { roles: ['qa-officer', 'improvement-lead', 'admin'] },
  'GET /api/v1/imports/audits/template.xlsx': { roles: ['qa-officer', 'improvement-lead', 'admin'] },
  // indicator values: whoever may record any team's value (team managers record their own teams' one at a time)
  'POST /api/v1/imports/indicators': { roles: ['improvement-lead', 'admin'] },
  'GET /api/v1/imports/indicators/template.csv': { roles: ['qa-officer', 'improvement-lead', 'admin'] },
  'GET /api/v1/imports/indicators/template.xlsx': { roles: ['qa-officer', 'improvement-lead', 'admin'] },
  // staff: whoever may register a user
  'POST /api/v1/imports/users': { roles: ['admin'] },
  'GET /api/v1/imports/users/template.csv': { roles: ['admin'] },
  'GET /api/v1/imports/users/template.xlsx': { roles: ['admin'] },
  // ---- case sampling (src/sampling): QA draws samples; anyone may read and verify one ----
  'POST /api/v1/case-lists': { roles: ['qa-officer', 'admin'] },
  'POST /api/v1/samples': { roles: ['qa-officer', 'admin'] },
  'GET /api/v1/samples/:programmeId': { roles: ALL },
  'GET /api/v1/samples/:programmeId/verify': { roles: ALL },
  'POST /api/v1/audit-frameworks': { roles: ['admin'] },
  'GET /api/v1/audit-frameworks': { roles: ALL },
  'GET /api/v1/teams/:teamId/ratings': { roles: ALL, limit: ownTeamsByParam() },
  'GET /api/v1/ratings': {
    roles: ALL,
    limit: ownTeamFigures,
    note: 'team managers: their teams’ rows and the council-wide total',
  },
  'GET /api/v1/teams/:teamId/audit-actions': { roles: ALL, limit: ownTeamsByParam() },
  'GET /api/v1/moderation/agreement': { roles: ALL },

  // ---- dispute resolution: the iro raises and runs DRs; team managers answer for their teams ----
  'POST /api/v1/disputes': { roles: ['iro'], note: 'an iro raises a DR about any team' },
  'GET /api/v1/disputes/stats': { roles: ALL, limit: ownDisputes({ query: 'teamId' }) },
  'GET /api/v1/disputes': { roles: ALL, limit: ownDisputes({ query: 'teamId' }) },
  'GET /api/v1/disputes/:id': { roles: ALL, limit: ownDispute },
  'POST /api/v1/disputes/:id/escalations': { roles: ['iro'], limit: ownDispute },
  'POST /api/v1/disputes/:id/responses': { roles: ['iro', 'team-manager'], limit: ownDispute },
  'POST /api/v1/disputes/:id/resolution': { roles: ['iro'], limit: ownDispute },
  'POST /api/v1/disputes/:id/reopen': { roles: ['iro'], limit: ownDispute },
  'POST /api/v1/disputes/:id/cafcass-referral': { roles: ['iro'], limit: ownDispute },
  'GET /api/v1/teams/:teamId/disputes': { roles: ALL, limit: ownDisputes({ param: 'teamId' }) },
  'POST /api/v1/dispute-protocols': { roles: ['admin'] },
  'GET /api/v1/dispute-protocols': { roles: ALL },
  'POST /api/v1/good-practice-alerts': { roles: ['iro', 'admin'] },

  // ---- the working-day calendar: an administrator records extra or substitute bank holidays ----
  'POST /api/v1/calendar/bank-holidays': { roles: ['admin'] },
  'GET /api/v1/calendar/bank-holidays': { roles: ALL },
  'GET /api/v1/good-practice-alerts': { roles: ALL, limit: listOwnTeams },

  // ---- the quarterly board report: readers of every team's figures; improvement leads and admins close quarters ----
  'GET /api/v1/reports/board': {
    roles: ['improvement-lead', 'admin', 'inspector', 'qa-officer'],
    note: 'every team’s figures; audience=external for a version safe to publish',
  },
  'POST /api/v1/periods/:quarter/close': { roles: ['improvement-lead', 'admin'] },
  'POST /api/v1/periods/:quarter/notes': { roles: ['improvement-lead', 'admin'] },

  // ---- improvement plans: the improvement-lead manages them; owners update their actions ----
  'POST /api/v1/plans': { roles: ['improvement-lead', 'admin'] },
  'POST /api/v1/plans/:id/priorities': { roles: ['improvement-lead', 'admin'] },
  'POST /api/v1/plans/:id/recommendations': { roles: ['improvement-lead', 'admin'] },
  'POST /api/v1/plans/:id/actions': {
    roles: ['improvement-lead', 'admin', 'qa-officer'],
    note: 'a QA officer raises an action from an audit finding only (the action decider refuses one without)',
  },
  'POST /api/v1/plans/:id/rag-settings': { roles: ['improvement-lead', 'admin'] },
  'POST /api/v1/plans/:id/submission': { roles: ['improvement-lead', 'admin'] },
  'POST /api/v1/plans/:id/report-publication': { roles: ['improvement-lead', 'admin'] },
  'GET /api/v1/plans': { roles: ALL },
  'GET /api/v1/plans/:id/status': {
    roles: ALL,
    limit: ownTeamsOrOwned('plan'),
    note: 'a plan belongs to the teams of its actions',
  },
  'GET /api/v1/actions/:id': { roles: ALL, limit: ownTeamsOrOwned('improvement-action') },
  'GET /api/v1/actions/:id/findings': {
    roles: ALL,
    limit: ownTeamsOrOwned('improvement-action'),
    note: "team managers: the case reference of their own teams' audits only",
  },
  'POST /api/v1/actions/:id/progress': ownerOrLead(),
  'POST /api/v1/actions/:id/due-date': ownerOrLead(),
  'POST /api/v1/actions/:id/complete': ownerOrLead(),
  'POST /api/v1/actions/:id/verify': { roles: ['improvement-lead'] },
  'POST /api/v1/actions/:id/reopen': { roles: ['improvement-lead'] },
  'POST /api/v1/actions/:id/findings': { roles: ['improvement-lead', 'admin', 'qa-officer'] },
  'GET /api/v1/teams/:teamId/outstanding-actions': { roles: ALL, limit: ownTeamsByParam() },

  // ---- indicators and self-assessment ----
  'POST /api/v1/indicators': { roles: ['improvement-lead', 'admin'] },
  'POST /api/v1/indicators/:code/target': { roles: ['improvement-lead', 'admin'] },
  'POST /api/v1/indicators/:code/aggregation': { roles: ['improvement-lead', 'admin'] },
  'POST /api/v1/indicators/:code/team-targets': { roles: ['improvement-lead', 'admin'] },
  'POST /api/v1/indicators/:code/comparators': { roles: ['improvement-lead', 'admin'] },
  'POST /api/v1/indicators/:code/measurements': {
    roles: ['team-manager', 'improvement-lead', 'admin'],
    limit: { to: 'own-teams', for: TEAM_MANAGER, team: { body: 'teamId' }, otherwise: 403 },
  },
  'POST /api/v1/indicators/:code/corrections': {
    roles: ['team-manager', 'improvement-lead', 'admin'],
    limit: { to: 'own-teams', for: TEAM_MANAGER, team: { body: 'teamId' }, otherwise: 403 },
  },
  'GET /api/v1/indicators': { roles: ALL },
  'GET /api/v1/indicators/:code': {
    roles: ALL,
    limit: ownTeamFigures,
    note: 'team managers: their teams’ measurements and the council-wide ones',
  },
  'GET /api/v1/scorecard': { roles: ALL, limit: ownTeamFigures, note: 'team managers: their own teams, or council-wide' },
  'POST /api/v1/self-assessments': {
    roles: ['team-manager', 'improvement-lead', 'admin'],
    limit: { to: 'own-teams', for: TEAM_MANAGER, team: { service: 'service' }, otherwise: 403 },
    note: 'team managers: for the services their teams belong to',
  },
  'GET /api/v1/self-assessments': { roles: ALL },
  'POST /api/v1/self-assessments/draft': {
    roles: ['team-manager', 'improvement-lead', 'admin'],
    limit: { to: 'own-teams', for: TEAM_MANAGER, team: { service: 'service' }, otherwise: 403 },
    note: 'team managers: for the services their teams belong to (the same rule as recording one)',
  },
  'GET /api/v1/impact': {
    roles: ALL,
    limit: listOwnTeams,
    note: "team managers: the grades of their own teams' audits",
  },

  // ---- the inspector's trail: read-only for everyone; nobody can alter or delete recorded events ----
  'GET /api/v1/trail': {
    roles: ALL,
    limit: { to: 'own-teams', for: TRAIL_TEAM_BOUND, team: { query: 'teamId' }, otherwise: 403 },
    note: 'inspector and admin read every team; the others their own teams’ events',
  },
  'GET /api/v1/trail/changes': {
    roles: ALL,
    limit: { to: 'own-teams', for: TRAIL_TEAM_BOUND, team: { query: 'teamId' }, otherwise: 403 },
  },
  'GET /api/v1/trail/verify': { roles: ['inspector', 'admin'] },
  'GET /api/v1/trail/checkpoint': { roles: ['inspector', 'admin'] },
  'GET /api/v1/trail/checkpoint/consistency': { roles: ['inspector', 'admin'] },
  'GET /api/v1/trail/export': { roles: ['inspector', 'admin'] },
  'GET /api/v1/streams/:streamId': {
    roles: ALL,
    limit: { to: 'own-teams', for: TRAIL_TEAM_BOUND, team: { resource: 'stream', param: 'streamId' }, otherwise: 404 },
    note: 'a stream belongs to the teams its first event names',
  },
  'GET /api/v1/access-log': { roles: ['inspector', 'admin'] },
} as const satisfies Record<string, RouteRule>;

/** Improvement-action updates: the action's owner, or any improvement lead. */
function ownerOrLead(): RouteRule {
  return {
    roles: ['team-manager', 'improvement-lead', 'qa-officer', 'iro', 'admin'],
    limit: {
      to: 'owner',
      for: ['team-manager', 'qa-officer', 'iro', 'admin'],
      record: { resource: 'improvement-action', param: 'id' },
      otherwise: 403,
    },
    note: "the action's owner or an improvement lead",
  };
}

// ==== web pages (not under /api) ====================================================================
// The web-pages agent adds its page routes here, in the same form as API_POLICY.
// access-matrix:pages:start
/** A page that shows what an API read route shows, or does what an API command route does, has that route's rule. */
const SAME_AS = (apiRoute: keyof typeof API_POLICY): RouteRule => API_POLICY[apiRoute];
/**
 * The page of a form whose command names the team in its body (record, correct a measurement): the
 * command's roles, but no team to check before the form is filled in, so team managers are held to
 * their own teams as on the indicator (the form offers only those; the command checks the one chosen).
 */
const FORM_FOR_OWN_TEAMS = (apiRoute: keyof typeof API_POLICY): RouteRule => {
  const rule = API_POLICY[apiRoute];
  return 'roles' in rule ? { roles: rule.roles, limit: ownTeamFigures } : rule;
};
const SIGN_IN = {
  public: true,
  why: 'signing in, signing out and setting up the first administrator need no session yet',
} as const;
/** The imports page: each kind of file as its API route allows (audits, indicator values, staff); 403 for another kind. */
const IMPORT_PAGE: RouteRule = {
  roles: ['qa-officer', 'improvement-lead', 'admin'],
  note: 'each kind of import only for the roles of its POST /api/v1/imports/{kind} route',
};
export const PAGE_POLICY: Record<string, RouteRule> = {
  'GET /': { public: true, why: 'sends people to the dashboard, the sign-in page or the first-run page' },
  'GET /sign-in': SIGN_IN,
  'POST /sign-in': SIGN_IN,
  'GET /sign-in/oidc': SIGN_IN,
  'GET /sign-in/oidc/callback': SIGN_IN,
  'POST /sign-out': SIGN_IN,
  'GET /first-run': SIGN_IN,
  'POST /first-run': { public: true, why: 'creates the first administrator, and only while there are no users at all' },
  'GET /web-assets/:file': { public: true, why: 'styles, script and icon of the pages' },
  'GET /*path': { public: true, why: 'answers "Page not found" (or the API’s JSON 404 under /api/)' },
  'GET /dashboard': SAME_AS('GET /api/v1/audits'),
  'GET /audits': SAME_AS('GET /api/v1/audits'),
  'GET /audits.csv': SAME_AS('GET /api/v1/audits'),
  'GET /audits/start': SAME_AS('POST /api/v1/audits'),
  'POST /audits/start': SAME_AS('POST /api/v1/audits'),
  'GET /audits/:id': SAME_AS('GET /api/v1/audits/:id'),
  // Grades every domain and, with "Save and submit", submits: both routes have the same rule.
  'POST /audits/:id': SAME_AS('POST /api/v1/audits/:id/grades'),
  'GET /audits/:id/correct': SAME_AS('POST /api/v1/audits/:id/corrections'),
  'POST /audits/:id/correct': SAME_AS('POST /api/v1/audits/:id/corrections'),
  'GET /audits/:id/resolve': SAME_AS('POST /api/v1/audits/:id/disagreement-resolution'),
  'POST /audits/:id/resolve': SAME_AS('POST /api/v1/audits/:id/disagreement-resolution'),
  'GET /audits/:id/moderation-request': SAME_AS('POST /api/v1/audits/:id/moderation-requests'),
  'POST /audits/:id/moderation-request': SAME_AS('POST /api/v1/audits/:id/moderation-requests'),
  'GET /audits/:id/moderate': SAME_AS('POST /api/v1/audits/:id/moderation'),
  'POST /audits/:id/moderate': SAME_AS('POST /api/v1/audits/:id/moderation'),
  'GET /audits/:id/findings/raise': SAME_AS('POST /api/v1/plans/:id/actions'),
  'GET /audits/:id/findings/link': SAME_AS('POST /api/v1/actions/:id/findings'),
  'POST /audits/:id/findings/link': SAME_AS('POST /api/v1/actions/:id/findings'),
  'GET /audits/:id/actions/new': SAME_AS('POST /api/v1/audits/:id/actions'),
  'POST /audits/:id/actions': SAME_AS('POST /api/v1/audits/:id/actions'),
  'GET /audits/:id/actions/:actionId/complete': SAME_AS('POST /api/v1/audits/:id/actions/:actionId/complete'),
  'POST /audits/:id/actions/:actionId/complete': SAME_AS('POST /api/v1/audits/:id/actions/:actionId/complete'),
  'GET /audits/:id/actions/:actionId/cancel': SAME_AS('POST /api/v1/audits/:id/actions/:actionId/cancel'),
  'POST /audits/:id/actions/:actionId/cancel': SAME_AS('POST /api/v1/audits/:id/actions/:actionId/cancel'),
  'GET /audits/programmes': SAME_AS('GET /api/v1/audit-programmes'),
  'GET /audits/programmes.csv': SAME_AS('GET /api/v1/audit-programmes'),
  'GET /audits/programmes/new': SAME_AS('POST /api/v1/audit-programmes'),
  'POST /audits/programmes': SAME_AS('POST /api/v1/audit-programmes'),
  'GET /audits/programmes/:id': SAME_AS('GET /api/v1/audit-programmes/:id/summary'),
  'GET /audits/programmes/:id/summary.csv': SAME_AS('GET /api/v1/audit-programmes/:id/summary'),
  'GET /audits/programmes/:id/comparison': SAME_AS('GET /api/v1/audit-programmes/:id/comparison'),
  'GET /impact': SAME_AS('GET /api/v1/impact'),
  'GET /audits/teams/:teamId/actions': SAME_AS('GET /api/v1/teams/:teamId/audit-actions'),
  'GET /audits/teams/:teamId/actions.csv': SAME_AS('GET /api/v1/teams/:teamId/audit-actions'),
  'GET /audits/moderation-agreement': SAME_AS('GET /api/v1/moderation/agreement'),
  'GET /audits/moderation-agreement.csv': SAME_AS('GET /api/v1/moderation/agreement'),
  'GET /disputes': SAME_AS('GET /api/v1/disputes'),
  'GET /disputes.csv': SAME_AS('GET /api/v1/disputes'),
  'GET /disputes/stats': SAME_AS('GET /api/v1/disputes/stats'),
  'GET /disputes/stats.csv': SAME_AS('GET /api/v1/disputes/stats'),
  'GET /disputes/good-practice-alerts': SAME_AS('GET /api/v1/good-practice-alerts'),
  'GET /disputes/good-practice-alerts.csv': SAME_AS('GET /api/v1/good-practice-alerts'),
  'POST /disputes/good-practice-alerts': SAME_AS('POST /api/v1/good-practice-alerts'),
  'GET /disputes/raise': SAME_AS('POST /api/v1/disputes'),
  'POST /disputes/raise': SAME_AS('POST /api/v1/disputes'),
  'GET /disputes/:id': SAME_AS('GET /api/v1/disputes/:id'),
  'POST /disputes/:id/escalate': SAME_AS('POST /api/v1/disputes/:id/escalations'),
  'POST /disputes/:id/respond': SAME_AS('POST /api/v1/disputes/:id/responses'),
  'POST /disputes/:id/resolve': SAME_AS('POST /api/v1/disputes/:id/resolution'),
  'POST /disputes/:id/reopen': SAME_AS('POST /api/v1/disputes/:id/reopen'),
  'POST /disputes/:id/cafcass-referral': SAME_AS('POST /api/v1/disputes/:id/cafcass-referral'),
  'GET /plans': SAME_AS('GET /api/v1/plans'),
  'GET /plans.csv': SAME_AS('GET /api/v1/plans'),
  'POST /plans': SAME_AS('POST /api/v1/plans'),
  'GET /plans/:id': SAME_AS('GET /api/v1/plans/:id/status'),
  'GET /plans/:id/actions.csv': SAME_AS('GET /api/v1/plans/:id/status'),
  // Each form of a record on its own page: the page has the rule of the command it posts.
  'GET /plans/:id/priorities': SAME_AS('POST /api/v1/plans/:id/priorities'),
  'GET /plans/:id/recommendations': SAME_AS('POST /api/v1/plans/:id/recommendations'),
  'GET /plans/:id/actions': SAME_AS('POST /api/v1/plans/:id/actions'),
  'GET /plans/:id/rag-settings': SAME_AS('POST /api/v1/plans/:id/rag-settings'),
  'GET /plans/:id/submission': SAME_AS('POST /api/v1/plans/:id/submission'),
  'GET /plans/:id/report-publication': SAME_AS('POST /api/v1/plans/:id/report-publication'),
  'GET /actions/:id/progress': SAME_AS('POST /api/v1/actions/:id/progress'),
  'GET /actions/:id/due-date': SAME_AS('POST /api/v1/actions/:id/due-date'),
  'GET /actions/:id/complete': SAME_AS('POST /api/v1/actions/:id/complete'),
  'GET /actions/:id/verify': SAME_AS('POST /api/v1/actions/:id/verify'),
  'GET /actions/:id/reopen': SAME_AS('POST /api/v1/actions/:id/reopen'),
  'GET /disputes/:id/escalate': SAME_AS('POST /api/v1/disputes/:id/escalations'),
  'GET /disputes/:id/respond': SAME_AS('POST /api/v1/disputes/:id/responses'),
  'GET /disputes/:id/resolve': SAME_AS('POST /api/v1/disputes/:id/resolution'),
  'GET /disputes/:id/reopen': SAME_AS('POST /api/v1/disputes/:id/reopen'),
  'GET /disputes/:id/cafcass-referral': SAME_AS('POST /api/v1/disputes/:id/cafcass-referral'),
  'GET /scorecard/indicators/new': SAME_AS('POST /api/v1/indicators'),
  'POST /scorecard/indicators/new': SAME_AS('POST /api/v1/indicators'),
  'GET /scorecard/:code/target': SAME_AS('POST /api/v1/indicators/:code/target'),
  'GET /scorecard/:code/measurements': FORM_FOR_OWN_TEAMS('POST /api/v1/indicators/:code/measurements'),
  'GET /scorecard/:code/corrections': FORM_FOR_OWN_TEAMS('POST /api/v1/indicators/:code/corrections'),
  'GET /scorecard/:code/team-targets': SAME_AS('POST /api/v1/indicators/:code/team-targets'),
  'GET /scorecard/:code/comparators': SAME_AS('POST /api/v1/indicators/:code/comparators'),
  'GET /scorecard/:code/aggregation': SAME_AS('POST /api/v1/indicators/:code/aggregation'),
  'POST /plans/:id/priorities': SAME_AS('POST /api/v1/plans/:id/priorities'),
  'POST /plans/:id/recommendations': SAME_AS('POST /api/v1/plans/:id/recommendations'),
  'POST /plans/:id/actions': SAME_AS('POST /api/v1/plans/:id/actions'),
  'POST /plans/:id/rag-settings': SAME_AS('POST /api/v1/plans/:id/rag-settings'),
  'POST /plans/:id/submission': SAME_AS('POST /api/v1/plans/:id/submission'),
  'POST /plans/:id/report-publication': SAME_AS('POST /api/v1/plans/:id/report-publication'),
  'GET /actions/:id': SAME_AS('GET /api/v1/actions/:id'),
  'POST /actions/:id/progress': SAME_AS('POST /api/v1/actions/:id/progress'),
  'POST /actions/:id/due-date': SAME_AS('POST /api/v1/actions/:id/due-date'),
  'POST /actions/:id/complete': SAME_AS('POST /api/v1/actions/:id/complete'),
  'POST /actions/:id/verify': SAME_AS('POST /api/v1/actions/:id/verify'),
  'POST /actions/:id/reopen': SAME_AS('POST /api/v1/actions/:id/reopen'),
  // The team chooser lists the team register; the team's page has the API's own-team rule.
  'GET /outstanding-actions': SAME_AS('GET /api/v1/teams'),
  'GET /teams/:teamId/outstanding-actions': SAME_AS('GET /api/v1/teams/:teamId/outstanding-actions'),
  'GET /teams/:teamId/outstanding-actions.csv': SAME_AS('GET /api/v1/teams/:teamId/outstanding-actions'),
  'GET /self-assessments': SAME_AS('GET /api/v1/self-assessments'),
  'GET /self-assessments.csv': SAME_AS('GET /api/v1/self-assessments'),
  'POST /self-assessments': SAME_AS('POST /api/v1/self-assessments'),
  // The draft's form names no service yet: its roles, team managers held to their own teams' services (the list offers only those).
  'GET /self-assessments/draft': FORM_FOR_OWN_TEAMS('POST /api/v1/self-assessments/draft'),
  'POST /self-assessments/draft': SAME_AS('POST /api/v1/self-assessments/draft'),
  'POST /self-assessments/draft/record': SAME_AS('POST /api/v1/self-assessments'),
  'GET /calendar/bank-holidays': SAME_AS('GET /api/v1/calendar/bank-holidays'),
  'POST /calendar/bank-holidays': SAME_AS('POST /api/v1/calendar/bank-holidays'),
  'GET /admin': SAME_AS('POST /api/v1/teams'),
  'GET /reports': SAME_AS('GET /api/v1/reports/board'),
  'GET /reports/board.html': SAME_AS('GET /api/v1/reports/board'),
  'GET /reports/board.docx': SAME_AS('GET /api/v1/reports/board'),
  'GET /reports/board.csv': SAME_AS('GET /api/v1/reports/board'),
  'POST /reports/close': SAME_AS('POST /api/v1/periods/:quarter/close'),
  'GET /scorecard': SAME_AS('GET /api/v1/scorecard'),
  'GET /scorecard.csv': SAME_AS('GET /api/v1/scorecard'),
  'GET /scorecard/:code': SAME_AS('GET /api/v1/indicators/:code'),
  'GET /scorecard/:code/history.csv': SAME_AS('GET /api/v1/indicators/:code'),
  'POST /scorecard/:code/measurements': SAME_AS('POST /api/v1/indicators/:code/measurements'),
  'POST /scorecard/:code/target': SAME_AS('POST /api/v1/indicators/:code/target'),
  'POST /scorecard/:code/team-targets': SAME_AS('POST /api/v1/indicators/:code/team-targets'),
  'POST /scorecard/:code/comparators': SAME_AS('POST /api/v1/indicators/:code/comparators'),
  'POST /scorecard/:code/aggregation': SAME_AS('POST /api/v1/indicators/:code/aggregation'),
  'POST /scorecard/:code/corrections': SAME_AS('POST /api/v1/indicators/:code/corrections'),
  'GET /admin/teams': SAME_AS('POST /api/v1/teams'),
  'GET /admin/teams.csv': SAME_AS('POST /api/v1/teams'),
  'POST /admin/teams': SAME_AS('POST /api/v1/teams'),
  'GET /admin/users': SAME_AS('POST /api/v1/users'),
  'GET /admin/users.csv': SAME_AS('POST /api/v1/users'),
  'POST /admin/users': SAME_AS('POST /api/v1/users'),
  'GET /admin/teams/:id': SAME_AS('PATCH /api/v1/teams/:id'),
  'POST /admin/teams/:id/rename': SAME_AS('PATCH /api/v1/teams/:id'),
  'GET /admin/teams/:id/close': SAME_AS('POST /api/v1/teams/:id/close'),
  'POST /admin/teams/:id/close': SAME_AS('POST /api/v1/teams/:id/close'),
  'GET /admin/users/:id': SAME_AS('POST /api/v1/users'),
  'GET /admin/users/:id/tokens.csv': SAME_AS('POST /api/v1/users'),
  'POST /admin/users/:id/teams': SAME_AS('PUT /api/v1/users/:id/teams'),
  // Sign-in details have no API route (the API signs in with tokens): administrators set them, as for a new user.
  'POST /admin/users/:id/sign-in': SAME_AS('POST /api/v1/users'),
  'POST /admin/users/:id/tokens': SAME_AS('POST /api/v1/users/:id/tokens'),
  // The administrators' pages for anyone's tokens; everyone revokes their own at /account/tokens.
  'GET /admin/users/:id/tokens/:tokenId/revoke': SAME_AS('POST /api/v1/users/:id/deactivate'),
  'POST /admin/users/:id/tokens/:tokenId/revoke': SAME_AS('POST /api/v1/users/:id/deactivate'),
  'GET /admin/users/:id/deactivate': SAME_AS('POST /api/v1/users/:id/deactivate'),
  'POST /admin/users/:id/deactivate': SAME_AS('POST /api/v1/users/:id/deactivate'),
  'GET /admin/audit-frameworks': SAME_AS('POST /api/v1/audit-frameworks'),
  'GET /admin/audit-frameworks.csv': SAME_AS('POST /api/v1/audit-frameworks'),
  'POST /admin/audit-frameworks': SAME_AS('POST /api/v1/audit-frameworks'),
  'GET /admin/dispute-protocols': SAME_AS('POST /api/v1/dispute-protocols'),
  'GET /admin/dispute-protocols.csv': SAME_AS('POST /api/v1/dispute-protocols'),
  // Account pages act on the signed-in person only: no route names another user.
  'GET /account/password': { roles: ALL, note: 'the signed-in person’s own password' },
  'POST /account/password': { roles: ALL, note: 'the signed-in person’s own password, after their current one' },
  'GET /account/tokens': SAME_AS('GET /api/v1/users/me'),
  'GET /account/tokens.csv': SAME_AS('GET /api/v1/users/me'),
  'POST /account/tokens': SAME_AS('POST /api/v1/users/:id/tokens'),
  'GET /account/tokens/:tokenId/revoke': { roles: ALL, note: 'the signed-in person’s own tokens only' },
  'POST /account/tokens/:tokenId/revoke': { roles: ALL, note: 'the signed-in person’s own tokens only' },
  'GET /trail': SAME_AS('GET /api/v1/trail'),
  'GET /trail.csv': SAME_AS('GET /api/v1/trail'),
  'GET /trail/streams/:streamId': SAME_AS('GET /api/v1/streams/:streamId'),
  'GET /trail/streams/:streamId/events.csv': SAME_AS('GET /api/v1/streams/:streamId'),
  'GET /trail/verify': SAME_AS('GET /api/v1/trail/verify'),
  'GET /trail/export': SAME_AS('GET /api/v1/trail/export'),
  'GET /trail/export/download': SAME_AS('GET /api/v1/trail/export'),
  // The public key that checks an export's signatures: whoever may export may take it with them.
  'GET /trail/public-key.pem': SAME_AS('GET /api/v1/trail/export'),
  'GET /trail/access-log': SAME_AS('GET /api/v1/access-log'),
  'GET /trail/access-log.csv': SAME_AS('GET /api/v1/access-log'),
  'GET /imports': IMPORT_PAGE,
  'POST /imports/check': IMPORT_PAGE,
  'POST /imports/confirm': IMPORT_PAGE,
  // Case lists and samples (src/sampling): the case lists are QA's, as is their upload.
  'GET /case-lists': SAME_AS('POST /api/v1/case-lists'),
  'POST /case-lists': SAME_AS('POST /api/v1/case-lists'),
  'GET /case-lists/:id': SAME_AS('POST /api/v1/case-lists'),
  'GET /audits/programmes/:id/sample': SAME_AS('GET /api/v1/samples/:programmeId'),
  'GET /audits/programmes/:id/sample/verify': SAME_AS('GET /api/v1/samples/:programmeId/verify'),
  'GET /audits/programmes/:id/sample/new': SAME_AS('POST /api/v1/samples'),
  'POST /audits/programmes/:id/sample': SAME_AS('POST /api/v1/samples'),
};
// access-matrix:pages:end
// ====================================================================================================

export const POLICY: Readonly<Record<string, RouteRule>> = { ...API_POLICY, ...PAGE_POLICY };

export const routeKey = (method: string, path: string): string => `${method.toUpperCase()} ${path}`;

/** Routes Nest registered that have no entry: the application refuses to start with any. */
export function routesWithoutRule(registered: readonly string[], policy: Readonly<Record<string, RouteRule>> = POLICY): string[] {
  return registered.filter((key) => !(key in policy));
}

export const isPublic = (rule: RouteRule): rule is { public: true; why: string } => 'public' in rule;

/**
 * An own-teams limit on a record: whether the record (its teams and owners) is the caller's, i.e.
 * of one of their teams or, with `orOwn`, owned or raised by them. AuthGuard decides single records
 * with it, and pages listing several records (RecordAccess) filter with it, so both follow the table.
 */
export const recordIsTheirs = (
  limit: Extract<Limit, { to: 'own-teams' }>,
  principal: Pick<Principal, 'userId' | 'teamIds'>,
  facts: { teamIds: readonly string[]; ownerIds: readonly string[] },
): boolean =>
  facts.teamIds.some((team) => principal.teamIds.includes(team)) ||
  (limit.orOwn === true && facts.ownerIds.includes(principal.userId));
