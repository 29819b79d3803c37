import type { Grade, OverallGrade } from '../audits';
import type { GradedAudit } from './audit-reading';
import { domainOrder, latestByCase } from './audit-reading';
import { changeOf, changeText, distributionOf, goodOrBetterText, type Change, type Distribution } from './impact-figures';

export interface DomainChange {
  domain: string;
  title: string;
  from: Grade | null;
  to: Grade | null;
  change: Change;
  /** "Management oversight: inadequate → good" */
  text: string;
}

export interface CaseComparison {
  caseRef: string;
  earlierAuditId: string;
  laterAuditId: string;
  earlierAuditedOn: string;
  laterAuditedOn: string;
  overall: { from: OverallGrade; to: OverallGrade; change: Change; text: string };
  domains: DomainChange[];
}

export interface DomainComparison {
  domain: string;
  title: string;
  earlier: Distribution;
  later: Distribution;
  /** Cases audited in both whose grade for the domain improved, declined or stayed the same. */
  cases: { improved: number; declined: number; unchanged: number };
  /** "Management oversight: 3 of 16 good or better (18.75%) → 9 of 16 good or better (56.25%)" */
  text: string;
}

export interface AuditSetComparison {
  overall: { earlier: Distribution; later: Distribution; text: string };
  domains: DomainComparison[];
  cases: CaseComparison[];
  /** Cases audited in the earlier set only, and in the later set only. */
  onlyEarlier: string[];
  onlyLater: string[];
}

/** The changes between two audits of one case, domain by domain (the domains either graded). */
export function auditChanges(earlier: GradedAudit, later: GradedAudit, title: (key: string) => string): DomainChange[] {
  return domainOrder([earlier, later])
    .filter((key) => earlier.grades[key] !== undefined || later.grades[key] !== undefined)
    .map((key) => {
      const from = earlier.grades[key] ?? null;
      const to = later.grades[key] ?? null;
      return { domain: key, title: title(key), from, to, change: changeOf(from, to), text: changeText(title(key), from, to) };
    });
}

/**
 * Two sets of audits (a programme and its re-audit), domain by domain and case by case: cases are
 * matched by case reference (the latest audit of a case in each set). Figures, not causes.
 */
export function compareAuditSets(
  earlierAudits: GradedAudit[],
  laterAudits: GradedAudit[],
  title: (key: string) => string,
): AuditSetComparison {
  const earlierByCase = latestByCase(earlierAudits);
  const laterByCase = latestByCase(laterAudits);
  const cases: CaseComparison[] = [];
  for (const [caseRef, later] of [...laterByCase.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const earlier = earlierByCase.get(caseRef);
    if (!earlier) continue;
    cases.push({
      caseRef,
      earlierAuditId: earlier.auditId,
      laterAuditId: later.auditId,
      earlierAuditedOn: earlier.auditedOn,
      laterAuditedOn: later.auditedOn,
      overall: {
        from: earlier.overall,
        to: later.overall,
        change: changeOf(earlier.overall, later.overall),
        text: changeText('Overall', earlier.overall, later.overall),
      },
      domains: auditChanges(earlier, later, title),
    });
  }
  const domains = domainOrder([...earlierAudits, ...laterAudits])
    .map((key): DomainComparison => {
      const earlier = distributionOf(earlierAudits.flatMap((a) => (a.grades[key] ? [a.grades[key]] : [])));
      const later = distributionOf(laterAudits.flatMap((a) => (a.grades[key] ? [a.grades[key]] : [])));
      const changes = cases.flatMap((c) => c.domains.filter((d) => d.domain === key).map((d) => d.change));
      return {
        domain: key,
        title: title(key),
        earlier,
        later,
        cases: {
          improved: changes.filter((c) => c === 'improved').length,
          declined: changes.filter((c) => c === 'declined').length,
          unchanged: changes.filter((c) => c === 'unchanged').length,
        },
        text: `${title(key)}: ${goodOrBetterText(earlier)} → ${goodOrBetterText(later)}`,
      };
    })
    .filter((d) => d.earlier.graded + d.earlier.notApplicable + d.later.graded + d.later.notApplicable > 0);
  const overallEarlier = distributionOf(earlierAudits.map((a) => a.overall));
  const overallLater = distributionOf(laterAudits.map((a) => a.overall));
  return {
    overall: {
      earlier: overallEarlier,
      later: overallLater,
      text: `Overall: ${goodOrBetterText(overallEarlier)} → ${goodOrBetterText(overallLater)}`,
    },
    domains,
    cases,
    onlyEarlier: [...earlierByCase.keys()].filter((c) => !laterByCase.has(c)).sort(),
    onlyLater: [...laterByCase.keys()].filter((c) => !earlierByCase.has(c)).sort(),
  };
}
