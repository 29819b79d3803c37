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

/** A form's field -> the id its message links to: a date input's first box (`<name>-day`), any other field itself. */
export const dateFieldIds =
  (dateFields: readonly string[]) =>
  (field: string): string =>
    dateFields.includes(field) ? `${field}-day` : field;

/** A date input's boxes exactly as typed (even half a date), to show them again with the problems. */
export function typedParts(
  body: Record<string, unknown> | undefined,
  name: string,
): { day: string; month: string; year: string } {
  const part = (p: string): string => (typeof body?.[`${name}-${p}`] === 'string' ? String(body[`${name}-${p}`]) : '');
  return { day: part('day'), month: part('month'), year: part('year') };
}
