import { dayInWords, dayOf, instantsAtLondonTime, latestBusinessDate, londonClockAt, londonToday, MONTH_NAMES } from '../src';

describe('the business day is the Europe/London calendar day, not the UTC one', () => {
  it('between midnight and 1 a.m. BST the business day is already the London day', () => {
    // 00:30 BST on 1 July 2020 is 23:30 UTC on 30 June.
    expect(dayOf('2020-06-30T23:30:00.000Z')).toBe('2020-07-01');
    expect(dayOf(new Date('2020-06-30T23:00:00.000Z'))).toBe('2020-07-01');
    expect(dayOf('2020-06-30T22:59:59.999Z')).toBe('2020-06-30');
    expect(londonToday(new Date('2020-06-30T23:30:00.000Z'))).toBe('2020-07-01');
  });

  it('in winter (GMT) the London day is the UTC day', () => {
    expect(dayOf('2020-12-31T23:30:00.000Z')).toBe('2020-12-31');
    expect(dayOf('2021-01-01T00:00:00.000Z')).toBe('2021-01-01');
  });

  it('follows the clocks changing: last Sunday of March and of October, at 01:00 UTC', () => {
    expect(dayOf('2020-03-28T23:30:00.000Z')).toBe('2020-03-28'); // still GMT
    expect(dayOf('2020-03-29T23:30:00.000Z')).toBe('2020-03-30'); // BST from 29 March
    expect(dayOf('2020-10-24T23:30:00.000Z')).toBe('2020-10-25'); // BST until 25 October, 01:00 UTC
    expect(dayOf('2020-10-25T23:30:00.000Z')).toBe('2020-10-25'); // GMT again
  });

  it('the one day of grace for business dates counts from the London day', () => {
    expect(latestBusinessDate('2020-06-30T23:30:00.000Z')).toBe('2020-07-02');
  });

  it('an instant that is not one is refused', () => {
    expect(() => dayOf('not a time')).toThrow(RangeError);
  });
});

describe('a time on the clocks in England', () => {
  const instants = (local: string) => instantsAtLondonTime(local).map((d) => d.toISOString());

  it('is GMT in winter and BST in summer, on both sides of each change of the clocks', () => {
    expect(instants('2026-01-15T09:00')).toEqual(['2026-01-15T09:00:00.000Z']);
    expect(instants('2026-07-01T00:30')).toEqual(['2026-06-30T23:30:00.000Z']);
    // Spring: 00:59 GMT, then the clocks go from 01:00 to 02:00 BST on Sunday 29 March 2026.
    expect(instants('2026-03-29T00:59')).toEqual(['2026-03-29T00:59:00.000Z']);
    expect(instants('2026-03-29T01:30')).toEqual([]); // never shown on a clock in England
    expect(instants('2026-03-29T02:00')).toEqual(['2026-03-29T01:00:00.000Z']);
    // Autumn: 01:00-01:59 happens twice on Sunday 25 October 2026, first in BST, then in GMT.
    expect(instants('2026-10-25T00:59')).toEqual(['2026-10-24T23:59:00.000Z']);
    expect(instants('2026-10-25T01:30')).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z']);
    expect(instants('2026-10-25T02:00')).toEqual(['2026-10-25T02:00:00.000Z']);
  });

  it('reads back what the clocks showed at an instant, with the zone', () => {
    expect(londonClockAt('2020-06-30T23:30:00Z')).toEqual({ local: '2020-07-01T00:30:00', zone: 'BST' });
    expect(londonClockAt('2020-12-31T23:30:00Z')).toEqual({ local: '2020-12-31T23:30:00', zone: 'GMT' });
    expect(londonClockAt('2026-10-25T00:30:00Z')).toEqual({ local: '2026-10-25T01:30:00', zone: 'BST' });
    expect(londonClockAt('2026-10-25T01:30:00Z')).toEqual({ local: '2026-10-25T01:30:00', zone: 'GMT' });
  });

  it('has no instant for a malformed or unreal time', () => {
    expect(instants('2026-02-30T10:00')).toEqual([]);
    expect(instants('yesterday')).toEqual([]);
  });
});

describe('a day in words', () => {
  it('writes the day, the month by name and the year, as GOV.UK does', () => {
    expect(dayInWords('2022-09-19')).toBe('19 September 2022');
    expect(dayInWords('2026-01-05')).toBe('5 January 2026');
    expect(dayInWords('2024-02-29')).toBe('29 February 2024');
  });

  it('names every month from the one table, January first', () => {
    expect(MONTH_NAMES).toHaveLength(12);
    MONTH_NAMES.forEach((name, i) => expect(dayInWords(`2026-${String(i + 1).padStart(2, '0')}-01`)).toBe(`1 ${name} 2026`));
    expect([MONTH_NAMES[0], MONTH_NAMES[11]]).toEqual(['January', 'December']);
  });

  it('refuses what is not a day', () => {
    expect(() => dayInWords('2026-02-30')).toThrow(RangeError);
  });
});
