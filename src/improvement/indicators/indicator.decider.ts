import {
  addDays,
  aggregationProblem,
  COMPARATOR_TEXT,
  dayInWords,
  dayOf,
  parsePeriod,
  valueAgreesWithRatio,
  valueFromRatio,
  type Aggregation,
  type Comparator,
  recordDeciderOf,
  existingRecord,
  dataOf,
  onlyWhen,
  type Frequency,
  type IndicatorUnit,
  type Polarity,
  notFound,
  conflict,
  ruleBroken,
} from '@casetrail/kernel';
import {
  INDICATOR_EVENT_SCHEMA_VERSIONS,
  type IndicatorDefined,
  type IndicatorEvent,
  type MeasurementCorrected,
  type MeasurementRecorded,
} from './indicators.events';

interface Ratio {
  numerator?: number;
  denominator?: number;
}

export type IndicatorCommand =
  | ({ type: 'DefineIndicator'; now: string } & IndicatorDefined['data'])
  | { type: 'ChangeTarget'; now: string; code: string; target: number; tolerance: number; from: string }
  | ({
      type: 'RecordMeasurement';
      now: string;
      code: string;
      teamId?: string;
      /** False when teamId names no registered team (looked up by the caller). */
      teamKnown: boolean;
      period: string;
      value: number;
      note?: string;
    } & Ratio)
  | { type: 'ChangeAggregation'; now: string; code: string; aggregation: Aggregation }
  | {
      type: 'SetTeamTarget';
      now: string;
      code: string;
      teamId: string;
      /** False when teamId names no registered team (looked up by the caller). */
      teamKnown: boolean;
      target: number;
      tolerance: number;
      from: string;
    }
  | { type: 'RecordComparator'; now: string; code: string; comparator: Comparator; year: string; value: number; source?: string }
  | ({
      type: 'CorrectMeasurement';
      now: string;
      code: string;
      teamId?: string;
      period: string;
      value: number;
      reason: string;
    } & Ratio);

export type IndicatorState =
  | { status: 'none' }
  | {
      status: 'defined';
      code: string;
      unit: IndicatorUnit;
      polarity: Polarity;
      frequency: Frequency;
      target: number;
      tolerance: number;
      /** Day from which the current target applies ('' = from the start). */
      targetFrom: string;
      /** Current value of each measurement, by measurementKey(teamId, period). */
      measurements: Record<string, number>;
      aggregation?: Aggregation;
      /** Team id -> day from which its latest team target applies. */
      teamTargetFrom?: Record<string, string>;
      /** "comparator|year" -> value. */
      comparators?: Record<string, number>;
    };

type Defined = Extract<IndicatorState, { status: 'defined' }>;

/** One measurement per team (or council-wide) and period. */
export const measurementKey = (teamId: string | undefined, period: string): string => `${teamId ?? '*'}|${period}`;
const whose = (teamId: string | undefined): string => (teamId ? `team "${teamId}"` : 'the whole council');

export class IndicatorAlreadyDefined extends conflict(
  'INDICATOR_ALREADY_DEFINED',
  (code: string) => `An indicator with the code "${code}" is already defined.`,
) {}
export class IndicatorNotFound extends notFound(
  'INDICATOR_NOT_FOUND',
  (code: string) => `There is no performance indicator "${code}".`,
) {}
export class PercentOutOfRange extends ruleBroken(
  'PERCENT_OUT_OF_RANGE',
  (field: string, value: number) => `${field} ${value} is not a percentage between 0 and 100.`,
) {}
export class TargetUnchanged extends ruleBroken(
  'TARGET_UNCHANGED',
  (target: number, tolerance: number) => `The target is already ${target} with a tolerance of ${tolerance}.`,
) {}
export class TargetChangeOutOfOrder extends ruleBroken(
  'TARGET_CHANGE_OUT_OF_ORDER',
  (from: string, currentFrom: string) =>
    `A new target must apply from after ${dayInWords(currentFrom)}, when the current one started; ${dayInWords(from)} is not.`,
) {}
const PERIOD_EXAMPLE = { weekly: '2020-W23', monthly: '2020-06', quarterly: '2020/21 Q1' } as const;
export class PeriodDoesNotMatchFrequency extends ruleBroken(
  'PERIOD_DOES_NOT_MATCH_FREQUENCY',
  (period: string, frequency: Frequency) =>
    `This indicator is measured ${frequency}, so its period looks like "${PERIOD_EXAMPLE[frequency]}", not "${period}".`,
) {}
export class PeriodNotStarted extends ruleBroken(
  'PERIOD_NOT_STARTED',
  (period: string, from: string) => `The period ${period} starts on ${dayInWords(from)}: it cannot be measured yet.`,
) {}
export class MeasurementAlreadyRecorded extends conflict(
  'MEASUREMENT_ALREADY_RECORDED',
  (period: string, teamId: string | undefined) =>
    `A value for ${period} is already recorded for ${whose(teamId)}; send a correction with a reason instead.`,
) {}
export class MeasurementNotFound extends notFound(
  'MEASUREMENT_NOT_FOUND',
  (period: string, teamId: string | undefined) =>
    `No value for ${period} is recorded for ${whose(teamId)}, so there is nothing to correct.`,
) {}
export class CorrectionUnchanged extends ruleBroken(
  'CORRECTION_UNCHANGED',
  (value: number) => `The recorded value is already ${value}.`,
) {}
export class RatioIncomplete extends ruleBroken(
  'RATIO_INCOMPLETE',
  () => 'Give both the numerator and the denominator, or neither.',
) {}
export class ValueDisagreesWithRatio extends ruleBroken(
  'VALUE_DISAGREES_WITH_RATIO',
  (value: number, numerator: number, denominator: number, expected: number | undefined) =>
    expected === undefined
      ? `The denominator cannot be 0 (value ${value}, numerator ${numerator}).`
      : `${numerator} out of ${denominator} gives ${Math.round(expected * 100) / 100}, not ${value}.`,
) {}
export class MeasurementTeamUnknown extends ruleBroken(
  'MEASUREMENT_TEAM_UNKNOWN',
  (teamId: string) => `There is no team "${teamId}".`,
) {}

export class AggregationNotAllowed extends ruleBroken('AGGREGATION_NOT_ALLOWED', (message: string) => message) {}
export class AggregationUnchanged extends ruleBroken(
  'AGGREGATION_UNCHANGED',
  (aggregation: string) =>
    `The indicator already aggregates by ${aggregation === 'last' ? 'its last value' : `its ${aggregation}`}.`,
) {}
export class TeamTargetOutOfOrder extends ruleBroken(
  'TEAM_TARGET_OUT_OF_ORDER',
  (teamId: string, from: string, currentFrom: string) =>
    `Team "${teamId}" already has a target from ${dayInWords(currentFrom)}; a new one must apply from a later day, not ${dayInWords(from)}.`,
) {}
export class ComparatorYearInvalid extends ruleBroken(
  'COMPARATOR_YEAR_INVALID',
  (year: string) => `"${year}" is not a financial year: write it like 2019/20.`,
) {}
export class ComparatorUnchanged extends ruleBroken(
  'COMPARATOR_UNCHANGED',
  (comparator: Comparator, year: string, value: number) => `The ${COMPARATOR_TEXT[comparator]} for ${year} is already ${value}.`,
) {}

const FINANCIAL_YEAR = /^(\d{4})\/(\d{2})$/;
const isFinancialYear = (year: string): boolean => {
  const match = FINANCIAL_YEAR.exec(year);
  return match !== null && Number(match[2]) === (Number(match[1]) + 1) % 100;
};

const defined = (state: IndicatorState, code: string): Defined => existingRecord(state, () => new IndicatorNotFound(code));

function assertPercent(unit: IndicatorUnit, field: string, value: number): void {
  if (unit === 'percent' && (value < 0 || value > 100)) throw new PercentOutOfRange(field, value);
}

/** The value must agree with numerator/denominator when given (within rounding, see the kernel). */
function assertRatio(unit: IndicatorUnit, value: number, { numerator, denominator }: Ratio): Ratio {
  if (numerator === undefined && denominator === undefined) return {};
  if (numerator === undefined || denominator === undefined) throw new RatioIncomplete();
  if (!valueAgreesWithRatio(unit, value, numerator, denominator)) {
    throw new ValueDisagreesWithRatio(value, numerator, denominator, valueFromRatio(unit, numerator, denominator));
  }
  return { numerator, denominator };
}

function assertPeriod(indicator: Defined, period: string, now: string): void {
  const parsed = parsePeriod(period);
  if (!parsed || parsed.frequency !== indicator.frequency) throw new PeriodDoesNotMatchFrequency(period, indicator.frequency);
  if (parsed.from > addDays(dayOf(now), 1)) throw new PeriodNotStarted(period, parsed.from);
}

const onceRecorded = onlyWhen((state: IndicatorState): state is Defined => state.status !== 'none');

const measured = (state: Defined, event: MeasurementRecorded | MeasurementCorrected): IndicatorState => ({
  ...state,
  measurements: { ...state.measurements, [measurementKey(event.data.teamId, event.data.period)]: event.data.value },
});

export const indicatorDecider = recordDeciderOf<IndicatorCommand, IndicatorEvent, IndicatorState>(
  'indicator',
  INDICATOR_EVENT_SCHEMA_VERSIONS,
  {
    alreadyExists: { DefineIndicator: (command) => new IndicatorAlreadyDefined(command.code) },

    decide: {
      DefineIndicator(command) {
        const data = dataOf(command);
        assertPercent(data.unit, 'target', data.target);
        const problem = data.aggregation ? aggregationProblem(data.unit, data.aggregation) : null;
        if (problem) throw new AggregationNotAllowed(problem);
        return [{ type: 'IndicatorDefined', data }];
      },
      ChangeAggregation(command, state) {
        const indicator = defined(state, command.code);
        const problem = aggregationProblem(indicator.unit, command.aggregation);
        if (problem) throw new AggregationNotAllowed(problem);
        if (indicator.aggregation === command.aggregation) throw new AggregationUnchanged(command.aggregation);
        return [{ type: 'IndicatorAggregationChanged', data: { code: command.code, aggregation: command.aggregation } }];
      },
      SetTeamTarget(command, state) {
        const indicator = defined(state, command.code);
        const { code, teamId, target, tolerance, from } = command;
        if (!command.teamKnown) throw new MeasurementTeamUnknown(teamId);
        assertPercent(indicator.unit, 'target', target);
        const currentFrom = indicator.teamTargetFrom?.[teamId];
        if (currentFrom !== undefined && from <= currentFrom) throw new TeamTargetOutOfOrder(teamId, from, currentFrom);
        return [{ type: 'TeamTargetSet', data: { code, teamId, target, tolerance, from } }];
      },
      RecordComparator(command, state) {
        const indicator = defined(state, command.code);
        const { code, comparator, year, value, source } = command;
        if (!isFinancialYear(year)) throw new ComparatorYearInvalid(year);
        assertPercent(indicator.unit, 'value', value);
        const previousValue = indicator.comparators?.[`${comparator}|${year}`];
        if (previousValue === value) throw new ComparatorUnchanged(comparator, year, value);
        return [
          {
            type: 'ComparatorRecorded',
            data: {
              code,
              comparator,
              year,
              value,
              ...(previousValue !== undefined ? { previousValue } : {}),
              ...(source ? { source } : {}),
            },
          },
        ];
      },
      ChangeTarget(command, state) {
        const indicator = defined(state, command.code);
        const { code, target, tolerance, from } = command;
        assertPercent(indicator.unit, 'target', target);
        if (target === indicator.target && tolerance === indicator.tolerance) throw new TargetUnchanged(target, tolerance);
        if (from <= indicator.targetFrom) throw new TargetChangeOutOfOrder(from, indicator.targetFrom);
        return [{ type: 'IndicatorTargetChanged', data: { code, target, tolerance, from } }];
      },
      RecordMeasurement(command, state) {
        const indicator = defined(state, command.code);
        const { code, teamId, period, value, note } = command;
        if (teamId && !command.teamKnown) throw new MeasurementTeamUnknown(teamId);
        assertPeriod(indicator, period, command.now);
        assertPercent(indicator.unit, 'value', value);
        const ratio = assertRatio(indicator.unit, value, command);
        if (measurementKey(teamId, period) in indicator.measurements) throw new MeasurementAlreadyRecorded(period, teamId);
        return [
          {
            type: 'MeasurementRecorded',
            data: { code, ...(teamId ? { teamId } : {}), period, value, ...ratio, ...(note ? { note } : {}) },
          },
        ];
      },
      CorrectMeasurement(command, state) {
        const indicator = defined(state, command.code);
        const { code, teamId, period, value, reason } = command;
        const previousValue = indicator.measurements[measurementKey(teamId, period)];
        if (previousValue === undefined) throw new MeasurementNotFound(period, teamId);
        assertPercent(indicator.unit, 'value', value);
        const ratio = assertRatio(indicator.unit, value, command);
        if (value === previousValue) throw new CorrectionUnchanged(value);
        return [
          {
            type: 'MeasurementCorrected',
            data: { code, period, ...(teamId ? { teamId } : {}), value, previousValue, ...ratio, reason },
          },
        ];
      },
    },

    evolve: {
      IndicatorDefined(_state, event) {
        const { code, unit, polarity, frequency, target, tolerance, aggregation } = event.data;
        return {
          status: 'defined',
          code,
          unit,
          polarity,
          frequency,
          target,
          tolerance,
          targetFrom: '',
          measurements: {},
          ...(aggregation ? { aggregation } : {}),
        };
      },
      IndicatorTargetChanged: onceRecorded((state, event) => ({
        ...state,
        target: event.data.target,
        tolerance: event.data.tolerance,
        targetFrom: event.data.from,
      })),
      IndicatorAggregationChanged: onceRecorded((state, event) => ({ ...state, aggregation: event.data.aggregation })),
      TeamTargetSet: onceRecorded((state, event) => ({
        ...state,
        teamTargetFrom: { ...state.teamTargetFrom, [event.data.teamId]: event.data.from },
      })),
      ComparatorRecorded: onceRecorded((state, event) => ({
        ...state,
        comparators: { ...state.comparators, [`${event.data.comparator}|${event.data.year}`]: event.data.value },
      })),
      MeasurementRecorded: onceRecorded(measured),
      MeasurementCorrected: onceRecorded(measured),
    },
  },
);
