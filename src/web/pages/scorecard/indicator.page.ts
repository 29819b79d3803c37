import { Get, Param } from '@nestjs/common';
import {
  aggregateMonths,
  AGGREGATIONS,
  COMPARATOR_TEXT,
  COMPARATORS,
  defaultAggregation,
  DomainError,
  rollingYearWindow,
  targetBands,
  yearToDateWindow,
} from '@casetrail/kernel';
import {
  ActionsMeasuredByQuery,
  ChangeAggregationDto,
  ChangeTargetDto,
  CodeParam,
  CorrectMeasurementDto,
  RecordComparatorDto,
  RecordMeasurementDto,
  SetTeamTargetDto,
  type IndicatorDetailView,
} from '../../../improvement';
import { csv, sendCsv } from '../../csv';
import { dateItems, dayFromParts, partsOfDay } from '../../dates';
import { filled, noProblems, teamSelectItems } from '../../forms';
import { form, inputPipe, Page, PageController, PageIn, RecordPages, type PageForm } from '../../kit';
import { words } from '../../views';
import {
  AGGREGATION_TEXT,
  aggregateText,
  axisTicks,
  DONE_TEXT,
  formatValue,
  MEASUREMENT_FIELDS,
  MeasurementToCorrectMissing,
  numberInput,
  PERIOD_EXAMPLE,
  series,
  toleranceText,
  trendLine,
  trendWords,
} from './indicator-views';

type Values = Record<string, unknown>;
type Item = { value: string; text: string; selected?: boolean };
const RATIO = ['value', 'numerator', 'denominator'];
const HISTORY_COLUMNS =
  'code teamId period periodFrom periodTo value numerator denominator note recordedAt recordedBy corrections';
const recordInput = numberInput(RecordMeasurementDto, (body) => filled(body, ['teamId', 'period', ...RATIO, 'note']), RATIO);
const correctInput = numberInput(CorrectMeasurementDto, (body) => filled(body, ['teamId', 'period', ...RATIO, 'reason']), RATIO);
const targetInput = numberInput(
  ChangeTargetDto,
  (body) => ({ ...filled(body, ['target', 'tolerance']), from: dayFromParts(body, 'from') }),
  ['target', 'tolerance'],
);
const teamTargetInput = numberInput(
  SetTeamTargetDto,
  (body) => ({ ...filled(body, ['teamTarget', 'teamTolerance', 'teamId']), from: dayFromParts(body, 'teamFrom') }),
  ['target', 'tolerance'],
  (v) => ({ teamId: v.teamId, target: v.teamTarget, tolerance: v.teamTolerance, from: v.from }),
);
const comparatorInput = numberInput(
  RecordComparatorDto,
  (body) => filled(body, ['comparator', 'year', 'comparatorValue', 'source']),
  ['value'],
  ({ comparatorValue, ...rest }) => ({ ...rest, value: comparatorValue }),
);
const aggregationInput = inputPipe(ChangeAggregationDto, (body) => filled(body, ['aggregation']));
/** The indicator's forms, each on its own page (at the address it posts to), as its page's title names it. */
const INDICATOR_FORMS = {
  record: 'Record a measurement',
  correct: 'Correct a measurement',
  target: 'Change the target',
  'team-target': "Set a team's own target",
  comparator: 'Record a comparator',
  aggregation: 'Change how the months add up',
} as const;
type IndicatorForm = keyof typeof INDICATOR_FORMS;
/** The address of each form's page (and of the form's POST). */
const FORM_AT = {
  measurements: 'record',
  corrections: 'correct',
  target: 'target',
  'team-targets': 'team-target',
  comparators: 'comparator',
  aggregation: 'aggregation',
} as const satisfies Record<string, IndicatorForm>;

/** Every form of the indicator, by its address: back to the indicator with its banner, or the form's own page again with its input and problems. */
const FORMS: Record<keyof typeof FORM_AT, PageForm<CodeParam>> = {
  measurements: form({
    input: recordInput,
    send: (use, dto, context, { code }: CodeParam) => use.indicators.record({ code }, dto, context),
    done: 'recorded',
    labels: {
      teamId: 'Team',
      period: 'Period',
      value: 'Value',
      numerator: 'Numerator',
      denominator: 'Denominator',
      note: 'Note',
    },
    fieldOf: MEASUREMENT_FIELDS,
    formId: 'record-form',
    rename: { teamId: 'recordTeamId', period: 'recordPeriod' },
  }),
  corrections: form({
    input: correctInput,
    send: (use, dto, context, { code }: CodeParam) =>
      use.indicators.correct({ code }, dto, context).catch((error: unknown) => {
        // Nothing recorded for that team and period: the form's to fix, not a missing page.
        const missing = error instanceof DomainError && error.code === 'MEASUREMENT_NOT_FOUND';
        throw missing ? new MeasurementToCorrectMissing(error.message) : error;
      }),
    done: 'corrected',
    labels: {
      teamId: 'Team',
      period: 'Period',
      value: 'Corrected value',
      numerator: 'Numerator',
      denominator: 'Denominator',
      reason: 'Reason for the correction',
    },
    fieldOf: { ...MEASUREMENT_FIELDS, MEASUREMENT_TO_CORRECT_MISSING: 'period' },
    formId: 'correct-form',
    rename: {
      teamId: 'correctTeamId',
      period: 'correctPeriod',
      value: 'correctValue',
      numerator: 'correctNumerator',
      denominator: 'correctDenominator',
    },
  }),
  target: form({
    input: targetInput,
    send: (use, dto, context, { code }: CodeParam) => use.indicators.changeTarget({ code }, dto, context),
    done: 'target',
    labels: { target: 'New target', tolerance: 'Tolerance', from: 'Applies from' },
    fieldOf: { PERCENT_OUT_OF_RANGE: 'target', TARGET_UNCHANGED: 'target', TARGET_CHANGE_OUT_OF_ORDER: 'from' },
    days: ['from'],
    formId: 'target-form',
  }),
  'team-targets': form({
    input: teamTargetInput,
    send: (use, dto, context, { code }: CodeParam) => use.indicators.setTeamTarget({ code }, dto, context),
    done: 'team-target',
    labels: { teamId: 'Team', target: 'Team target', tolerance: 'Tolerance', from: 'Applies from' },
    fieldOf: { PERCENT_OUT_OF_RANGE: 'target', TEAM_TARGET_OUT_OF_ORDER: 'from', MEASUREMENT_TEAM_UNKNOWN: 'teamId' },
    formId: 'team-target-form',
    rename: { target: 'teamTarget', tolerance: 'teamTolerance', from: 'teamFrom-day', teamId: 'targetTeamId' },
  }),
  comparators: form({
    input: comparatorInput,
    send: (use, dto, context, { code }: CodeParam) => use.indicators.recordComparator({ code }, dto, context),
    done: 'comparator',
    labels: { comparator: 'Comparator', year: 'Year', value: 'Published value', source: 'Source' },
    fieldOf: { PERCENT_OUT_OF_RANGE: 'value', COMPARATOR_UNCHANGED: 'value', COMPARATOR_YEAR_INVALID: 'year' },
    formId: 'comparator-form',
    rename: { value: 'comparatorValue' },
  }),
  aggregation: form({
    input: aggregationInput,
    send: (use, dto, context, { code }: CodeParam) => use.indicators.changeAggregation({ code }, dto, context),
    done: 'aggregation',
    labels: { aggregation: 'Over a year' },
    fieldOf: { AGGREGATION_NOT_ALLOWED: 'aggregation', AGGREGATION_UNCHANGED: 'aggregation' },
    formId: 'aggregation-form',
  }),
};

/** An indicator: its history (with a CSV and a trend chart), and recording, correcting and setting its targets. */
@PageController('scorecard/:code')
export class IndicatorPage extends RecordPages(CodeParam, FORMS) {
  protected hrefOf({ code }: CodeParam): string {
    return `/scorecard/${encodeURIComponent(code)}`;
  }

  @Get('history.csv')
  async historyCsv(@PageIn() page: Page, @Param() { code }: CodeParam): Promise<void> {
    const indicator = await this.useCases.indicators.get({ code }, page.request.teamScope ?? null);
    const rows = indicator.measurements.map((m) => ({
      ...m,
      corrections: m.corrections.map((c) => `${c.previousValue} -> ${c.value} (${c.reason})`).join('; '),
    }));
    sendCsv(page.response, `${code}-history.csv`, csv(HISTORY_COLUMNS, rows));
  }

  /** The indicator, or one of its forms by its address (a form re-shown keeps its input and problems). */
  protected async showRecord(
    page: Page,
    { code }: CodeParam,
    values: Values,
    problems = noProblems(),
    end?: string,
  ): Promise<void> {
    const formShown = end === undefined ? undefined : FORM_AT[end as keyof typeof FORM_AT];
    const indicator: IndicatorDetailView = await this.useCases.indicators.get({ code }, page.request.teamScope ?? null);
    const { teamId } = page.request.query;
    const chosenTeam = typeof teamId === 'string' && teamId !== '' ? teamId : undefined;
    const [teams, name, teamName] = await Promise.all([
      this.useCases.teams.list({ includeClosed: 'true' }),
      this.names.users(),
      this.names.teams(),
    ]);
    const unit = indicator.unit;
    const whose = (teamId: string | null): string => (teamId ? teamName(teamId) : 'Council-wide');
    const rows = series(indicator.measurements, chosenTeam);
    const points = rows.map((m) => ({ period: m.period, value: m.value }));
    const chart = trendLine(points, 560, 200, 24, [indicator.target]);
    const measuring = 'POST /api/v1/indicators/:code/measurements';
    const own = (teamId: string): boolean => !page.limited(measuring) || page.principal.teamIds.includes(teamId);
    const measuredTeams = [...new Set(indicator.measurements.map((m) => m.teamId).filter((t): t is string => t !== null))];
    const teamChoices = (selected: unknown): Item[] => [
      page.limited(measuring) ? { value: '', text: 'Choose a team' } : { value: '', text: 'Council-wide', selected: !selected },
      ...teams.filter((t) => own(t.teamId)).map((t) => ({ value: t.teamId, text: t.name, selected: selected === t.teamId })),
    ];
    const form = (name: IndicatorForm): Values => (formShown === name ? values : {});
    const aggregation = indicator.aggregation ?? defaultAggregation(unit);
    const lastMonth = indicator.frequency === 'monthly' ? rows.at(-1)?.period : undefined;
    const monthly = rows.map((m) => ({ period: m.period, value: m.value, numerator: m.numerator, denominator: m.denominator }));
    const aggregate = (label: string, from: string) =>
      aggregateText(label, aggregateMonths(monthly, from, lastMonth!, aggregation, unit), unit);
    const aggregates = lastMonth
      ? [
          aggregate('Year to date', yearToDateWindow(lastMonth).from),
          aggregate('12 months', rollingYearWindow(lastMonth).from),
        ].filter((t): t is string => t !== null)
      : [];
    const bands = targetBands(indicator.target, indicator.tolerance, indicator.polarity);
    const targetTexts = (t: { target: number; tolerance: number }) => ({
      targetText: formatValue(t.target, unit),
      toleranceText: formatValue(t.tolerance, unit).replace(/%$/, unit === 'percent' ? ' percentage points' : '%'),
      amberText: toleranceText(t.tolerance, unit, indicator.polarity),
    });
    // The improvement actions this indicator measures, each linked (the action page links back here).
    const measuredActions = (await this.queries.execute(new ActionsMeasuredByQuery(code))).map((a) => ({
      title: a.title,
      href: `/actions/${encodeURIComponent(a.actionId)}`,
      status: a.status,
    }));
    const context = {
      measuredActions,
      title: indicator.name,
      indicator,
      unitText: words(unit),
      polarityText: indicator.polarity === 'higher-is-better' ? 'Higher is better' : 'Lower is better',
      frequencyText: words(indicator.frequency),
      ...targetTexts(indicator),
      targets: indicator.targets.map((t) => ({ from: t.from, ...targetTexts(t) })),
      seriesName: whose(chosenTeam ?? null),
      seriesItems: [
        { value: '', text: 'Council-wide', selected: !chosenTeam },
        ...measuredTeams.map((t) => ({ value: t, text: whose(t), selected: chosenTeam === t })),
      ],
      rows: rows.map((m) => ({
        ...m,
        valueText: formatValue(m.value, unit),
        corrections: m.corrections.map((c) => ({
          ...c,
          text: `${formatValue(c.previousValue, unit)} corrected to ${formatValue(c.value, unit)} by ${name(c.correctedBy)}: ${c.reason}`,
        })),
      })),
      chart: chart && {
        ...chart,
        targetY: chart.yOf(indicator.target),
        ticks: axisTicks(chart, unit),
        first: rows[0].period,
        last: rows[rows.length - 1].period,
      },
      chartLabel: trendWords(points, unit),
      csvHref: `/scorecard/${encodeURIComponent(code)}/history.csv`,
      periodHint: `For example ${PERIOD_EXAMPLE[indicator.frequency]} (this indicator is measured ${indicator.frequency}).`,
      mayMeasure: page.may(measuring),
      mayManage: page.may('POST /api/v1/indicators/:code/target'),
      recordTeamItems: teamChoices(form('record').teamId),
      correctTeamItems: teamChoices(form('correct').teamId),
      fromItems: dateItems(partsOfDay(form('target').from as string | undefined), Boolean(problems.errors.from)),
      bandsText: `Green ${bands.green}; amber ${bands.amber}; red ${bands.red}`,
      aggregationText: AGGREGATION_TEXT[aggregation] + (indicator.aggregation ? '' : ' (the default for this unit)'),
      aggregates,
      teamTargets: (indicator.teamTargets ?? []).map((t) => ({ team: whose(t.teamId), from: t.from, ...targetTexts(t) })),
      comparators: (indicator.comparators ?? []).map((c) => ({
        text: COMPARATOR_TEXT[c.comparator],
        year: c.year,
        valueText: formatValue(c.value, unit),
        source: c.source ?? '',
      })),
      teamTargetForm: form('team-target'),
      teamTargetTeamItems: teamSelectItems(teams, form('team-target').teamId),
      teamFromItems: dateItems(
        partsOfDay(form('team-target').from as string | undefined),
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
      done: DONE_TEXT[page.done ?? ''],
    };
    if (!formShown) return this.render(page, 'scorecard/show.njk', context, problems);
    // The target's page is its own template; the other forms share the form page (forms/<name>.njk).
    const template = formShown === 'target' ? 'scorecard/target.njk' : 'scorecard/form.njk';
    const title = `${INDICATOR_FORMS[formShown]}: ${context.title}`;
    this.render(page, template, { ...context, form: formShown, title }, problems);
  }
}
