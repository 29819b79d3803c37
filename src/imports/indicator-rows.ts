/** The indicator-value import's columns and how one row becomes a measurement (pure: no I/O). */
import type { MeasurementRecorded } from '../improvement';
import { cellText, parseNumber, type Cell } from './cells';
import { cellOf, filledIn, headingNamer, mapHeadings } from './headings';
import type { ColumnSpec, HeadingMap, ParsedRow, RowError } from './headings';

/** A row of the file: the measurement it records (no team: a council-wide figure), and its row number. */
export type IndicatorImportRow = MeasurementRecorded['data'] & { row: number };

export const INDICATOR_COLUMNS: ColumnSpec[] = [
  { field: 'code', heading: 'Indicator', aliases: ['indicator code', 'code', 'indicator id'], required: true },
  { field: 'teamId', heading: 'Team', aliases: ['team id', 'team code'] },
  { field: 'period', heading: 'Period', aliases: ['reporting period', 'month', 'quarter', 'week'], required: true },
  { field: 'value', heading: 'Value', aliases: ['figure', 'actual', 'result'], required: true },
  { field: 'numerator', heading: 'Numerator' },
  { field: 'denominator', heading: 'Denominator' },
  { field: 'note', heading: 'Note', aliases: ['notes', 'comment'] },
];

export const mapIndicatorHeadings = (headings: Cell[]): HeadingMap => mapHeadings(headings, INDICATOR_COLUMNS);

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * A period as written: `2020-06` (month), `2020/21 Q1` (financial quarter), `2020-W23` (ISO week), or
 * an Excel date cell (Excel turns a typed `2020-06` into 1 June 2020), read as its month.
 */
export function periodOf(cell: Cell): string {
  if (cell instanceof Date && !Number.isNaN(cell.getTime())) return `${cell.getUTCFullYear()}-${pad(cell.getUTCMonth() + 1)}`;
  return cellText(cell)
    .replace(/\s+/g, ' ')
    .replace(/ q(\d)$/, ' Q$1');
}

/** One row of the file as a measurement, or every problem with it. */
export function parseIndicatorRow(map: HeadingMap, row: number, cells: Cell[]): ParsedRow<IndicatorImportRow> {
  const errors: RowError[] = [];
  const column = headingNamer(map, INDICATOR_COLUMNS);
  const code = cellText(cellOf(map, cells, 'code')).toLowerCase();
  if (code === '') errors.push({ row, column: column('code'), message: "The indicator's code (e.g. contacts-24h) is missing" });
  const period = periodOf(cellOf(map, cells, 'period'));
  if (period === '')
    errors.push({ row, column: column('period'), message: 'The period (e.g. 2020-06 or 2020/21 Q1) is missing' });
  const numbers: Partial<Record<'value' | 'numerator' | 'denominator', number>> = {};
  for (const field of ['value', 'numerator', 'denominator'] as const) {
    const parsed = parseNumber(cellOf(map, cells, field));
    if (!parsed.ok) errors.push({ row, column: column(field), message: parsed.message });
    else if (parsed.value !== null) numbers[field] = parsed.value;
  }
  if (numbers.value === undefined && !errors.some((e) => e.column === column('value'))) {
    errors.push({ row, column: column('value'), message: 'The value is missing' });
  }
  if (errors.length || numbers.value === undefined) return { value: null, errors };
  // `numbers` holds only the figures the row gives.
  return {
    value: { row, code, period, ...numbers, value: numbers.value, ...filledIn(map, cells, ['teamId', 'note']) },
    errors: [],
  };
}
