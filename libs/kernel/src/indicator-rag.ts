/**
 * Performance indicators: RAG against a target with a tolerance, direction of travel against the
 * previous period, the reporting periods (month, financial quarter, ISO week) and the check that
 * a value agrees with its numerator and denominator. Pure functions, no framework.
 */
import { financialQuarter } from './financial-periods';
import { addDays, dayOfWeek, type LocalDate } from './local-date';

export const INDICATOR_UNITS = ['percent', 'count', 'rate-per-10k', 'days'] as const;
export type IndicatorUnit = (typeof INDICATOR_UNITS)[number];
export const POLARITIES = ['higher-is-better', 'lower-is-better'] as const;
export type Polarity = (typeof POLARITIES)[number];
export const FREQUENCIES = ['weekly', 'monthly', 'quarterly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export type IndicatorRag = 'green' | 'amber' | 'red';
export type DirectionOfTravel = 'improving' | 'declining' | 'unchanged';

/**
 * higher-is-better: value >= target -> green; value >= target - tolerance -> amber; else red.
 * lower-is-better mirrored: value <= target -> green; value <= target + tolerance -> amber; else red.
 */
export function indicatorRag(value: number, target: number, tolerance: number, polarity: Polarity): IndicatorRag {
  // Measured against the target in the "better" direction, so one rule serves both polarities.
  const shortfall = polarity === 'higher-is-better' ? target - value : value - target;
  if (shortfall <= EPSILON) return 'green';
  if (shortfall <= tolerance + EPSILON) return 'amber';
  return 'red';
}

/** Float noise (92.66 - 90 and the like) never decides a colour or a direction. */
const EPSILON = 1e-9;

export function directionOfTravel(value: number, previous: number, polarity: Polarity): DirectionOfTravel {
  const change = polarity === 'higher-is-better' ? value - previous : previous - value;
  if (Math.abs(change) <= EPSILON) return 'unchanged';
  return change > 0 ? 'improving' : 'declining';
}

/** What a value is a ratio of: percent = n/d x 100, rate per 10,000 = n/d x 10,000, count and days = n/d. */
export const UNIT_MULTIPLIER: Record<IndicatorUnit, number> = { percent: 100, 'rate-per-10k': 10_000, count: 1, days: 1 };

/** Published values are rounded; a value within this of the ratio agrees with it. */
export const VALUE_TOLERANCE = 0.05;

/** The value the numerator and denominator give, or undefined when the denominator is 0. */
export function valueFromRatio(unit: IndicatorUnit, numerator: number, denominator: number): number | undefined {
  if (denominator === 0) return undefined;
  return (numerator * UNIT_MULTIPLIER[unit]) / denominator;
}

export function valueAgreesWithRatio(unit: IndicatorUnit, value: number, numerator: number, denominator: number): boolean {
  const expected = valueFromRatio(unit, numerator, denominator);
  return expected !== undefined && Math.abs(expected - value) <= VALUE_TOLERANCE + EPSILON;
}

export interface ReportingPeriod {
  frequency: Frequency;
  /** Canonical label: "2020-06", "2020/21 Q1", "2020-W23". */
  label: string;
  from: LocalDate;
  to: LocalDate;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})\/(\d{2}) Q([1-4])$/;
const WEEK = /^(\d{4})-W(\d{2})$/;

/** Monday of ISO week 1: the week that contains 4 January. */
function isoWeekOneMonday(year: number): LocalDate {
  const jan4 = `${year}-01-04`;
  return addDays(jan4, -((dayOfWeek(jan4) + 6) % 7));
}

/** A month ("2020-06"), a financial quarter ("2020/21 Q1") or an ISO week ("2020-W23"); undefined if none. */
export function parsePeriod(text: string): ReportingPeriod | undefined {
  const month = MONTH.exec(text);
  if (month) {
    const [year, m] = [Number(month[1]), Number(month[2])];
    const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
    return { frequency: 'monthly', label: text, from: `${year}-${pad(m)}-01`, to: `${year}-${pad(m)}-${pad(last)}` };
  }
  const quarter = QUARTER.exec(text);
  if (quarter) {
    const start = Number(quarter[1]);
    if (Number(quarter[2]) !== (start + 1) % 100) return undefined;
    const q = Number(quarter[3]);
    const firstMonth = q === 4 ? `${start + 1}-01-01` : `${start}-${pad(q * 3 + 1)}-01`;
    const { from, to, label } = financialQuarter(firstMonth);
    return { frequency: 'quarterly', label, from, to };
  }
  const week = WEEK.exec(text);
  if (week) {
    const [year, w] = [Number(week[1]), Number(week[2])];
    if (w < 1) return undefined;
    const from = addDays(isoWeekOneMonday(year), (w - 1) * 7);
    // Week 53 exists only when its Thursday still falls in the same year.
    if (Number(addDays(from, 3).slice(0, 4)) !== year) return undefined;
    return { frequency: 'weekly', label: text, from, to: addDays(from, 6) };
  }
  return undefined;
}

const FREQUENCY_RANK: Record<Frequency, number> = { weekly: 0, monthly: 1, quarterly: 2 };

/** A recorded value as a scorecard line needs it. */
export interface ScorecardValue {
  value: number;
  /** Its period's label ("2020-05") and last day. */
  period: string;
  periodTo: LocalDate;
}

export interface ScorecardStatus {
  /** A value was measured in the period asked about (always true when no period was asked). */
  measured: boolean;
  rag: IndicatorRag | null;
  direction: DirectionOfTravel | null;
  /** Why there is no colour, in words; null when there is one. */
  note: string | null;
}

/**
 * The colour and direction of a scorecard line for a period. A value from before the period
 * (e.g. May's value on the Q2 scorecard) is "not measured" in it: never coloured and with no
 * direction of travel, so an old figure is not passed off as this period's. This applies when the
 * indicator is measured at least as often as the period (a quarterly indicator on a monthly
 * scorecard keeps its latest quarter).
 */
export function scorecardStatus(input: {
  latest?: ScorecardValue;
  previous?: ScorecardValue;
  period?: ReportingPeriod;
  frequency: Frequency;
  target: number;
  tolerance: number;
  polarity: Polarity;
}): ScorecardStatus {
  const { latest, previous, period } = input;
  if (!latest) return { measured: false, rag: null, direction: null, note: 'no value yet' };
  const expected = period && FREQUENCY_RANK[input.frequency] <= FREQUENCY_RANK[period.frequency];
  if (period && expected && latest.periodTo < period.from) {
    return {
      measured: false,
      rag: null,
      direction: null,
      note: `not measured in ${period.label}: the latest value is for ${latest.period}`,
    };
  }
  return {
    measured: true,
    rag: indicatorRag(latest.value, input.target, input.tolerance, input.polarity),
    direction: previous ? directionOfTravel(latest.value, previous.value, input.polarity) : null,
    note: null,
  };
}

// ---- target bands, aggregation over months, comparators ------------------------------------

/**
 * The bands a target and its tolerance make, as the board reads them. higher-is-better with
 * target 95 and tolerance 5: green 95 or more, amber 90 to under 95, red under 90.
 */
export interface TargetBands {
  green: string;
  amber: string;
  red: string;
}

const figure = (n: number): string => String(Math.round(n * 10_000) / 10_000);

export function targetBands(target: number, tolerance: number, polarity: Polarity): TargetBands {
  if (polarity === 'higher-is-better') {
    const floor = target - tolerance;
    return {
      green: `${figure(target)} or more`,
      amber: tolerance > 0 ? `${figure(floor)} to under ${figure(target)}` : 'none (no tolerance)',
      red: `under ${figure(floor)}`,
    };
  }
  const ceiling = target + tolerance;
  return {
    green: `${figure(target)} or less`,
    amber: tolerance > 0 ? `over ${figure(target)} to ${figure(ceiling)}` : 'none (no tolerance)',
    red: `over ${figure(ceiling)}`,
  };
}

/**
 * How the monthly values of an indicator add up over a year or 12 months:
 * sum (e.g. number of contacts), mean (e.g. % of assessments in timescale: the mean of the months,
 * or the ratio of the summed numerators and denominators when every month has them), or last
 * value (a snapshot such as children in care per 10,000).
 */
export const AGGREGATIONS = ['sum', 'mean', 'last'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

/** The aggregation of an indicator that has not said: a percentage or a length in days is averaged; counts and rates are snapshots. */
export const defaultAggregation = (unit: IndicatorUnit): Aggregation => (unit === 'percent' || unit === 'days' ? 'mean' : 'last');

/** Why an aggregation does not suit a unit (a percentage or a rate cannot simply be summed), or null. */
export function aggregationProblem(unit: IndicatorUnit, aggregation: Aggregation): string | null {
  if (aggregation === 'sum' && (unit === 'percent' || unit === 'rate-per-10k')) {
    const what = unit === 'percent' ? 'A percentage' : 'A rate per 10,000';
    return `${what} cannot simply be summed over months: choose the mean (of the months, or of the numerators and denominators when recorded) or the last value.`;
  }
  return null;
}

export interface MonthlyValue {
  /** "2020-06" */
  period: string;
  value: number;
  numerator?: number | null;
  denominator?: number | null;
}

export interface AggregateValue {
  value: number;
  /** First and last month counted ("2020-04", "2020-09"), and how many months had a value. */
  from: string;
  to: string;
  months: number;
  /** Months in the window: 12 for a rolling year, 1 to 12 for a year to date. */
  monthsInWindow: number;
  /** How the value was worked out, in words. */
  method: string;
}

const monthIndex = (period: string): number => Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7)) - 1;
const monthLabel = (index: number): string => `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;

/** Aggregate the monthly values from `from` to `to` (month labels, inclusive); null when none. */
export function aggregateMonths(
  values: MonthlyValue[],
  from: string,
  to: string,
  aggregation: Aggregation,
  unit: IndicatorUnit,
): AggregateValue | null {
  const [first, last] = [monthIndex(from), monthIndex(to)];
  const inWindow = values
    .filter((v) => MONTH.test(v.period) && monthIndex(v.period) >= first && monthIndex(v.period) <= last)
    .sort((a, b) => a.period.localeCompare(b.period));
  if (inWindow.length === 0) return null;
  const base = { from, to, months: inWindow.length, monthsInWindow: last - first + 1 };
  switch (aggregation) {
    case 'sum':
      return { ...base, value: inWindow.reduce((total, v) => total + v.value, 0), method: 'sum of the months' };
    case 'last': {
      const latest = inWindow.at(-1)!;
      return { ...base, value: latest.value, method: `last value (${latest.period})` };
    }
    case 'mean': {
      const ratios = inWindow.every((v) => v.numerator != null && v.denominator != null);
      const denominator = ratios ? inWindow.reduce((t, v) => t + v.denominator!, 0) : 0;
      if (ratios && denominator > 0) {
        const numerator = inWindow.reduce((t, v) => t + v.numerator!, 0);
        return {
          ...base,
          value: (numerator * UNIT_MULTIPLIER[unit]) / denominator,
          method: `${figure(numerator)} of ${figure(denominator)} over the months`,
        };
      }
      return { ...base, value: inWindow.reduce((t, v) => t + v.value, 0) / inWindow.length, method: 'mean of the months' };
    }
  }
}

/** The financial year to date ending with a month: April (or the month itself) to that month. */
export function yearToDateWindow(month: string): { from: string; to: string } {
  const index = monthIndex(month);
  const aprilYear = Number(month.slice(5, 7)) >= 4 ? Number(month.slice(0, 4)) : Number(month.slice(0, 4)) - 1;
  return { from: `${aprilYear}-04`, to: monthLabel(index) };
}

/** The 12 months ending with a month. */
export const rollingYearWindow = (month: string): { from: string; to: string } => ({
  from: monthLabel(monthIndex(month) - 11),
  to: month,
});

/** Comparators councils publish beside their own figures. */
export const COMPARATORS = ['england', 'statistical-neighbours', 'region'] as const;
export type Comparator = (typeof COMPARATORS)[number];
export const COMPARATOR_TEXT: Record<Comparator, string> = {
  england: 'England average',
  'statistical-neighbours': 'statistical neighbours',
  region: 'regional average',
};
