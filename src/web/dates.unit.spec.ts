import { dayText, periodText, whenText } from './dates';

/** Each input (the key) and how the page shows it. */
const MOMENTS = {
  '2026-12-05T14:05:33.120Z': '5 December 2026 at 14:05',
  '2020-07-01T13:05:00Z': '1 July 2020 at 14:05',
  '2026-12-05': '5 December 2026',
};
const PERIODS = {
  '2020/21 Q1': 'April to June 2020 (2020/21 Q1)',
  '2020/21 Q4': 'January to March 2021 (2020/21 Q4)',
  '2026/27 Q3': 'October to December 2026 (2026/27 Q3)',
  '2020/21': 'April 2020 to March 2021 (2020/21)',
  '2026-11': 'November 2026',
  '2026-13': '2026-13',
};

describe('one date style on every page', () => {
  it('a day is "5 December 2026", an instant\'s day the day it was in England', () => {
    expect(dayText('2026-12-05')).toBe('5 December 2026');
    // 23:30 UTC on 30 June 2020 was already 1 July in England (BST).
    expect(dayText('2020-06-30T23:30:00.000Z')).toBe('1 July 2020');
    expect(dayText('not a day')).toBe('not a day');
    expect(dayText(undefined)).toBe('');
  });

  it('a moment is "5 December 2026 at 14:05" on the clocks in England, GMT in winter and BST in summer', () => {
    expect(Object.keys(MOMENTS).map(whenText)).toEqual(Object.values(MOMENTS));
  });

  it('a period is in words, with its financial label beside it', () => {
    expect(Object.keys(PERIODS).map(periodText)).toEqual(Object.values(PERIODS));
  });
});
