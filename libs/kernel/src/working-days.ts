/**
 * Working days in England and Wales: Monday to Friday, except bank holidays. Dispute
 * timescales, action due dates and "overdue by N working days" all count with this.
 */
import { addDays, dayOfWeek, fromUtcDate, toUtcDate, type LocalDate } from './local-date';

const pad = (n: number): string => String(n).padStart(2, '0');
const ymd = (year: number, month: number, day: number): LocalDate => `${year}-${pad(month)}-${pad(day)}`;

/** Easter Sunday (Gregorian; the anonymous "Meeus/Jones/Butcher" algorithm). */
export function easterSunday(year: number): LocalDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, day);
}

/** The first (n = 1) or last (n = -1) Monday of a month. */
function monday(year: number, month: number, n: 1 | -1): LocalDate {
  if (n === 1) {
    const first = ymd(year, month, 1);
    return addDays(first, (8 - dayOfWeek(first)) % 7);
  }
  const last = addDays(month === 12 ? ymd(year + 1, 1, 1) : ymd(year, month + 1, 1), -1);
  return addDays(last, -((dayOfWeek(last) + 6) % 7));
}

/** Days moved by royal proclamation: the usual holiday is replaced by another date. */
const MOVED: Record<string, LocalDate> = {
  '1995-05-01': '1995-05-08', // VE day 50th anniversary
  '2002-05-27': '2002-06-04', // golden jubilee
  '2012-05-28': '2012-06-04', // diamond jubilee
  '2020-05-04': '2020-05-08', // VE day 75th anniversary
  '2022-05-30': '2022-06-02', // platinum jubilee
};

/** One-off extra bank holidays. */
const EXTRA: LocalDate[] = [
  '1999-12-31', // millennium
  '2002-06-03', // golden jubilee
  '2011-04-29', // royal wedding
  '2012-06-05', // diamond jubilee
  '2022-06-03', // platinum jubilee
  '2022-09-19', // state funeral of Queen Elizabeth II
  '2023-05-08', // coronation of King Charles III
];

/** An extra bank holiday an administrator recorded; `replaces` names the usual one it moves (a substitute). */
export interface BankHolidayChange {
  date: LocalDate;
  replaces?: LocalDate;
}

const published = new Map<number, Set<LocalDate>>();

/** The published bank holidays of a year (the rules above), before any recorded change. */
function publishedSet(year: number): Set<LocalDate> {
  const cached = published.get(year);
  if (cached) return cached;
  const days = new Set<LocalDate>();
  // New Year's Day; at a weekend, the next Monday instead.
  const newYear = ymd(year, 1, 1);
  const newYearDow = dayOfWeek(newYear);
  days.add(newYearDow === 6 ? addDays(newYear, 2) : newYearDow === 0 ? addDays(newYear, 1) : newYear);
  const easter = easterSunday(year);
  days.add(addDays(easter, -2)); // Good Friday
  days.add(addDays(easter, 1)); // Easter Monday
  for (const usual of [monday(year, 5, 1), monday(year, 5, -1), monday(year, 8, -1)]) days.add(MOVED[usual] ?? usual);
  // Christmas and Boxing Day; at a weekend, substitute days follow on the next weekdays.
  const christmasDow = dayOfWeek(ymd(year, 12, 25));
  const [christmas, boxing] =
    christmasDow === 6 ? [27, 28] : christmasDow === 0 ? [27, 26] : christmasDow === 5 ? [25, 28] : [25, 26];
  days.add(ymd(year, 12, christmas));
  days.add(ymd(year, 12, boxing));
  for (const extra of EXTRA) if (extra.startsWith(`${year}-`)) days.add(extra);
  published.set(year, days);
  return days;
}

// Counting works on day numbers (days since 1970-01-01, a Thursday) rather than date strings:
// views count working days for every dispute and action they show, over ranges of years, and
// parsing a date string per day was the largest CPU cost of the dispute list at 1M events.
const MS_PER_DAY = 86_400_000;
const dayNumber = (date: LocalDate): number => toUtcDate(date).getTime() / MS_PER_DAY;
const dateOf = (day: number): LocalDate => fromUtcDate(new Date(day * MS_PER_DAY));
/** 0 = Sunday ... 6 = Saturday. */
const weekdayOf = (day: number): number => (((day + 4) % 7) + 7) % 7;
const isWeekend = (day: number): boolean => weekdayOf(day) === 0 || weekdayOf(day) === 6;

/** Monday-to-Friday days in the day numbers (a, b], holidays not taken off. */
function weekdaysAfterUpTo(a: number, b: number): number {
  // Weekdays in [0, x) counted from a Thursday-based epoch, via whole weeks plus the rest.
  const before = (x: number): number => {
    const weeks = Math.floor(x / 7);
    let count = weeks * 5;
    for (let d = weeks * 7; d < x; d++) if (!isWeekend(d)) count++;
    return count;
  };
  return before(b + 1) - before(a + 1);
}

/**
 * The working-day calendar: the published bank holidays, plus the changes an administrator
 * recorded (extra days, and substitutes that move a usual day). Pure: the changes come in as
 * data. Each calendar caches its years, so build one per list of changes and reuse it
 * (`workingDayCalendar` does).
 */
export class WorkingDayCalendar {
  private readonly sets = new Map<number, Set<LocalDate>>();
  private readonly numbers = new Map<number, number[]>();
  private readonly added = new Map<number, LocalDate[]>();
  private readonly removed = new Map<number, LocalDate[]>();

  constructor(readonly changes: readonly BankHolidayChange[] = []) {
    const push = (into: Map<number, LocalDate[]>, date: LocalDate): void => {
      const year = Number(date.slice(0, 4));
      into.set(year, [...(into.get(year) ?? []), date]);
    };
    for (const change of changes) {
      push(this.added, change.date);
      if (change.replaces) push(this.removed, change.replaces);
    }
  }

  private holidaySet(year: number): Set<LocalDate> {
    let days = this.sets.get(year);
    if (!days) {
      const added = this.added.get(year);
      const removed = this.removed.get(year);
      if (!added && !removed) days = publishedSet(year);
      else {
        days = new Set(publishedSet(year));
        for (const date of removed ?? []) days.delete(date);
        for (const date of added ?? []) days.add(date);
      }
      this.sets.set(year, days);
    }
    return days;
  }

  /** Bank holidays in England and Wales for a year, in date order. */
  bankHolidays(year: number): LocalDate[] {
    return [...this.holidaySet(year)].sort();
  }

  isBankHoliday(date: LocalDate): boolean {
    return this.holidaySet(Number(date.slice(0, 4))).has(date);
  }

  isWorkingDay(date: LocalDate): boolean {
    const dow = dayOfWeek(date);
    return dow !== 0 && dow !== 6 && !this.isBankHoliday(date);
  }

  /** A year's bank holidays that fall on weekdays, as sorted day numbers. */
  private weekdayHolidays(year: number): number[] {
    let days = this.numbers.get(year);
    if (!days) {
      days = this.bankHolidays(year)
        .map(dayNumber)
        .filter((d) => !isWeekend(d));
      this.numbers.set(year, days);
    }
    return days;
  }

  /** Working days in the day numbers (a, b]. */
  private workingDaysIn(a: number, b: number): number {
    if (b <= a) return 0;
    let count = weekdaysAfterUpTo(a, b);
    const first = Number(dateOf(a + 1).slice(0, 4));
    const last = Number(dateOf(b).slice(0, 4));
    for (let year = first; year <= last; year++) {
      for (const holiday of this.weekdayHolidays(year)) if (holiday > a && holiday <= b) count--;
    }
    return count;
  }

  private isWorkingDayNumber(day: number): boolean {
    return !isWeekend(day) && !this.isBankHoliday(dateOf(day));
  }

  /** The Nth working day after `date` (the day itself not counted); n = 0 gives `date`. */
  addWorkingDays(date: LocalDate, n: number): LocalDate {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`Working days must be a whole number >= 0, not ${n}`);
    const start = dayNumber(date);
    // Jump close: every 7 days hold at most 5 working days, so this never overshoots.
    let day = start + Math.floor(n / 5) * 7;
    let counted = this.workingDaysIn(start, day);
    while (counted < n) {
      day++;
      if (this.isWorkingDayNumber(day)) counted++;
    }
    // The jump may land after the Nth working day, on a weekend or holiday: step back to it.
    while (n > 0 && !this.isWorkingDayNumber(day)) day--;
    return dateOf(day);
  }

  /** Working days after `from` up to and including `to` ("overdue by N working days"); 0 if `to` <= `from`. */
  workingDaysBetween(from: LocalDate, to: LocalDate): number {
    return this.workingDaysIn(dayNumber(from), dayNumber(to));
  }
}

/** The published calendar, with no recorded changes. */
export const PUBLISHED_CALENDAR = new WorkingDayCalendar();

const calendars = new Map<string, WorkingDayCalendar>();
/** The calendar for a list of recorded changes: the same list gives the same (cached) calendar. */
export function workingDayCalendar(changes: readonly BankHolidayChange[]): WorkingDayCalendar {
  if (changes.length === 0) return PUBLISHED_CALENDAR;
  const key = changes.map((c) => `${c.date}<${c.replaces ?? ''}`).join(',');
  let calendar = calendars.get(key);
  if (!calendar) {
    if (calendars.size > 50) calendars.clear();
    calendar = new WorkingDayCalendar(changes);
    calendars.set(key, calendar);
  }
  return calendar;
}

/** Bank holidays in England and Wales for a year, in date order (the published calendar). */
export const bankHolidays = (year: number): LocalDate[] => PUBLISHED_CALENDAR.bankHolidays(year);
export const isBankHoliday = (date: LocalDate): boolean => PUBLISHED_CALENDAR.isBankHoliday(date);
export const isWorkingDay = (date: LocalDate): boolean => PUBLISHED_CALENDAR.isWorkingDay(date);
/** The Nth working day after `date` (the day itself not counted); n = 0 gives `date`. */
export const addWorkingDays = (date: LocalDate, n: number): LocalDate => PUBLISHED_CALENDAR.addWorkingDays(date, n);
/** Working days after `from` up to and including `to`; 0 if `to` <= `from`. */
export const workingDaysBetween = (from: LocalDate, to: LocalDate): number => PUBLISHED_CALENDAR.workingDaysBetween(from, to);
