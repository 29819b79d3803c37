import { ProjectionHarness } from '@casetrail/testing';
import type { IndicatorEvent } from '../indicators.events';
import { IndicatorRow, indicatorsProjection, MeasurementRow } from './indicator.projection';

describe('indicators projection', () => {
  const h = ProjectionHarness.perTest(indicatorsProjection);

  const history: IndicatorEvent[] = [
    {
      type: 'IndicatorDefined',
      data: {
        code: 'contacts-24h',
        name: 'Contacts in 24 hours',
        unit: 'percent',
        polarity: 'higher-is-better',
        target: 95,
        tolerance: 5,
        frequency: 'monthly',
      },
    },
    { type: 'IndicatorTargetChanged', data: { code: 'contacts-24h', target: 90, tolerance: 5, from: '2020-10-01' } },
    {
      type: 'MeasurementRecorded',
      data: { code: 'contacts-24h', teamId: 'mash', period: '2020-06', value: 68.1, numerator: 681, denominator: 1000 },
    },
    { type: 'MeasurementRecorded', data: { code: 'contacts-24h', period: '2020-06', value: 70 } },
    {
      type: 'MeasurementCorrected',
      data: {
        code: 'contacts-24h',
        teamId: 'mash',
        period: '2020-06',
        value: 70.2,
        previousValue: 68.1,
        reason: 'Late recording',
      },
    },
  ];

  it('keeps every target spell, one row per team and period, and corrections with the value they replaced', async () => {
    await h.record('indicator-contacts-24h', history);
    await h.project();
    const [indicator] = await h.rows(IndicatorRow, 'code');
    expect(indicator).toMatchObject({ target: 90, tolerance: 5 });
    expect(indicator.targets).toEqual([
      { from: '', target: 95, tolerance: 5 },
      { from: '2020-10-01', target: 90, tolerance: 5 },
    ]);
    const rows = await h.rows(MeasurementRow, 'teamKey');
    expect(rows.map((r) => [r.teamKey, r.teamId, r.period, r.periodFrom, r.periodTo, r.value, r.numerator])).toEqual([
      ['*', null, '2020-06', '2020-06-01', '2020-06-30', 70, null],
      // The correction gave no ratio, so the old numerator/denominator no longer describe the value.
      ['mash', 'mash', '2020-06', '2020-06-01', '2020-06-30', 70.2, null],
    ]);
    expect(rows[1].corrections).toEqual([
      expect.objectContaining({ previousValue: 68.1, value: 70.2, reason: 'Late recording', correctedBy: 'user-test' }),
    ]);
  });

  it('replaying the same events gives the same rows', async () => {
    await h.record('indicator-contacts-24h', history);
    await h.project();
    await h.expectRebuildKeeps(() => h.rows(MeasurementRow, 'teamKey'));
  });

  it('keeps the aggregation, each team target, and one value per comparator and year (a revision replaces it)', async () => {
    await h.record('indicator-contacts-24h', [
      history[0],
      { type: 'IndicatorAggregationChanged', data: { code: 'contacts-24h', aggregation: 'last' } },
      { type: 'TeamTargetSet', data: { code: 'contacts-24h', teamId: 'mash', target: 90, tolerance: 2, from: '2020-04-01' } },
      { type: 'ComparatorRecorded', data: { code: 'contacts-24h', comparator: 'england', year: '2019/20', value: 82 } },
      {
        type: 'ComparatorRecorded',
        data: { code: 'contacts-24h', comparator: 'england', year: '2019/20', value: 83, previousValue: 82 },
      },
      {
        type: 'ComparatorRecorded',
        data: { code: 'contacts-24h', comparator: 'statistical-neighbours', year: '2019/20', value: 78, source: 'LAIT' },
      },
    ]);
    await h.project();
    const [row] = await h.rows(IndicatorRow, 'code');
    expect(row.aggregation).toBe('last');
    expect(row.teamTargets).toEqual([{ teamId: 'mash', from: '2020-04-01', target: 90, tolerance: 2 }]);
    expect(row.comparators).toEqual([
      { comparator: 'england', year: '2019/20', value: 83 },
      { comparator: 'statistical-neighbours', year: '2019/20', value: 78, source: 'LAIT' },
    ]);
  });
});
