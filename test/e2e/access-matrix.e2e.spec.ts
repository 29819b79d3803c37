/**
 * The route x role matrix, generated from the access policy (src/auth/policy.ts): every route in
 * the table, for every role, a user inside and outside the team, no token, an expired token and a
 * revoked token. One app on SQLite, seeded once. (Page routes, the table's PAGE_POLICY block, answer
 * a browser: a redirect to sign-in instead of 401, CSRF checks on forms; the pages' own tests cover them.)
 *
 * What counts as "allowed": the guard let the request through. The sample bodies are mostly not
 * valid for the route (`{}`), so an allowed request may be answered 400/404/409/422 by the handler;
 * only 401, 403 and the guard's own 404s (a team that is not the caller's; a seeded record of another
 * team, answered exactly as a missing record of its kind) count as refused. A route that never reaches the guard (swallowed by another route) cannot answer
 * 401, so the no-token part below catches it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModulesContainer } from '@nestjs/core';
import { ModulesContainer as ModulesContainerToken } from '@nestjs/core';
import { accessMatrixMarkdown } from '../../src/auth/access-matrix';
import { NOT_AMONG_YOUR_TEAMS } from '../../src/auth/auth.guard';
import { API_POLICY, isPublic, POLICY, routesWithoutRule, type RouteRule } from '../../src/auth/policy';
import { ROLES, type Role } from '../../src/shared/principal';
import { registeredRoutes } from '../../src/auth/registered-routes';
import { CONTEXTS } from '../../src/contexts';
import { systemContext } from '../../src/core/command-context';
import { UserUseCases } from '../../src/users/users.use-cases';
import { PROFILES, TestApp } from '../support/test-app';

type User = { userId: string; token: string };
type Side = 'inside' | 'outside';
type Outcome = 'allowed' | 401 | 403 | 404;

const TEAM_IN = 'team-in';
const TEAM_OUT = 'team-out';
/** The service TEAM_IN belongs to ("Children in need"), as a self-assessment names it. */
const SERVICE_IN = 'children-in-need';

/** What the policy says a caller gets; `owns` / `isSelf`: the record is the caller's own. */
function expected(rule: RouteRule, role: Role, side: Side, owns: boolean): Outcome {
  if (isPublic(rule)) return 'allowed';
  if (!rule.roles.includes(role)) return 403;
  const limit = rule.limit;
  if (!limit || !limit.for.includes(role)) return 'allowed';
  if (limit.to === 'own-teams') {
    if (side === 'inside') return 'allowed';
    // orOwn: a list naming another team is narrowed to the caller's own records, not refused.
    if (limit.orOwn && !('resource' in limit.team)) return 'allowed';
    return limit.otherwise;
  }
  if (limit.to === 'owner') return owns ? 'allowed' : limit.otherwise;
  return side === 'inside' ? 'allowed' : 403; // self: inside = the caller's own account
}

/** The guard's 404s: a team not among the caller's, or a seeded record in another team (answered as if missing). */
const SCOPE_NOT_FOUND_CODES = CONTEXTS.flatMap((context) => context.records ?? []).map((kind) => kind.notFound('x').code);

const outcomeOf = (status: number, body: { message?: unknown; details?: { code?: unknown } }): Outcome => {
  if (status === 401 || status === 403) return status;
  if (status === 404 && body.message === NOT_AMONG_YOUR_TEAMS) return 404;
  // Every seeded record exists, so its kind's "not found" can only be the guard hiding another team's record.
  if (status === 404 && SCOPE_NOT_FOUND_CODES.includes(body.details?.code as string)) return 404;
  return 'allowed';
};

const profile = PROFILES.find((p) => p.name === 'sqlite')!;

describe('access matrix: every route x every role, inside and outside the team (sqlite)', () => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  const inside = {} as Record<Role, User>;
  const outside = {} as Record<Role, User>;
  let spare: User;
  let expired: string;
  let revoked: string;
  const ids = { audit: '', dispute: '', action: 'matrix-action', plan: 'matrix-plan' };

  const send = (method: string, url: string, token?: string, body: object = {}) => {
    let request = t.http[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](url);
    if (token) request = request.set('Authorization', `Bearer ${token}`);
    return method === 'GET' ? request : request.send(body);
  };
  const ok = async (method: string, url: string, user: User, body: object): Promise<Record<string, unknown>> => {
    const response = await send(method, url, user.token, body);
    if (response.status >= 300) throw new Error(`Seeding ${url} failed (${response.status}): ${JSON.stringify(response.body)}`);
    return response.body as Record<string, unknown>;
  };

  beforeAll(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env);
    const admin = await t.userWithToken('admin', [], 'Seed Admin');
    // Each team in its own service: a self-assessment names a service, and a team manager manages their teams' services.
    for (const [teamId, service] of [
      [TEAM_IN, 'Children in need'],
      [TEAM_OUT, 'Child protection'],
    ]) {
      await ok('POST', '/api/v1/teams', admin, { teamId, name: `Team ${teamId}`, service });
    }
    for (const role of ROLES) {
      inside[role] = await t.userWithToken(role, [TEAM_IN], `Inside ${role}`);
      outside[role] = await t.userWithToken(role, [TEAM_OUT], `Outside ${role}`);
    }
    spare = await t.userWithToken('qa-officer', [], 'Spare User');

    // One record of each team-bound kind, in TEAM_IN; the improvement action is owned by the inside team manager.
    ids.audit = (
      await ok('POST', '/api/v1/audits', inside['qa-officer'], {
        caseRef: 'CASE-9001',
        teamId: TEAM_IN,
        auditedOn: '2026-04-06',
      })
    ).auditId as string;
    ids.dispute = (
      await ok('POST', '/api/v1/disputes', inside.iro, {
        childRef: 'C-9001',
        teamId: TEAM_IN,
        category: 'matching',
        summary: 'Match has drifted.',
        desiredOutcome: 'Assessment to panel.',
        raisedOn: '2026-09-01',
      })
    ).disputeId as string;
    const lead = inside['improvement-lead'];
    await ok('POST', '/api/v1/plans', lead, {
      planId: ids.plan,
      title: 'Matrix plan',
      trigger: { kind: 'ofsted-inspection', date: '2026-03-03', judgement: 'inadequate' },
    });
    await ok('POST', `/api/v1/plans/${ids.plan}/priorities`, lead, { priorityId: 'practice', title: 'Practice' });
    await ok('POST', `/api/v1/plans/${ids.plan}/recommendations`, lead, {
      recommendationId: 'risk',
      text: 'Assess risk explicitly',
      timescale: 'immediately',
    });
    await ok('POST', `/api/v1/plans/${ids.plan}/actions`, lead, {
      actionId: ids.action,
      priorityId: 'practice',
      recommendationIds: ['risk'],
      title: 'Risk analysis',
      ownerId: inside['team-manager'].userId,
      teamIds: [TEAM_IN],
      startOn: '2026-04-01',
      dueOn: '2026-10-30',
      successMeasure: 'Risk analysed in 95% of assessments',
    });

    // An expired token (issued 100 days ago for 1 day) and a revoked one, both of an active admin.
    const users = t.app.get(UserUseCases);
    const longAgo = { ...systemContext('test-setup'), now: new Date(Date.now() - 100 * 86_400_000).toISOString() };
    expired = (await users.issueToken({ id: admin.userId }, { expiresInDays: 1 }, longAgo)).token;
    const toRevoke = await users.issueToken({ id: admin.userId }, {}, systemContext('test-setup'));
    await users.revokeToken(
      { id: admin.userId, tokenId: toRevoke.tokenId },
      { reason: 'lost laptop' },
      systemContext('test-setup'),
    );
    revoked = toRevoke.token;
  });
  afterAll(async () => {
    await t?.close();
    await storage?.drop();
  });

  /** The URL for a route key, its parameters filled with the seeded records (TEAM_IN's). */
  const urlFor = (key: string, caller: User | null, side: Side): { method: string; url: string } => {
    const [method, path] = key.split(' ');
    const url = path.replace(/:(\w+)/g, (_, name: string) => {
      if (name === 'teamId') return TEAM_IN;
      if (name === 'streamId') return `team-${TEAM_IN}`;
      if (name === 'tokenId') return 'no-such-token';
      if (name === 'actionId') return 'no-such-action';
      if (name === 'code') return 'NO-SUCH-CODE';
      if (name !== 'id') return 'x';
      if (path.startsWith('/api/v1/users/')) return side === 'inside' && caller ? caller.userId : spare.userId;
      if (path.startsWith('/api/v1/teams/')) return TEAM_IN;
      if (path.startsWith('/api/v1/audits/')) return ids.audit;
      if (path.startsWith('/api/v1/disputes/')) return ids.dispute;
      if (path.startsWith('/api/v1/actions/')) return ids.action;
      if (path.startsWith('/api/v1/plans/')) return ids.plan;
      return 'no-such-id';
    });
    // Lists filtered by team, and bodies naming a team, name TEAM_IN.
    return { method, url: method === 'GET' && url.startsWith('/api/') ? `${url}?teamId=${TEAM_IN}` : url };
  };
  const bodyFor = (): object => ({ teamId: TEAM_IN, service: SERVICE_IN });

  it('every route Nest registered has an entry in the policy, and the app refuses to start otherwise', () => {
    const registered = registeredRoutes(t.app.get<ModulesContainer>(ModulesContainerToken));
    expect(registered.length).toBeGreaterThan(50);
    expect(routesWithoutRule(registered)).toEqual([]);
    expect(routesWithoutRule([...registered, 'GET /api/v1/not-in-the-table'])).toEqual(['GET /api/v1/not-in-the-table']);
    // And every entry names a route that exists (no stale rules).
    expect(Object.keys(POLICY).filter((key) => !registered.includes(key))).toEqual([]);
  });

  it('every role, inside and outside the team, gets what the policy says on every route', async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const [key, rule] of Object.entries(API_POLICY) as [string, RouteRule][]) {
      // The twelve callers of one route at once: the guard's answer does not depend on their order.
      const cases = ROLES.flatMap((role) => (['inside', 'outside'] as const).map((side) => ({ role, side })));
      await Promise.all(
        cases.map(async ({ role, side }) => {
          const caller = side === 'inside' ? inside[role] : outside[role];
          const { method, url } = urlFor(key, caller, side);
          const owns = caller.userId === inside['team-manager'].userId;
          const want = expected(rule, role, side, owns);
          const response = await send(method, url, caller.token, bodyFor());
          const got = outcomeOf(response.status, response.body as { message?: unknown; details?: { code?: unknown } });
          checked++;
          if (got !== want) {
            mismatches.push(
              `${key} as ${side} ${role}: expected ${want}, got ${response.status} ${JSON.stringify(response.body).slice(0, 160)}`,
            );
          }
        }),
      );
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(Object.keys(API_POLICY).length * ROLES.length * 2);
  }, 300_000);

  it('without a token, with an expired token and with a revoked token every signed-in route answers 401', async () => {
    const mismatches: string[] = [];
    for (const [key, rule] of Object.entries(API_POLICY) as [string, RouteRule][]) {
      const { method, url } = urlFor(key, null, 'outside');
      const tokens = [
        ['no token', undefined],
        ['expired token', expired],
        ['revoked token', revoked],
        ['malformed token', 'not-a-real-token'],
      ] as const;
      await Promise.all(
        tokens.map(async ([what, token]) => {
          const response = await send(method, url, token, bodyFor());
          const want = isPublic(rule) ? 'not 401' : 401;
          const got = isPublic(rule) ? (response.status === 401 ? 401 : 'not 401') : response.status;
          if (got !== want) mismatches.push(`${key} with ${what}: expected ${want}, got ${response.status}`);
        }),
      );
    }
    expect(mismatches).toEqual([]);
  }, 120_000);

  it('a record in another team answers exactly like a missing one (its existence does not leak)', async () => {
    const manager = outside['team-manager'];
    const missingId = '00000000-0000-4000-8000-000000000000';
    const foreign = await send('GET', `/api/v1/audits/${ids.audit}`, manager.token);
    const missing = await send('GET', `/api/v1/audits/${missingId}`, manager.token);
    const anonymous = (body: { message: string }, id: string) => JSON.stringify(body).replaceAll(id, '<id>');
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(anonymous(foreign.body, ids.audit)).toBe(anonymous(missing.body, missingId));
    // The team's own manager reads it.
    await send('GET', `/api/v1/audits/${ids.audit}`, inside['team-manager'].token).expect(200);
  });

  it('lists show a team-bound caller only their own teams', async () => {
    const list = async (user: User) =>
      ((await send('GET', '/api/v1/audits', user.token).expect(200)).body as { auditId: string }[]).map((a) => a.auditId);
    expect(await list(inside['team-manager'])).toEqual([ids.audit]);
    expect(await list(outside['team-manager'])).toEqual([]);
    expect(await list(outside['qa-officer'])).toEqual([ids.audit]); // qa-officer audits any team
  });

  it("an iro sees the DRs they raised, in any team, and their own teams' DRs; no others", async () => {
    const raiser = outside.iro; // in TEAM_OUT, raises a DR about TEAM_IN
    const raised = (
      await ok('POST', '/api/v1/disputes', raiser, {
        childRef: 'C-9002',
        teamId: TEAM_IN,
        category: 'matching',
        summary: 'Plan not shared.',
        desiredOutcome: 'Share the plan.',
        raisedOn: '2026-09-02',
      })
    ).disputeId as string;
    const stranger = await t.userWithToken('iro', [], 'Iro With No Teams');
    await send('GET', `/api/v1/disputes/${raised}`, raiser.token).expect(200);
    await send('GET', `/api/v1/disputes/${raised}`, inside.iro.token).expect(200); // their team's DR
    const hidden = await send('GET', `/api/v1/disputes/${raised}`, stranger.token).expect(404);
    expect(hidden.body.details.code).toBe('DISPUTE_NOT_FOUND');
    await send('POST', `/api/v1/disputes/${raised}/escalations`, stranger.token, { toStage: 'stage-1', reason: 'x' }).expect(404);
    const listed = async (user: User, query = '') =>
      ((await send('GET', `/api/v1/disputes${query}`, user.token).expect(200)).body as { disputeId: string }[]).map(
        (d) => d.disputeId,
      );
    expect(await listed(raiser)).toEqual([raised]);
    expect(await listed(raiser, `?teamId=${TEAM_IN}`)).toEqual([raised]);
    expect((await listed(inside.iro)).sort()).toEqual([ids.dispute, raised].sort());
    expect(await listed(stranger)).toEqual([]);
    expect((await listed(outside.inspector)).sort()).toEqual([ids.dispute, raised].sort()); // inspector reads everything
  });

  it('the matrix in docs/access.md is the one generated from the policy', () => {
    const page = readFileSync(join(__dirname, '..', '..', 'docs', 'access.md'), 'utf8');
    const match = /<!-- access-matrix:start -->\n([\s\S]*?)<!-- access-matrix:end -->/.exec(page);
    expect(match).not.toBeNull(); // the page must keep the markers: `npm run --silent docs:access-matrix` fills them
    expect(match?.[1].trim()).toBe(accessMatrixMarkdown().trim());
  });
});
