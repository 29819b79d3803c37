/** The CLI's import commands: `import:audits|import:indicators|import:users <file> [--dry-run] [--skip-invalid]`. */
import type { INestApplicationContext } from '@nestjs/common';
import { createReadStream, existsSync } from 'node:fs';
import { progressBar, type Progress } from '../core';
import { AuditImportService } from './audit-import.service';
import type { ImportOptions, ImportReport } from './import-report';
import { RecordImportService } from './record-imports.service';
import { formatOf } from './table-reader';

export const IMPORT_USAGE = `  import:audits <file.csv|file.xlsx> [--dry-run] [--skip-invalid]
                                                                 historic case audits, one per row (docs/imports.md); prints
                                                                 {"rows","imported","skipped","errors":[{"row","column","message"}]}
  import:indicators <file.csv|file.xlsx> [--dry-run] [--skip-invalid]
                                                                 indicator values, one per row (indicator, team, period, value...)
  import:users <file.csv|file.xlsx> [--dry-run] [--skip-invalid]
                                                                 staff: name, role, teams (never a password; no token issued)`;

export const IMPORT_COMMANDS = new Set(['import:audits', 'import:indicators', 'import:users']);

export class ImportUsageError extends Error {}

export async function runImportCommand(
  app: INestApplicationContext,
  command: string,
  file: string | undefined,
  flags: { dryRun: boolean; skipInvalid: boolean },
  actor: { actorId: string; actorRole: string },
): Promise<Pick<ImportReport, 'rows' | 'imported' | 'skipped' | 'errors'> & Partial<ImportReport>> {
  if (!file) throw new ImportUsageError(`${command} needs a file (.csv or .xlsx)`);
  const format = formatOf(file);
  if (!format) throw new ImportUsageError(`${file}: the file name must end in .csv or .xlsx`);
  if (!existsSync(file)) throw new ImportUsageError(`${file}: no such file`);
  const bars: Record<'check' | 'write', Progress> = {
    check: progressBar('Checking rows', 'rows'),
    write: progressBar('Importing', 'rows'),
  };
  const options: ImportOptions = {
    ...flags,
    actor: { userId: actor.actorId, role: actor.actorRole },
    onProgress: (phase, done, total) => {
      if (phase === 'write') bars.check.stop();
      bars[phase].update(done, total);
    },
  };
  try {
    const open = () => createReadStream(file);
    const report =
      command === 'import:indicators'
        ? await app.get(RecordImportService).indicators(open, format, options)
        : command === 'import:users'
          ? await app.get(RecordImportService).users(open, format, options)
          : await app.get(AuditImportService).run(open, format, options);
    // The four fields first, as the contract prints them; the rest after.
    const { rows, imported, skipped, errors, ...rest } = report;
    if (errors.length && !(flags.skipInvalid && !flags.dryRun)) process.exitCode = 1;
    return { rows, imported, skipped, errors, ...rest };
  } finally {
    bars.check.stop();
    bars.write.stop();
  }
}
