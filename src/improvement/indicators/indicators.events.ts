import type { Aggregation, Comparator, DomainEvent, Frequency, IndicatorUnit, Polarity } from '@casetrail/kernel';

/** Stream: indicator-<code>: the definition, its targets and every measurement and correction. */
export type IndicatorDefined = DomainEvent<
  'IndicatorDefined',
  {
    code: string;
    name: string;
    unit: IndicatorUnit;
    polarity: Polarity;
    target: number;
    tolerance: number;
    frequency: Frequency;
    /** How monthly values add up over a year (absent on older events: the unit's default). */
    aggregation?: Aggregation;
  }
>;
/** A new target and tolerance, in force for periods ending on or after `from`. */
export type IndicatorTargetChanged = DomainEvent<
  'IndicatorTargetChanged',
  { code: string; target: number; tolerance: number; from: string }
>;
export type MeasurementRecorded = DomainEvent<
  'MeasurementRecorded',
  {
    code: string;
    teamId?: string;
    period: string;
    value: number;
    numerator?: number;
    denominator?: number;
    note?: string;
  }
>;
export type MeasurementCorrected = DomainEvent<
  'MeasurementCorrected',
  {
    code: string;
    period: string;
    teamId?: string;
    value: number;
    previousValue: number;
    numerator?: number;
    denominator?: number;
    reason: string;
  }
>;

/** How the indicator's monthly values add up to a year to date and a rolling 12 months. */
export type IndicatorAggregationChanged = DomainEvent<'IndicatorAggregationChanged', { code: string; aggregation: Aggregation }>;
/** A team's own target and tolerance, in force for its periods ending on or after `from`. */
export type TeamTargetSet = DomainEvent<
  'TeamTargetSet',
  { code: string; teamId: string; target: number; tolerance: number; from: string }
>;
/** A published comparator for a year ("2019/20"): the England average, statistical neighbours... */
export type ComparatorRecorded = DomainEvent<
  'ComparatorRecorded',
  { code: string; comparator: Comparator; year: string; value: number; previousValue?: number; source?: string }
>;

export type IndicatorEvent =
  | IndicatorDefined
  | IndicatorTargetChanged
  | MeasurementRecorded
  | MeasurementCorrected
  | IndicatorAggregationChanged
  | TeamTargetSet
  | ComparatorRecorded;

export const INDICATOR_EVENT_SCHEMA_VERSIONS: Record<IndicatorEvent['type'], number> = {
  IndicatorDefined: 1,
  IndicatorTargetChanged: 1,
  MeasurementRecorded: 1,
  MeasurementCorrected: 1,
  IndicatorAggregationChanged: 1,
  TeamTargetSet: 1,
  ComparatorRecorded: 1,
};

export const indicatorStreamId = (code: string): string => `indicator-${code}`;
