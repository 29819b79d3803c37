import type { QueryBus } from '@nestjs/cqrs';
import { NotFoundError } from '@casetrail/kernel';
import { businessToday } from '../core';
import { GetAuditQuery } from '../audits';
import { GetActionQuery, PlanStatusQuery, type ActionStatusView } from '../improvement';
import { domainTitles } from './audit-reading';
import { ActionFindingsQuery } from './impact.queries';

/** An improvement action answering a finding of an audit, with its RAG as on a day (the audit page lists them). */
export interface ActionAnsweringFinding {
  actionId: string;
  planId: string;
  title: string;
  domain: string;
  /** The action's RAG as on the day (blue: complete). */
  rag: string;
  completedOn: string | null;
}

/** The improvement actions answering each finding of one audit (raised from it or linked to it), oldest link first. */
export async function actionsAnsweringAudit(queries: QueryBus, auditId: string, on: string): Promise<ActionAnsweringFinding[]> {
  const links = await queries.execute(new ActionFindingsQuery({ auditIds: [auditId] }));
  const statuses = new Map<string, ActionStatusView[]>();
  const answering: ActionAnsweringFinding[] = [];
  for (const link of links) {
    let planId = link.planId;
    if (!planId) planId = (await queries.execute(new GetActionQuery(link.actionId))).planId;
    if (!statuses.has(planId)) statuses.set(planId, (await queries.execute(new PlanStatusQuery(planId, on))).actions);
    const action = statuses.get(planId)!.find((a) => a.actionId === link.actionId);
    if (!action) continue;
    answering.push({
      actionId: link.actionId,
      planId,
      title: action.title,
      domain: link.domain,
      rag: action.rag,
      completedOn: action.completedOn,
    });
  }
  return answering;
}

/** A finding an action answers, as the viewer may see its audit. */
export interface FindingOfAction {
  auditId: string;
  domain: string;
  /** The domain's title in the framework (its key in words when the framework has none). */
  domainTitle: string;
  /** Null when the viewer may not see the audit (outside their team scope, or not found for them). */
  caseRef: string | null;
  auditedOn: string | null;
}

/**
 * The audit findings one action answers: the one it was raised from, then those linked to it. A
 * viewer bound to their teams (`teamScope`, a team manager's) sees the case reference and date of
 * their own teams' audits only; the others are named by domain alone.
 */
export async function findingsOfAction(
  queries: QueryBus,
  actionId: string,
  viewerId: string,
  teamScope: string[] | null,
): Promise<FindingOfAction[]> {
  const links = await queries.execute(new ActionFindingsQuery({ actionIds: [actionId] }));
  if (!links.length) return [];
  const title = await domainTitles(queries);
  const today = businessToday();
  const findings: FindingOfAction[] = [];
  for (const link of links) {
    let audit: { caseRef: string; auditedOn: string } | null = null;
    try {
      const found = await queries.execute(new GetAuditQuery(link.auditId, viewerId, today));
      if (teamScope === null || teamScope.includes(found.teamId)) audit = found;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    findings.push({
      auditId: link.auditId,
      domain: link.domain,
      domainTitle: title(link.domain),
      caseRef: audit?.caseRef ?? null,
      auditedOn: audit?.auditedOn ?? null,
    });
  }
  return findings;
}
