import {
  dayInWords,
  dayOfWeek,
  workingDayCalendar,
  type BankHolidayChange,
  deciderOf,
  type LocalDate,
  conflict,
  ruleBroken,
} from '@casetrail/kernel';
import { CALENDAR_EVENT_SCHEMA_VERSIONS, type CalendarEvent } from './calendar.events';

export type CalendarCommand = { type: 'AddBankHoliday'; now: string; date: LocalDate; reason: string; replaces?: LocalDate };

/** The changes recorded so far, in order. */
export interface CalendarState {
  changes: BankHolidayChange[];
}

export class AlreadyABankHoliday extends conflict(
  'ALREADY_A_BANK_HOLIDAY',
  (date: LocalDate) => `${dayInWords(date)} is already a bank holiday; there is nothing to add.`,
) {}
export class BankHolidayAtWeekend extends ruleBroken(
  'BANK_HOLIDAY_AT_WEEKEND',
  (date: LocalDate) =>
    `${dayInWords(date)} is a Saturday or Sunday: it is not a working day anyway. Record the weekday the holiday is taken on.`,
) {}
export class ReplacedDayNotABankHoliday extends ruleBroken(
  'REPLACED_DAY_NOT_A_BANK_HOLIDAY',
  (date: LocalDate) => `${dayInWords(date)} is not a bank holiday, so a substitute cannot replace it.`,
) {}

export const calendarDecider = deciderOf<CalendarCommand, CalendarEvent, CalendarState>({
  name: 'calendar',
  initialState: { changes: [] },
  schemaVersions: CALENDAR_EVENT_SCHEMA_VERSIONS,

  decide: {
    AddBankHoliday(command, state) {
      const calendar = workingDayCalendar(state.changes);
      const { date, reason, replaces } = command;
      const dow = dayOfWeek(date);
      if (dow === 0 || dow === 6) throw new BankHolidayAtWeekend(date);
      if (calendar.isBankHoliday(date)) throw new AlreadyABankHoliday(date);
      if (replaces !== undefined && !calendar.isBankHoliday(replaces)) throw new ReplacedDayNotABankHoliday(replaces);
      return [{ type: 'BankHolidayAdded', data: { date, reason, ...(replaces === undefined ? {} : { replaces }) } }];
    },
  },

  evolve: {
    BankHolidayAdded(state, { data: { date, replaces } }) {
      return { changes: [...state.changes, replaces === undefined ? { date } : { date, replaces }] };
    },
  },
});
