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

/** 0 = Sunday ... 6 = Saturday. */
export const dayOfWeek = (date: LocalDate): number => toUtcDate(date).getUTCDay();

/** The UTC calendar day of an instant, e.g. a command's `now`. */
export const dayOf = (instant: string | Date): LocalDate => new Date(instant).toISOString().slice(0, 10);
