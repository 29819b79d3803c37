import {
  assertNever,
  dayInWords,
  dayOfWeek,
  workingDayCalendar,
  type BankHolidayChange,
  type Decider,
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

export const calendarDecider: Decider<CalendarCommand, CalendarEvent, CalendarState> = {
  name: 'calendar',
  initialState: { changes: [] },
  schemaVersions: CALENDAR_EVENT_SCHEMA_VERSIONS,

  decide(command, state) {
    switch (command.type) {
      case 'AddBankHoliday': {
        const calendar = workingDayCalendar(state.changes);
        const { date, reason, replaces } = command;
        const dow = dayOfWeek(date);
        if (dow === 0 || dow === 6) throw new BankHolidayAtWeekend(date);
        if (calendar.isBankHoliday(date)) throw new AlreadyABankHoliday(date);
        if (replaces !== undefined && !calendar.isBankHoliday(replaces)) throw new ReplacedDayNotABankHoliday(replaces);
        return [{ type: 'BankHolidayAdded', data: { date, reason, ...(replaces === undefined ? {} : { replaces }) } }];
      }
      default:
        return assertNever(command.type);
    }
  },

  evolve(state, event) {
    if (event.type !== 'BankHolidayAdded') return state;
    const { date, replaces } = event.data;
    return { changes: [...state.changes, replaces === undefined ? { date } : { date, replaces }] };
  },
};
