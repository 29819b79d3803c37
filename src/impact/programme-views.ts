import type { QueryBus } from '@nestjs/cqrs';
import { NotFoundError } from '@casetrail/kernel';
import { type Grade, AuditProgrammeNotFound, FindProgrammeQuery, GetAuditQuery } from '../audits';
import { businessToday } from '../core';
import { GetActionQuery } from '../improvement';
import { domainOrder, domainTitles, gradedAudits, type GradedAudit } from './audit-reading';
import { auditChanges, compareAuditSets, type AuditSetComparison, type DomainChange } from './comparison';
import { distributionOf, goodOrBetterText, GRADE_WORDS, type Distribution } from './impact-figures';
import { ActionFindingsQuery, CaseAuditsQuery } from './impact.queries';

/** Grades that make a domain of an audit a finding to act on (as the action decider rules). */
const WEAK: Grade[] = ['requires-improvement', 'inadequate'];

export interface AnsweringAction {
  actionId: string;
  planId: string;
  title: string;
  status: string;
  /** The audit whose finding the action names. */
  auditId: string;
}

export interface DomainFinding {
  domain: string;
  title: string;
  figures: Distribution;
  /** The cases graded requires improvement or inadequate in this domain. */
  cases: { auditId: string; caseRef: string; grade: Grade }[];
  actions: AnsweringAction[];
  /** "Management oversight: 3 of 16 good or better (18.75%); 13 cases requires improvement or inadequate; answered by 1 action" */
  text: string;
}

export interface ProgrammeFindingsView {
  programmeId: string;
  title: string;
  audited: number;
  findings: DomainFinding[];
}

async function programmeOrThrow(queries: QueryBus, programmeId: string) {
  const programme = await queries.execute(new FindProgrammeQuery(programmeId));
  if (!programme) throw new AuditProgrammeNotFound(programmeId);
  return programme;
}

/** A programme's findings (domains with cases graded RI or inadequate, or answered by an action) and the actions answering them. */
export async function programmeFindings(
  queries: QueryBus,
  programmeId: string,
  viewerId: string,
  teamScope: string[] | null,
): Promise<ProgrammeFindingsView> {
  const programme = await programmeOrThrow(queries, programmeId);
  const audits = await gradedAudits(queries, { programmeId, ...(teamScope ? { teamIds: teamScope } : {}) }, viewerId);
  const title = await domainTitles(queries);
  const links = audits.length ? await queries.execute(new ActionFindingsQuery({ auditIds: audits.map((a) => a.auditId) })) : [];
  const actions = new Map<string, AnsweringAction>();
  for (const link of links) {
    try {
      const row = await queries.execute(new GetActionQuery(link.actionId));
      actions.set(link.actionId, {
        actionId: link.actionId,
        planId: row.planId,
        title: row.title,
        status: row.status,
        auditId: link.auditId,
      });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  const findings = domainOrder(audits)
    .map((key): DomainFinding => {
      const figures = distributionOf(audits.flatMap((a) => (a.grades[key] ? [a.grades[key]] : [])));
      const cases = audits
        .filter((a) => WEAK.includes(a.grades[key]))
        .map((a) => ({ auditId: a.auditId, caseRef: a.caseRef, grade: a.grades[key] }));
      // An action may answer several findings (several audits, or several domains): once per domain here.
      const answering = [
        ...new Map(
          links
            .filter((l) => l.domain === key && actions.has(l.actionId))
            .map((l) => [l.actionId, { ...actions.get(l.actionId)!, auditId: l.auditId }] as const),
        ).values(),
      ];
      const answered = answering.length
        ? `answered by ${answering.length === 1 ? '1 action' : `${answering.length} actions`}: ${answering.map((a) => `"${a.title}"`).join(', ')}`
        : 'no improvement action answers it yet';
      const weak = `${cases.length} ${cases.length === 1 ? 'case' : 'cases'} requires improvement or inadequate`;
      return {
        domain: key,
        title: title(key),
        figures,
        cases,
        actions: answering,
        text: `${title(key)}: ${goodOrBetterText(figures)}; ${weak}; ${answered}`,
      };
    })
    .filter((f) => f.cases.length > 0 || f.actions.length > 0);
  return { programmeId, title: programme.title, audited: audits.length, findings };
}

export interface ProgrammeComparisonView extends AuditSetComparison {
  programme: { programmeId: string; title: string; kind: string; reAuditOf: string | null; audited: number };
  with: { programmeId: string; title: string; kind: string; audited: number };
  /** True when the programme was created as a re-audit of the one it is compared with. */
  isReAuditOfIt: boolean;
}

/** A programme compared with an earlier one (`with`), domain by domain and case by case. */
export async function programmeComparison(
  queries: QueryBus,
  programmeId: string,
  withId: string,
  viewerId: string,
  teamScope: string[] | null,
): Promise<ProgrammeComparisonView> {
  const [later, earlier] = await Promise.all([programmeOrThrow(queries, programmeId), programmeOrThrow(queries, withId)]);
  const scope = teamScope ? { teamIds: teamScope } : {};
  const [laterAudits, earlierAudits] = await Promise.all([
    gradedAudits(queries, { programmeId, ...scope }, viewerId),
    gradedAudits(queries, { programmeId: withId, ...scope }, viewerId),
  ]);
  const comparison = compareAuditSets(earlierAudits, laterAudits, await domainTitles(queries));
  return {
    programme: { programmeId, title: later.title, kind: later.kind, reAuditOf: later.reAuditOf, audited: laterAudits.length },
    with: { programmeId: withId, title: earlier.title, kind: earlier.kind, audited: earlierAudits.length },
    isReAuditOfIt: later.reAuditOf === withId,
    ...comparison,
  };
}

export interface ReAuditView {
  auditId: string;
  caseRef: string;
  auditedOn: string;
  /** The latest earlier audit of the same case the viewer may see (null when this is the case's first). */
  earlier: { auditId: string; auditedOn: string; programmeId: string | null } | null;
  /** Later audits of the same case. */
  later: { auditId: string; auditedOn: string; programmeId: string | null }[];
  /** Each domain's change since the earlier audit ("Management oversight: inadequate → good"); empty without one. */
  changes: DomainChange[];
  overall: { from: string; to: string; text: string } | null;
}

/** An audit linked to the other audits of the same case: the read side's re-audit link. */
export async function reAuditOf(
  queries: QueryBus,
  auditId: string,
  viewerId: string,
  teamScope: string[] | null,
): Promise<ReAuditView> {
  const on = businessToday();
  const audit = await queries.execute(new GetAuditQuery(auditId, viewerId, on));
  const others = (await queries.execute(new CaseAuditsQuery(audit.caseRef))).filter(
    (a) => a.auditId !== auditId && (teamScope === null || teamScope.includes(a.teamId)),
  );
  const before = others.filter((a) => a.auditedOn < audit.auditedOn || (a.auditedOn === audit.auditedOn && a.auditId < auditId));
  const after = others.filter((a) => !before.includes(a));
  const link = (a: { auditId: string; auditedOn: string; programmeId: string | null }) => ({
    auditId: a.auditId,
    auditedOn: a.auditedOn,
    programmeId: a.programmeId,
  });
  const earlierRow = before.at(-1) ?? null;
  let changes: DomainChange[] = [];
  let overall: ReAuditView['overall'] = null;
  if (earlierRow) {
    const earlier = await queries.execute(new GetAuditQuery(earlierRow.auditId, viewerId, on));
    const graded = (v: typeof audit): GradedAudit | null =>
      v.blind || v.effectiveOverallGrade === null
        ? null
        : {
            auditId: v.auditId,
            caseRef: v.caseRef,
            teamId: v.teamId,
            auditedOn: v.auditedOn,
            programmeId: v.programmeId,
            overall: v.effectiveOverallGrade,
            domains: v.domains,
            grades: v.effectiveDomainGrades ?? {},
          };
    const [from, to] = [graded(earlier), graded(audit)];
    if (from && to) {
      changes = auditChanges(from, to, await domainTitles(queries));
      overall = {
        from: from.overall,
        to: to.overall,
        text: `Overall: ${GRADE_WORDS[from.overall]} → ${GRADE_WORDS[to.overall]}`,
      };
    }
  }
  return {
    auditId,
    caseRef: audit.caseRef,
    auditedOn: audit.auditedOn,
    earlier: earlierRow ? link(earlierRow) : null,
    later: after.map(link),
    changes,
    overall,
  };
}
