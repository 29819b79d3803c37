/**
 * The two passes every import runs (audits, indicator values, users): the same readers and the same
 * semantics for every kind, whether a record is one command (a value, a user) or several (an audit:
 * start, a grade per domain, submit).
 *
 * Pass 1 reads every row and checks it: the parsing rules, the same record twice in the file, what
 * is already recorded (the same content: counted, appends nothing; other content: an error, never
 * changed), then the API's input validation and the use case's own check (decided, nothing
 * appended). Pass 2, unless this is a dry run or a row was bad (without skipInvalid), reads the
 * file again and writes the good rows through the use case, with `import:<file sha256>:<row>` as
 * the command id and the row's business day as the event's time. Only row numbers and errors are
 * kept between passes: memory does not grow with the file.
 */
import { DomainError } from '@casetrail/kernel';
import { type CommandContext, deterministicUuid } from '../core';
import type { Cell } from './cells';
import { sha256Of, type Source } from './hashing';
import type { HeadingMap, ParsedRow } from './headings';
import type { ImportKind, ImportOptions, ImportReport } from './import-report';
import { businessInstant } from './record-writers';
import { readTable, type TableFormat } from './table-reader';

/** The command context of one step of one row: business time from the row, the file and row in the command id. */
export function importContext(
  actor: { userId: string; role: string },
  sha256: string,
  row: number,
  step: string,
  day: string,
  now: Date,
): CommandContext {
  const correlationId = deterministicUuid('import', sha256);
  return {
    actorId: actor.userId,
    actorRole: actor.role,
    commandId: `import:${sha256}:${row}${step}`,
    correlationId,
    causationId: correlationId,
    now: businessInstant(day, now),
  };
}

/** What pass 1 found for a parsed row: new (to write), already recorded as it is, or a problem in a column. */
export type RowCheck = { to: 'write' } | { to: 'skip-recorded' } | { column: string; message: string };

/**
 * One import's columns, parsing and use cases, for `runImport`. `C` is what a row's check and write
 * are given to make their command contexts from: one context (a record that is one command), or a
 * function of the step (an audit's start, grades and submit, each with its own command id and day).
 */
export interface RecordImport<R, C = CommandContext> {
  kind: ImportKind;
  /** The heading row matched to the columns (errors on row 1 stop every row from being read). */
  headings(cells: Cell[]): HeadingMap;
  parse(map: HeadingMap, row: number, cells: Cell[]): ParsedRow<R>;
  /** The record's natural key: the same key twice in one file is an error on the second row. */
  key(value: R): string;
  /** What the second row of a repeated key is told. */
  repeats: (firstRow: number) => string;
  check(value: R, map: HeadingMap, context: C): Promise<RowCheck>;
  write(value: R, context: C): Promise<void>;
}

/** The command context(s) of a parsed row (`row`: its number in the file, in every command id). */
export type ContextOf<R, C = CommandContext> = (row: number, value: R) => C;

export async function runImport<R, C = CommandContext>(
  open: Source,
  format: TableFormat,
  options: ImportOptions,
  prepare: (sha256: string) => Promise<{ records: RecordImport<R, C>; contextOf: ContextOf<R, C> }>,
): Promise<ImportReport> {
  const sha256 = await sha256Of(open);
  const { records, contextOf } = await prepare(sha256);
  const report: ImportReport = {
    kind: records.kind,
    rows: 0,
    imported: 0,
    skipped: 0,
    alreadyRecorded: 0,
    valid: 0,
    dryRun: options.dryRun,
    sha256,
    errors: [],
  };
  const toWrite = new Set<number>();
  await check(open, format, options, records, contextOf, report, toWrite);
  report.valid = toWrite.size;
  const write = !options.dryRun && toWrite.size > 0 && (report.errors.length === 0 || options.skipInvalid);
  if (write) {
    if ((await sha256Of(open)) !== sha256) throw new Error('The file changed while it was being imported; import it again');
    let map: HeadingMap | null = null;
    let done = 0;
    for await (const { row, cells } of readTable(open(), format)) {
      if (!map) {
        map = records.headings(cells);
        continue;
      }
      if (!toWrite.has(row)) continue;
      const parsed = records.parse(map, row, cells);
      if (!parsed.value) continue; // checked in pass 1: cannot happen for an unchanged file
      try {
        await records.write(parsed.value, contextOf(row, parsed.value));
        report.imported++;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        report.errors.push({ row, column: '', message: error.message });
      }
      options.onProgress?.('write', ++done, toWrite.size);
    }
  }
  report.skipped = report.rows - report.imported;
  return report;
}

async function check<R, C>(
  open: Source,
  format: TableFormat,
  options: ImportOptions,
  records: RecordImport<R, C>,
  contextOf: ContextOf<R, C>,
  report: ImportReport,
  toWrite: Set<number>,
): Promise<void> {
  const seen = new Map<string, number>();
  let map: HeadingMap | null = null;
  for await (const { row, cells } of readTable(open(), format)) {
    if (!map) {
      map = records.headings(cells);
      report.errors.push(...map.errors);
      continue;
    }
    report.rows++;
    options.onProgress?.('check', report.rows);
    if (map.errors.length) continue; // the headings are wrong: no row can be read
    const parsed = records.parse(map, row, cells);
    if (!parsed.value) {
      report.errors.push(...parsed.errors);
      continue;
    }
    const key = records.key(parsed.value);
    const first = seen.get(key);
    if (first !== undefined) {
      report.errors.push({ row, column: '', message: records.repeats(first) });
      continue;
    }
    seen.set(key, row);
    const found = await records.check(parsed.value, map, contextOf(row, parsed.value));
    if ('column' in found) report.errors.push({ row, ...found });
    else if (found.to === 'skip-recorded') report.alreadyRecorded++;
    else toWrite.add(row);
  }
  if (!map) report.errors.push({ row: 1, column: '', message: 'The file is empty: it has no heading row' });
}
