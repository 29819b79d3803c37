/**
 * Business days as ISO strings ('2020-06-30'): no time, no zone. Arithmetic happens in UTC so
 * a date never shifts with the server's time zone or daylight saving.
 */
export type LocalDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLocalDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

export function toUtcDate(date: LocalDate): Date {
  if (!isLocalDate(date)) throw new RangeError(`Not a date (YYYY-MM-DD): ${date}`);
  return new Date(`${date}T00:00:00.000Z`);
}

export const fromUtcDate = (date: Date): LocalDate => date.toISOString().slice(0, 10);

export const addDays = (date: LocalDate, days: number): LocalDate => {
  const d = toUtcDate(date);
  d.setUTCDate(d.getUTCDate() + days);
  return fromUtcDate(d);
};

/** The same day `months` calendar months later; the month's last day when it is shorter (31 Aug + 3 = 30 Nov). */
export function addCalendarMonths(date: LocalDate, months: number): LocalDate {
  const [year, month, day] = date.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

/** 0 = Sunday ... 6 = Saturday. */
export const dayOfWeek = (date: LocalDate): number => toUtcDate(date).getUTCDay();

/** English councils' working clock: GMT in winter, BST (GMT+1) in summer. */
export const BUSINESS_TIME_ZONE = 'Europe/London';

const londonDays = new Intl.DateTimeFormat('en-GB', {
  timeZone: BUSINESS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The business day of an instant (a command's `now`, an as-at instant, the clock): its calendar
 * day in England, not in UTC. At 00:30 BST on 1 July (23:30 UTC on 30 June) it is 1 July.
 * Every "today" and every default business date comes from here.
 */
export function dayOf(instant: string | Date): LocalDate {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not an instant: ${String(instant)}`);
  let year = '';
  let month = '';
  let day = '';
  for (const part of londonDays.formatToParts(date)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year.padStart(4, '0')}-${month}-${day}`;
}

/** Today in England: `dayOf` the clock. */
export const londonToday = (now: Date = new Date()): LocalDate => dayOf(now);

/** A time on the clocks in England: GMT in winter, BST (GMT+1) in summer. */
export type LondonZone = 'GMT' | 'BST';

const londonClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: BUSINESS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/**
 * What the clocks in England showed at an instant: `local` as "2020-07-01T00:30:00" (no zone)
 * and whether that was GMT or BST. 23:30 UTC on 30 June 2020 is 00:30:00 BST on 1 July.
 */
export function londonClockAt(instant: string | Date): { local: string; zone: LondonZone } {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not an instant: ${String(instant)}`);
  const parts: Record<string, string> = {};
  for (const part of londonClock.formatToParts(date)) parts[part.type] = part.value;
  const local = `${parts.year.padStart(4, '0')}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
  const asUtc = Date.parse(`${local}Z`);
  const whole = Math.floor(date.getTime() / 1000) * 1000;
  return { local, zone: asUtc - whole === 0 ? 'GMT' : 'BST' };
}

/**
 * The instants at which the clocks in England showed this time ("2026-03-29T01:30", to the minute
 * or second), earliest first. Usually one. None in the hour skipped when the clocks go forward
 * (01:00-01:59 on the last Sunday in March); two in the hour repeated when they go back
 * (01:00-01:59 on the last Sunday in October: first BST, then GMT). Empty for a malformed or unreal time.
 */
export function instantsAtLondonTime(local: string): Date[] {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!match) return [];
  const wanted = `${local.slice(0, 16)}:${match[6] ?? '00'}`;
  const asUtc = Date.parse(`${wanted}Z`);
  if (Number.isNaN(asUtc)) return [];
  // England is at UTC+1 (BST) or UTC+0 (GMT): try both, keep the ones the clocks really showed.
  return [60, 0]
    .map((offsetMinutes) => new Date(asUtc - offsetMinutes * 60_000))
    .filter((candidate) => londonClockAt(candidate).local === wanted);
}

/** The months' names in English, January first: THE table every page, CSV and trail sentence words a month with. */
export const MONTH_NAMES: readonly string[] = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * A period in words: "2020/21 Q1" -> "April to June 2020 (2020/21 Q1)", "2020/21" -> "April 2020 to March
 * 2021 (2020/21)", "2026-11" -> "November 2026"; anything else as it is.
 */
export function periodInWords(value: string): string {
  const month = /^(\d{4})-(\d{2})$/.exec(value);
  if (month && Number(month[2]) >= 1 && Number(month[2]) <= 12) return `${MONTH_NAMES[Number(month[2]) - 1]} ${month[1]}`;
  const quarter = /^(\d{4})\/(\d{2}) Q([1-4])$/.exec(value);
  if (quarter) {
    const q = Number(quarter[3]);
    const year = Number(quarter[1]) + (q === 4 ? 1 : 0);
    const first = (q * 3) % 12; // April, July, October, January (0-based)
    return `${MONTH_NAMES[first]} to ${MONTH_NAMES[first + 2]} ${year} (${value})`;
  }
  const year = /^(\d{4})\/(\d{2})$/.exec(value);
  if (year) return `April ${year[1]} to March ${Number(year[1]) + 1} (${value})`;
  return value;
}

/** A business day in words, as pages and messages write it: "2022-09-19" -> "19 September 2022" (throws on a non-date). */
export const dayInWords = (date: LocalDate): string => {
  const utc = toUtcDate(date);
  return `${utc.getUTCDate()} ${MONTH_NAMES[utc.getUTCMonth()]} ${utc.getUTCFullYear()}`;
};
