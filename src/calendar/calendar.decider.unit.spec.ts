import { deciderSpec } from '@casetrail/testing';
import { AlreadyABankHoliday, BankHolidayAtWeekend, calendarDecider, ReplacedDayNotABankHoliday } from './calendar.decider';
import type { CalendarEvent } from './calendar.events';

const now = '2026-12-05T10:00:00.000Z';
const { given } = deciderSpec(calendarDecider);
const add = (date: string, replaces?: string) =>
  ({ type: 'AddBankHoliday', now, date, reason: 'Proclaimed', ...(replaces ? { replaces } : {}) }) as const;
const added = (date: string, replaces?: string): CalendarEvent => ({
  type: 'BankHolidayAdded',
  data: { date, reason: 'Proclaimed', ...(replaces ? { replaces } : {}) },
});

describe('calendar decider', () => {
  it('an administrator records an extra bank holiday with a reason', () =>
    given([])
      .when(add('2027-07-14'))
      .then([added('2027-07-14')]));

  it('a substitute bank holiday names the usual one it replaces', () =>
    given([])
      .when(add('2027-05-04', '2027-05-03'))
      .then([added('2027-05-04', '2027-05-03')]));

  it('a day that is already a bank holiday (published or recorded) is not added twice', () => {
    given([])
      .when(add('2027-12-27'))
      .thenThrows(AlreadyABankHoliday, /27 December 2027/);
    given([added('2027-07-14')])
      .when(add('2027-07-14'))
      .thenThrows(AlreadyABankHoliday);
  });

  it('a bank holiday at a weekend is refused: it is not a working day anyway', () =>
    given([]).when(add('2027-07-17')).thenThrows(BankHolidayAtWeekend));

  it('a substitute must replace a day that is a bank holiday', () =>
    given([]).when(add('2027-07-14', '2027-07-13')).thenThrows(ReplacedDayNotABankHoliday));
});
