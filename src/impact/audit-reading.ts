import type { QueryBus } from '@nestjs/cqrs';
import { businessToday } from '../core';
import { type Grade, type OverallGrade, GetAuditQuery, ListAuditsQuery, ListFrameworksQuery } from '../audits';
import { keyInWords } from './impact-figures';

/** A submitted audit with its effective grades, as the impact views read it. */
export interface GradedAudit {
  auditId: string;
  caseRef: string;
  teamId: string;
  auditedOn: string;
  programmeId: string | null;
  overall: OverallGrade;
  /** Domain keys of its framework version, in order. */
  domains: string[];
  grades: Record<string, Grade>;
}

const SUBMITTED = ['submitted', 'moderation-requested', 'moderated'];

/**
 * The submitted audits matching the filter, with their effective domain grades, read through the
 * audits' queries as the viewer sees them: an audit they are to moderate blind is left out (its
 * grades must not show in any figure), and so are audits in progress (not yet "audited").
 */
export async function gradedAudits(
  queries: QueryBus,
  filter: { programmeId?: string; teamIds?: string[]; from?: string; to?: string },
  viewerId: string,
): Promise<GradedAudit[]> {
  const listed = await queries.execute(new ListAuditsQuery(filter, viewerId));
  const shown = listed.filter((a) => !a.blind && a.effectiveOverallGrade !== null && SUBMITTED.includes(a.status));
  const on = businessToday();
  const views = await Promise.all(shown.map((a) => queries.execute(new GetAuditQuery(a.auditId, viewerId, on))));
  return views
    .filter((v) => !v.blind && v.effectiveOverallGrade !== null)
    .map((v) => ({
      auditId: v.auditId,
      caseRef: v.caseRef,
      teamId: v.teamId,
      auditedOn: v.auditedOn,
      programmeId: v.programmeId,
      overall: v.effectiveOverallGrade!,
      domains: v.domains,
      grades: v.effectiveDomainGrades ?? {},
    }))
    .sort((a, b) => a.auditedOn.localeCompare(b.auditedOn) || a.caseRef.localeCompare(b.caseRef));
}

/** Domain key -> title, from every published framework version (the latest title wins). */
export async function domainTitles(queries: QueryBus): Promise<(key: string) => string> {
  const frameworks = await queries.execute(new ListFrameworksQuery());
  const titles = new Map<string, string>();
  for (const framework of frameworks) for (const domain of framework.domains) titles.set(domain.key, domain.title);
  return (key) => titles.get(key) ?? keyInWords(key);
}

/** The domain keys of these audits, in framework order (first audit's order, then any others). */
export function domainOrder(audits: GradedAudit[]): string[] {
  const keys: string[] = [];
  for (const audit of audits)
    for (const key of [...audit.domains, ...Object.keys(audit.grades)]) if (!keys.includes(key)) keys.push(key);
  return keys;
}

/** The latest audit of each case among these (by the day audited). */
export function latestByCase(audits: GradedAudit[]): Map<string, GradedAudit> {
  const byCase = new Map<string, GradedAudit>();
  for (const audit of audits) {
    const seen = byCase.get(audit.caseRef);
    if (!seen || audit.auditedOn >= seen.auditedOn) byCase.set(audit.caseRef, audit);
  }
  return byCase;
}
