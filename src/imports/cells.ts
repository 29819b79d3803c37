/**
 * The values people type into spreadsheets, read the way they mean them: grades ("RI", "Requires
 * improvement to be good"), UK dates ("09/04/2020") and Excel date cells. Pure functions, no I/O.
 */
import type { Grade } from '../audits';

/** A cell as the readers hand it over: text from CSV; text, a number or a Date from XLSX; null when empty. */
export type Cell = string | number | boolean | Date | null;

/** The result of reading one cell: a value, or a plain-English reason it is not one. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(message: string): Parsed<T> => ({ ok: false, message });

/** A heading or a typed word compared loosely: case, spaces, underscores, hyphens and a BOM do not count. */
export const normalise = (text: string): string =>
  text
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim();

/** The text of a cell as the person sees it (trimmed); '' for an empty cell. */
export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  return String(cell).trim();
}

/** Quote a value back to the person exactly as they wrote it (shortened if long). */
export const quoted = (cell: Cell): string => {
  const text = cellText(cell);
  return `'${text.length > 40 ? `${text.slice(0, 37)}...` : text}'`;
};

const GRADE_WORDS: Record<string, Grade> = {
  outstanding: 'outstanding',
  good: 'good',
  ri: 'requires-improvement',
  'requires improvement': 'requires-improvement',
  'requires improvement to be good': 'requires-improvement',
  inadequate: 'inadequate',
  'not applicable': 'not-applicable',
  'n/a': 'not-applicable',
  na: 'not-applicable',
};

export const GRADE_HINT = 'use Outstanding, Good, Requires improvement or Inadequate';

/**
 * A grade as people write it. Blank means "not audited" (null). `allowNotApplicable` is for a
 * domain (an audit's overall grade is never "not applicable").
 */
export function parseGrade(cell: Cell, allowNotApplicable: boolean): Parsed<Grade | null> {
  const text = cellText(cell);
  if (text === '') return ok(null);
  const grade = GRADE_WORDS[normalise(text).replace(/[.!]+$/, '')];
  if (grade === undefined || (grade === 'not-applicable' && !allowNotApplicable)) {
    return bad(
      `${quoted(cell)} is not a grade; ${GRADE_HINT}${allowNotApplicable ? ' (or N/A where the domain does not apply)' : ''}`,
    );
  }
  return ok(grade);
}

const DAY_MS = 86_400_000;
/** Excel's day 0 in its 1900 date system (which counts 29 February 1900, so day 60 onwards is right). */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

const isRealDay = (year: number, month: number, day: number): boolean => {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export const DATE_HINT = 'write it as 2020-04-09 or 09/04/2020 (day first)';

/** A day (YYYY-MM-DD) from `2020-04-09`, `09/04/2020` (UK order: day first), an Excel date cell or an Excel serial number. */
export function parseDay(cell: Cell): Parsed<string | null> {
  if (cell === null || cell === undefined) return ok(null);
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return bad(`this cell is not a valid date; ${DATE_HINT}`);
    // Excel date cells carry no zone: exceljs hands them over as midnight UTC of the day shown.
    return ok(cell.toISOString().slice(0, 10));
  }
  if (typeof cell === 'number') {
    if (!Number.isInteger(cell) || cell < 1 || cell > 2_958_465) return bad(`${quoted(cell)} is not a date; ${DATE_HINT}`);
    return ok(new Date(EXCEL_EPOCH + cell * DAY_MS).toISOString().slice(0, 10));
  }
  const text = cellText(cell);
  if (text === '') return ok(null);
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (match) {
    const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (isRealDay(y, m, d)) return ok(`${pad(y, 4)}-${pad(m)}-${pad(d)}`);
    return bad(`${quoted(cell)} is not a date in the calendar; ${DATE_HINT}`);
  }
  match = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(text);
  if (match) {
    const [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (isRealDay(y, m, d)) return ok(`${pad(y, 4)}-${pad(m)}-${pad(d)}`);
    return bad(`${quoted(cell)} is not a date in the calendar (dates are read day first, as in the UK); ${DATE_HINT}`);
  }
  return bad(`${quoted(cell)} is not a date; ${DATE_HINT}`);
}

/** A cell holding several entries (strengths, areas for development): one per line. */
export const parseList = (cell: Cell): string[] =>
  cellText(cell)
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

export const NUMBER_HINT = 'write a number such as 68.1 or 1318 (a percentage without the % sign)';

/**
 * A number as people type it: `68.1`, `68.1%`, `1,318` (thousands), or a number cell. Blank is null.
 * A comma as the decimal mark (`68,1`) is refused rather than guessed.
 */
export function parseNumber(cell: Cell): Parsed<number | null> {
  if (typeof cell === 'number') return Number.isFinite(cell) ? ok(cell) : bad(`${quoted(cell)} is not a number; ${NUMBER_HINT}`);
  const text = cellText(cell).replace(/%$/, '').trim();
  if (text === '') return ok(null);
  const plain = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text) ? text.replace(/,/g, '') : text;
  if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(plain)) return bad(`${quoted(cell)} is not a number; ${NUMBER_HINT}`);
  return ok(Number(plain));
}
