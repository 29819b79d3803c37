import { addWorkingDays, PUBLISHED_CALENDAR, workingDayCalendar, workingDaysBetween, WorkingDayCalendar } from '../src';

describe('bank holidays are data: the calendar takes the recorded changes as input', () => {
  it('an extra bank holiday recorded by an administrator is not a working day, and due dates move past it', () => {
    // Suppose a one-off holiday on Wednesday 15 July 2020.
    const calendar = workingDayCalendar([{ date: '2020-07-15' }]);
    expect(calendar.isWorkingDay('2020-07-15')).toBe(false);
    expect(calendar.bankHolidays(2020)).toContain('2020-07-15');
    expect(calendar.addWorkingDays('2020-07-13', 5)).toBe('2020-07-21');
    expect(calendar.workingDaysBetween('2020-07-13', '2020-07-20')).toBe(4);
    // The published calendar is unchanged.
    expect(addWorkingDays('2020-07-13', 5)).toBe('2020-07-20');
    expect(workingDaysBetween('2020-07-13', '2020-07-20')).toBe(5);
  });

  it('a substitute bank holiday replaces the usual one: the usual day becomes a working day', () => {
    // Late summer bank holiday moved from Monday 31 August 2020 to Tuesday 1 September.
    const calendar = workingDayCalendar([{ date: '2020-09-01', replaces: '2020-08-31' }]);
    expect(calendar.isWorkingDay('2020-08-31')).toBe(true);
    expect(calendar.isWorkingDay('2020-09-01')).toBe(false);
    expect(calendar.addWorkingDays('2020-08-28', 1)).toBe('2020-08-31');
    expect(PUBLISHED_CALENDAR.addWorkingDays('2020-08-28', 1)).toBe('2020-09-01');
  });

  it('with no recorded changes the calendar is the published one, and the same changes give the same calendar', () => {
    expect(workingDayCalendar([])).toBe(PUBLISHED_CALENDAR);
    const changes = [{ date: '2020-07-15' }];
    expect(workingDayCalendar(changes)).toBe(workingDayCalendar([{ date: '2020-07-15' }]));
    expect(new WorkingDayCalendar().bankHolidays(2023)).toEqual(PUBLISHED_CALENDAR.bankHolidays(2023));
  });

  it('addWorkingDays and workingDaysBetween agree on a calendar with changes (round trip over two years)', () => {
    const calendar = workingDayCalendar([{ date: '2020-07-15' }, { date: '2021-09-01', replaces: '2021-08-30' }]);
    for (let start = 0; start < 730; start += 7) {
      const day = new Date(Date.UTC(2020, 0, 1 + start)).toISOString().slice(0, 10);
      for (const n of [0, 1, 4, 5, 23]) {
        const due = calendar.addWorkingDays(day, n);
        expect(calendar.workingDaysBetween(day, due)).toBe(n);
        if (n > 0) expect(calendar.isWorkingDay(due)).toBe(true);
      }
    }
  });
});
