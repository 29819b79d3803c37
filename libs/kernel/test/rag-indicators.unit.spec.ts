import {
  aggregateMonths,
  aggregationProblem,
  defaultAggregation,
  directionOfTravel,
  indicatorRag,
  parsePeriod,
  rollingYearWindow,
  scorecardStatus,
  targetBands,
  valueAgreesWithRatio,
  valueFromRatio,
  yearToDateWindow,
  type MonthlyValue,
} from '../src';

describe('indicator RAG (the examples from the seeds)', () => {
  it('contacts completed within 24 hours: 68.1 against 95 (tolerance 5) -> red', () => {
    expect(indicatorRag(68.1, 95, 5, 'higher-is-better')).toBe('red');
  });

  it('child and family assessments in timescale: 92.66 against 95 (tolerance 5) -> amber', () => {
    expect(indicatorRag(92.66, 95, 5, 'higher-is-better')).toBe('amber');
  });

  it('CP visits: 92 against 90 -> green', () => {
    expect(indicatorRag(92, 90, 5, 'higher-is-better')).toBe('green');
  });

  it('looked-after children per 10,000: 96 against 64, lower is better -> red', () => {
    expect(indicatorRag(96, 64, 5, 'lower-is-better')).toBe('red');
  });

  it('boundaries: on target is green, exactly at the tolerance is amber, beyond it red', () => {
    expect(indicatorRag(95, 95, 5, 'higher-is-better')).toBe('green');
    expect(indicatorRag(90, 95, 5, 'higher-is-better')).toBe('amber');
    expect(indicatorRag(89.99, 95, 5, 'higher-is-better')).toBe('red');
    expect(indicatorRag(64, 64, 4, 'lower-is-better')).toBe('green');
    expect(indicatorRag(68, 64, 4, 'lower-is-better')).toBe('amber');
    expect(indicatorRag(68.01, 64, 4, 'lower-is-better')).toBe('red');
    expect(indicatorRag(50, 64, 4, 'lower-is-better')).toBe('green');
  });
});

describe('direction of travel', () => {
  it('follows the polarity', () => {
    expect(directionOfTravel(68.1, 61.2, 'higher-is-better')).toBe('improving');
    expect(directionOfTravel(61.2, 68.1, 'higher-is-better')).toBe('declining');
    expect(directionOfTravel(96, 101, 'lower-is-better')).toBe('improving');
    expect(directionOfTravel(101, 96, 'lower-is-better')).toBe('declining');
    expect(directionOfTravel(92.66, 92.66, 'higher-is-better')).toBe('unchanged');
  });
});

describe('value and its numerator / denominator', () => {
  it('percent is n/d x 100, rate per 10k is n/d x 10,000, count and days n/d', () => {
    expect(valueFromRatio('percent', 366, 1938)).toBeCloseTo(18.885, 3);
    expect(valueFromRatio('rate-per-10k', 480, 50_000)).toBe(96);
    expect(valueFromRatio('days', 450, 10)).toBe(45);
    expect(valueFromRatio('percent', 1, 0)).toBeUndefined();
  });

  it('a value rounded as published agrees; a different one does not', () => {
    expect(valueAgreesWithRatio('percent', 18.89, 366, 1938)).toBe(true);
    expect(valueAgreesWithRatio('percent', 18.9, 366, 1938)).toBe(true); // 18.885 to one decimal place
    expect(valueAgreesWithRatio('percent', 18.95, 366, 1938)).toBe(false);
    expect(valueAgreesWithRatio('percent', 36.6, 366, 1000)).toBe(true);
    expect(valueAgreesWithRatio('percent', 3.66, 366, 1000)).toBe(false);
    expect(valueAgreesWithRatio('count', 5, 5, 0)).toBe(false);
  });
});

describe('reporting periods', () => {
  it('a month', () => {
    expect(parsePeriod('2020-06')).toEqual({ frequency: 'monthly', label: '2020-06', from: '2020-06-01', to: '2020-06-30' });
    expect(parsePeriod('2020-02')?.to).toBe('2020-02-29');
    expect(parsePeriod('2020-13')).toBeUndefined();
  });

  it('a financial quarter: Q1 April-June, Q4 January-March of the next calendar year', () => {
    expect(parsePeriod('2020/21 Q1')).toEqual({
      frequency: 'quarterly',
      label: '2020/21 Q1',
      from: '2020-04-01',
      to: '2020-06-30',
    });
    expect(parsePeriod('2020/21 Q4')).toMatchObject({ from: '2021-01-01', to: '2021-03-31' });
    expect(parsePeriod('1999/00 Q3')).toMatchObject({ from: '1999-10-01', to: '1999-12-31' });
    expect(parsePeriod('2020/22 Q1')).toBeUndefined();
    expect(parsePeriod('2020/21 Q5')).toBeUndefined();
  });

  it('an ISO week: Monday to Sunday, week 1 holds 4 January, week 53 only in long years', () => {
    expect(parsePeriod('2020-W23')).toEqual({ frequency: 'weekly', label: '2020-W23', from: '2020-06-01', to: '2020-06-07' });
    expect(parsePeriod('2021-W01')).toMatchObject({ from: '2021-01-04' });
    expect(parsePeriod('2020-W53')).toMatchObject({ from: '2020-12-28', to: '2021-01-03' });
    expect(parsePeriod('2021-W53')).toBeUndefined();
    expect(parsePeriod('2021-W00')).toBeUndefined();
  });

  it('anything else is not a period', () => {
    for (const text of ['2020', 'June 2020', '2020-6', '2020/21', 'Q1 2020/21', '2020-W5'])
      expect(parsePeriod(text)).toBeUndefined();
  });
});

describe('scorecard for a period', () => {
  const contacts = { frequency: 'monthly' as const, target: 95, tolerance: 5, polarity: 'higher-is-better' as const };
  const may = { value: 61.2, period: '2020-05', periodTo: '2020-05-31' };
  const april = { value: 58, period: '2020-04', periodTo: '2020-04-30' };
  const june = { value: 68.1, period: '2020-06', periodTo: '2020-06-30' };

  it('a value from before the quarter is "not measured": never coloured, with no direction of travel', () => {
    expect(scorecardStatus({ ...contacts, latest: may, previous: april, period: parsePeriod('2020/21 Q2') })).toEqual({
      measured: false,
      rag: null,
      direction: null,
      note: 'not measured in 2020/21 Q2: the latest value is for 2020-05',
    });
  });

  it('a value inside the quarter is coloured, with its direction of travel', () => {
    expect(scorecardStatus({ ...contacts, latest: june, previous: may, period: parsePeriod('2020/21 Q1') })).toEqual({
      measured: true,
      rag: 'red',
      direction: 'improving',
      note: null,
    });
  });

  it('a quarterly indicator on a monthly scorecard keeps its latest quarter', () => {
    const q4 = { value: 38, period: '2024/25 Q4', periodTo: '2025-03-31' };
    const cpRate = { frequency: 'quarterly' as const, target: 40, tolerance: 2, polarity: 'lower-is-better' as const };
    expect(scorecardStatus({ ...cpRate, latest: q4, period: parsePeriod('2025-05') })).toMatchObject({
      measured: true,
      rag: 'green',
    });
  });
});

describe('indicators: target bands', () => {
  it('the target and its tolerance make green, amber and red bands, both ways round', () => {
    expect(targetBands(95, 5, 'higher-is-better')).toEqual({ green: '95 or more', amber: '90 to under 95', red: 'under 90' });
    expect(targetBands(64, 5, 'lower-is-better')).toEqual({ green: '64 or less', amber: 'over 64 to 69', red: 'over 69' });
    expect(targetBands(100, 0, 'higher-is-better').amber).toBe('none (no tolerance)');
    // The bands say what indicatorRag does.
    expect(indicatorRag(90, 95, 5, 'higher-is-better')).toBe('amber');
    expect(indicatorRag(89.9, 95, 5, 'higher-is-better')).toBe('red');
  });
});

describe('indicators: year-to-date and rolling 12-month values from the monthly values', () => {
  // Contacts completed within 24 hours, April to September 2020 (numerator of denominator).
  const months: MonthlyValue[] = [
    { period: '2020-03', value: 50, numerator: 50, denominator: 100 },
    { period: '2020-04', value: 60, numerator: 60, denominator: 100 },
    { period: '2020-05', value: 70, numerator: 140, denominator: 200 },
    { period: '2020-06', value: 80, numerator: 80, denominator: 100 },
  ];

  it('the financial year to date runs from April; the rolling year is the 12 months to the month', () => {
    expect(yearToDateWindow('2020-06')).toEqual({ from: '2020-04', to: '2020-06' });
    expect(yearToDateWindow('2021-02')).toEqual({ from: '2020-04', to: '2021-02' });
    expect(rollingYearWindow('2020-06')).toEqual({ from: '2019-07', to: '2020-06' });
  });

  it('a percentage is the ratio of the summed numerators and denominators (a weighted mean), never a sum', () => {
    const ytd = aggregateMonths(months, '2020-04', '2020-06', 'mean', 'percent');
    expect(ytd).toMatchObject({ value: 70, months: 3, monthsInWindow: 3, method: '280 of 400 over the months' });
    // Without numerators and denominators: the mean of the monthly percentages.
    const plain = months.map(({ period, value }) => ({ period, value }));
    expect(aggregateMonths(plain, '2020-04', '2020-06', 'mean', 'percent')).toMatchObject({
      value: 70,
      method: 'mean of the months',
    });
    const rolling = aggregateMonths(plain, '2019-07', '2020-06', 'mean', 'percent');
    expect(rolling).toMatchObject({ value: 65, months: 4, monthsInWindow: 12 });
    expect(aggregationProblem('percent', 'sum')).toMatch(/A percentage cannot simply be summed/);
    expect(aggregationProblem('rate-per-10k', 'sum')).toMatch(/A rate per 10,000 cannot simply be summed/);
    expect(aggregationProblem('count', 'sum')).toBeNull();
  });

  it('a count sums; a snapshot takes the last value; each indicator says which', () => {
    const counts = months.map(({ period, value }) => ({ period, value }));
    expect(aggregateMonths(counts, '2020-04', '2020-06', 'sum', 'count')).toMatchObject({
      value: 210,
      method: 'sum of the months',
    });
    expect(aggregateMonths(counts, '2020-04', '2020-06', 'last', 'rate-per-10k')).toMatchObject({
      value: 80,
      method: 'last value (2020-06)',
    });
    expect(aggregateMonths(counts, '2020-07', '2020-09', 'sum', 'count')).toBeNull();
    expect(defaultAggregation('percent')).toBe('mean');
    expect(defaultAggregation('rate-per-10k')).toBe('last');
  });
});
