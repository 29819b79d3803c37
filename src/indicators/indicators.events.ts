import type { DomainEvent, Frequency, IndicatorUnit, Polarity } from '@casetrail/kernel';

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

export type IndicatorEvent = IndicatorDefined | IndicatorTargetChanged | MeasurementRecorded | MeasurementCorrected;

export const INDICATOR_EVENT_SCHEMA_VERSIONS: Record<IndicatorEvent['type'], number> = {
  IndicatorDefined: 1,
  IndicatorTargetChanged: 1,
  MeasurementRecorded: 1,
  MeasurementCorrected: 1,
};

export const indicatorStreamId = (code: string): string => `indicator-${code}`;
