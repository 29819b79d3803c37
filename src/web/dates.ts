import { dayInWords, isLocalDate, londonClockAt, periodInWords } from '@casetrail/kernel';

/**
 * THE dates of every page, in one style (GOV.UK): a day is "5 December 2026", a moment "5 December 2026
 * at 14:05", always on the clocks in England (Europe/London: GMT in winter, BST in summer). Templates use
 * them as the `day` and `when` filters (src/web/views.ts); pages and CSV-free text call them directly.
 */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** "2026-12-05" -> "5 December 2026"; an instant -> its day in England; anything else as it is. */
export function dayText(value: unknown): string {
  if (typeof value !== 'string') return value === null || value === undefined ? '' : String(value);
  if (INSTANT.test(value) && !Number.isNaN(Date.parse(value))) return dayInWords(londonClockAt(value).local.slice(0, 10));
  const day = value.slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}/.test(value) && isLocalDate(day) ? dayInWords(day) : value;
}

/** An instant -> "5 December 2026 at 14:05" on the clocks in England; anything else as it is. */
export function whenText(value: unknown): string {
  if (typeof value !== 'string' || !INSTANT.test(value) || Number.isNaN(Date.parse(value))) return dayText(value);
  const { local } = londonClockAt(value);
  return `${dayInWords(local.slice(0, 10))} at ${local.slice(11, 16)}`;
}

/** A period in words (the kernel's periodInWords), for values that may be missing or not text. */
export function periodText(value: unknown): string {
  if (typeof value !== 'string') return value === null || value === undefined ? '' : String(value);
  return periodInWords(value);
}

/** GOV.UK date input: day, month and year boxes -> "YYYY-MM-DD" (or what was typed, for the DTO to refuse). */
export function dayFromParts(body: Record<string, unknown> | undefined, name: string): string | undefined {
  const part = (p: string): string => (typeof body?.[`${name}-${p}`] === 'string' ? String(body[`${name}-${p}`]).trim() : '');
  const [day, month, year] = [part('day'), part('month'), part('year')];
  if (!day && !month && !year) return undefined;
  if (/^\d{1,2}$/.test(day) && /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year)) {
    return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  }
  return `${year}-${month}-${day}`;
}

/** "2026-11-20" -> the three boxes' values. */
export function partsOfDay(day: string | undefined): { day: string; month: string; year: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day ?? '');
  return m ? { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1] } : { day: '', month: '', year: '' };
}

/** The date input's items for govukDateInput, marking every box when the date is wrong. */
export function dateItems(parts: { day: string; month: string; year: string }, error: boolean): object[] {
  const wrong = error ? ' govuk-input--error' : '';
  return [
    { name: 'day', value: parts.day, classes: `govuk-input--width-2${wrong}` },
    { name: 'month', value: parts.month, classes: `govuk-input--width-2${wrong}` },
    { name: 'year', value: parts.year, classes: `govuk-input--width-4${wrong}` },
  ];
}

/** The date boxes of a form's field `name`, from its value (YYYY-MM-DD), red when the field has a problem. */
export const dayBoxes = (values: Record<string, unknown>, name: string, problems?: { errors: Record<string, string> }) =>
  dateItems(partsOfDay(values[name] as string | undefined), Boolean(problems?.errors[name]));

/** A date input's boxes exactly as typed (even half a date), to show them again with the problems. */
export function typedParts(
  body: Record<string, unknown> | undefined,
  name: string,
): { day: string; month: string; year: string } {
  const part = (p: string): string => (typeof body?.[`${name}-${p}`] === 'string' ? String(body[`${name}-${p}`]) : '');
  return { day: part('day'), month: part('month'), year: part('year') };
}
