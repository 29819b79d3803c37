import { dayInWords } from '@casetrail/kernel';
/**
 * The board report as a document: sections of paragraphs and tables, built once and rendered to
 * HTML, Word and CSV, so every format carries the same words and figures. Pure.
 */
import { DEFAULT_SUPPRESSION_THRESHOLD, SECONDARY_TEXT, smallText, suppressCounts } from './suppression';

export type Cell =
  | { kind: 'text'; text: string }
  /** A count of people or records: suppressed for an external audience. */
  | { kind: 'count'; value: number }
  /** A percentage of records: not shown externally with a denominator (or numerator) under the threshold. */
  | { kind: 'percent'; value: number | null; numerator: number; denominator: number }
  /** A median of n values: not shown externally when n is under the threshold. */
  | { kind: 'median'; value: number | null; n: number };

export const text = (value: string | null | undefined): Cell => ({ kind: 'text', text: value ?? '' });
export const count = (value: number): Cell => ({ kind: 'count', value });
export const pct = (value: number | null, numerator: number, denominator: number): Cell => ({
  kind: 'percent',
  value,
  numerator,
  denominator,
});
export const med = (value: number | null, n: number): Cell => ({ kind: 'median', value, n });

export interface ReportTable {
  /** Stable id: the CSV file's name. */
  id: string;
  title: string;
  columns: string[];
  rows: Cell[][];
  /**
   * The count cells of each row add up to the row's last count cell (rowTotals), and the last row
   * is the sum of the others (columnTotals): secondary suppression keeps both from giving a hidden cell away.
   */
  sums?: { rowTotals: boolean; columnTotals: boolean };
  /** Said instead of an empty table. */
  empty: string;
}

export interface ReportSection {
  id: string;
  title: string;
  paragraphs: string[];
  tables: ReportTable[];
}

export type Audience = 'internal' | 'external';

export interface BoardReport {
  title: string;
  quarter: string;
  from: string;
  to: string;
  /** The day the time-dependent figures (RAG, overdue) are for. */
  on: string;
  teamId: string | null;
  teamName: string | null;
  audience: Audience;
  /** "Official – sensitive" for an internal report; null for an external one. */
  marking: string | null;
  /** The knowledge time the report is as at, and the log position it reads up to. */
  asAt: string;
  position: string;
  /** The latest signed checkpoint covering no more than the report reads, or null when none was signed by then. */
  checkpoint: { size: number; lastPosition: string; rootHash: string; signedAt: string } | null;
  /** When the quarter was closed (as known at asAt), or null while open. */
  closed: { closedOn: string; closedAt: string } | null;
  suppressionThreshold: number | null;
  sections: ReportSection[];
}

export const OFFICIAL_SENSITIVE = 'Official – sensitive';

/** A cell in words, as every format shows it (after `forAudience`, nothing here is suppressed). */
export function cellText(cell: Cell): string {
  switch (cell.kind) {
    case 'text':
      return cell.text;
    case 'count':
      return String(cell.value);
    case 'percent':
      return cell.value === null ? '–' : `${cell.value}%`;
    case 'median':
      return cell.value === null ? '–' : String(cell.value);
  }
}

/** Suppresses one table for an external audience (rules in suppression.ts). */
export function suppressTable(table: ReportTable, threshold: number): ReportTable {
  const countCols = (row: Cell[]): number[] => row.flatMap((c, i) => (c.kind === 'count' ? [i] : []));
  const positions = table.rows.map(countCols);
  const uniform = positions.every((p) => p.length === positions[0]?.length);
  const sums = table.sums && uniform ? table.sums : { rowTotals: false, columnTotals: false };
  const values = table.rows.map((row, r) => positions[r].map((i) => (row[i] as { value: number }).value));
  const mask = uniform
    ? suppressCounts({ values, ...sums }, threshold)
    : values.map((row) => suppressCounts({ values: [row], rowTotals: false, columnTotals: false }, threshold)[0]);
  const rows = table.rows.map((row, r) => {
    const hiddenInRow = mask[r].some((m) => m !== 'shown');
    return row.map((cell, i): Cell => {
      if (cell.kind === 'count') {
        const m = mask[r][positions[r].indexOf(i)];
        return m === 'shown' ? cell : text(m === 'small' ? smallText(threshold) : SECONDARY_TEXT);
      }
      if (cell.kind === 'percent') {
        const unsafe = hiddenInRow || cell.denominator < threshold || (cell.numerator > 0 && cell.numerator < threshold);
        return unsafe ? text(cell.value === null ? '–' : 'suppressed') : cell;
      }
      if (cell.kind === 'median') return cell.n < threshold ? text(cell.value === null ? '–' : 'suppressed') : cell;
      return cell;
    });
  });
  return { ...table, rows };
}

/** The report for its audience: external reports are suppressed and carry no marking. */
export function forAudience(report: BoardReport, threshold = DEFAULT_SUPPRESSION_THRESHOLD): BoardReport {
  if (report.audience === 'internal') return { ...report, marking: OFFICIAL_SENSITIVE, suppressionThreshold: null };
  return {
    ...report,
    marking: null,
    suppressionThreshold: threshold,
    sections: report.sections.map((s) => ({ ...s, tables: s.tables.map((t) => suppressTable(t, threshold)) })),
  };
}

/** The footer every format carries. */
export function footerText(report: BoardReport): string {
  const head = report.checkpoint
    ? `signed checkpoint of ${report.checkpoint.size} events (to position ${report.checkpoint.lastPosition}), root ${report.checkpoint.rootHash}, signed ${report.checkpoint.signedAt}`
    : 'no signed checkpoint yet';
  return [
    report.marking,
    `As at ${report.asAt}; trail head position ${report.position}; ${head}.`,
    report.closed
      ? `${report.quarter} was closed on ${dayInWords(report.closed.closedOn)}: this is the report as at its closing.`
      : null,
  ]
    .filter(Boolean)
    .join(' ');
}
