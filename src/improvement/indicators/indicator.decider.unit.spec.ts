import { deciderSpec } from '@casetrail/testing';
import {
  AggregationNotAllowed,
  AggregationUnchanged,
  ComparatorUnchanged,
  ComparatorYearInvalid,
  CorrectionUnchanged,
  TeamTargetOutOfOrder,
  IndicatorAlreadyDefined,
  indicatorDecider,
  IndicatorNotFound,
  MeasurementAlreadyRecorded,
  MeasurementNotFound,
  MeasurementTeamUnknown,
  PercentOutOfRange,
  PeriodDoesNotMatchFrequency,
  PeriodNotStarted,
  RatioIncomplete,
  TargetChangeOutOfOrder,
  TargetUnchanged,
  ValueDisagreesWithRatio,
} from './indicator.decider';
import type { IndicatorDefined, IndicatorEvent } from './indicators.events';

const now = '2020-08-03T10:00:00.000Z';
const definition: IndicatorDefined['data'] = {
  code: 'contacts-24h',
  name: 'Contacts completed within 24 hours',
  unit: 'percent',
  polarity: 'higher-is-better',
  target: 95,
  tolerance: 5,
  frequency: 'monthly',
};
const defined: IndicatorEvent = { type: 'IndicatorDefined', data: definition };
const june: IndicatorEvent = {
  type: 'MeasurementRecorded',
  data: { code: 'contacts-24h', teamId: 'mash', period: '2020-06', value: 68.1, numerator: 681, denominator: 1000 },
};
const define = (changes: Partial<IndicatorDefined['data']> = {}) => ({
  type: 'DefineIndicator' as const,
  now,
  ...definition,
  ...changes,
});
const record = (changes: Record<string, unknown> = {}) => ({
  type: 'RecordMeasurement' as const,
  now,
  code: 'contacts-24h',
  teamId: 'mash',
  teamKnown: true,
  period: '2020-06',
  value: 68.1,
  numerator: 681,
  denominator: 1000,
  ...changes,
});
const correct = (changes: Record<string, unknown> = {}) => ({
  type: 'CorrectMeasurement' as const,
  now,
  code: 'contacts-24h',
  teamId: 'mash',
  period: '2020-06',
  value: 70.2,
  reason: 'Late recording of 21 contacts completed on time',
  ...changes,
});
const { given } = deciderSpec(indicatorDecider);

describe('indicator decider', () => {
  it('an indicator is defined with unit, polarity, target, tolerance and frequency', () =>
    given([]).when(define()).then([defined]));

  it('an indicator code cannot be defined twice', () => given([defined]).when(define()).thenThrows(IndicatorAlreadyDefined));

  it('a percentage target lies between 0 and 100', () =>
    given([])
      .when(define({ target: 105 }))
      .thenThrows(PercentOutOfRange));

  it('a target change records the new target and the day it applies from', () =>
    given([defined])
      .when({ type: 'ChangeTarget', now, code: 'contacts-24h', target: 90, tolerance: 5, from: '2020-10-01' })
      .then([{ type: 'IndicatorTargetChanged', data: { code: 'contacts-24h', target: 90, tolerance: 5, from: '2020-10-01' } }]));

  it('a target change must change something', () =>
    given([defined])
      .when({ type: 'ChangeTarget', now, code: 'contacts-24h', target: 95, tolerance: 5, from: '2020-10-01' })
      .thenThrows(TargetUnchanged));

  it('target changes come in date order', () =>
    given([
      defined,
      { type: 'IndicatorTargetChanged', data: { code: 'contacts-24h', target: 90, tolerance: 5, from: '2020-10-01' } },
    ])
      .when({ type: 'ChangeTarget', now, code: 'contacts-24h', target: 92, tolerance: 5, from: '2020-09-01' })
      .thenThrows(TargetChangeOutOfOrder));

  it('a target change needs an indicator', () =>
    given([])
      .when({ type: 'ChangeTarget', now, code: 'contacts-24h', target: 90, tolerance: 5, from: '2020-10-01' })
      .thenThrows(IndicatorNotFound));

  it('a measurement is recorded for a team and period', () => given([defined]).when(record()).then([june]));

  it('a council-wide measurement has no team', () =>
    given([defined])
      .when(record({ teamId: undefined, numerator: undefined, denominator: undefined }))
      .then([{ type: 'MeasurementRecorded', data: { code: 'contacts-24h', period: '2020-06', value: 68.1 } }]));

  it('a measurement needs a defined indicator', () => given([]).when(record()).thenThrows(IndicatorNotFound));

  it('the team must be registered', () =>
    given([defined])
      .when(record({ teamKnown: false }))
      .thenThrows(MeasurementTeamUnknown));

  it("the period must match the indicator's frequency", () => {
    given([defined])
      .when(record({ period: '2020/21 Q1' }))
      .thenThrows(PeriodDoesNotMatchFrequency, /"2020-06"/);
    given([defined])
      .when(record({ period: '2020-W23' }))
      .thenThrows(PeriodDoesNotMatchFrequency);
    given([defined])
      .when(record({ period: '2020-13' }))
      .thenThrows(PeriodDoesNotMatchFrequency);
  });

  it('a period that has not started cannot be measured', () =>
    given([defined])
      .when(record({ period: '2020-09' }))
      .thenThrows(PeriodNotStarted));

  it('the value must agree with numerator and denominator (within rounding)', () => {
    given([defined])
      .when(record({ value: 68.14 }))
      .then([{ ...june, data: { ...june.data, value: 68.14 } }]);
    given([defined])
      .when(record({ value: 6.81 }))
      .thenThrows(ValueDisagreesWithRatio, /681 out of 1000 gives 68.1, not 6.81/);
    given([defined])
      .when(record({ denominator: 0 }))
      .thenThrows(ValueDisagreesWithRatio, /denominator cannot be 0/);
  });

  it('a rate per 10,000 is numerator / denominator x 10,000', () => {
    const lac: IndicatorEvent = {
      type: 'IndicatorDefined',
      data: {
        ...definition,
        code: 'lac-rate',
        unit: 'rate-per-10k',
        polarity: 'lower-is-better',
        target: 64,
        frequency: 'quarterly',
      },
    };
    given([lac])
      .when(record({ code: 'lac-rate', teamId: undefined, period: '2020/21 Q1', value: 96, numerator: 480, denominator: 50000 }))
      .then([
        {
          type: 'MeasurementRecorded',
          data: { code: 'lac-rate', period: '2020/21 Q1', value: 96, numerator: 480, denominator: 50000 },
        },
      ]);
    given([lac])
      .when(
        record({ code: 'lac-rate', teamId: undefined, period: '2020/21 Q1', value: 0.96, numerator: 480, denominator: 50000 }),
      )
      .thenThrows(ValueDisagreesWithRatio);
  });

  it('numerator and denominator come together', () =>
    given([defined])
      .when(record({ denominator: undefined }))
      .thenThrows(RatioIncomplete));

  it('a percentage value lies between 0 and 100', () =>
    given([defined])
      .when(record({ value: 101, numerator: undefined, denominator: undefined }))
      .thenThrows(PercentOutOfRange));

  it('a period is recorded once per team; a change is a correction', () => {
    given([defined, june])
      .when(record())
      .thenThrows(MeasurementAlreadyRecorded, /send a correction/);
    given([defined, june])
      .when(record({ teamId: 'cin-north' }))
      .then([{ ...june, data: { ...june.data, teamId: 'cin-north' } }]);
  });

  it('a correction keeps the previous value and the reason', () =>
    given([defined, june])
      .when(correct())
      .then([
        {
          type: 'MeasurementCorrected',
          data: {
            code: 'contacts-24h',
            period: '2020-06',
            teamId: 'mash',
            value: 70.2,
            previousValue: 68.1,
            reason: 'Late recording of 21 contacts completed on time',
          },
        },
      ]));

  it('only a recorded value can be corrected', () => given([defined]).when(correct()).thenThrows(MeasurementNotFound));

  it('a correction must change the value', () =>
    given([defined, june])
      .when(correct({ value: 68.1 }))
      .thenThrows(CorrectionUnchanged));

  it('a corrected value must agree with its numerator and denominator too', () =>
    given([defined, june])
      .when(correct({ numerator: 702, denominator: 1000, value: 72 }))
      .thenThrows(ValueDisagreesWithRatio));
});

describe('indicators say how they aggregate: sum, mean or last value; a percentage cannot simply be summed', () => {
  it('a percentage indicator defined to be summed is refused', () =>
    given([])
      .when(define({ aggregation: 'sum' }))
      .thenThrows(AggregationNotAllowed, /A percentage cannot simply be summed/));

  it('a count may be summed', () =>
    given([])
      .when(define({ unit: 'count', target: 100, aggregation: 'sum' }))
      .then([{ type: 'IndicatorDefined', data: { ...definition, unit: 'count', target: 100, aggregation: 'sum' } }]));

  it('the aggregation of an indicator is changed, recorded as an event; never to a sum of percentages', () => {
    given([defined])
      .when({ type: 'ChangeAggregation', now, code: 'contacts-24h', aggregation: 'last' })
      .then([{ type: 'IndicatorAggregationChanged', data: { code: 'contacts-24h', aggregation: 'last' } }]);
    given([defined])
      .when({ type: 'ChangeAggregation', now, code: 'contacts-24h', aggregation: 'sum' })
      .thenThrows(AggregationNotAllowed);
    given([defined, { type: 'IndicatorAggregationChanged', data: { code: 'contacts-24h', aggregation: 'last' } }])
      .when({ type: 'ChangeAggregation', now, code: 'contacts-24h', aggregation: 'last' })
      .thenThrows(AggregationUnchanged);
  });
});

describe('indicators have per-team targets', () => {
  const setTeam = (changes: Record<string, unknown> = {}) => ({
    type: 'SetTeamTarget' as const,
    now,
    code: 'contacts-24h',
    teamId: 'mash',
    teamKnown: true,
    target: 90,
    tolerance: 5,
    from: '2020-04-01',
    ...changes,
  });
  const set: IndicatorEvent = {
    type: 'TeamTargetSet',
    data: { code: 'contacts-24h', teamId: 'mash', target: 90, tolerance: 5, from: '2020-04-01' },
  };

  it("a team's own target is recorded", () => given([defined]).when(setTeam()).then([set]));

  it('the team must exist, a percentage stays within 100, and a later target applies from a later day', () => {
    given([defined])
      .when(setTeam({ teamKnown: false }))
      .thenThrows(MeasurementTeamUnknown);
    given([defined])
      .when(setTeam({ target: 101 }))
      .thenThrows(PercentOutOfRange);
    given([defined, set])
      .when(setTeam({ from: '2020-04-01', target: 92 }))
      .thenThrows(TeamTargetOutOfOrder);
    given([defined, set])
      .when(setTeam({ from: '2020-10-01', target: 92 }))
      .then([
        { type: 'TeamTargetSet', data: { code: 'contacts-24h', teamId: 'mash', target: 92, tolerance: 5, from: '2020-10-01' } },
      ]);
  });
});

describe('indicators have comparators: England average, statistical neighbours', () => {
  const compare = (changes: Record<string, unknown> = {}) => ({
    type: 'RecordComparator' as const,
    now,
    code: 'contacts-24h',
    comparator: 'england' as const,
    year: '2019/20',
    value: 82.5,
    ...changes,
  });

  it('a published comparator for a financial year is recorded, and a later revision keeps the earlier value', () => {
    given([defined])
      .when(compare({ source: 'DfE statistics' }))
      .then([
        {
          type: 'ComparatorRecorded',
          data: { code: 'contacts-24h', comparator: 'england', year: '2019/20', value: 82.5, source: 'DfE statistics' },
        },
      ]);
    const recorded: IndicatorEvent = {
      type: 'ComparatorRecorded',
      data: { code: 'contacts-24h', comparator: 'england', year: '2019/20', value: 82.5 },
    };
    given([defined, recorded])
      .when(compare({ value: 83 }))
      .then([
        {
          type: 'ComparatorRecorded',
          data: { code: 'contacts-24h', comparator: 'england', year: '2019/20', value: 83, previousValue: 82.5 },
        },
      ]);
    given([defined, recorded])
      .when(compare())
      .thenThrows(ComparatorUnchanged, /England average for 2019\/20 is already 82.5/);
  });

  it('the year is a financial year and a percentage stays within 100', () => {
    given([defined])
      .when(compare({ year: '2019/21' }))
      .thenThrows(ComparatorYearInvalid, /write it like 2019\/20/);
    given([defined])
      .when(compare({ comparator: 'statistical-neighbours', value: 120 }))
      .thenThrows(PercentOutOfRange);
  });
});
