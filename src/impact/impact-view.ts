import type { QueryBus } from '@nestjs/cqrs';
import { dayInWords, indicatorRag, NotFoundError, type IndicatorRag, notFound, ruleBroken } from '@casetrail/kernel';
import { GetIndicatorQuery, GetActionQuery, ListPlansQuery, PlanStatusQuery, type ActionStatusView } from '../improvement';
import { domainTitles, gradedAudits, type GradedAudit } from './audit-reading';
import { distributionOf, percentText, type Distribution } from './impact-figures';
import { ActionFindingsQuery } from './impact.queries';

export class ImpactSubjectRequired extends ruleBroken(
  'IMPACT_SUBJECT_REQUIRED',
  () =>
    'Name one action (actionId), one recommendation (recommendationId), one priority (priorityId with its planId) ' +
    'or one plan (planId) to show the impact of.',
) {}
export class PriorityNotFound extends notFound(
  'PRIORITY_NOT_FOUND',
  (priorityId: string) => `The plan has no priority "${priorityId}".`,
) {}
export class PriorityNeedsPlan extends ruleBroken(
  'PRIORITY_NEEDS_PLAN',
  () => "Name the plan of the priority (planId): a priority's id is its plan's own.",
) {}
export class RecommendationNotFound extends notFound(
  'RECOMMENDATION_NOT_FOUND',
  (recommendationId: string) => `There is no recommendation "${recommendationId}" in any improvement plan.`,
) {}

export interface IndicatorValueView {
  period: string;
  periodTo: string;
  value: number;
  /** The council's target in force for that period. */
  target: number;
  rag: IndicatorRag;
  /** Measured on or before the action's completion ("before"), or after it ("after"); "open" while it is not completed. */
  when: 'before' | 'after' | 'open';
}

export interface GradesBeforeAfter {
  domain: string;
  title: string;
  /** The teams whose audits are counted: the action's. */
  teamIds: string[];
  /** Audits on or before the day of completion (every audit up to `on` while the action is open). */
  before: Distribution & { from: string | null; to: string | null; audits: number };
  /** Audits after the day of completion, up to `on` (null while the action is not completed). */
  after: (Distribution & { from: string | null; to: string | null; audits: number }) | null;
  /** The figures in words: "before" and "after", never a cause. */
  text: string;
}

export interface ActionImpactView {
  actionId: string;
  planId: string;
  title: string;
  teamIds: string[];
  recommendationIds: string[];
  rag: string;
  reasons: string[];
  dueOn: string;
  completedOn: string | null;
  /** The first finding the action answers (the one it was raised from, if any), null when none. */
  finding: { auditId: string; domain: string } | null;
  /** Every finding the action answers: raised from, then linked, oldest first. */
  findings: { auditId: string; domain: string }[];
  indicator: { code: string; name: string; unit: string; polarity: string; values: IndicatorValueView[] } | null;
  /** The grades of the first finding's domain (see `gradesByDomain` for every domain its findings name). */
  grades: GradesBeforeAfter | null;
  /** The grades before and after of each domain the action's findings name, once per domain. */
  gradesByDomain: GradesBeforeAfter[];
}

export interface ImpactView {
  on: string;
  subject: { kind: 'action' | 'recommendation' | 'priority' | 'plan'; id: string; planIds: string[] };
  counts: { total: number; red: number; amber: number; green: number; grey: number; blue: number; completed: number };
  actions: ActionImpactView[];
  /** Said once, on every view. */
  caution: string;
}

export const CAUTION =
  'These are figures before and after each action was completed. They do not show that the action caused any change: ' +
  'other things changed too, and the cases audited before and after may differ.';

/** Which actions a request is about, each with its plan's status of it on the day `on`. */
async function actionsOf(
  queries: QueryBus,
  subject: { actionId?: string; recommendationId?: string; priorityId?: string; planId?: string },
  on: string,
): Promise<{ kind: ImpactView['subject']['kind']; id: string; actions: ActionStatusView[]; planIds: string[] }> {
  if (subject.actionId) {
    const row = await queries.execute(new GetActionQuery(subject.actionId));
    const status = await queries.execute(new PlanStatusQuery(row.planId, on));
    return {
      kind: 'action',
      id: subject.actionId,
      actions: status.actions.filter((a) => a.actionId === subject.actionId),
      planIds: [row.planId],
    };
  }
  if (subject.recommendationId) {
    const planIds = subject.planId ? [subject.planId] : (await queries.execute(new ListPlansQuery())).map((p) => p.planId);
    const actions: ActionStatusView[] = [];
    const found: string[] = [];
    for (const planId of planIds) {
      const status = await queries.execute(new PlanStatusQuery(planId, on));
      const recommendation = status.recommendations.find((r) => r.recommendationId === subject.recommendationId);
      if (!recommendation) continue;
      found.push(planId);
      actions.push(...status.actions.filter((a) => a.recommendationIds.includes(subject.recommendationId!)));
    }
    if (!found.length) throw new RecommendationNotFound(subject.recommendationId);
    return { kind: 'recommendation', id: subject.recommendationId, actions, planIds: found };
  }
  if (subject.priorityId) {
    if (!subject.planId) throw new PriorityNeedsPlan();
    const status = await queries.execute(new PlanStatusQuery(subject.planId, on));
    if (!status.priorities.some((p) => p.priorityId === subject.priorityId)) throw new PriorityNotFound(subject.priorityId);
    const actions = status.actions.filter((a) => a.priorityId === subject.priorityId);
    return { kind: 'priority', id: subject.priorityId, actions, planIds: [subject.planId] };
  }
  if (subject.planId) {
    const status = await queries.execute(new PlanStatusQuery(subject.planId, on));
    return { kind: 'plan', id: subject.planId, actions: status.actions, planIds: [subject.planId] };
  }
  throw new ImpactSubjectRequired();
}

/** The council-wide values of an indicator up to `on`, each against the target then in force. */
async function indicatorValues(
  queries: QueryBus,
  code: string,
  completedOn: string | null,
  on: string,
): Promise<ActionImpactView['indicator']> {
  try {
    const indicator = await queries.execute(new GetIndicatorQuery(code));
    const spells = [...indicator.targets].sort((a, b) => a.from.localeCompare(b.from));
    const values = indicator.measurements
      .filter((m) => m.teamId === null && m.periodTo <= on)
      .map((m): IndicatorValueView => {
        const spell = spells.filter((s) => s.from <= m.periodTo).at(-1) ?? spells[0];
        const target = spell?.target ?? indicator.target;
        const tolerance = spell?.tolerance ?? indicator.tolerance;
        return {
          period: m.period,
          periodTo: m.periodTo,
          value: m.value,
          target,
          rag: indicatorRag(m.value, target, tolerance, indicator.polarity),
          when: completedOn === null ? 'open' : m.periodTo <= completedOn ? 'before' : 'after',
        };
      });
    return { code, name: indicator.name, unit: indicator.unit, polarity: indicator.polarity, values };
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

const span = (days: string[]): { from: string | null; to: string | null } => ({
  from: days.length ? days[0] : null,
  to: days.length ? days[days.length - 1] : null,
});

/** "3 of 16 good (18.75%)" */
const goodText = (d: Distribution): string =>
  d.graded === 0 ? 'no graded cases' : `${d.good.count} of ${d.graded} good (${percentText(d.good.percent)})`;

/**
 * The grades of the domain an action's finding names, in the audits of the action's teams before
 * and after the action's completion, as on the day `on`.
 */
async function gradesBeforeAfter(
  reading: AuditReading,
  action: ActionStatusView,
  domain: string,
  on: string,
  teamScope: string[] | null,
): Promise<GradesBeforeAfter> {
  const teamIds = teamScope ? action.teamIds.filter((t) => teamScope.includes(t)) : action.teamIds;
  const title = (await reading.titles())(domain);
  const audits = await reading.auditsOf(teamIds, on);
  const graded = audits.filter((a) => a.grades[domain] !== undefined);
  const completedOn = action.completedOn;
  const beforeAudits = completedOn === null ? graded : graded.filter((a) => a.auditedOn <= completedOn);
  const afterAudits = completedOn === null ? null : graded.filter((a) => a.auditedOn > completedOn);
  const before = {
    ...distributionOf(beforeAudits.map((a) => a.grades[domain])),
    ...span(beforeAudits.map((a) => a.auditedOn)),
    audits: beforeAudits.length,
  };
  const after = afterAudits
    ? {
        ...distributionOf(afterAudits.map((a) => a.grades[domain])),
        ...span(afterAudits.map((a) => a.auditedOn)),
        audits: afterAudits.length,
      }
    : null;
  const text =
    completedOn === null
      ? `${title}: ${goodText(before)} in audits up to ${dayInWords(on)}; the action was not completed by then, so there is no "after" yet.`
      : `${title}: before the action was completed on ${dayInWords(completedOn)}, ${goodText(before)}; after, ${
          after && after.graded > 0 ? goodText(after) : 'no audits yet'
        }.`;
  return { domain, title, teamIds, before, after, text };
}

/** The audits and domain titles one view reads, each read once however many actions share them. */
interface AuditReading {
  titles(): Promise<(key: string) => string>;
  auditsOf(teamIds: string[], on: string): Promise<GradedAudit[]>;
}

function auditReading(queries: QueryBus, viewerId: string): AuditReading {
  let titles: Promise<(key: string) => string> | undefined;
  const audits = new Map<string, Promise<GradedAudit[]>>();
  return {
    titles: () => (titles ??= domainTitles(queries)),
    auditsOf(teamIds, on) {
      if (!teamIds.length) return Promise.resolve([]);
      const key = `${[...teamIds].sort().join(',')}|${on}`;
      if (!audits.has(key)) audits.set(key, gradedAudits(queries, { teamIds, to: on }, viewerId));
      return audits.get(key)!;
    },
  };
}

export async function impactView(
  queries: QueryBus,
  subject: { actionId?: string; recommendationId?: string; priorityId?: string; planId?: string },
  on: string,
  viewerId: string,
  teamScope: string[] | null,
): Promise<ImpactView> {
  const { kind, id, actions, planIds } = await actionsOf(queries, subject, on);
  const findings = actions.length
    ? await queries.execute(new ActionFindingsQuery({ actionIds: actions.map((a) => a.actionId) }))
    : [];
  const reading = auditReading(queries, viewerId);
  const views: ActionImpactView[] = [];
  for (const action of actions) {
    const row = await queries.execute(new GetActionQuery(action.actionId));
    const answered = findings
      .filter((f) => f.actionId === action.actionId)
      .map((f) => ({ auditId: f.auditId, domain: f.domain }));
    const domains = [...new Set(answered.map((f) => f.domain))];
    const gradesByDomain: GradesBeforeAfter[] = [];
    for (const domain of domains) gradesByDomain.push(await gradesBeforeAfter(reading, action, domain, on, teamScope));
    views.push({
      actionId: action.actionId,
      planId: row.planId,
      title: action.title,
      teamIds: action.teamIds,
      recommendationIds: action.recommendationIds,
      rag: action.rag,
      reasons: action.reasons,
      dueOn: action.dueOn,
      completedOn: action.completedOn,
      finding: answered[0] ?? null,
      findings: answered,
      indicator: row.indicatorCode ? await indicatorValues(queries, row.indicatorCode, action.completedOn, on) : null,
      grades: gradesByDomain[0] ?? null,
      gradesByDomain,
    });
  }
  const count = (rag: string): number => actions.filter((a) => a.rag === rag).length;
  return {
    on,
    subject: { kind, id, planIds },
    counts: {
      total: actions.length,
      red: count('red'),
      amber: count('amber'),
      green: count('green'),
      grey: count('grey'),
      blue: count('blue'),
      completed: actions.filter((a) => a.completedOn !== null).length,
    },
    actions: views,
    caution: CAUTION,
  };
}
