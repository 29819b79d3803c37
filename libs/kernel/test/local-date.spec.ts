import { dayOf, latestBusinessDate, londonToday } from '../src';

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
