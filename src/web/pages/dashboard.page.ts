import { Get } from '@nestjs/common';
import { financialQuarter, type FinancialQuarter } from '@casetrail/kernel';
import type { Ratings } from '../../audits';
import { businessToday } from '../../core';
import { RecordAccess } from '../../auth';
import { BAR_HEIGHT, CHART_GRADES, gradeChart } from '../grade-chart';
import { teamSelectItems } from '../forms';
import { Page, PageIn, Pages, PageController } from '../kit';

const NONE = { count: 0, percent: 0 };

/** The financial quarter holding `day` and the ones before it, oldest first. */
function lastQuarters(day: string, count: number): FinancialQuarter[] {
  const quarters = [financialQuarter(day)];
  while (quarters.length < count) {
    const before = new Date(`${quarters[0].from}T00:00:00Z`);
    before.setUTCDate(0); // the last day of the month before
    quarters.unshift(financialQuarter(before.toISOString().slice(0, 10)));
  }
  return quarters;
}
const NO_AUDITS: Ratings = {
  audits: 0,
  overall: { outstanding: NONE, good: NONE, requiresImprovement: NONE, inadequate: NONE },
  goodOrBetterPercent: null,
  domains: {},
};

/**
 * One team or all teams (a team manager: their own): grades of submitted audits, outstanding and
 * overdue audit actions, open and overdue disputes, improvement-plan RAG counts. Every figure
 * comes from the API's own read routes.
 */
@PageController('dashboard')
export class DashboardController extends Pages {
  constructor(private readonly access: RecordAccess) {
    super();
  }

  @Get()
  async show(@PageIn() page: Page): Promise<void> {
    const { request } = page;
    const scope = request.teamScope ?? null;
    const allTeams = (await this.useCases.teams.list({})).filter((t) => !scope || scope.includes(t.teamId));
    const chosen = typeof page.query.teamId === 'string' ? allTeams.find((t) => t.teamId === page.query.teamId) : undefined;
    const teams = chosen ? [chosen] : allTeams;

    const [ratings, disputes, plans] = await Promise.all([
      this.useCases.audits.ratings({}, request),
      this.useCases.disputes.list({ status: 'open' }, page.scope),
      this.useCases.plans.listPlans(),
    ]);
    const ratingsOf = new Map(ratings.teams.map((r) => [r.teamId, r]));
    // A team with no submitted audit yet still gets its (empty) row.
    const chartRows: { label: string; ratings: Ratings }[] = teams.map((t) => ({
      label: t.name,
      ratings: ratingsOf.get(t.teamId) ?? NO_AUDITS,
    }));
    // "All teams" only for roles that see all teams, and only when no single team is chosen.
    if (!chosen && !scope) chartRows.push({ label: 'All teams', ratings: ratings.allTeams });

    const actions = await Promise.all(teams.map((t) => this.useCases.audits.teamActions({ teamId: t.teamId }, {}, request)));
    const teamRows = teams.map((t, i) => {
      const open = disputes.filter((d) => d.teamId === t.teamId);
      return {
        team: t,
        outstandingActions: actions[i].length,
        overdueActions: actions[i].filter((a) => a.overdue).length,
        openDisputes: open.length,
        overdueDisputes: open.filter((d) => d.overdue).length,
      };
    });
    // Only the plans whose status the API would give this person (a team manager: their teams' or their own).
    const visiblePlans = await this.access.filter('GET /api/v1/plans/:id/status', page.principal, plans, (p) => p.planId);
    const planStatuses = await Promise.all(visiblePlans.map((p) => this.useCases.plans.status({ id: p.planId }, {})));

    // % good or better in each of the last four financial quarters (to the day the page is judged on).
    const quarters = lastQuarters(businessToday(), 4);
    const byQuarter = await Promise.all(quarters.map((q) => this.useCases.audits.ratings({ from: q.from, to: q.to }, request)));
    const quarterColumns = chartRows.map((row) => row.label);
    const quarterRows = quarters.map((q, i) => {
      const of = new Map(byQuarter[i].teams.map((r) => [r.teamId, r]));
      const cells = teams.map((t) => of.get(t.teamId) ?? NO_AUDITS);
      if (!chosen && !scope) cells.push(byQuarter[i].allTeams);
      return { label: q.label, cells: cells.map((r) => ({ audits: r.audits, percent: r.goodOrBetterPercent })) };
    });

    // Indicator RAG: the chosen team's scorecard, or the council-wide one.
    const scorecard = await this.useCases.indicators.scorecard({ ...(chosen ? { teamId: chosen.teamId } : {}) });
    const indicatorRag = { red: 0, amber: 0, green: 0, noValue: 0 };
    for (const line of scorecard.indicators) indicatorRag[line.rag ?? 'noValue']++;

    this.render(page, 'dashboard.njk', {
      title: chosen ? `Dashboard: ${chosen.name}` : 'Dashboard',
      chosen,
      teamItems: teamSelectItems(allTeams, chosen?.teamId, scope ? 'All my teams' : 'All teams'),
      chart: gradeChart(chartRows),
      barHeight: BAR_HEIGHT,
      grades: CHART_GRADES,
      teamRows,
      plans: planStatuses,
      quarterColumns,
      quarterRows,
      indicatorRag,
      indicatorCount: scorecard.indicators.length,
      // Blind moderation (rule 8): the audits waiting for the viewer's moderation are left out of every figure here.
      awaitingYourModeration: chosen
        ? (ratingsOf.get(chosen.teamId)?.awaitingYourModeration ?? 0)
        : teams.reduce((sum, t) => sum + (ratingsOf.get(t.teamId)?.awaitingYourModeration ?? 0), 0),
    });
  }
}
