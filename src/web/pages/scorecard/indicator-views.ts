import { type Type } from '@nestjs/common';
import { RuleBrokenError, type AggregateValue, type Aggregation, type IndicatorUnit, type Polarity } from '@casetrail/kernel';
import { InvalidInputException } from '../../../core';
import type { ScorecardLineView, MeasurementRow } from '../../../improvement';
import { validated } from '../../forms';
import type { Input } from '../../kit';
import { ragTags } from '../../views';

/** What the scorecard and an indicator's page show alike: values in their unit, trend lines, RAG and direction. */
export const RAG_TAG = ragTags({
  green: 'Green: on target',
  amber: 'Amber: within tolerance',
  red: 'Red: off target',
  none: 'No value yet',
});
export const DIRECTION_WORDS: Record<string, string> = {
  improving: 'Improving',
  declining: 'Getting worse',
  unchanged: 'No change',
};
export const PERIOD_EXAMPLE: Record<string, string> = { weekly: '2026-W23', monthly: '2026-06', quarterly: '2026/27 Q1' };
/** Values a trend line and its table show: the latest periods, oldest first. */
export const TREND_LENGTH = 8;

const NUMBER = /^\s*\d+(\.\d+)?\s*$/;
/** A form's number box: a plain decimal becomes a number; anything else is left for the DTO to refuse. */
const numberOf = (value: unknown): unknown => (typeof value === 'string' && NUMBER.test(value) ? Number(value) : value);

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

export const UNIT_TEXT: Record<IndicatorUnit, string> = {
  percent: 'A percentage (0 to 100)',
  count: 'A count (a number of things)',
  'rate-per-10k': 'A rate per 10,000 children',
  days: 'A number of days',
};
export const POLARITY_TEXT: Record<Polarity, string> = {
  'higher-is-better': 'Higher is better',
  'lower-is-better': 'Lower is better',
};

/**
 * The tolerance is in the indicator's own unit (the RAG rule subtracts it from the target): for a percentage it is
 * percentage points, never a per cent of the target. "amber within 5 percentage points below it".
 */
export function toleranceText(tolerance: number, unit: IndicatorUnit, polarity: Polarity): string {
  if (tolerance === 0) return 'no amber band: red as soon as it misses the target';
  const n = tolerance.toLocaleString('en-GB', { maximumFractionDigits: 2 });
  const amount =
    unit === 'percent'
      ? `${n} percentage point${tolerance === 1 ? '' : 's'}`
      : unit === 'rate-per-10k'
        ? `${n} per 10,000`
        : unit === 'days'
          ? `${n} day${tolerance === 1 ? '' : 's'}`
          : n;
  return `amber up to ${amount} ${polarity === 'higher-is-better' ? 'below' : 'above'} it`;
}

interface TrendPoint {
  period: string;
  value: number;
}

/** A line through the values, scaled to the box; null with fewer than two values. */
export function trendLine(
  points: TrendPoint[],
  width: number,
  height: number,
  pad: number,
  extra: number[] = [],
): {
  points: string;
  dots: { x: number; y: number; period: string; value: number }[];
  yOf: (v: number) => number;
  min: number;
  max: number;
} | null {
  if (points.length < 2) return null;
  const values = [...points.map((p) => p.value), ...extra];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const x = (i: number): number => Math.round((pad + (i * (width - 2 * pad)) / (points.length - 1)) * 10) / 10;
  const yOf = (v: number): number => Math.round((height - pad - ((v - min) * (height - 2 * pad)) / span) * 10) / 10;
  const dots = points.map((p, i) => ({ x: x(i), y: yOf(p.value), period: p.period, value: p.value }));
  return { points: dots.map((d) => `${d.x},${d.y}`).join(' '), dots, yOf, min, max };
}

/** The value axis of a trend chart: the lowest and highest values (the target included) and the middle, each in its unit. */
export function axisTicks(chart: { yOf: (v: number) => number; min: number; max: number }, unit: IndicatorUnit) {
  const values = chart.max === chart.min ? [chart.min] : [chart.min, (chart.min + chart.max) / 2, chart.max];
  return values.map((v) => ({ y: chart.yOf(v), text: formatValue(Math.round(v * 100) / 100, unit) }));
}

/** What a trend line says, for those who cannot see it. */
export function trendWords(points: TrendPoint[], unit: IndicatorUnit): string {
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
export function series(measurements: MeasurementRow[], teamId: string | undefined, upTo?: string): MeasurementRow[] {
  return measurements
    .filter((m) => (m.teamId ?? undefined) === teamId && (!upTo || m.periodTo <= upTo))
    .sort((a, b) => (a.periodTo < b.periodTo ? -1 : a.periodTo > b.periodTo ? 1 : 0));
}

export function directionText(line: ScorecardLineView): { text: string; arrow: string; detail: string } | null {
  if (!line.direction || !line.latest || !line.previous) return null;
  const change = line.latest.value - line.previous.value;
  const arrow = change > 0 ? '↑' : change < 0 ? '↓' : '→';
  const way = change > 0 ? 'up' : change < 0 ? 'down' : 'the same as';
  const detail = `${way}${change === 0 ? '' : ' from'} ${formatValue(line.previous.value, line.unit)} in ${line.previous.period}`;
  return { text: DIRECTION_WORDS[line.direction], arrow, detail };
}

/**
 * A form with number boxes as a pipe: the DTO's own rules, except that a box holding no number at all
 * is told so ("must be a number") rather than the first range rule it fails.
 */
export const numberInput = <T extends object>(
  dto: Type<T>,
  shape: (raw: Record<string, unknown>) => Record<string, unknown>,
  numbers: readonly string[],
  toDto: (values: Record<string, unknown>) => Record<string, unknown> = (values) => values,
) => ({
  async transform(raw: unknown): Promise<Input<T>> {
    const values = shape((raw ?? {}) as Record<string, unknown>);
    const given = toDto(values);
    const plain = { ...given, ...Object.fromEntries(numbers.map((f) => [f, numberOf(given[f])])) };
    try {
      return { values, dto: await validated(dto, plain), error: null };
    } catch (error) {
      if (!(error instanceof InvalidInputException)) return { values, dto: null, error };
      const notNumbers = numbers.filter((f) => given[f] !== undefined && typeof plain[f] !== 'number');
      const fields = error.fields.map((f) =>
        notNumbers.includes(f.field) ? { field: f.field, problems: [`${f.field} must be a number, for example 68.1`] } : f,
      );
      return { values, dto: null, error: new InvalidInputException(fields) };
    }
  },
});

export const DONE_TEXT: Record<string, string> = {
  defined: 'Indicator defined.',
  recorded: 'Measurement recorded.',
  corrected: 'Measurement corrected.',
  target: 'Target changed.',
  'team-target': 'Team target set.',
  comparator: 'Comparator recorded.',
  aggregation: 'Aggregation changed.',
};

export const AGGREGATION_TEXT: Record<Aggregation, string> = {
  sum: 'Sum of the months (a count)',
  mean: 'Mean of the months (of the numerators and denominators when every month has them)',
  last: 'Last value (a snapshot, such as a rate per 10,000)',
};

/** "Year to date (2020-04 to 2020-06, 3 months): 70%". */
export const aggregateText = (label: string, value: AggregateValue | null, unit: IndicatorUnit): string | null =>
  value
    ? `${label} (${value.from} to ${value.to}, ${value.months} of ${value.monthsInWindow} months): ${formatValue(value.value, unit)}`
    : null;

/** "Year to date 96%", with "(1 of 6 months)" when months are missing. */
export const shortAggregate = (label: string, value: AggregateValue | null, unit: IndicatorUnit): string | null =>
  value
    ? `${label} ${formatValue(value.value, unit)}${value.months < value.monthsInWindow ? ` (${value.months} of ${value.monthsInWindow} months)` : ''}`
    : null;

/** Domain errors of a measurement and the field they are about. */
export const MEASUREMENT_FIELDS: Record<string, string> = {
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
export class MeasurementToCorrectMissing extends RuleBrokenError {
  readonly code = 'MEASUREMENT_TO_CORRECT_MISSING';
}
