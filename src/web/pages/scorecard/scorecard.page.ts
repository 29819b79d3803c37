import { Body, Get, Post, Query } from '@nestjs/common';
import { FREQUENCIES, INDICATOR_UNITS, parsePeriod, POLARITIES } from '@casetrail/kernel';
import { DefineIndicatorDto, ScorecardParams } from '../../../improvement';
import { csv, sendCsv } from '../../csv';
import { filled, noProblems, teamSelectItems } from '../../forms';
import { inputPipe, Page, PageIn, Pages, type Input, PageController } from '../../kit';
import { hrefWith } from '../../page-helpers';
import {
  directionText,
  formatValue,
  numberInput,
  POLARITY_TEXT,
  toleranceText,
  UNIT_TEXT,
  RAG_TAG,
  series,
  shortAggregate,
  TREND_LENGTH,
  trendLine,
  trendWords,
} from './indicator-views';

const DEFINE_FIELDS = ['code', 'name', 'unit', 'polarity', 'target', 'tolerance', 'frequency'];
const defineInput = numberInput(DefineIndicatorDto, (body) => filled(body, DEFINE_FIELDS), ['target', 'tolerance']);
/** The define form's messages, written for the page (the DTO's are the API's). */
const DEFINE_WORDS = {
  code: 'Enter a code of 2 to 40 lower-case letters, numbers or hyphens, for example contacts-24h',
  name: "Enter the indicator's name",
  unit: 'Choose what the indicator is measured in',
  polarity: 'Choose whether a higher or a lower value is better',
  target: 'Enter the target as a number, for example 95',
  tolerance: 'Enter how far short of the target is still amber, as a number, for example 5 (or 0 for no amber)',
  frequency: 'Choose how often it is measured',
};
const FREQUENCY_TEXT: Record<string, string> = {
  weekly: 'Weekly',
  monthly: 'Monthly',
  quarterly: 'Quarterly (financial quarters)',
};
const filterInput = inputPipe(ScorecardParams, (query) => filled(query, ['teamId', 'period']));
const CSV_COLUMNS =
  'code name unit polarity frequency teamId period value numerator denominator corrected target tolerance rag previousPeriod previousValue direction';

/**
 * The performance scorecard: indicators with value, target, RAG and direction of travel. The teams whose
 * figures the caller may see are AuthGuard's from the route's rule (the API's own): `teamScope`, null for every team.
 */
@PageController()
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
          amberText: toleranceText(line.tolerance, line.unit, line.polarity),
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
      mayDefine: page.may('POST /api/v1/indicators'),
      done: page.done === 'defined' ? 'Indicator defined.' : undefined,
      card,
      lines,
      filters,
      csvHref: hrefWith('/scorecard.csv', filters),
      teamItems: teamSelectItems(teams, filters.teamId, 'Council-wide'),
    };
    this.render(page, 'scorecard/list.njk', context, this.problems(error, { labels: { teamId: 'Team', period: 'Period' } }));
  }

  /** Defining an indicator: its code, name, unit, which way is better, target and amber band, and how often it is measured. */
  @Get('scorecard/indicators/new')
  async defineForm(@PageIn() page: Page): Promise<void> {
    this.showDefine(page, {});
  }

  @Post('scorecard/indicators/new')
  async define(@PageIn() page: Page, @Body(defineInput) input: Input<DefineIndicatorDto>): Promise<void> {
    await this.submit(page, input, {
      send: (dto, context) => this.useCases.indicators.define(dto, context),
      to: () => `/scorecard/${encodeURIComponent(String(input.values.code))}?done=defined`,
      show: async (problems) => this.showDefine(page, input.values, problems),
      reword: DEFINE_WORDS,
      fieldOf: { INDICATOR_ALREADY_DEFINED: 'code', PERCENT_OUT_OF_RANGE: 'target', AGGREGATION_NOT_ALLOWED: 'unit' },
    });
  }

  private showDefine(page: Page, values: Record<string, unknown>, problems = noProblems()): void {
    const radios = (choices: readonly string[], text: Record<string, string>, field: string) =>
      choices.map((c) => ({ value: c, text: text[c], checked: values[field] === c }));
    this.render(
      page,
      'scorecard/define.njk',
      {
        title: 'Define an indicator',
        values,
        unitItems: radios(INDICATOR_UNITS, UNIT_TEXT, 'unit'),
        polarityItems: radios(POLARITIES, POLARITY_TEXT, 'polarity'),
        frequencyItems: radios(FREQUENCIES, FREQUENCY_TEXT, 'frequency'),
      },
      problems,
    );
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
