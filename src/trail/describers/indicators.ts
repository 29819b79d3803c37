import { day, need, reason, words, type EventDescriber } from './words';

/** A number as the scorecards write it: "68.1", "1,250". */
const num = (value: unknown): string => {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError('not a number');
  return value.toLocaleString('en-GB', { maximumFractionDigits: 4 });
};
/** Only the definition knows the unit: "95%", "45 days", "64 per 10,000". */
const inUnit = (value: unknown, unit: unknown): string => {
  switch (unit) {
    case 'percent':
      return `${num(value)}%`;
    case 'days':
      return `${num(value)} days`;
    case 'rate-per-10k':
      return `${num(value)} per 10,000`;
    default:
      return num(value);
  }
};
const team = (d: Record<string, unknown>): string => (d.teamId ? ` for team ${words(d.teamId)}` : '');
const fraction = (d: Record<string, unknown>): string =>
  d.numerator !== undefined && d.denominator !== undefined ? ` (${num(d.numerator)} of ${num(d.denominator)})` : '';

const COMPARATOR_WORDS: Record<string, string> = {
  england: 'England average',
  'statistical-neighbours': 'statistical neighbours',
  region: 'regional average',
};

/** Stream indicator-<code> (src/indicators/indicators.events.ts): service-level, no child. */
export const INDICATOR_DESCRIBERS: Record<string, EventDescriber> = {
  IndicatorDefined: (d, c) =>
    `${c.entity}: defined as "${words(d.name)}" by ${c.actor}, measured ${words(d.frequency)}, ${words(d.polarity)}, ` +
    `target ${inUnit(d.target, d.unit)} (tolerance ${inUnit(d.tolerance, d.unit)})`,
  IndicatorTargetChanged: (d, c) =>
    `${c.entity}: target set to ${num(d.target)} (tolerance ${num(d.tolerance)}) by ${c.actor}, ` +
    `for periods ending on or after ${day(d.from)}`,
  IndicatorAggregationChanged: (d, c) =>
    `${c.entity}: over a year its monthly values now add up by ${d.aggregation === 'last' ? 'the last value' : `their ${words(d.aggregation)}`}, set by ${c.actor}`,
  TeamTargetSet: (d, c) =>
    `${c.entity}: target for team ${words(d.teamId)} set to ${num(d.target)} (tolerance ${num(d.tolerance)}) by ${c.actor}, ` +
    `for periods ending on or after ${day(d.from)}`,
  ComparatorRecorded: (d, c) =>
    `${c.entity}: ${COMPARATOR_WORDS[String(d.comparator)] ?? words(d.comparator)} for ${words(d.year)} recorded as ${num(d.value)}` +
    `${d.previousValue !== undefined ? ` (was ${num(d.previousValue)})` : ''} by ${c.actor}`,
  MeasurementRecorded: (d, c) =>
    `${c.entity}: ${num(d.value)}${fraction(d)} recorded for ${words(need(d.period))}${team(d)} by ${c.actor}`,
  MeasurementCorrected: (d, c) =>
    `${c.entity}: measurement for ${words(need(d.period))}${team(d)} corrected from ${num(d.previousValue)} ` +
    `to ${num(d.value)}${fraction(d)} by ${c.actor}${reason(d)}`,
};
