import {
  addDays,
  addWorkingDays,
  bankHolidays,
  dayOfWeek,
  isBankHoliday,
  isWorkingDay,
  workingDaysBetween,
} from '@casetrail/kernel';

/**
 * Every bank holiday of 2020, 2022, 2023 and 2026 in England and Wales, one by one, as
 * published on GOV.UK: substitute days, the moved early May holiday of 2020, and the
 * one-off holidays of 2022 and 2023 included.
 */
const published: Record<number, [string, string][]> = {
  2020: [
    ['2020-01-01', "New Year's Day"],
    ['2020-04-10', 'Good Friday'],
    ['2020-04-13', 'Easter Monday'],
    ['2020-05-08', 'Early May bank holiday (VE day), moved from Monday 4 May'],
    ['2020-05-25', 'Spring bank holiday'],
    ['2020-08-31', 'Summer bank holiday'],
    ['2020-12-25', 'Christmas Day'],
    ['2020-12-28', 'Boxing Day (substitute day)'],
  ],
  2022: [
    ['2022-01-03', "New Year's Day (substitute day)"],
    ['2022-04-15', 'Good Friday'],
    ['2022-04-18', 'Easter Monday'],
    ['2022-05-02', 'Early May bank holiday'],
    ['2022-06-02', 'Spring bank holiday, moved from Monday 30 May'],
    ['2022-06-03', 'Platinum Jubilee bank holiday'],
    ['2022-08-29', 'Summer bank holiday'],
    ['2022-09-19', 'State funeral of Queen Elizabeth II'],
    ['2022-12-26', 'Boxing Day'],
    ['2022-12-27', 'Christmas Day (substitute day)'],
  ],
  2023: [
    ['2023-01-02', "New Year's Day (substitute day)"],
    ['2023-04-07', 'Good Friday'],
    ['2023-04-10', 'Easter Monday'],
    ['2023-05-01', 'Early May bank holiday'],
    ['2023-05-08', 'Coronation of King Charles III'],
    ['2023-05-29', 'Spring bank holiday'],
    ['2023-08-28', 'Summer bank holiday'],
    ['2023-12-25', 'Christmas Day'],
    ['2023-12-26', 'Boxing Day'],
  ],
  2026: [
    ['2026-01-01', "New Year's Day"],
    ['2026-04-03', 'Good Friday'],
    ['2026-04-06', 'Easter Monday'],
    ['2026-05-04', 'Early May bank holiday'],
    ['2026-05-25', 'Spring bank holiday'],
    ['2026-08-31', 'Summer bank holiday'],
    ['2026-12-25', 'Christmas Day'],
    ['2026-12-28', 'Boxing Day (substitute day)'],
  ],
};

describe.each(Object.keys(published).map(Number))('bank holidays of %i', (year) => {
  it.each(published[year])('%s, %s, is a bank holiday and not a working day', (date) => {
    expect(isBankHoliday(date)).toBe(true);
    expect(isWorkingDay(date)).toBe(false);
    expect(dayOfWeek(date)).not.toBe(0);
    expect(dayOfWeek(date)).not.toBe(6);
  });

  it('has exactly these bank holidays, no more', () => {
    expect(bankHolidays(year)).toEqual(published[year].map(([date]) => date));
  });
});

describe('the usual days that were moved are ordinary working days', () => {
  it.each([
    ['2020-05-04', 'Monday 4 May 2020 (early May holiday moved to VE day)'],
    ['2022-05-30', 'Monday 30 May 2022 (spring holiday moved to 2 June)'],
    ['2022-12-28', 'Wednesday 28 December 2022'],
    ['2026-12-29', 'Tuesday 29 December 2026'],
  ])('%s, %s', (date) => {
    expect(isWorkingDay(date)).toBe(true);
  });
});

describe('working days across Christmas and New Year', () => {
  it('2020/21: Christmas Friday, Boxing Day substitute Monday 28th, New Year Friday', () => {
    const days = [];
    for (let d = '2020-12-24'; d <= '2021-01-05'; d = addDays(d, 1)) if (isWorkingDay(d)) days.push(d);
    expect(days).toEqual(['2020-12-24', '2020-12-29', '2020-12-30', '2020-12-31', '2021-01-04', '2021-01-05']);
    expect(workingDaysBetween('2020-12-24', '2021-01-04')).toBe(4);
    // A DR stage entered on Christmas Eve 2020 with 5 working days to answer.
    expect(addWorkingDays('2020-12-24', 5)).toBe('2021-01-05');
  });

  it('2022/23: Christmas on a Sunday, both substitutes after Boxing Day, New Year substitute on Monday 2 January', () => {
    expect(workingDaysBetween('2022-12-23', '2023-01-03')).toBe(4);
    expect(addWorkingDays('2022-12-23', 1)).toBe('2022-12-28');
    expect(addWorkingDays('2022-12-30', 1)).toBe('2023-01-03');
  });

  it('2026/27: Christmas Friday, Boxing Day substitute Monday 28th, New Year Friday 1 January 2027', () => {
    expect(workingDaysBetween('2026-12-24', '2027-01-04')).toBe(4);
    expect(addWorkingDays('2026-12-24', 5)).toBe('2027-01-05');
    // 20 working days (a formal DR target) from 10 December 2026.
    expect(addWorkingDays('2026-12-10', 20)).toBe('2027-01-12');
  });
});
