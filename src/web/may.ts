import { API_POLICY, type RouteRule } from '../auth';
import type { Principal, Role } from '../shared';

/**
 * What a page may offer: the policy's answer (src/auth/policy.ts) for the API route it would call, before the
 * guard is asked. Each page route has the rule of the API route it stands for (PAGE_POLICY's SAME_AS).
 */
export type PolicyRoute = keyof typeof API_POLICY;
export interface About {
  teamId?: string;
  ownerId?: string;
  userId?: string;
}

export const ruleOf = (route: PolicyRoute): RouteRule => API_POLICY[route];
/** The roles a route's rule lets in (none for a public route: it has no roles). */
export const rolesOf = (route: PolicyRoute): readonly Role[] => {
  const rule = ruleOf(route);
  return 'roles' in rule ? rule.roles : [];
};

/**
 * May this person use a route? The roles of its policy rule, and its limit for the roles it binds:
 * own teams (when the team is known), the owner, or the person themselves. The policy still decides.
 */
export function may(principal: Principal | undefined, route: PolicyRoute, about: About = {}): boolean {
  const rule = ruleOf(route);
  if (!principal) return false;
  if ('public' in rule) return true;
  if (!rule.roles.includes(principal.role)) return false;
  const limit = rule.limit;
  if (!limit || !limit.for.includes(principal.role)) return true;
  if (limit.to === 'owner') return about.ownerId === principal.userId;
  if (limit.to === 'self') return about.userId === principal.userId;
  const own = about.teamId === undefined || principal.teamIds.includes(about.teamId);
  return own || (Boolean(limit.orOwn) && about.ownerId === principal.userId);
}
