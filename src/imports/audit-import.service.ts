/**
 * Historic case audits from a spreadsheet: one audit per row, each recorded through the write
 * path (record-writers.ts) as start, a grade per domain and submit, with the row's business
 * dates, the importing user as actor, and `import:<file sha256>:<row>` as the command id (so
 * the file and row are in every event's hash-chained metadata, and importing the same file
 * again appends nothing).
 *
 * The two passes are every import's (two-pass-import.ts): pass 1 reads every row and checks it (the
 * parsing rules, duplicates within the file, what is already recorded, then the API's validation and
 * the audit decider's rules); pass 2, unless this is a dry run or a row was bad (without
 * skipInvalid), reads the file again and writes the good rows. Only row numbers and errors are kept
 * between the passes: memory does not grow with the rows' content.
 */
import { Injectable } from '@nestjs/common';
import { dayOf } from '@casetrail/kernel';
import type { CommandContext } from '../core';
import { auditColumns, parseAuditRow, mapAuditHeadings, type AuditImportRow, type FrameworkDomainHeading } from './audit-rows';
import type { Source } from './hashing';
import { normalise } from './cells';
import { headingNamer } from './headings';
import type { ImportOptions, ImportReport } from './import-report';
import { importedAuditId, RecordWriters } from './record-writers';
import type { TableFormat } from './table-reader';
import { importContext, runImport, type RecordImport, type RowCheck } from './two-pass-import';

const GRADE_WORDS: Record<string, string> = {
  outstanding: 'Outstanding',
  good: 'Good',
  'requires-improvement': 'Requires improvement',
  inadequate: 'Inadequate',
  'not-applicable': 'N/A',
};
const word = (grade: string | null | undefined): string => (grade ? (GRADE_WORDS[grade] ?? grade) : 'none');

/** A row's command contexts: one a step (start '', ':grade:<domain>', ':submit') on its business day. */
type StepContext = (step: string, day: string) => CommandContext;

@Injectable()
export class AuditImportService {
  constructor(private readonly writers: RecordWriters) {}

  /**
   * The shared two passes (two-pass-import.ts) with the audits' own parts: the columns of the
   * current framework's domains, the natural key (case, team and audit date), an audit already
   * recorded (the same grades: counted; other grades: an error, never changed; started by an
   * earlier run that stopped: finished), the Auditor column, and the audit's three kinds of step.
   */
  run(open: Source, format: TableFormat, options: ImportOptions): Promise<ImportReport> {
    const now = new Date();
    const today = dayOf(now.toISOString());
    return runImport<AuditImportRow, StepContext>(open, format, options, async (sha256) => {
      await this.writers.catchUpAll();
      const framework = await this.writers.currentFramework();
      const domains: FrameworkDomainHeading[] = (framework?.domains ?? []).map((d) => ({ key: d.key, title: d.title }));
      const auditors = await this.auditors();
      const columns = auditColumns(domains);
      const records: RecordImport<AuditImportRow, StepContext> = {
        kind: 'audits',
        headings: (cells) => {
          const map = mapAuditHeadings(cells, domains);
          if (framework) return map;
          // No row can be read without the framework's domains.
          const error = {
            row: 1,
            column: '',
            message: 'No audit framework is published yet; an administrator publishes one first',
          };
          return { ...map, errors: [...map.errors, error] };
        },
        parse: (map, row, cells) => parseAuditRow(map, row, cells, domains),
        key: (audit) => `${audit.caseRef}\u0000${audit.teamId}\u0000${audit.auditedOn}`,
        repeats: (first) => `repeats row ${first}: the same case, team and audit date; an audit is imported once`,
        check: async (audit, map, context): Promise<RowCheck> => {
          const column = headingNamer(map, columns);
          const recorded = await this.writers.recordedAudit(importedAuditId(audit), options.actor.userId, today);
          if (recorded && recorded.status !== 'in-progress') {
            const conflict = this.conflict(audit, recorded);
            return conflict ? { column: column(conflict.field), message: conflict.message } : { to: 'skip-recorded' };
          }
          const auditor = auditors(audit.auditor);
          if ('problem' in auditor) return { column: column('auditor'), message: auditor.problem };
          if (!recorded) {
            const problem = await this.writers.checkAudit(audit, context, auditor.auditorId);
            if (problem) return { column: column(problem.field), message: problem.message };
          }
          return { to: 'write' }; // new, or started by an earlier run of this import that stopped: finish it
        },
        write: async (audit, context) => {
          const auditor = auditors(audit.auditor);
          await this.writers.writeAudit(audit, context, 'auditorId' in auditor ? auditor.auditorId : undefined);
        },
      };
      const contextOf =
        (row: number): StepContext =>
        (step, day) =>
          importContext(options.actor, sha256, row, step, day, now);
      return { records, contextOf };
    });
  }

  /**
   * The Auditor column, matched to a registered user (active or not: a historic audit's auditor may
   * have left) by id or by name (case and spacing aside). Blank: the importing user, as the API
   * records the actor. An unknown name, or one two users share, is the row's error.
   */
  private async auditors(): Promise<(cell: string | undefined) => { auditorId?: string } | { problem: string }> {
    const users = await this.writers.users();
    const byId = new Map(users.map((u) => [u.userId, u.userId]));
    const byName = new Map<string, string[]>();
    for (const u of users) byName.set(normalise(u.name), [...(byName.get(normalise(u.name)) ?? []), u.userId]);
    return (cell) => {
      if (!cell) return {};
      const id = byId.get(cell);
      if (id) return { auditorId: id };
      const named = byName.get(normalise(cell)) ?? [];
      if (named.length === 1) return { auditorId: named[0] };
      if (named.length > 1)
        return { problem: `${named.length} users are called '${cell}'; write the auditor's user id instead (Admin, Users)` };
      return {
        problem: `'${cell}' is not a registered user; write the name or user id of the person who audited the case (an administrator registers them first), or leave it blank to record yourself`,
      };
    };
  }

  /** What differs between the row and the audit already recorded for the same case, team and date. */
  private conflict(
    audit: AuditImportRow,
    recorded: { overallGrade: string | null; grades: Record<string, string> },
  ): { field: string; message: string } | null {
    const where = `an audit of ${audit.caseRef} in ${audit.teamId} on ${audit.auditedOn} is already recorded`;
    if (recorded.overallGrade !== audit.overallGrade) {
      return {
        field: 'overallGrade',
        message: `${where} as ${word(recorded.overallGrade)}, not ${word(audit.overallGrade)}; it is left unchanged (correct it on the audit, with a reason)`,
      };
    }
    const domains = new Set([...Object.keys(recorded.grades), ...Object.keys(audit.grades)]);
    for (const domain of domains) {
      if (recorded.grades[domain] !== audit.grades[domain]) {
        return {
          field: `domain:${domain}`,
          message: `${where} with this domain graded ${word(recorded.grades[domain])}, not ${word(audit.grades[domain])}; it is left unchanged (correct it on the audit, with a reason)`,
        };
      }
    }
    return null;
  }
}
