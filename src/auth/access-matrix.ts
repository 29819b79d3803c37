import { isPublic, POLICY, type RouteRule } from './policy';
import { ROLES, type Role } from '../shared';

const LIMIT_WORDS = { 'own-teams': 'own teams', owner: 'owner', self: 'self' } as const;

/** What one role may do on one route, in a few words: "yes", "own teams", "owner", "self", "no" or "public". */
export function cell(rule: RouteRule, role: Role): string {
  if (isPublic(rule)) return 'public';
  if (!rule.roles.includes(role)) return '—';
  if (rule.limit?.for.includes(role)) {
    return rule.limit.to === 'own-teams' && rule.limit.orOwn ? 'own teams or raised' : LIMIT_WORDS[rule.limit.to];
  }
  return '✓';
}

/** The route x role matrix as a markdown table, generated from the access policy (docs/access.md). */
export function accessMatrixMarkdown(policy: Readonly<Record<string, RouteRule>> = POLICY): string {
  const header = `| Route | ${ROLES.join(' | ')} |`;
  const rule = `|---|${ROLES.map(() => ':-:').join('|')}|`;
  const rows = Object.entries(policy).map(
    ([key, entry]) => `| \`${key}\` | ${ROLES.map((role) => cell(entry, role)).join(' | ')} |`,
  );
  const legend =
    '✓ allowed · — refused (403) · own teams: only for the caller’s teams (another team’s record answers 404, ' +
    'a team named in a body 403; lists show only the caller’s teams) · own teams or raised: also the DRs the ' +
    'caller raised, in any team · owner: only the record’s owner (403) · ' +
    'self: only for the caller’s own account (403) · public: no sign-in.';
  return [header, rule, ...rows, '', legend, ''].join('\n');
}
