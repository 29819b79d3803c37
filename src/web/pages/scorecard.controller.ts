import { Controller, Get, Inject, Param, Post, Req, Res, UseFilters, type Type } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  aggregateMonths,
  AGGREGATIONS,
  COMPARATOR_TEXT,
  COMPARATORS,
  defaultAggregation,
  DomainError,
  parsePeriod,
  rollingYearWindow,
  RuleBrokenError,
  targetBands,
  yearToDateWindow,
  type AggregateValue,
  type Aggregation,
  type IndicatorUnit,
} from '@casetrail/kernel';
import {
  ChangeAggregationDto,
  ChangeTargetDto,
  CodeParam,
  CorrectMeasurementDto,
  RecordComparatorDto,
  RecordMeasurementDto,
  ScorecardParams,
  SetTeamTargetDto,
  type IndicatorDetailView,
  type ScorecardLineView,
  type MeasurementRow,
} from '../../indicators';
import { InvalidInputException } from '../../core';
import { ListUsersQuery } from '../../users';
import { ApiControllers } from '../api-controllers';
import { csv, sendCsv } from '../csv';
import { dateItems, dayFromParts, partsOfDay } from '../dates';
import { filled, noProblems, problemsFrom, submitForm, validated, type FormProblems } from '../forms';
import { hrefWith, mayManage, type SignedIn } from '../page-helpers';
import { words } from '../views';
import { WebErrorFilter } from '../web-errors.filter';
import { WebViews } from '../web-views';
import { pageContext } from './sign-in.controller';

type Item = { value: string; text: string; selected?: boolean };

const RAG_TAG: Record<string, { text: string; classes: string }> = {
  green: { text: 'Green: on target', classes: 'govuk-tag--green' },
  amber: { text: 'Amber: within tolerance', classes: 'govuk-tag--orange' },
  red: { text: 'Red: off target', classes: 'govuk-tag--red' },
  none: { text: 'No value yet', classes: 'govuk-tag--grey' },
};
const DIRECTION_WORDS: Record<string, string> = { improving: 'Improving', declining: 'Getting worse', unchanged: 'No change' };
const PERIOD_EXAMPLE: Record<string, string> = { weekly: '2026-W23', monthly: '2026-06', quarterly: '2026/27 Q1' };
/** Values a trend line and its table show: the latest periods, oldest first. */
const TREND_LENGTH = 8;

/**
 * The teams whose figures the caller may see, as AuthGuard set them from the route's rule (the API's
 * own): null for every team; a team manager's own teams otherwise. Pages pass it to the same API
 * handlers, so a page never shows more than the API would.
 */
const scopeOf = (request: SignedIn): string[] | null => request.teamScope ?? null;
const inScope = (request: SignedIn, teamId: string): boolean => scopeOf(request)?.includes(teamId) ?? true;

const mayMeasure = (request: SignedIn): boolean => mayManage(request) || request.principal.role === 'team-manager';

const NUMBER = /^\s*\d+(\.\d+)?\s*$/;
/** A form's number box: a plain decimal becomes a number; anything else is left for the DTO to refuse. */
const numberOf = (value: unknown): unknown => (typeof value === 'string' && NUMBER.test(value) ? Number(value) : value);

/**
 * Validates a form with number boxes: the DTO's own rules, except that a box holding no number at all
 * is told so ("must be a number") rather than the first range rule it fails.
 */
async function validatedNumbers<T extends object>(
  dto: Type<T>,
  raw: Record<string, unknown>,
  numbers: readonly string[],
): Promise<T> {
  const plain = { ...raw, ...Object.fromEntries(numbers.map((f) => [f, numberOf(raw[f])])) };
  try {
    return await validated(dto, plain);
  } catch (error) {
    if (!(error instanceof InvalidInputException)) throw error;
    const notNumbers = numbers.filter((f) => raw[f] !== undefined && typeof plain[f] !== 'number');
    throw new InvalidInputException(
      error.fields.map((f) =>
        notNumbers.includes(f.field) ? { field: f.field, problems: [`${f.field} must be a number, for example 68.1`] } : f,
      ),
    );
  }
}

/** 68.1 percent -> "68.1%"; 36 per 10,000 -> "36 per 10,000"; days and counts with their word. */
export function formatValue(value: number | null | undefined, unit: IndicatorUnit): string {
  if (value === null || value === undefined) return '';
  const n = value.toLocaleString('en-GB', { maximumFractionDigits: 2 });
  switch (unit) {
    case 'percent':
      return `${n}%`;
    case 'rate-per-10k':
      return `${n} per 10,000`;
    case 'days':
      return `${n} day${value === 1 ? '' : 's'}`;
    default:
      return n;
  }
}

/** The error messages re-keyed by the form's own field ids (several forms share DTO field names on one page). */
function keyedBy(problems: FormProblems, idOf: (field: string) => string): FormProblems {
  return {
    errors: Object.fromEntries(Object.entries(problems.errors).map(([field, text]) => [idOf(field), text])),
    errorList: problems.errorList,
  };
}

interface TrendPoint {
  period: string;
  value: number;
}

/** A line through the values, scaled to the box; null with fewer than two values. */
function trendLine(
  points: TrendPoint[],
  width: number,
  height: number,
  pad: number,
  extra: number[] = [],
): { points: string; dots: { x: number; y: number; period: string; value: number }[]; yOf: (v: number) => number } | null {
  if (points.length < 2) return null;
  const values = [...points.map((p) => p.value), ...extra];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const x = (i: number): number => Math.round((pad + (i * (width - 2 * pad)) / (points.length - 1)) * 10) / 10;
  const yOf = (v: number): number => Math.round((height - pad - ((v - min) * (height - 2 * pad)) / span) * 10) / 10;
  const dots = points.map((p, i) => ({ x: x(i), y: yOf(p.value), period: p.period, value: p.value }));
  return { points: dots.map((d) => `${d.x},${d.y}`).join(' '), dots, yOf };
}

/** What a trend line says, for those who cannot see it. */
function trendWords(points: TrendPoint[], unit: IndicatorUnit): string {
  if (points.length === 0) return 'No values recorded yet.';
  const last = points[points.length - 1];
  if (points.length === 1) return `One value so far: ${formatValue(last.value, unit)} in ${last.period}.`;
  const first = points[0];
  const way = last.value > first.value ? 'rising' : last.value < first.value ? 'falling' : 'level';
  const values = points.map((p) => p.value);
  return (
    `Trend over the last ${points.length} periods, ${way}: from ${formatValue(first.value, unit)} in ${first.period} ` +
    `to ${formatValue(last.value, unit)} in ${last.period}; lowest ${formatValue(Math.min(...values), unit)}, ` +
    `highest ${formatValue(Math.max(...values), unit)}.`
  );
}

/** One team's (or the council-wide) series, oldest first, ending with the latest period on or before `upTo`. */
function series(measurements: MeasurementRow[], teamId: string | undefined, upTo?: string): MeasurementRow[] {
  return measurements
    .filter((m) => (m.teamId ?? undefined) === teamId && (!upTo || m.periodTo <= upTo))
    .sort((a, b) => (a.periodTo < b.periodTo ? -1 : a.periodTo > b.periodTo ? 1 : 0));
}

function directionText(line: ScorecardLineView): { text: string; arrow: string; detail: string } | null {
  if (!line.direction || !line.latest || !line.previous) return null;
  const change = line.latest.value - line.previous.value;
  const arrow = change > 0 ? '↑' : change < 0 ? '↓' : '→';
  const way = change > 0 ? 'up' : change < 0 ? 'down' : 'the same as';
  const detail = `${way}${change === 0 ? '' : ' from'} ${formatValue(line.previous.value, line.unit)} in ${line.previous.period}`;
  return { text: DIRECTION_WORDS[line.direction], arrow, detail };
}

/** The performance scorecard: indicators with value, target, RAG and direction of travel; an indicator's history and forms. */
@ApiExcludeController()
@UseFilters(WebErrorFilter)
@Controller()
export class ScorecardPagesController {
  constructor(
    private readonly api: ApiControllers,
    private readonly queries: QueryBus,
    @Inject(WebViews) private readonly views: WebViews,
  ) {}

  @Get('scorecard')
  async scorecard(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const filters = filled(request.query as Record<string, unknown>, ['teamId', 'period']);
    let problems = noProblems();
    let card: Awaited<ReturnType<ApiControllers['indicators']['scorecard']>> | null = null;
    try {
      card = await this.api.indicators.scorecard(await validated(ScorecardParams, filters));
    } catch (error) {
      problems = problemsFrom(error, { labels: { teamId: 'Team', period: 'Period' } });
    }
    // A team manager chooses among their own teams (another team's scorecard answers 404, as in the API).
    const teams = (await this.api.teams.list({ includeClosed: 'true' })).filter((t) => inScope(request, t.teamId));
    const upTo = card?.period ? parsePeriod(card.period)?.to : undefined;
    const lines = await Promise.all(
      (card?.indicators ?? []).map(async (line) => {
        const detail = await this.api.indicators.get({ code: line.code }, scopeOf(request));
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
    this.views.send(
      request,
      response,
      'scorecard/list.njk',
      {
        title: 'Scorecard',
        card,
        lines,
        filters,
        csvHref: hrefWith('/scorecard.csv', filters),
        teamItems: [
          { value: '', text: 'Council-wide' },
          ...teams.map((t) => ({ value: t.teamId, text: t.name, selected: filters.teamId === t.teamId })),
        ],
        ...problems,
      },
      problems.errorList.length ? 400 : 200,
    );
  }

  @Get('scorecard.csv')
  async scorecardCsv(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const filters = filled(request.query as Record<string, unknown>, ['teamId', 'period']);
    const card = await this.api.indicators.scorecard(await validated(ScorecardParams, filters));
    sendCsv(
      response,
      'scorecard.csv',
      csv(
        [
          'code',
          'name',
          'unit',
          'polarity',
          'frequency',
          'teamId',
          'period',
          'value',
          'numerator',
          'denominator',
          'corrected',
          'target',
          'tolerance',
          'rag',
          'previousPeriod',
          'previousValue',
          'direction',
        ],
        card.indicators.map((line) => ({
          ...line,
          teamId: card.teamId ?? '',
          period: line.latest?.period,
          value: line.latest?.value,
          numerator: line.latest?.numerator,
          denominator: line.latest?.denominator,
          corrected: line.latest?.corrected,
          previousPeriod: line.previous?.period,
          previousValue: line.previous?.value,
        })),
      ),
    );
  }

  @Get('scorecard/:code')
  async show(@Param() params: CodeParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { code } = await validated(CodeParam, { ...params });
    await this.showIndicator(request, response, code, {}, noProblems());
  }

  @Get('scorecard/:code/history.csv')
  async historyCsv(@Param() params: CodeParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { code } = await validated(CodeParam, { ...params });
    const indicator = await this.api.indicators.get({ code }, scopeOf(request));
    sendCsv(
      response,
      `${code}-history.csv`,
      csv(
        [
          'code',
          'teamId',
          'period',
          'periodFrom',
          'periodTo',
          'value',
          'numerator',
          'denominator',
          'note',
          'recordedAt',
          'recordedBy',
          'corrections',
        ],
        indicator.measurements.map((m) => ({
          ...m,
          corrections: m.corrections.map((c) => `${c.previousValue} -> ${c.value} (${c.reason})`).join('; '),
        })),
      ),
    );
  }

  @Post('scorecard/:code/measurements')
  async record(@Param() params: CodeParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { code } = await validated(CodeParam, { ...params });
    const raw = filled(request.body, ['teamId', 'period', 'value', 'numerator', 'denominator', 'note']);
    const values = { form: 'record', ...raw };
    const idOf = (f: string): string => ({ teamId: 'recordTeamId', period: 'recordPeriod' })[f] ?? f;
    await submitForm({
      run: async () => {
        const dto = await validatedNumbers(RecordMeasurementDto, raw, ['value', 'numerator', 'denominator']);
        await this.api.indicators.record({ code }, dto, pageContext(request));
        response.redirect(303, `/scorecard/${encodeURIComponent(code)}?done=recorded`);
      },
      problems: {
        labels: {
          teamId: 'Team',
          period: 'Period',
          value: 'Value',
          numerator: 'Numerator',
          denominator: 'Denominator',
          note: 'Note',
        },
        fieldOf: MEASUREMENT_FIELDS,
        idOf,
        formId: 'record-form',
      },
      onProblems: (problems) => this.showIndicator(request, response, code, values, keyedBy(problems, idOf), 400),
    });
  }

  @Post('scorecard/:code/corrections')
  async correct(@Param() params: CodeParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { code } = await validated(CodeParam, { ...params });
    const raw = filled(request.body, ['teamId', 'period', 'value', 'numerator', 'denominator', 'reason']);
    const values = { form: 'correct', ...raw };
    const ids: Record<string, string> = {
      teamId: 'correctTeamId',
      period: 'correctPeriod',
      value: 'correctValue',
      numerator: 'correctNumerator',
      denominator: 'correctDenominator',
      reason: 'reason',
    };
    const idOf = (f: string): string => ids[f] ?? f;
    try {
      const dto = await validatedNumbers(CorrectMeasurementDto, raw, ['value', 'numerator', 'denominator']);
      await this.api.indicators.correct({ code }, dto, pageContext(request));
      return response.redirect(303, `/scorecard/${encodeURIComponent(code)}?done=corrected`);
    } catch (error) {
      // Nothing recorded for that team and period: the form's to fix, not a missing page.
      const missing = error instanceof DomainError && error.code === 'MEASUREMENT_NOT_FOUND';
      const problems = problemsFrom(missing ? new MeasurementToCorrectMissing(error.message) : error, {
        labels: {
          teamId: 'Team',
          period: 'Period',
          value: 'Corrected value',
          numerator: 'Numerator',
          denominator: 'Denominator',
          reason: 'Reason for the correction',
        },
        fieldOf: { ...MEASUREMENT_FIELDS, MEASUREMENT_TO_CORRECT_MISSING: 'period' },
        idOf,
        formId: 'correct-form',
      });
      await this.showIndicator(request, response, code, values, keyedBy(problems, idOf), 400);
    }
  }

  @Post('scorecard/:code/target')
  async changeTarget(@Param() params: CodeParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { code } = await validated(CodeParam, { ...params });
    const raw: Record<string, unknown> = {
      ...filled(request.body, ['target', 'tolerance']),
      from: dayFromParts(request.body, 'from'),
    };
    const values = { form: 'target', ...raw };
    const idOf = (f: string): string => (f === 'from' ? 'from-day' : f);
    await submitForm({
      run: async () => {
        const dto = await validatedNumbers(ChangeTargetDto, raw, ['target', 'tolerance']);
        await this.api.indicators.changeTarget({ code }, dto, pageContext(request));
        response.redirect(303, `/scorecard/${encodeURIComponent(code)}?done=target`);
      },
      problems: {
        labels: { target: 'New target', tolerance: 'Tolerance', from: 'Applies from' },
        fieldOf: { PERCENT_OUT_OF_RANGE: 'target', TARGET_UNCHANGED: 'target', TARGET_CHANGE_OUT_OF_ORDER: 'from' },
        idOf,
        formId: 'target-form',
      },
      onProblems: (problems) => this.showIndicator(request, response, code, values, problems, 400),
    });
  }

  @Post('scorecard/:code/team-targets')
  async setTeamTarget(@Param() params: CodeParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { code } = await validated(CodeParam, { ...params });
    const raw: Record<string, unknown> = {
      ...filled(request.body, ['teamTarget', 'teamTolerance', 'teamId']),
      from: dayFromParts(request.body, 'teamFrom'),
    };
    const values = { form: 'team-target', ...raw };
    const ids: Record<string, string> = {
      target: 'teamTarget',
      tolerance: 'teamTolerance',
      from: 'teamFrom-day',
      teamId: 'targetTeamId',
    };
    await submitForm({
      run: async () => {
        const dto = await validatedNumbers(
          SetTeamTargetDto,
          { teamId: raw.teamId, target: raw.teamTarget, tolerance: raw.teamTolerance, from: raw.from },
          ['target', 'tolerance'],
        );
        await this.api.indicators.setTeamTarget({ code }, dto, pageContext(request));
        response.redirect(303, `/scorecard/${encodeURIComponent(code)}?done=team-target`);
      },
      problems: {
        labels: { teamId: 'Team', target: 'Team target', tolerance: 'Tolerance', from: 'Applies from' },
        fieldOf: { PERCENT_OUT_OF_RANGE: 'target', TEAM_TARGET_OUT_OF_ORDER: 'from', MEASUREMENT_TEAM_UNKNOWN: 'teamId' },
        idOf: (f) => ids[f] ?? f,
        formId: 'team-target-form',
      },
      onProblems: (problems) =>
        this.showIndicator(
          request,
          response,
          code,
          values,
          keyedBy(problems, (f) => ids[f] ?? f),
          400,
        ),
    });
  }

  @Post('scorecard/:code/comparators')
  async recordComparator(@Param() params: CodeParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { code } = await validated(CodeParam, { ...params });
    const raw = filled(request.body, ['comparator', 'year', 'comparatorValue', 'source']);
    const values = { form: 'comparator', ...raw };
    const ids: Record<string, string> = { value: 'comparatorValue' };
    await submitForm({
      run: async () => {
        const { comparatorValue, ...rest } = raw;
        const dto = await validatedNumbers(RecordComparatorDto, { ...rest, value: comparatorValue }, ['value']);
        await this.api.indicators.recordComparator({ code }, dto, pageContext(request));
        response.redirect(303, `/scorecard/${encodeURIComponent(code)}?done=comparator`);
      },
      problems: {
        labels: { comparator: 'Comparator', year: 'Year', value: 'Published value', source: 'Source' },
        fieldOf: { PERCENT_OUT_OF_RANGE: 'value', COMPARATOR_UNCHANGED: 'value', COMPARATOR_YEAR_INVALID: 'year' },
        idOf: (f) => ids[f] ?? f,
        formId: 'comparator-form',
      },
      onProblems: (problems) =>
        this.showIndicator(
          request,
          response,
          code,
          values,
          keyedBy(problems, (f) => ids[f] ?? f),
          400,
        ),
    });
  }

  @Post('scorecard/:code/aggregation')
  async changeAggregation(@Param() params: CodeParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { code } = await validated(CodeParam, { ...params });
    const raw = filled(request.body, ['aggregation']);
    const values = { form: 'aggregation', ...raw };
    await submitForm({
      run: async () => {
        const dto = await validated(ChangeAggregationDto, raw);
        await this.api.indicators.changeAggregation({ code }, dto, pageContext(request));
        response.redirect(303, `/scorecard/${encodeURIComponent(code)}?done=aggregation`);
      },
      problems: {
        labels: { aggregation: 'Over a year' },
        fieldOf: { AGGREGATION_NOT_ALLOWED: 'aggregation', AGGREGATION_UNCHANGED: 'aggregation' },
        idOf: () => 'aggregation',
        formId: 'aggregation-form',
      },
      onProblems: (problems) => this.showIndicator(request, response, code, values, problems, 400),
    });
  }

  private async showIndicator(
    request: SignedIn,
    response: Response,
    code: string,
    values: Record<string, unknown>,
    problems: FormProblems,
    status = 200,
  ): Promise<void> {
    const indicator: IndicatorDetailView = await this.api.indicators.get({ code }, scopeOf(request));
    const chosenTeam = typeof request.query.teamId === 'string' && request.query.teamId !== '' ? request.query.teamId : undefined;
    const [teams, users] = await Promise.all([
      this.api.teams.list({ includeClosed: 'true' }),
      this.queries.execute(new ListUsersQuery()),
    ]);
    const names = new Map(users.map((u) => [u.userId, u.name]));
    const teamName = new Map(teams.map((t) => [t.teamId, t.name]));
    const whose = (teamId: string | null): string => (teamId ? (teamName.get(teamId) ?? teamId) : 'Council-wide');
    const rows = series(indicator.measurements, chosenTeam);
    const points = rows.map((m) => ({ period: m.period, value: m.value }));
    const chart = trendLine(points, 560, 200, 24, [indicator.target]);
    const role = request.principal.role;
    const own = (teamId: string): boolean => role !== 'team-manager' || request.principal.teamIds.includes(teamId);
    const measuredTeams = [...new Set(indicator.measurements.map((m) => m.teamId).filter((t): t is string => t !== null))];
    const teamChoices = (selected: unknown): Item[] => [
      ...(role === 'team-manager'
        ? [{ value: '', text: 'Choose a team' }]
        : [{ value: '', text: 'Council-wide', selected: !selected }]),
      ...teams.filter((t) => own(t.teamId)).map((t) => ({ value: t.teamId, text: t.name, selected: selected === t.teamId })),
    ];
    const form = (name: string): Record<string, unknown> => (values.form === name ? values : {});
    const fromValue = form('target').from as string | undefined;
    const aggregation = indicator.aggregation ?? defaultAggregation(indicator.unit);
    const lastMonth = indicator.frequency === 'monthly' ? rows.at(-1)?.period : undefined;
    const monthly = rows.map((m) => ({ period: m.period, value: m.value, numerator: m.numerator, denominator: m.denominator }));
    const aggregates = lastMonth
      ? [
          aggregateText(
            'Year to date',
            aggregateMonths(monthly, yearToDateWindow(lastMonth).from, lastMonth, aggregation, indicator.unit),
            indicator.unit,
          ),
          aggregateText(
            '12 months',
            aggregateMonths(monthly, rollingYearWindow(lastMonth).from, lastMonth, aggregation, indicator.unit),
            indicator.unit,
          ),
        ].filter((t): t is string => t !== null)
      : [];
    const bands = targetBands(indicator.target, indicator.tolerance, indicator.polarity);
    const teamTargetFrom = form('team-target').from as string | undefined;
    this.views.send(
      request,
      response,
      'scorecard/show.njk',
      {
        title: indicator.name,
        indicator,
        unitText: words(indicator.unit),
        polarityText: indicator.polarity === 'higher-is-better' ? 'Higher is better' : 'Lower is better',
        frequencyText: words(indicator.frequency),
        targetText: formatValue(indicator.target, indicator.unit),
        toleranceText: formatValue(indicator.tolerance, indicator.unit),
        targets: indicator.targets.map((t) => ({
          from: t.from,
          targetText: formatValue(t.target, indicator.unit),
          toleranceText: formatValue(t.tolerance, indicator.unit),
        })),
        seriesName: whose(chosenTeam ?? null),
        seriesItems: [
          { value: '', text: 'Council-wide', selected: !chosenTeam },
          ...measuredTeams.map((t) => ({ value: t, text: whose(t), selected: chosenTeam === t })),
        ],
        rows: rows.map((m) => ({
          ...m,
          valueText: formatValue(m.value, indicator.unit),
          corrections: m.corrections.map((c) => ({
            ...c,
            text: `${formatValue(c.previousValue, indicator.unit)} corrected to ${formatValue(c.value, indicator.unit)} by ${names.get(c.correctedBy) ?? c.correctedBy}: ${c.reason}`,
          })),
        })),
        chart: chart && {
          ...chart,
          targetY: chart.yOf(indicator.target),
          first: rows[0].period,
          last: rows[rows.length - 1].period,
        },
        chartLabel: trendWords(points, indicator.unit),
        csvHref: `/scorecard/${encodeURIComponent(code)}/history.csv`,
        periodHint: `For example ${PERIOD_EXAMPLE[indicator.frequency]} (this indicator is measured ${indicator.frequency}).`,
        mayMeasure: mayMeasure(request),
        mayManage: mayManage(request),
        recordTeamItems: teamChoices(form('record').teamId),
        correctTeamItems: teamChoices(form('correct').teamId),
        fromItems: dateItems(partsOfDay(fromValue), Boolean(problems.errors.from)),
        bandsText: `Green ${bands.green}; amber ${bands.amber}; red ${bands.red}`,
        aggregationText: AGGREGATION_TEXT[aggregation] + (indicator.aggregation ? '' : ' (the default for this unit)'),
        aggregates,
        teamTargets: (indicator.teamTargets ?? []).map((t) => ({
          team: whose(t.teamId),
          from: t.from,
          targetText: formatValue(t.target, indicator.unit),
          toleranceText: formatValue(t.tolerance, indicator.unit),
        })),
        comparators: (indicator.comparators ?? []).map((c) => ({
          text: COMPARATOR_TEXT[c.comparator],
          year: c.year,
          valueText: formatValue(c.value, indicator.unit),
          source: c.source ?? '',
        })),
        teamTargetForm: form('team-target'),
        teamTargetTeamItems: [
          { value: '', text: 'Choose a team' },
          ...teams.map((t) => ({ value: t.teamId, text: t.name, selected: form('team-target').teamId === t.teamId })),
        ],
        teamFromItems: dateItems(
          partsOfDay(teamTargetFrom),
          Boolean(problems.errors['teamFrom-day'] ?? problems.errors.teamFrom),
        ),
        comparatorForm: form('comparator'),
        comparatorItems: COMPARATORS.map((c) => ({
          value: c,
          text: COMPARATOR_TEXT[c].charAt(0).toUpperCase() + COMPARATOR_TEXT[c].slice(1),
          selected: form('comparator').comparator === c,
        })),
        aggregationItems: AGGREGATIONS.map((a) => ({
          value: a,
          text: AGGREGATION_TEXT[a],
          checked: (form('aggregation').aggregation ?? aggregation) === a,
        })),
        record: form('record'),
        correct: form('correct'),
        targetForm: form('target'),
        done: DONE_TEXT[String(request.query.done)],
        ...problems,
      },
      status,
    );
  }
}

const DONE_TEXT: Record<string, string> = {
  recorded: 'Measurement recorded.',
  corrected: 'Measurement corrected.',
  target: 'Target changed.',
  'team-target': 'Team target set.',
  comparator: 'Comparator recorded.',
  aggregation: 'Aggregation changed.',
};

const AGGREGATION_TEXT: Record<Aggregation, string> = {
  sum: 'Sum of the months (a count)',
  mean: 'Mean of the months (of the numerators and denominators when every month has them)',
  last: 'Last value (a snapshot, such as a rate per 10,000)',
};

/** "Year to date (2020-04 to 2020-06, 3 months): 70%". */
const aggregateText = (label: string, value: AggregateValue | null, unit: IndicatorUnit): string | null =>
  value
    ? `${label} (${value.from} to ${value.to}, ${value.months} of ${value.monthsInWindow} months): ${formatValue(value.value, unit)}`
    : null;

/** "Year to date 96%", with "(1 of 6 months)" when months are missing. */
const shortAggregate = (label: string, value: AggregateValue | null, unit: IndicatorUnit): string | null =>
  value
    ? `${label} ${formatValue(value.value, unit)}${value.months < value.monthsInWindow ? ` (${value.months} of ${value.monthsInWindow} months)` : ''}`
    : null;

/** Domain errors of a measurement and the field they are about. */
const MEASUREMENT_FIELDS: Record<string, string> = {
  PERIOD_DOES_NOT_MATCH_FREQUENCY: 'period',
  PERIOD_NOT_STARTED: 'period',
  MEASUREMENT_ALREADY_RECORDED: 'period',
  MEASUREMENT_TEAM_UNKNOWN: 'teamId',
  PERCENT_OUT_OF_RANGE: 'value',
  VALUE_DISAGREES_WITH_RATIO: 'value',
  CORRECTION_UNCHANGED: 'value',
  RATIO_INCOMPLETE: 'numerator',
};

/** MeasurementNotFound as the correction form shows it: beside the period, not as a missing page. */
class MeasurementToCorrectMissing extends RuleBrokenError {
  readonly code = 'MEASUREMENT_TO_CORRECT_MISSING';
}
