/** Matching a file's heading row to the columns an import takes, case-insensitively, by any of their names. */
import { cellText, normalise, type Cell } from './cells';

/** One problem, as the person must fix it: the row (1 = headings), the column heading as written, what is wrong. */
export interface RowError {
  row: number;
  column: string;
  message: string;
}

export interface ColumnSpec {
  /** The field the column fills. */
  field: string;
  /** The heading Casetrail writes in templates and messages. */
  heading: string;
  /** Other headings people use for it (compared after normalise()). */
  aliases?: string[];
  required?: boolean;
}

export interface HeadingMap {
  /** field -> index of its column in each row. */
  index: Map<string, number>;
  /** field -> the heading as the file writes it (for messages). */
  heading: Map<string, string>;
  errors: RowError[];
}

/**
 * Maps each heading to a column spec. An unknown heading, the same column twice and a missing
 * required column are errors on row 1: nothing is silently dropped. `refuse` lets an import name
 * headings it must never take (a child's name, a date of birth) with its own message.
 */
export function mapHeadings(
  headings: Cell[],
  columns: ColumnSpec[],
  refuse: (normalised: string) => string | null = () => null,
): HeadingMap {
  const byName = new Map<string, ColumnSpec>();
  for (const c of columns) for (const name of [c.heading, c.field, ...(c.aliases ?? [])]) byName.set(normalise(name), c);
  const index = new Map<string, number>();
  const heading = new Map<string, string>();
  const errors: RowError[] = [];
  headings.forEach((cell, i) => {
    const text = cellText(cell);
    if (text === '') return;
    const refusal = refuse(normalise(text));
    if (refusal) {
      errors.push({ row: 1, column: text, message: refusal });
      return;
    }
    const spec = byName.get(normalise(text));
    if (!spec) {
      errors.push({
        row: 1,
        column: text,
        message: `'${text}' is not a column Casetrail imports here; rename it to one of ${columns.map((c) => c.heading).join(', ')}, or remove it`,
      });
      return;
    }
    if (index.has(spec.field)) {
      errors.push({
        row: 1,
        column: text,
        message: `'${text}' repeats the column '${heading.get(spec.field)}'; keep one of them`,
      });
      return;
    }
    index.set(spec.field, i);
    heading.set(spec.field, text);
  });
  for (const c of columns) {
    if (c.required && !index.has(c.field)) {
      errors.push({ row: 1, column: c.heading, message: `The column '${c.heading}' is missing; add it to the heading row` });
    }
  }
  return { index, heading, errors };
}

/** The cell of `field` in a row (null when the file has no such column or the row is short). */
export const cellOf = (map: HeadingMap, cells: Cell[], field: string): Cell => {
  const i = map.index.get(field);
  return i === undefined ? null : (cells[i] ?? null);
};

/** The text of each of `fields` the row fills in: an optional column left blank is left out. */
export function filledIn<F extends string>(map: HeadingMap, cells: Cell[], fields: readonly F[]): Partial<Record<F, string>> {
  const filled: Partial<Record<F, string>> = {};
  for (const field of fields) {
    const text = cellText(cellOf(map, cells, field));
    if (text !== '') filled[field] = text;
  }
  return filled;
}

/** The heading of `field` as the file writes it, else the template's. */
export const headingOf = (map: HeadingMap, field: string, fallback: string): string => map.heading.get(field) ?? fallback;

/** The heading to name a field by in a message: as the file writes it, else its template heading in `columns`. */
export const headingNamer =
  (map: HeadingMap, columns: readonly ColumnSpec[]) =>
  (field: string): string =>
    headingOf(map, field, columns.find((c) => c.field === field)?.heading ?? field);

/** One row of a file as the record it holds, or every problem with it. */
export type ParsedRow<T> = { value: T; errors: [] } | { value: null; errors: RowError[] };

/** "Row 14, Management oversight: 'Gud' is not a grade; ..." */
export const describe = (error: RowError): string =>
  `Row ${error.row}${error.column ? `, ${error.column}` : ''}: ${error.message}`;
