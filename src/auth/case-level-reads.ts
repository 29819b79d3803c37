import type { AccessRegistration } from './access-registration';
import { isPublic, POLICY, routeKey, type ResourceKind, type RouteRule } from './policy';

/** The record a rule names by a route parameter (its limit's `resource`), if any. */
function recordOf(rule: RouteRule | undefined): { resource: ResourceKind; param: string } | null {
  if (!rule || isPublic(rule) || !rule.limit) return null;
  const limit = rule.limit;
  if (limit.to === 'owner') return limit.record;
  if (limit.to === 'own-teams' && 'resource' in limit.team) return limit.team;
  return null;
}

/**
 * THE rule of what the access log records without being told: a GET route (of the API or a page)
 * whose access rule names a case-level record by a route parameter (`GET /api/v1/audits/:id`,
 * `GET /audits/:id`, which has the same rule) reads that record, whoever reads it. The answer is
 * the subject to record ("audit-<id>"), or null for any other route. The record kinds say which
 * of them are case-level (`caseLevel` in their AccessRegistration).
 */
export function caseLevelRead(
  registrations: readonly AccessRegistration[],
  method: string,
  routePath: string,
  params: Readonly<Record<string, string | string[] | undefined>>,
  policy: Readonly<Record<string, RouteRule>> = POLICY,
): string | null {
  if (method !== 'GET' && method !== 'HEAD') return null;
  const record = recordOf(policy[routeKey('GET', routePath)]);
  const value = record ? params[record.param] : undefined;
  const id = typeof value === 'string' ? value : undefined;
  if (!record || !id) return null;
  const kind = registrations.flatMap((r) => r.records ?? []).find((k) => k.kind === record.resource);
  return kind?.caseLevel ? kind.caseLevel(id) : null;
}
