import { Controller, Get, Query, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { parsePeriod } from '@casetrail/kernel';
import { ScorecardParams } from '../../../indicators';
import { csv, sendCsv } from '../../csv';
import { filled } from '../../forms';
import { inputPipe, Page, PageIn, Pages, type Input } from '../../kit';
import { hrefWith } from '../../page-helpers';
import { WebErrorFilter } from '../../web-errors.filter';
import {
  directionText,
  formatValue,
  RAG_TAG,
  series,
  shortAggregate,
  TREND_LENGTH,
  trendLine,
  trendWords,
} from './indicator-views';

const filterInput = inputPipe(ScorecardParams, (query) => filled(query, ['teamId', 'period']));
const CSV_COLUMNS = [
  ...['code', 'name', 'unit', 'polarity', 'frequency', 'teamId', 'period', 'value', 'numerator', 'denominator'],
  ...['corrected', 'target', 'tolerance', 'rag', 'previousPeriod', 'previousValue', 'direction'],
];

/**
 * The performance scorecard: indicators with value, target, RAG and direction of travel. The teams whose
 * figures the caller may see are AuthGuard's from the route's rule (the API's own): `teamScope`, null for every team.
 */
@ApiExcludeController()
@UseFilters(WebErrorFilter)
@Controller()
export class ScorecardPage extends Pages {
  @Get('scorecard')
  async scorecard(@PageIn() page: Page, @Query(filterInput) input: Input<ScorecardParams>): Promise<void> {
    const filters = input.values;
    const { result: card, error } = await this.read(input, (dto) => this.useCases.indicators.scorecard(dto), null);
    const scope = page.request.teamScope ?? null;
    // A team manager chooses among their own teams (another team's scorecard answers 404, as in the API).
    const teams = (await this.useCases.teams.list({ includeClosed: 'true' })).filter((t) => scope?.includes(t.teamId) ?? true);
    const upTo = card?.period ? parsePeriod(card.period)?.to : undefined;
    const lines = await Promise.all(
      (card?.indicators ?? []).map(async (line) => {
        const detail = await this.useCases.indicators.get({ code: line.code }, scope);
        const points = series(detail.measurements, card?.teamId ?? undefined, upTo)
          .slice(-TREND_LENGTH)
          .map((m) => ({ period: m.period, value: m.value }));
        return {
          ...line,
          valueText: !line.latest ? 'No value yet' : line.measured ? formatValue(line.latest.value, line.unit) : 'Not measured',
          targetText: formatValue(line.target, line.unit),
          polarityText: line.polarity === 'higher-is-better' ? 'Higher is better' : 'Lower is better',
          tag: line.latest && !line.measured ? { text: 'Not measured', classes: 'govuk-tag--grey' } : RAG_TAG[line.rag ?? 'none'],
          direction: directionText(line),
          trend: trendLine(points, 120, 32, 4),
          trendLabel: trendWords(points, line.unit),
          targetFor: line.targetFor === 'team' ? 'team target' : null,
          aggregates: [
            shortAggregate('Year to date', line.yearToDate, line.unit),
            shortAggregate('12 months', line.rolling12Months, line.unit),
          ].filter((t): t is string => t !== null),
          comparatorTexts: line.comparators.map((c) => `${c.text} ${formatValue(c.value, line.unit)} (${c.year})`),
        };
      }),
    );
    const context = {
      title: 'Scorecard',
      card,
      lines,
      filters,
      csvHref: hrefWith('/scorecard.csv', filters),
      teamItems: [
        { value: '', text: 'Council-wide' },
        ...teams.map((t) => ({ value: t.teamId, text: t.name, selected: filters.teamId === t.teamId })),
      ],
    };
    this.render(page, 'scorecard/list.njk', context, this.problems(error, { labels: { teamId: 'Team', period: 'Period' } }));
  }

  @Get('scorecard.csv')
  async scorecardCsv(@PageIn() page: Page, @Query(filterInput) input: Input<ScorecardParams>): Promise<void> {
    if (!input.dto) throw input.error;
    const card = await this.useCases.indicators.scorecard(input.dto);
    const rows = card.indicators.map(({ latest, previous, ...line }) => ({
      ...line,
      teamId: card.teamId ?? '',
      period: latest?.period,
      value: latest?.value,
      numerator: latest?.numerator,
      denominator: latest?.denominator,
      corrected: latest?.corrected,
      previousPeriod: previous?.period,
      previousValue: previous?.value,
    }));
    sendCsv(page.response, 'scorecard.csv', csv(CSV_COLUMNS, rows));
  }
}
