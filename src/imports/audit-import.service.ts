/**
 * Historic case audits from a spreadsheet: one audit per row, each recorded through the write
 * path (record-writers.ts) as start, a grade per domain and submit, with the row's business
 * dates, the importing user as actor, and `import:<file sha256>:<row>` as the command id (so
 * the file and row are in every event's hash-chained metadata, and importing the same file
 * again appends nothing).
 *
 * Pass 1 reads every row and checks it (the parsing rules, duplicates within the file, what is
 * already recorded, then the API's validation and the audit decider's rules). Pass 2, unless this
 * is a dry run or a row was bad (without skipInvalid), reads the file again and writes the good
 * rows. Only row numbers and errors are kept between the passes: memory does not grow with the
 * rows' content.
 */
import { Injectable } from '@nestjs/common';
import { DomainError, dayOf } from '@casetrail/kernel';
import { type CommandContext, deterministicUuid } from '../core';
import { parseAuditRow, mapAuditHeadings, type AuditImportRow, type FrameworkDomainHeading } from './audit-rows';
import { sha256Of, type Source } from './hashing';
import { normalise } from './cells';
import { headingOf, type HeadingMap } from './headings';
import type { ImportOptions, ImportReport } from './import-report';
import { businessInstant, importedAuditId, RecordWriters, type CurrentFramework } from './record-writers';
import { readTable, type TableFormat } from './table-reader';

const FIELD_HEADINGS: Record<string, string> = {
  caseRef: 'Case reference',
  teamId: 'Team',
  auditedOn: 'Audit date',
  submittedOn: 'Submitted on',
  auditor: 'Auditor',
  overallGrade: 'Overall grade',
  overallGradeReason: 'Overall grade reason',
  strengths: 'Strengths',
  areasForDevelopment: 'Areas for development',
  programmeId: 'Programme',
};

const GRADE_WORDS: Record<string, string> = {
  outstanding: 'Outstanding',
  good: 'Good',
  'requires-improvement': 'Requires improvement',
  inadequate: 'Inadequate',
  'not-applicable': 'N/A',
};
const word = (grade: string | null | undefined): string => (grade ? (GRADE_WORDS[grade] ?? grade) : 'none');

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

@Injectable()
export class AuditImportService {
  constructor(private readonly writers: RecordWriters) {}

  async run(open: Source, format: TableFormat, options: ImportOptions): Promise<ImportReport> {
    const now = new Date();
    const sha256 = await sha256Of(open);
    await this.writers.catchUpAll();
    const framework = await this.writers.currentFramework();
    const domains: FrameworkDomainHeading[] = (framework?.domains ?? []).map((d) => ({ key: d.key, title: d.title }));
    const report: ImportReport = {
      kind: 'audits',
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
    await this.check(open, format, options, framework, domains, now, report, toWrite);
    report.valid = toWrite.size;
    const write = !options.dryRun && toWrite.size > 0 && (report.errors.length === 0 || options.skipInvalid);
    if (write) await this.write(open, format, options, domains, sha256, now, report, toWrite);
    report.skipped = report.rows - report.imported;
    return report;
  }

  private async check(
    open: Source,
    format: TableFormat,
    options: ImportOptions,
    framework: CurrentFramework | null,
    domains: FrameworkDomainHeading[],
    now: Date,
    report: ImportReport,
    toWrite: Set<number>,
  ): Promise<void> {
    const auditors = await this.auditors();
    const context = (row: number) => (step: string, day: string) =>
      importContext(options.actor, report.sha256, row, step, day, now);
    const seen = new Map<string, number>();
    let map: HeadingMap | null = null;
    const today = dayOf(now.toISOString());
    for await (const { row, cells } of readTable(open(), format)) {
      if (!map) {
        map = mapAuditHeadings(cells, domains);
        report.errors.push(...map.errors);
        if (!framework)
          report.errors.push({
            row: 1,
            column: '',
            message: 'No audit framework is published yet; an administrator publishes one first',
          });
        continue;
      }
      report.rows++;
      options.onProgress?.('check', report.rows);
      if (map.errors.length || !framework) continue; // the headings are wrong: no row can be read
      const parsed = parseAuditRow(map, row, cells, domains);
      if (!parsed.value) {
        report.errors.push(...parsed.errors);
        continue;
      }
      const audit = parsed.value;
      const column = (field: string): string =>
        field.startsWith('domain:')
          ? headingOf(map!, field, domains.find((d) => `domain:${d.key}` === field)?.title ?? field)
          : field
            ? headingOf(map!, field, FIELD_HEADINGS[field] ?? field)
            : '';
      const key = `${audit.caseRef}\u0000${audit.teamId}\u0000${audit.auditedOn}`;
      const first = seen.get(key);
      if (first !== undefined) {
        report.errors.push({
          row,
          column: '',
          message: `repeats row ${first}: the same case, team and audit date; an audit is imported once`,
        });
        continue;
      }
      seen.set(key, row);
      const recorded = await this.writers.recordedAudit(importedAuditId(audit), options.actor.userId, today);
      if (recorded && recorded.status !== 'in-progress') {
        const conflict = this.conflict(audit, recorded);
        if (conflict) report.errors.push({ row, column: column(conflict.field), message: conflict.message });
        else report.alreadyRecorded++;
        continue;
      }
      const auditor = auditors(audit.auditor);
      if ('problem' in auditor) {
        report.errors.push({ row, column: column('auditor'), message: auditor.problem });
        continue;
      }
      if (!recorded) {
        const problem = await this.writers.checkAudit(audit, context(row), auditor.auditorId);
        if (problem) {
          report.errors.push({ row, column: column(problem.field), message: problem.message });
          continue;
        }
      }
      toWrite.add(row); // new, or started by an earlier run of this import that stopped: finish it
    }
    if (!map) report.errors.push({ row: 1, column: '', message: 'The file is empty: it has no heading row' });
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

  private async write(
    open: Source,
    format: TableFormat,
    options: ImportOptions,
    domains: FrameworkDomainHeading[],
    sha256: string,
    now: Date,
    report: ImportReport,
    toWrite: Set<number>,
  ): Promise<void> {
    if ((await sha256Of(open)) !== sha256) throw new Error('The file changed while it was being imported; import it again');
    let map: HeadingMap | null = null;
    let done = 0;
    const auditors = await this.auditors();
    for await (const { row, cells } of readTable(open(), format)) {
      if (!map) {
        map = mapAuditHeadings(cells, domains);
        continue;
      }
      if (!toWrite.has(row)) continue;
      const parsed = parseAuditRow(map, row, cells, domains);
      if (!parsed.value) continue; // checked in pass 1: cannot happen for an unchanged file
      try {
        const auditor = auditors(parsed.value.auditor);
        await this.writers.writeAudit(
          parsed.value,
          (step, day) => importContext(options.actor, sha256, row, step, day, now),
          'auditorId' in auditor ? auditor.auditorId : undefined,
        );
        report.imported++;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        report.errors.push({ row, column: '', message: error.message });
      }
      options.onProgress?.('write', ++done, toWrite.size);
    }
  }
}
