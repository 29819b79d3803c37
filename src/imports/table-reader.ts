/**
 * Streaming readers for the two file formats people export from Excel and case systems: CSV
 * (UTF-8 with or without a BOM; comma or semicolon, detected from the heading line) read with
 * csv-parse, and XLSX read with exceljs's streaming WorkbookReader (first worksheet). Rows come
 * out one at a time with the row number a spreadsheet shows (the heading row is row 1), so
 * memory does not grow with the size of the file.
 */
import { parse } from 'csv-parse';
import type ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Cell } from './cells';

export type TableFormat = 'csv' | 'xlsx';

export interface TableRow {
  /** As a spreadsheet numbers it: the heading row is 1. */
  row: number;
  cells: Cell[];
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The format of an upload from its content type or file name; null when neither says. */
export function formatOf(contentTypeOrName: string | undefined): TableFormat | null {
  const text = (contentTypeOrName ?? '').toLowerCase();
  if (text.includes('spreadsheetml') || text.endsWith('.xlsx')) return 'xlsx';
  if (text.includes('csv') || text.startsWith('text/plain') || text.endsWith('.csv')) return 'csv';
  return null;
}

/**
 * Comma or semicolon, whichever appears more often outside quotes in the heading line (Excel
 * writes semicolons where the decimal separator is a comma). Comma on a tie.
 */
export function detectDelimiter(headingLine: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of headingLine.replace(/^\uFEFF/, '')) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

const isBlank = (cells: Cell[]): boolean => cells.every((c) => c === null || c === undefined || String(c).trim() === '');

/** A file whose content is not what its type says (a spreadsheet that is not one, broken quoting). */
export class UnreadableFileError extends Error {
  readonly code = 'UNREADABLE_FILE';
}

async function* readCsv(input: AsyncIterable<Buffer | string>): AsyncGenerator<TableRow> {
  const iterator = input[Symbol.asyncIterator]();
  // Peek at the start (up to the first line end) to choose the delimiter.
  let head = Buffer.alloc(0);
  let ended = false;
  while (!head.includes(0x0a) && head.length < 65_536) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    head = Buffer.concat([head, Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value)]);
  }
  const newline = head.indexOf(0x0a);
  const delimiter = detectDelimiter(head.subarray(0, newline < 0 ? head.length : newline).toString('utf8'));
  const source = Readable.from(
    (async function* () {
      yield head;
      if (ended) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    })(),
  );
  const parser = parse({ bom: true, delimiter, relax_column_count: true, relax_quotes: false, skip_empty_lines: false });
  const piping = pipeline(source, parser).catch(() => undefined); // an error surfaces from the parser below
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      const cells = record.map((c) => (c.trim() === '' ? null : c));
      if (!isBlank(cells)) yield { row, cells };
    }
  } catch (error) {
    throw new UnreadableFileError(`The CSV file could not be read after row ${row}: ${(error as Error).message}`);
  } finally {
    parser.destroy();
    await piping;
  }
}

/** exceljs cell values (rich text, hyperlinks, formulas) as the plain value a person sees. */
function plain(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return plain(v.result);
    if ('text' in v) return plain(v.text);
    if (v.error !== undefined) return v.error;
  }
  return String(value as string);
}

async function* readXlsx(input: Readable): AsyncGenerator<TableRow> {
  // Loaded on the first XLSX read, not at start-up (about 8 MB of heap most servers never need).
  const { default: Excel } = await import('exceljs');
  const reader = new Excel.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // needed to tell a date cell from a number
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = (row as ExcelJS.Row).values as unknown[];
        const cells: Cell[] = [];
        for (let i = 1; i < values.length; i++) cells.push(plain(values[i]));
        if (!isBlank(cells)) yield { row: (row as ExcelJS.Row).number, cells };
      }
      return; // the first worksheet only
    }
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    throw new UnreadableFileError(`The XLSX file could not be read: ${(error as Error).message}`);
  }
}

/** Every non-blank row of the table, the heading row first. */
export function readTable(input: Readable, format: TableFormat): AsyncGenerator<TableRow> {
  return format === 'csv' ? readCsv(input) : readXlsx(input);
}
