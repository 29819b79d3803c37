/**
 * Composes the quarterly board report from other contexts' queries only (QueryBus), inside
 * whatever as-at scope the request runs in: it recomputes nothing those queries already answer
 * (plan and indicator RAG, direction of travel, audit ratings, dispute statistics).
 */
import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { parsePeriod, type FinancialQuarter } from '@casetrail/kernel';
import { AllRatingsQuery, ListTeamAuditActionsQuery, TeamRatingsQuery, type AuditActionView, type Ratings } from '../audits';
import { type DisputePeriodStats, DisputeStatsQuery } from '../disputes';
import {
  GetIndicatorQuery,
  ScorecardQuery,
  ListPlansQuery,
  PlanStatusQuery,
  TeamOutstandingActionsQuery,
  type ActionStatusView,
} from '../improvement';
import { ListTeamsQuery } from '../teams';
import { ListUsersQuery } from '../users';
import { count, med, pct, text, type BoardReport, type Cell, type ReportSection, type ReportTable } from './board-report.model';
import type { PeriodView } from './periods.service';
import { previousFinancialYear, previousQuarter, sameQuarterLastYear } from './quarters';

export interface BuildInput {
  quarter: FinancialQuarter;
  teamId: string | null;
  /** The knowledge time and the position it reads up to. */
  asAt: string;
  position: bigint;
  /** The business day the time-dependent figures are for (the quarter's last day, or today within it). */
  on: string;
  /** Who asks: audits waiting for their blind moderation stay out of the figures. */
  viewerId: string;
  period: PeriodView;
  checkpoint: BoardReport['checkpoint'];
}

const RAG_WORDS: Record<string, string> = {
  red: 'red',
  amber: 'amber',
  green: 'green',
  grey: 'not started',
  blue: 'complete',
};
const INDICATOR_RAG_WORDS: Record<string, string> = {
  green: 'on target',
  amber: 'near target (within tolerance)',
  red: 'off target',
};
const GRADES: [keyof Ratings['overall'], string][] = [
  ['outstanding', 'Outstanding'],
  ['good', 'Good'],
  ['requiresImprovement', 'Requires improvement'],
  ['inadequate', 'Inadequate'],
];

const table = (
  id: string,
  title: string,
  columns: string[],
  rows: Cell[][],
  empty: string,
  sums?: ReportTable['sums'],
): ReportTable => ({ id, title, columns, rows, empty, ...(sums ? { sums } : {}) });

@Injectable()
export class BoardReportBuilder {
  constructor(private readonly queries: QueryBus) {}

  async build(input: BuildInput): Promise<Omit<BoardReport, 'audience' | 'marking' | 'suppressionThreshold'>> {
    const { quarter, teamId } = input;
    const teams = await this.queries.execute(new ListTeamsQuery(true));
    const teamName = new Map(teams.map((t) => [t.teamId, t.name]));
    const users = await this.queries.execute(new ListUsersQuery());
    const userName = new Map(users.map((u) => [u.userId, u.name]));
    const owner = (a: { ownerId: string | null; ownerAgency?: string | null }): string =>
      a.ownerId ? (userName.get(a.ownerId) ?? a.ownerId) : (a.ownerAgency ?? '');
    const inScope = teamId ? teams.filter((t) => t.teamId === teamId) : teams.filter((t) => t.status === 'open');

    const sections: ReportSection[] = [
      await this.headline(input, owner),
      await this.performance(input),
      await this.auditQuality(
        input,
        inScope.map((t) => t.teamId),
        teamName,
      ),
      await this.disputes(input),
      await this.outstanding(
        input,
        inScope.map((t) => t.teamId),
        teamName,
      ),
    ];
    return {
      title: `Quarterly board report: ${quarter.label}${teamId ? `, ${teamName.get(teamId) ?? teamId}` : ''}`,
      quarter: quarter.label,
      from: quarter.from,
      to: quarter.to,
      on: input.on,
      teamId,
      teamName: teamId ? (teamName.get(teamId) ?? teamId) : null,
      asAt: input.asAt,
      position: input.position.toString(),
      checkpoint: input.checkpoint,
      closed: input.period.closed,
      sections,
    };
  }

  /** 1. Plan progress by priority, red and amber actions with their reasons, recommendations past their timescale. */
  private async headline(input: BuildInput, owner: (a: ActionStatusView) => string): Promise<ReportSection> {
    const { teamId, on } = input;
    const plans = await this.queries.execute(new ListPlansQuery());
    const byPriority: Cell[][] = [];
    const exceptions: Cell[][] = [];
    const pastTimescale: Cell[][] = [];
    const totals = { red: 0, amber: 0, green: 0, grey: 0, blue: 0, total: 0 };
    for (const plan of plans) {
      const status = await this.queries.execute(new PlanStatusQuery(plan.planId, on));
      const actions = status.actions.filter((a) => !teamId || a.teamIds.includes(teamId));
      const priorityTitle = new Map(status.priorities.map((p) => [p.priorityId, p.title]));
      for (const priority of status.priorities) {
        // The plan context's RAG per action, counted for the actions in scope.
        const mine = actions.filter((a) => a.priorityId === priority.priorityId);
        if (teamId && mine.length === 0) continue;
        const c = { red: 0, amber: 0, green: 0, grey: 0, blue: 0, total: mine.length };
        for (const a of mine) c[a.rag]++;
        for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += c[k];
        byPriority.push([
          text(status.title),
          text(priority.title),
          count(c.red),
          count(c.amber),
          count(c.green),
          count(c.grey),
          count(c.blue),
          count(c.total),
        ]);
      }
      for (const a of actions.filter((x) => x.rag === 'red' || x.rag === 'amber')) {
        exceptions.push([
          text(a.title),
          text(priorityTitle.get(a.priorityId) ?? a.priorityId),
          text(owner(a)),
          text(a.dueOn),
          text(RAG_WORDS[a.rag]),
          text([...a.reasons, ...(a.escalation ? [a.escalation] : [])].join('; ')),
        ]);
      }
      for (const r of status.recommendations.filter((x) => !x.met && x.dueOn < on)) {
        if (teamId && !r.actionIds.some((id) => actions.some((a) => a.actionId === id))) continue;
        pastTimescale.push([text(status.title), text(r.text), text(r.dueOn), text(RAG_WORDS[r.rag]), text(r.reasons.join('; '))]);
      }
    }
    if (byPriority.length) {
      byPriority.push([
        text('All plans'),
        text('Total'),
        count(totals.red),
        count(totals.amber),
        count(totals.green),
        count(totals.grey),
        count(totals.blue),
        count(totals.total),
      ]);
    }
    return {
      id: 'headline',
      title: '1. Headline: plan progress',
      paragraphs: [
        `Improvement actions by priority on ${on}: red, amber and green as the plan's RAG rules give them, ` +
          'grey not yet started, blue complete.',
      ],
      tables: [
        table(
          'plan-progress-by-priority',
          'Plan progress by priority',
          ['Plan', 'Priority', 'Red', 'Amber', 'Green', 'Not started', 'Complete', 'Total'],
          byPriority,
          'No improvement plan is recorded.',
          { rowTotals: true, columnTotals: true },
        ),
        table(
          'red-and-amber-actions',
          'Red and amber actions',
          ['Action', 'Priority', 'Owner', 'Due', 'RAG', 'Why'],
          exceptions,
          'No action is red or amber.',
        ),
        table(
          'recommendations-past-timescale',
          'Recommendations past their timescale',
          ['Plan', 'Recommendation', 'To be met by', 'RAG', 'Why'],
          pastTimescale,
          'No recommendation is past its timescale.',
        ),
      ],
    };
  }

  /** 2. Each indicator against its target, in words, with the direction of travel and the last four periods. */
  private async performance(input: BuildInput): Promise<ReportSection> {
    const { quarter, teamId } = input;
    const card = await this.queries.execute(new ScorecardQuery(teamId ?? undefined, parsePeriod(quarter.label)));
    const rows: Cell[][] = [];
    for (const line of card.indicators) {
      const detail = await this.queries.execute(new GetIndicatorQuery(line.code));
      const lastFour = detail.measurements
        .filter((m) => (m.teamId ?? null) === teamId && m.periodTo <= quarter.to)
        .sort((a, b) => a.periodTo.localeCompare(b.periodTo))
        .slice(-4)
        .map((m) => `${m.period}: ${m.value}`)
        .join('; ');
      rows.push([
        text(line.name),
        text(line.latest ? `${line.latest.value} (${line.latest.period})` : 'no value'),
        text(`${line.target} (${line.bands.green})`),
        text(line.rag ? INDICATOR_RAG_WORDS[line.rag] : (line.note ?? 'not measured')),
        text(line.direction ?? '–'),
        text(lastFour || '–'),
      ]);
    }
    return {
      id: 'performance',
      title: '2. Performance against target',
      paragraphs: [
        `Indicators for ${quarter.label}${teamId ? '' : ' (council-wide figures)'}, each against the target in force.`,
      ],
      tables: [
        table(
          'performance',
          'Performance against target',
          ['Indicator', 'Latest value', 'Target (green)', 'RAG', 'Direction of travel', 'Last four periods'],
          rows,
          'No indicator is defined.',
        ),
      ],
    };
  }

  /** 3. Audits completed, overall grades against last quarter, % good or better by team, weakest domains, immediate reviews. */
  private async auditQuality(input: BuildInput, teamIds: string[], teamName: Map<string, string>): Promise<ReportSection> {
    const { quarter, teamId, viewerId, on } = input;
    const last = previousQuarter(quarter);
    const rated = async (q: FinancialQuarter): Promise<{ all: Ratings; teams: (Ratings & { teamId: string })[] }> => {
      const filter = { from: q.from, to: q.to };
      if (teamId) {
        const one = await this.queries.execute(new TeamRatingsQuery(teamId, filter, viewerId));
        return { all: one, teams: [one] };
      }
      const all = await this.queries.execute(new AllRatingsQuery(filter, viewerId));
      return { all: all.allTeams, teams: all.teams };
    };
    const now = await rated(quarter);
    const before = await rated(last);
    const grades: Cell[][] = GRADES.map(([key, label]) => [
      text(label),
      count(now.all.overall[key].count),
      count(before.all.overall[key].count),
    ]);
    grades.push([text('Total'), count(now.all.audits), count(before.all.audits)]);
    const byTeam: Cell[][] = now.teams.map((t) => {
      const good = t.overall.outstanding.count + t.overall.good.count;
      return [text(teamName.get(t.teamId) ?? t.teamId), count(t.audits), count(good), pct(t.goodOrBetterPercent, good, t.audits)];
    });
    const weakest = Object.entries(now.all.domains)
      .map(([domain, d]) => ({ domain, n: d.requiresImprovement.count + d.inadequate.count }))
      .filter((d) => d.n > 0)
      .sort((a, b) => b.n - a.n || a.domain.localeCompare(b.domain))
      .slice(0, 5)
      .map((d): Cell[] => [text(d.domain), count(d.n)]);

    const reviews: Cell[][] = [];
    const sum = { raised: 0, onTime: 0, open: 0 };
    for (const id of teamIds) {
      const all: AuditActionView[] = [
        ...(await this.queries.execute(new ListTeamAuditActionsQuery(id, undefined, on, viewerId))),
        ...(await this.queries.execute(new ListTeamAuditActionsQuery(id, 'completed', on, viewerId))),
      ].filter((a) => a.immediateReview && a.raisedOn >= quarter.from && a.raisedOn <= quarter.to);
      if (!all.length) continue;
      const onTime = all.filter((a) => a.status === 'completed' && !a.completedLate).length;
      const open = all.filter((a) => a.status === 'open').length;
      const late = all.length - onTime - open;
      sum.raised += all.length;
      sum.onTime += onTime;
      sum.open += open;
      reviews.push([text(teamName.get(id) ?? id), count(onTime), count(late), count(open), count(all.length)]);
    }
    if (reviews.length) {
      reviews.push([
        text('Total'),
        count(sum.onTime),
        count(sum.raised - sum.onTime - sum.open),
        count(sum.open),
        count(sum.raised),
      ]);
    }
    return {
      id: 'audit-quality',
      title: '3. Audit quality',
      paragraphs: [
        `${now.all.audits} case audits completed in ${quarter.label} (${before.all.audits} in ${last.label}); ` +
          `${now.all.goodOrBetterPercent ?? '–'}% good or better.`,
      ],
      tables: [
        table('audit-grades', 'Overall grades', ['Grade', quarter.label, last.label], grades, 'No audit was completed.', {
          rowTotals: false,
          columnTotals: true,
        }),
        table(
          'audit-good-or-better-by-team',
          '% good or better by team',
          ['Team', 'Audits', 'Good or better', '%'],
          byTeam,
          'No audit was completed.',
        ),
        table(
          'audit-weakest-domains',
          'Domains most often graded requires improvement or inadequate',
          ['Domain', 'Audits'],
          weakest,
          'No domain was graded requires improvement or inadequate.',
        ),
        table(
          'immediate-reviews',
          'Immediate reviews raised in the quarter',
          ['Team', 'Closed on time', 'Closed late', 'Still open', 'Raised'],
          reviews,
          'No immediate review was raised.',
          { rowTotals: true, columnTotals: true },
        ),
      ],
    };
  }

  /** 4. Disputes: this quarter, the same quarter a year before and the whole previous financial year. */
  private async disputes(input: BuildInput): Promise<ReportSection> {
    const { quarter, teamId } = input;
    const a = sameQuarterLastYear(quarter);
    const y = previousFinancialYear(quarter);
    const stats = async (from: string, to: string): Promise<DisputePeriodStats> =>
      (await this.queries.execute(new DisputeStatsQuery(from, to, teamId ?? undefined, null))).totals;
    const periods = [await stats(quarter.from, quarter.to), await stats(a.from, a.to), await stats(y.from, y.to)];
    const columns = ['', quarter.label, a.label, `${y.label} (year)`];
    const row = (label: string, pick: (s: DisputePeriodStats) => Cell): Cell[] => [text(label), ...periods.map(pick)];
    const categories = [
      ...new Set(periods.flatMap((s) => Object.keys(s.byCategory).filter((k) => s.byCategory[k as never] > 0))),
    ].sort();
    const stages = [...new Set(periods.flatMap((s) => Object.keys(s.highestStageReached)))].sort();
    return {
      id: 'disputes',
      title: '4. Dispute resolution',
      paragraphs: [
        `Disputes raised informally and formally in ${quarter.label}, against ${a.label} and the whole of ${y.label}. ` +
          'Working days exclude weekends and bank holidays; the formal target is 20 working days.',
      ],
      tables: [
        table(
          'disputes-summary',
          'Disputes raised and resolved',
          columns,
          [
            row('Raised informally', (s) => count(s.raised.informal)),
            row('Became formal', (s) => count(s.raised.formal)),
            row('Resolved', (s) => count(s.resolved)),
            row('Formal, resolved within the target', (s) => count(s.resolvedWithinFormalTarget.count)),
            row('% of formal resolved within the target', (s) =>
              pct(
                s.resolvedWithinFormalTarget.percent,
                s.resolvedWithinFormalTarget.count,
                s.resolvedWithinFormalTarget.resolvedFormal,
              ),
            ),
            row('Median working days to resolve', (s) => med(s.medianWorkingDaysToResolve, s.resolved)),
            row('Referred to Cafcass', (s) => count(s.cafcassReferrals)),
          ],
          'No dispute is recorded.',
        ),
        table(
          'disputes-by-category',
          'Disputes raised by category',
          columns,
          categories.map((c) => row(c, (s) => count(s.byCategory[c as never] ?? 0))),
          'No dispute was raised.',
        ),
        table(
          'disputes-highest-stage',
          'Highest stage reached by the disputes raised',
          columns,
          stages.map((st) => row(st, (s) => count(s.highestStageReached[st] ?? 0))),
          'No dispute was raised.',
        ),
      ],
    };
  }

  /** 5. Outstanding actions by team, late changes to closed quarters, and what the board is asked to note or decide. */
  private async outstanding(input: BuildInput, teamIds: string[], teamName: Map<string, string>): Promise<ReportSection> {
    const { on, viewerId, period } = input;
    const rows: Cell[][] = [];
    const overdue: Cell[][] = [];
    const sum = { improvement: 0, audit: 0, overdue: 0 };
    for (const id of teamIds) {
      const view = await this.queries.execute(new TeamOutstandingActionsQuery(id, on, viewerId));
      const t = view.totals;
      sum.improvement += t.improvementActions;
      sum.audit += t.auditActions;
      sum.overdue += t.overdue;
      rows.push([text(teamName.get(id) ?? id), count(t.improvementActions), count(t.auditActions), count(t.total)]);
      overdue.push([text(teamName.get(id) ?? id), count(t.overdue)]);
    }
    if (rows.length) {
      rows.push([text('Total'), count(sum.improvement), count(sum.audit), count(sum.improvement + sum.audit)]);
      overdue.push([text('Total'), count(sum.overdue)]);
    }
    const late = period.lateChanges.map((c): Cell[] => [
      text(c.quarter),
      text(c.businessDate),
      text(c.commandType),
      text(c.recordedAt),
      text(c.reason),
    ]);
    return {
      id: 'outstanding',
      title: '5. Outstanding actions and decisions',
      paragraphs: [
        `Open improvement and audit actions by team on ${on}.`,
        ...(period.notes
          ? [`The board is asked to note or decide: ${period.notes}`]
          : ['No notes or decisions were entered for this report.']),
      ],
      tables: [
        table(
          'outstanding-by-team',
          'Outstanding actions by team',
          ['Team', 'Improvement actions', 'Audit actions', 'Total'],
          rows,
          'No team is in scope.',
          { rowTotals: true, columnTotals: true },
        ),
        table('overdue-by-team', 'Overdue actions by team', ['Team', 'Overdue'], overdue, 'No team is in scope.', {
          rowTotals: false,
          columnTotals: true,
        }),
        table(
          'late-changes',
          'Late changes to closed quarters',
          ['Quarter', 'Business date', 'Change', 'Recorded', 'Reason'],
          late,
          'No change was recorded into a closed quarter.',
        ),
      ],
    };
  }
}
