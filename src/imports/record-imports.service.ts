/**
 * Indicator values and users from a spreadsheet: one command per row through the indicators' and
 * users' use cases (record-writers.ts), in the two passes every import makes (two-pass-import.ts),
 * with the importing user as actor and `import:<file sha256>:<row>` as the command id.
 */
import { Injectable } from '@nestjs/common';
import { dayOf, parsePeriod } from '@casetrail/kernel';
import type { CommandContext } from '../core';
import { normalise } from './cells';
import type { Source } from './hashing';
import { headingNamer } from './headings';
import type { ImportOptions, ImportReport } from './import-report';
import { INDICATOR_COLUMNS, mapIndicatorHeadings, parseIndicatorRow, type IndicatorImportRow } from './indicator-rows';
import { measurementKey, RecordWriters } from './record-writers';
import type { TableFormat } from './table-reader';
import { importContext, runImport, type ContextOf, type RecordImport, type RowCheck } from './two-pass-import';
import { mapUserHeadings, parseUserRow, USER_COLUMNS, type UserImportRow } from './user-rows';

const number = (n: number | null | undefined): string => (n === null || n === undefined ? 'none' : String(n));
const sameSet = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

@Injectable()
export class RecordImportService {
  constructor(private readonly writers: RecordWriters) {}

  /**
   * A row's command context, at its business day (noon UTC, never later than now); `businessDay`
   * null: the time of the import.
   */
  private contextOf<R>(
    options: ImportOptions,
    sha256: string,
    now: Date,
    businessDay: (value: R) => string | null,
  ): ContextOf<R, CommandContext> {
    return (row, value) => {
      const day = businessDay(value);
      return day === null
        ? { ...importContext(options.actor, sha256, row, '', dayOf(now.toISOString()), now), now: now.toISOString() }
        : importContext(options.actor, sha256, row, '', day, now);
    };
  }

  /** Indicator values: the natural key is indicator, team (or council-wide) and period. */
  indicators(open: Source, format: TableFormat, options: ImportOptions): Promise<ImportReport> {
    const now = new Date();
    return runImport<IndicatorImportRow>(open, format, options, async (sha256) => {
      await this.writers.catchUpAll();
      const recorded = new Map<string, Awaited<ReturnType<RecordWriters['recordedMeasurements']>>>();
      const records: RecordImport<IndicatorImportRow> = {
        kind: 'indicators',
        headings: mapIndicatorHeadings,
        parse: parseIndicatorRow,
        key: (m) => `${m.code}\u0000${measurementKey(m.teamId, m.period)}`,
        repeats: (first) => `repeats row ${first}: the same indicator, team and period; a value is imported once`,
        check: async (m, map, context): Promise<RowCheck> => {
          const column = headingNamer(map, INDICATOR_COLUMNS);
          if (!recorded.has(m.code)) recorded.set(m.code, await this.writers.recordedMeasurements(m.code));
          const earlier = recorded.get(m.code)?.get(measurementKey(m.teamId, m.period));
          if (earlier) {
            const same =
              earlier.value === m.value &&
              (m.numerator === undefined || earlier.numerator === m.numerator) &&
              (m.denominator === undefined || earlier.denominator === m.denominator);
            if (same) return { to: 'skip-recorded' };
            return {
              column: column('value'),
              message:
                `the value of ${m.code} for ${m.teamId ?? 'the council'} in ${m.period} is already recorded as ` +
                `${number(earlier.value)}${earlier.numerator !== null ? ` (${number(earlier.numerator)} of ${number(earlier.denominator)})` : ''}, ` +
                `not ${number(m.value)}; it is left unchanged (correct it on the indicator, with a reason)`,
            };
          }
          const problem = await this.writers.checkMeasurement(m, context);
          return problem ? { column: column(problem.field), message: problem.message } : { to: 'write' };
        },
        write: (m, context) => this.writers.writeMeasurement(m, context),
      };
      // The last day of the period, as the figure is for it.
      const businessDay = (m: IndicatorImportRow): string => parsePeriod(m.period)?.to ?? dayOf(now.toISOString());
      return { records, contextOf: this.contextOf(options, sha256, now, businessDay) };
    });
  }

  /**
   * Staff: name, role and teams, never a password. The natural key is the name: a row naming a registered
   * user with the same role and teams is already recorded; with another role or teams, an error (change it
   * on the Users page), never changed by an import.
   */
  users(open: Source, format: TableFormat, options: ImportOptions): Promise<ImportReport> {
    const now = new Date();
    return runImport<UserImportRow>(open, format, options, async (sha256) => {
      await this.writers.catchUpAll();
      const byName = new Map<string, { name: string; role: string; teamIds: string[] }[]>();
      for (const u of await this.writers.users()) byName.set(normalise(u.name), [...(byName.get(normalise(u.name)) ?? []), u]);
      const records: RecordImport<UserImportRow> = {
        kind: 'users',
        headings: mapUserHeadings,
        parse: parseUserRow,
        key: (u) => normalise(u.name),
        repeats: (first) => `repeats row ${first}: the same name; a person is imported once`,
        check: async (u, map, context): Promise<RowCheck> => {
          const column = headingNamer(map, USER_COLUMNS);
          const namesakes = byName.get(normalise(u.name)) ?? [];
          if (namesakes.some((r) => r.role === u.role && sameSet(r.teamIds, u.teamIds))) return { to: 'skip-recorded' };
          if (namesakes.length) {
            const r = namesakes[0];
            return {
              column: column(r.role !== u.role ? 'role' : 'teamIds'),
              message:
                `${r.name} is already registered as ${r.role}${r.teamIds.length ? ` in ${r.teamIds.join(', ')}` : ''}, ` +
                `not ${u.role}${u.teamIds.length ? ` in ${u.teamIds.join(', ')}` : ''}; they are left unchanged (change their role or teams on the Users page)`,
            };
          }
          const problem = await this.writers.checkUser(u, context);
          return problem ? { column: column(problem.field), message: problem.message } : { to: 'write' };
        },
        write: (u, context) => this.writers.writeUser(u, context),
      };
      return { records, contextOf: this.contextOf(options, sha256, now, () => null) };
    });
  }
}
