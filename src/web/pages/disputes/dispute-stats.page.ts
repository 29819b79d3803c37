import { Get } from '@nestjs/common';
import { addDays, dayInWords, financialQuarter, financialYearStart, parsePeriod, type LocalDate } from '@casetrail/kernel';
import { businessToday, InvalidInputException } from '../../../core';
import { type DisputePeriodStats, StatsParams, DISPUTE_CATEGORIES, DISPUTE_OUTCOMES } from '../../../disputes';
import { csv, sendCsv } from '../../csv';
import { filled, teamSelectItems } from '../../forms';
import { inputPipe, Page, PageIn, Pages, type Input, PageController } from '../../kit';
import { hrefWith } from '../../page-helpers';
import { words } from '../../views';
import { OUTCOME_TEXT } from './dispute.page';

type Item = { value: string; text: string; selected?: boolean };

/** "2026/27 Q3" -> its days; a financial year "2026/27" -> April to March. */
function periodDays(label: string): { from: LocalDate; to: LocalDate } | undefined {
  const year = /^(\d{4})\/(\d{2})$/.exec(label);
  if (year && (Number(year[1]) + 1) % 100 === Number(year[2])) {
    return { from: `${year[1]}-04-01`, to: `${Number(year[1]) + 1}-03-31` };
  }
  const quarter = parsePeriod(label);
  return quarter?.frequency === 'quarterly' ? { from: quarter.from, to: quarter.to } : undefined;
}

/**
 * The periods offered on the statistics page, newest first: each financial year from the one of the
 * earliest DR (at least the last three, at most ten) with its quarters that have begun.
 */
function statsPeriodItems(today: LocalDate, earliest: LocalDate | undefined, chosen: string): Item[] {
  const items: Item[] = [];
  const thisYear = financialYearStart(today);
  const firstYear = Math.max(thisYear - 9, Math.min(thisYear - 2, earliest ? financialYearStart(earliest) : thisYear));
  for (let year = thisYear; year >= firstYear; year--) {
    const label = `${year}/${String((year + 1) % 100).padStart(2, '0')}`;
    items.push({ value: label, text: `${label} (whole financial year)` });
    for (let q = 4; q >= 1; q--) {
      const quarter = financialQuarter(addDays(`${year}-04-01`, (q - 1) * 92));
      if (quarter.from <= today)
        items.push({ value: quarter.label, text: `${quarter.label} (${dayInWords(quarter.from)} to ${dayInWords(quarter.to)})` });
    }
  }
  if (!items.some((item) => item.value === chosen)) items.unshift({ value: chosen, text: chosen });
  return items.map((item) => ({ ...item, selected: item.value === chosen }));
}

/** The measures of the statistics table and CSV, in order: [column, row heading, value]. */
function statsMeasures(stats: DisputePeriodStats): [string, string, number | string][] {
  const within = stats.resolvedWithinFormalTarget;
  const median = stats.medianWorkingDaysToResolve;
  return [
    ['raisedInformal', 'Raised informally', stats.raised.informal],
    ['raisedFormal', 'Became formal', stats.raised.formal],
    ['resolved', 'Resolved', stats.resolved],
    ['resolvedFormal', 'Formal DRs resolved', within.resolvedFormal],
    ['resolvedWithinTarget', 'Formal DRs resolved within the formal target', within.count],
    ['percentWithinTarget', 'Percentage resolved within the formal target', within.percent === null ? '' : within.percent],
    ['medianWorkingDaysToResolve', 'Median working days from raising to resolution', median === null ? '' : median],
    ['cafcassReferrals', 'Referrals to Cafcass', stats.cafcassReferrals],
    ['goodPracticeAlerts', 'Good-practice alerts', stats.goodPracticeAlerts],
  ];
}

/** The chosen period (this quarter when none) and team, as the API's StatsParams. */
async function statsParams(
  page: Page,
  message: string,
): Promise<{ period: string; team: { teamId?: unknown }; input: Input<StatsParams> }> {
  const chosen = filled(page.query, ['period', 'teamId']);
  const period = typeof chosen.period === 'string' ? chosen.period : financialQuarter(businessToday()).label;
  const days = periodDays(period);
  const team = chosen.teamId ? { teamId: chosen.teamId } : {};
  const input = days
    ? await inputPipe(StatsParams, () => ({ ...days, ...team })).transform({})
    : { values: {}, dto: null, error: new InvalidInputException([{ field: 'period', problems: [message] }]) };
  return { period, team, input };
}

/** Dispute resolution statistics by quarter, with a CSV. */
@PageController('disputes')
export class DisputeStatsPage extends Pages {
  @Get('stats')
  async stats(@PageIn() page: Page): Promise<void> {
    const chosen = await statsParams(page, 'Choose a financial year or quarter');
    const { result: stats, error } = await this.read(chosen.input, (dto) => this.useCases.disputes.stats(dto, page.scope), null);
    const problems = this.problems(error, { labels: { teamId: 'Team', period: 'Period' } });
    const [teams, visible, protocols] = await Promise.all([
      this.useCases.teams.list({ includeClosed: 'true' }),
      this.useCases.disputes.list({}, page.scope),
      this.useCases.disputeProtocols.list(),
    ]);
    // A stage's title from the newest protocol that has it.
    const stageTitle = new Map(protocols.flatMap((p) => p.stages.map((st) => [st.key, st.title] as const)));
    const columns = stats ? stats.quarters.map((q) => ({ heading: q.quarter, stats: q })) : [];
    if (stats && stats.quarters.length > 1)
      columns.push({ heading: 'Total', stats: { ...stats.totals, quarter: 'Total', from: stats.from, to: stats.to } });
    const stages = new Set(columns.flatMap((c) => Object.keys(c.stats.highestStageReached)));
    const context = {
      title: 'Dispute resolution statistics',
      stats,
      period: chosen.period,
      columns: columns.map((c) => ({
        heading: c.heading,
        // What each cell shows: "None" where there is nothing to take a median or percentage of.
        cells: statsMeasures(c.stats).map(([column, , v]) =>
          v === '' ? 'None' : column === 'percentWithinTarget' ? `${v}%` : String(v),
        ),
        stats: c.stats,
      })),
      measureNames: stats ? statsMeasures(stats.totals).map(([, name]) => name) : [],
      categories: DISPUTE_CATEGORIES.map((c) => ({ key: c, text: words(c) })),
      outcomes: DISPUTE_OUTCOMES.map((o) => ({ key: o, text: OUTCOME_TEXT[o] })),
      stages: [...stages].map((key) => ({ key, text: stageTitle.get(key) ?? words(key) })),
      csvHref: hrefWith('/disputes/stats.csv', { period: chosen.period, ...chosen.team }),
      periodItems: statsPeriodItems(businessToday(), visible[0]?.raisedOn, chosen.period),
      teamItems: teamSelectItems(teams, chosen.team.teamId, 'All teams'),
    };
    this.render(page, 'disputes/stats.njk', context, problems);
  }

  @Get('stats.csv')
  async statsCsv(@PageIn() page: Page): Promise<void> {
    const chosen = await statsParams(page, 'Period must be a financial year or quarter');
    if (!chosen.input.dto) throw chosen.input.error;
    const stats = await this.useCases.disputes.stats(chosen.input.dto, page.scope);
    const rows = [...stats.quarters, { ...stats.totals, quarter: 'Total', from: stats.from, to: stats.to }].map((q) => ({
      quarter: q.quarter,
      from: q.from,
      to: q.to,
      ...Object.fromEntries(statsMeasures(q).map(([column, , value]) => [column, value])),
      ...Object.fromEntries(DISPUTE_CATEGORIES.map((c) => [`category:${c}`, q.byCategory[c]])),
      ...Object.fromEntries(Object.entries(q.highestStageReached).map(([stage, n]) => [`highestStage:${stage}`, n])),
    }));
    const stageColumns = [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => k.startsWith('highestStage:'))))];
    const measures = statsMeasures(stats.totals).map(([column]) => column);
    const columns = ['quarter', 'from', 'to', ...measures, ...DISPUTE_CATEGORIES.map((c) => `category:${c}`), ...stageColumns];
    sendCsv(page.response, 'dispute-statistics.csv', csv(columns, rows));
  }
}
