import type { QueryBus } from '@nestjs/cqrs';
import { counted, dayInWords, parsePeriod, ruleBroken, periodInWords } from '@casetrail/kernel';
import { FindProgrammeQuery } from '../audits';
import { DisputeStatsQuery } from '../disputes';
import { ScorecardQuery, GetActionQuery, ListPlansQuery, PlanStatusQuery, TeamOutstandingActionsQuery } from '../improvement';
import { ListTeamsQuery, serviceIdOf } from '../teams';
import { domainTitles, gradedAudits } from './audit-reading';
import { compareAuditSets } from './comparison';
import { countsText, distributionOf, goodOrBetterText, percent2, percentText } from './impact-figures';
import { impactView } from './impact-view';
import { ActionFindingsQuery } from './impact.queries';
import { programmeFindings } from './programme-views';

export class DraftPeriodNotQuarter extends ruleBroken(
  'DRAFT_PERIOD_NOT_QUARTER',
  (period: string) => `A self-assessment is quarterly: its period looks like "2020/21 Q1", not "${period}".`,
) {}
export class DraftServiceHasNoTeams extends ruleBroken(
  'DRAFT_SERVICE_HAS_NO_TEAMS',
  (service: string) => `No team belongs to the service "${service}", so there is nothing to draft its self-assessment from.`,
) {}

export type DraftPart = 'whatWeKnow' | 'howWeKnow' | 'whatNext';

export interface DraftSource {
  part: DraftPart;
  /** The figure or record in words. */
  label: string;
  /** A link to the record or figure, as at the draft's day. */
  href: string;
}

export interface DraftSentence {
  part: DraftPart;
  text: string;
  sources: { label: string; href: string }[];
}

export interface SelfEvaluationDraft {
  service: string;
  period: string;
  from: string;
  to: string;
  /** The day the figures are as at: the quarter's last day, or today while it runs. */
  on: string;
  teamIds: string[];
  /** The three parts as plain text, each sentence followed by its sources' links: ready to edit and record. */
  whatWeKnow: string;
  howWeKnow: string;
  whatNext: string;
  sentences: DraftSentence[];
  /** Every source, ready to pass to POST /api/v1/self-assessments with the edited parts. */
  sources: DraftSource[];
}

/**
 * The draft's sentences that count something, in words: one case, two cases; "1 was resolved", not "1 were".
 * Pure, so that their words are tested on their own.
 */
export const draftWords = {
  auditsCompleted: (count: number, period: string): string =>
    `${counted(count, 'case audit was', 'case audits were')} completed in ${period}`,
  casesInBoth: (cases: number, improved: number, declined: number): string =>
    `of the ${counted(cases, 'case')} audited in both, ${improved} improved and ${declined} declined`,
  disputes: (
    raised: { formal: number; informal: number },
    resolved: number,
    withinTarget: { count: number; resolvedFormal: number },
    period: string,
  ): string =>
    `${raised.formal} formal and ${raised.informal} informal dispute resolutions were raised about children of the service's teams in ${period}; ` +
    `${counted(resolved, 'was', 'were')} resolved` +
    (withinTarget.resolvedFormal
      ? `, ${withinTarget.count} of ${counted(withinTarget.resolvedFormal, 'formal one')} within the target (${percentText(percent2(withinTarget.count, withinTarget.resolvedFormal))}).`
      : '.'),
  /** An indicator's value with its unit: "75%", "1 day", "12 days", "31.5 per 10,000". */
  measure: (value: number, unit: string): string =>
    unit === 'percent'
      ? `${value}%`
      : unit === 'days'
        ? counted(value, 'day')
        : unit === 'rate-per-10k'
          ? `${value} per 10,000`
          : `${value}`,
  programmeAudited: (kind: string, title: string, count: number, period: string): string =>
    `The ${kind} audit programme "${title}": ${counted(count, 'case')} audited in ${period}.`,
  planProgress: (title: string, completed: number, total: number, on: string): string =>
    `The improvement plan "${title}": ${completed} of ${counted(total, 'action')} for the service's teams completed by ${dayInWords(on)}.`,
};

const query = (params: Record<string, string>): string => new URLSearchParams(params).toString();

/**
 * Drafts a service's quarterly self-assessment from the record: template-built plain sentences,
 * each citing the record or figure it came from. No claim is made that the record does not make.
 */
export async function draftSelfEvaluation(
  queries: QueryBus,
  service: string,
  period: string,
  today: string,
  viewerId: string,
): Promise<SelfEvaluationDraft> {
  const quarter = parsePeriod(period);
  if (!quarter || quarter.frequency !== 'quarterly') throw new DraftPeriodNotQuarter(period);
  const { from, to } = quarter;
  const on = to < today ? to : today;
  const teams = (await queries.execute(new ListTeamsQuery(true))).filter((t) => serviceIdOf(t.service) === service);
  if (!teams.length) throw new DraftServiceHasNoTeams(service);
  const teamIds = teams.map((t) => t.teamId).sort();
  const sentences: DraftSentence[] = [];
  const say = (part: DraftPart, text: string, ...sources: { label: string; href: string }[]): void => {
    sentences.push({ part, text, sources });
  };
  const title = await domainTitles(queries);

  // ---- What we know: audits, their change, actions' before and after, indicators, disputes.
  const audits = await gradedAudits(queries, { teamIds, from, to }, viewerId);
  const overall = distributionOf(audits.map((a) => a.overall));
  const programmeIds = [...new Set(audits.map((a) => a.programmeId).filter((p): p is string => p !== null))].sort();
  if (audits.length) {
    say(
      'whatWeKnow',
      `${draftWords.auditsCompleted(audits.length, period)}: ${countsText(overall)}; ` + `${goodOrBetterText(overall)}.`,
      { label: `Case audits of the service's teams, ${period}`, href: `/api/v1/audits?${query({ from, to })}` },
    );
  } else {
    say('whatWeKnow', `No case audit of the service's teams was completed in ${period}.`, {
      label: `Case audits of the service's teams, ${period}`,
      href: `/api/v1/audits?${query({ from, to })}`,
    });
  }
  for (const programmeId of programmeIds) {
    const programme = await queries.execute(new FindProgrammeQuery(programmeId));
    if (!programme?.reAuditOf) continue;
    const earlierProgramme = await queries.execute(new FindProgrammeQuery(programme.reAuditOf));
    const later = audits.filter((a) => a.programmeId === programmeId);
    const earlier = await gradedAudits(queries, { programmeId: programme.reAuditOf, teamIds }, viewerId);
    const comparison = compareAuditSets(earlier, later, title);
    const href = `/api/v1/audit-programmes/${programmeId}/comparison?${query({ with: programme.reAuditOf })}`;
    for (const domain of comparison.domains) {
      const { earlier: e, later: l } = domain;
      if (e.graded === 0 || l.graded === 0) continue;
      if (
        e.goodOrBetter.count * l.graded === l.goodOrBetter.count * e.graded &&
        domain.cases.improved + domain.cases.declined === 0
      )
        continue;
      say(
        'whatWeKnow',
        `${domain.title}: ${percentText(l.good.percent)} good in the re-audit "${programme.title}" (${l.good.count} of ${l.graded}), ` +
          `against ${percentText(e.good.percent)} (${e.good.count} of ${e.graded}) in "${earlierProgramme?.title ?? programme.reAuditOf}"; ` +
          `${draftWords.casesInBoth(comparison.cases.length, domain.cases.improved, domain.cases.declined)}.`,
        { label: `${domain.title}: ${domain.text.slice(domain.title.length + 2)}`, href },
      );
    }
  }
  // Actions raised from audit findings for the service's teams, completed by the draft's day: before and after.
  const links = await queries.execute(new ActionFindingsQuery({}));
  // An action may answer several findings: once per action and domain.
  const said = new Set<string>();
  for (const link of links) {
    if (said.has(`${link.actionId}|${link.domain}`)) continue;
    said.add(`${link.actionId}|${link.domain}`);
    const action = await queries.execute(new GetActionQuery(link.actionId));
    if (!action.teamIds.some((t) => teamIds.includes(t))) continue;
    const view = await impactView(queries, { actionId: link.actionId }, on, viewerId, teamIds);
    const impact = view.actions[0];
    const grades = impact?.gradesByDomain.find((g) => g.domain === link.domain);
    if (!impact || !grades || impact.completedOn === null || !grades.after || grades.after.graded === 0) continue;
    say(
      'whatWeKnow',
      `Before the action "${impact.title}" was completed on ${dayInWords(impact.completedOn)}, ${grades.title.toLowerCase()} was ` +
        `good in ${grades.before.good.count} of ${counted(grades.before.graded, 'audit')} (${percentText(grades.before.good.percent)}); after it, in ` +
        `${grades.after.good.count} of ${grades.after.graded} (${percentText(grades.after.good.percent)}). These are figures before and after, not a measure of what caused the change.`,
      {
        label: `${grades.title}: ${percentText(grades.before.good.percent)} good before, ${percentText(grades.after.good.percent)} after`,
        href: `/api/v1/impact?${query({ actionId: impact.actionId, on })}`,
      },
    );
  }
  const scorecard = await queries.execute(new ScorecardQuery(undefined, quarter));
  const measured = scorecard.indicators.filter((line) => line.measured && line.latest);
  for (const line of measured) {
    const direction = line.direction
      ? `, ${line.direction} since ${line.previous ? periodInWords(line.previous.period) : 'the value before'}`
      : '';
    say(
      'whatWeKnow',
      `${line.name}: ${draftWords.measure(line.latest!.value, line.unit)} in ${periodInWords(line.latest!.period)} against a target of ${draftWords.measure(line.target, line.unit)} (${line.rag ?? 'no colour'}${direction}).`,
      { label: `${line.name}, ${periodInWords(line.latest!.period)}`, href: `/api/v1/indicators/${line.code}` },
    );
  }
  const disputes = await queries.execute(new DisputeStatsQuery(from, to, undefined, teamIds));
  const t = disputes.totals;
  say('whatWeKnow', draftWords.disputes(t.raised, t.resolved, t.resolvedWithinFormalTarget, period), {
    label: `Dispute resolutions, ${period}`,
    href: `/api/v1/disputes/stats?${query({ from, to })}`,
  });

  // ---- How we know it: where the figures come from.
  if (programmeIds.length) {
    for (const programmeId of programmeIds) {
      const programme = await queries.execute(new FindProgrammeQuery(programmeId));
      const count = audits.filter((a) => a.programmeId === programmeId).length;
      say('howWeKnow', draftWords.programmeAudited(programme?.kind ?? '', programme?.title ?? programmeId, count, period), {
        label: `Audit programme "${programme?.title ?? programmeId}"`,
        href: `/api/v1/audit-programmes/${programmeId}/summary`,
      });
    }
  }
  const outside = audits.filter((a) => a.programmeId === null).length;
  if (outside) {
    say('howWeKnow', `${counted(outside, 'case audit')} outside any audit programme.`, {
      label: `Case audits of the service's teams, ${period}`,
      href: `/api/v1/audits?${query({ from, to })}`,
    });
  }
  say('howWeKnow', `The performance scorecard for ${period}: ${counted(measured.length, 'indicator')} measured.`, {
    label: `Scorecard, ${period}`,
    href: `/api/v1/scorecard?${query({ period })}`,
  });
  say('howWeKnow', `Dispute resolutions raised by IROs and conference chairs, and how they were resolved.`, {
    label: `Dispute resolutions, ${period}`,
    href: `/api/v1/disputes/stats?${query({ from, to })}`,
  });

  // ---- What we will do next: the improvement plans' actions for the service's teams.
  const plans = await queries.execute(new ListPlansQuery());
  for (const plan of plans) {
    const status = await queries.execute(new PlanStatusQuery(plan.planId, on));
    const ours = status.actions.filter((a) => a.teamIds.some((team) => teamIds.includes(team)) && a.startOn <= on);
    if (!ours.length) continue;
    const completed = ours.filter((a) => a.completedOn !== null).length;
    const overdue = ours.filter((a) => a.completedOn === null && a.dueOn < on);
    say('howWeKnow', draftWords.planProgress(plan.title, completed, ours.length, on), {
      label: `Improvement plan "${plan.title}" as on ${dayInWords(on)}`,
      href: `/api/v1/plans/${plan.planId}/status?${query({ on })}`,
    });
    for (const action of ours.filter((a) => a.completedOn === null && a.dueOn >= on)) {
      say('whatNext', `Complete "${action.title}" by ${dayInWords(action.dueOn)} (${action.rag}).`, {
        label: `Action "${action.title}"`,
        href: `/api/v1/actions/${action.actionId}?${query({ on })}`,
      });
    }
    for (const action of overdue) {
      say(
        'whatNext',
        `"${action.title}" was due on ${dayInWords(action.dueOn)} and is overdue: agree a new date or escalate it.`,
        {
          label: `Overdue action "${action.title}"`,
          href: `/api/v1/actions/${action.actionId}?${query({ on })}`,
        },
      );
    }
  }
  // Findings of the quarter's programmes that no improvement action answers yet.
  for (const programmeId of programmeIds) {
    const { title: programmeTitle, findings } = await programmeFindings(queries, programmeId, viewerId, teamIds);
    for (const finding of findings.filter((f) => f.actions.length === 0)) {
      say(
        'whatNext',
        `${finding.title} in "${programmeTitle}": ${counted(finding.cases.length, 'case was', 'cases were')} ` +
          'graded requires improvement or inadequate and no improvement action answers the finding yet.',
        { label: `Findings of "${programmeTitle}"`, href: `/api/v1/audit-programmes/${programmeId}/findings` },
      );
    }
  }
  // Audit actions are to be addressed within a month: outstanding and overdue ones per team are a headline figure.
  for (const team of teams.filter((t) => t.status !== 'closed')) {
    const outstanding = await queries.execute(new TeamOutstandingActionsQuery(team.teamId, on, viewerId));
    const auditActions = outstanding.items.filter((item) => item.kind === 'audit-action');
    const overdue = auditActions.filter((item) => item.overdue).length;
    say(
      'whatNext',
      auditActions.length
        ? `${team.name}: address the ${counted(auditActions.length, 'outstanding audit action')} ` +
            `(${overdue} overdue on ${dayInWords(on)}).`
        : `${team.name}: no outstanding audit actions on ${dayInWords(on)}.`,
      {
        label: `${team.name}: outstanding actions on ${dayInWords(on)}`,
        href: `/api/v1/teams/${team.teamId}/outstanding-actions?${query({ on })}`,
      },
    );
  }
  if (!sentences.some((s) => s.part === 'whatNext')) {
    say('whatNext', `No open improvement action is recorded for the service's teams as on ${dayInWords(on)}.`, {
      label: 'Improvement plans',
      href: '/api/v1/plans',
    });
  }

  const text = (part: DraftPart): string =>
    sentences
      .filter((s) => s.part === part)
      .map((s) => `${s.text} (source: ${s.sources.map((source) => source.href).join(', ')})`)
      .join('\n');
  return {
    service,
    period,
    from,
    to,
    on,
    teamIds,
    whatWeKnow: text('whatWeKnow'),
    howWeKnow: text('howWeKnow'),
    whatNext: text('whatNext'),
    sentences,
    sources: sentences.flatMap((s) => s.sources.map((source) => ({ part: s.part, ...source }))),
  };
}
