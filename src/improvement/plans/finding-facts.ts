import type { QueryBus } from '@nestjs/cqrs';
import { NotFoundError } from '@casetrail/kernel';
import { businessToday } from '../../core';
import { GetAuditQuery } from '../../audits';
import type { FindingFacts } from './action.decider';
import type { AuditFinding } from './plans.events';

/**
 * What the audits context knows of the finding an action names, looked up through its query just
 * before deciding (the action decider rules on it). Seen as the caller sees it: an audit the caller
 * is to moderate blind has no grades for them, so it cannot be proved a finding by them.
 */
export async function lookUpFinding(
  queries: QueryBus,
  finding: AuditFinding | undefined,
  viewerId: string,
): Promise<FindingFacts | undefined> {
  if (!finding) return undefined;
  try {
    const audit = await queries.execute(new GetAuditQuery(finding.auditId, viewerId, businessToday()));
    return {
      audit: {
        caseRef: audit.caseRef,
        domains: audit.domains,
        domainGrade: audit.effectiveDomainGrades?.[finding.domain] ?? null,
        areasForDevelopment: audit.areasForDevelopment.length,
      },
    };
  } catch (error) {
    if (error instanceof NotFoundError) return { audit: null };
    throw error;
  }
}
