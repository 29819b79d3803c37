import type { RowError } from './headings';

/** What an import answers (the CLI prints it as one JSON line; the API answers it). */
export interface ImportReport {
  kind: ImportKind;
  /** Data rows in the file (the heading row not counted). */
  rows: number;
  /** Records written by this import (0 on a dry run). */
  imported: number;
  /** Rows not written: invalid, conflicting, or already recorded (a re-import). */
  skipped: number;
  /** Rows already recorded with the same content (by an earlier import of this or another file). */
  alreadyRecorded: number;
  /** Rows that would be written (a dry run), or were (otherwise). */
  valid: number;
  dryRun: boolean;
  /** SHA-256 of the file, hex: in every written record's command id. */
  sha256: string;
  errors: RowError[];
}

export const IMPORT_KINDS = ['audits', 'indicators', 'users'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface ImportOptions {
  dryRun: boolean;
  /** Write the good rows even when others are bad (default: a file with any bad row writes nothing). */
  skipInvalid: boolean;
  /** The importing user: the actor of every event. */
  actor: { userId: string; role: string };
  /** Rows checked so far (first pass), then rows written out of those to write (second pass). */
  onProgress?: (phase: 'check' | 'write', done: number, total?: number) => void;
}

/** The errors as a CSV report people can open beside their file. */
export function errorsAsCsv(errors: RowError[]): string {
  const q = (s: string | number): string => `"${String(s).replace(/"/g, '""')}"`;
  return ['Row,Column,Problem', ...errors.map((e) => [e.row, q(e.column), q(e.message)].join(','))].join('\r\n') + '\r\n';
}
