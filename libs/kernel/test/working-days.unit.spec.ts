import fc from 'fast-check';
import {
  addDays,
  addWorkingDays,
  bankHolidays,
  easterSunday,
  financialQuarter,
  financialYear,
  isLocalDate,
  isWorkingDay,
  workingDaysBetween,
} from '@casetrail/kernel';

describe('bank holidays in England and Wales', () => {
  // As published for each year (GOV.UK bank holidays).
  const published: Record<number, string[]> = {
    2012: ['01-02', '04-06', '04-09', '05-07', '06-04', '06-05', '08-27', '12-25', '12-26'],
    2020: ['01-01', '04-10', '04-13', '05-08', '05-25', '08-31', '12-25', '12-28'],
    2021: ['01-01', '04-02', '04-05', '05-03', '05-31', '08-30', '12-27', '12-28'],
    2022: ['01-03', '04-15', '04-18', '05-02', '06-02', '06-03', '08-29', '09-19', '12-26', '12-27'],
    2023: ['01-02', '04-07', '04-10', '05-01', '05-08', '05-29', '08-28', '12-25', '12-26'],
    2024: ['01-01', '03-29', '04-01', '05-06', '05-27', '08-26', '12-25', '12-26'],
    2025: ['01-01', '04-18', '04-21', '05-05', '05-26', '08-25', '12-25', '12-26'],
    2026: ['01-01', '04-03', '04-06', '05-04', '05-25', '08-31', '12-25', '12-28'],
    2027: ['01-01', '03-26', '03-29', '05-03', '05-31', '08-30', '12-27', '12-28'],
  };

  it.each(Object.entries(published))('%s matches the published list, with substitutes and one-off changes', (year, days) => {
    expect(bankHolidays(Number(year))).toEqual(days.map((d) => `${year}-${d}`));
  });

  it('computes Easter by algorithm', () => {
    expect(['2019', '2024', '2038', '2285'].map((y) => easterSunday(Number(y)))).toEqual([
      '2019-04-21',
      '2024-03-31',
      '2038-04-25',
      '2285-03-22',
    ]);
  });
});

describe('working days', () => {
  it('weekends and bank holidays are not working days', () => {
    expect(isWorkingDay('2020-05-08')).toBe(false); // VE day, moved early May bank holiday
    expect(isWorkingDay('2020-05-09')).toBe(false); // Saturday
    expect(isWorkingDay('2020-05-11')).toBe(true);
  });

  it('"N working days after D" is the Nth working day after D, D itself not counted', () => {
    expect(addWorkingDays('2020-05-07', 1)).toBe('2020-05-11'); // Thu -> (Fri holiday, weekend) -> Mon
    expect(addWorkingDays('2022-09-16', 1)).toBe('2022-09-20'); // the state funeral Monday is skipped
    expect(addWorkingDays('2026-03-02', 5)).toBe('2026-03-09');
    expect(addWorkingDays('2026-03-07', 0)).toBe('2026-03-07');
    // 20 working days across Easter 2026 (Good Friday 3 April, Easter Monday 6 April)
    expect(addWorkingDays('2026-03-20', 20)).toBe('2026-04-21');
  });

  it('counts working days between two days for "overdue by N working days"', () => {
    expect(workingDaysBetween('2026-03-20', '2026-04-21')).toBe(20);
    expect(workingDaysBetween('2026-04-21', '2026-03-20')).toBe(0);
    expect(workingDaysBetween('2022-09-16', '2022-09-19')).toBe(0);
  });

  it('refuses a negative or fractional count', () => {
    expect(() => addWorkingDays('2026-03-02', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-03-02', 1.5)).toThrow(RangeError);
  });

  it('recognises real calendar dates only', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2023-02-29')).toBe(false);
    expect(isLocalDate('2023-2-1')).toBe(false);
  });
});

describe('financial years and quarters', () => {
  it('the financial year runs 1 April to 31 March', () => {
    expect(financialYear('2020-04-01')).toBe('2020/21');
    expect(financialYear('2021-03-31')).toBe('2020/21');
    expect(financialYear('1999-06-01')).toBe('1999/00');
  });

  it('Q1 is April-June ... Q4 is January-March of the next calendar year', () => {
    expect(financialQuarter('2020-06-30')).toEqual({
      year: '2020/21',
      quarter: 1,
      label: '2020/21 Q1',
      from: '2020-04-01',
      to: '2020-06-30',
    });
    expect(financialQuarter('2020-07-01')).toMatchObject({ quarter: 2, from: '2020-07-01', to: '2020-09-30' });
    expect(financialQuarter('2020-12-31')).toMatchObject({ quarter: 3, from: '2020-10-01', to: '2020-12-31' });
    expect(financialQuarter('2021-02-28')).toEqual({
      year: '2020/21',
      quarter: 4,
      label: '2020/21 Q4',
      from: '2021-01-01',
      to: '2021-03-31',
    });
  });
});

describe('working-day counting agrees with walking the calendar day by day', () => {
  // The plain definition, one day at a time: what the fast versions must always equal.
  const walkAdd = (date: string, n: number): string => {
    let day = date;
    for (let counted = 0; counted < n;) {
      day = addDays(day, 1);
      if (isWorkingDay(day)) counted++;
    }
    return day;
  };
  const walkBetween = (from: string, to: string): number => {
    let count = 0;
    for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (isWorkingDay(day)) count++;
    return count;
  };
  const day = fc
    .integer({ min: Date.UTC(2010, 0, 1), max: Date.UTC(2030, 11, 31) })
    .map((ms) => new Date(ms).toISOString().slice(0, 10));

  it('addWorkingDays equals the day-by-day walk, from any day (weekends and holidays included)', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 400 }), (from, n) => addWorkingDays(from, n) === walkAdd(from, n)),
      {
        numRuns: 400,
      },
    );
  });

  it('workingDaysBetween equals the day-by-day walk, over ranges of up to four years and backwards', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: -30, max: 1500 }), (from, span) => {
        const to = addDays(from, span);
        return workingDaysBetween(from, to) === walkBetween(from, to);
      }),
      { numRuns: 300 },
    );
  });
});
