/**
 * Historic audit import benchmark: a CSV of 10,000 audits (BENCH_IMPORT_ROWS to change), imported as
 * `npm run cli -- import:audits` imports it (the CLI's mode: no projection runner, each audit caught
 * up before its submit) into a fresh SQLite store, against a baseline in the same run: csv-parse
 * reading the same file to the end (the reader every import starts from). The ratio is what to
 * compare between runs; absolute rates move with the machine's load.
 *
 *   npm run bench -- import
 *   BENCH_IMPORT_ROWS=2000 npx ts-node --transpile-only -r tsconfig-paths/register test/bench/import.bench.ts
 */
import { parse } from 'csv-parse';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { NestFactory } from '@nestjs/core';
import type { ProjectionRunner } from '@casetrail/projections';
import { AppModule } from '../../src/app.module';
import { AuditFrameworkUseCases } from '../../src/audits/audits.use-cases';
import { DEFAULT_FRAMEWORK_ID } from '../../src/audits/audit-framework.decider';
import { DEFAULT_FRAMEWORK_DOMAINS } from '../../src/audits/default-framework';
import { loadConfig } from '../../src/config/app-config';
import { systemContext } from '../../src/core/command-context';
import { PROJECTION_RUNNER } from '../../src/core/tokens';
import { AuditImportService } from '../../src/imports/audit-import.service';
import { TeamUseCases } from '../../src/teams/teams.use-cases';
import { UserUseCases } from '../../src/users/users.use-cases';
import { auditCsv, auditRows, TEAMS } from '../support/import-fixtures';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
const DAY = 86_400_000;

export async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'casetrail-import-bench-'));
  try {
    // Unique case references; audit dates over 1,500 days from April 2020 (all in the past).
    const rows = auditRows(ROWS).map((r, i) => {
      r[2] = new Date(Date.UTC(2020, 3, 1) + (i % 1500) * DAY);
      return r;
    });
    const file = join(dir, 'audits.csv');
    writeFileSync(file, auditCsv(rows));

    const baselineStart = performance.now();
    let parsed = 0;
    for await (const record of createReadStream(file).pipe(parse({ bom: true, relax_column_count: true }))) {
      parsed += (record as string[]).length > 0 ? 1 : 0;
    }
    const baselineSeconds = (performance.now() - baselineStart) / 1000;

    const config = loadConfig({ DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'error' });
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, 'cli'), { logger: false });
    try {
      const teams = app.get(TeamUseCases);
      for (const teamId of TEAMS) {
        await teams.register({ teamId, name: `Team ${teamId}`, service: 'Children in need' }, systemContext('bench'));
      }
      // The server publishes the default framework on start; the CLI's mode does not.
      await app
        .get(AuditFrameworkUseCases)
        .publish({ frameworkId: DEFAULT_FRAMEWORK_ID, domains: DEFAULT_FRAMEWORK_DOMAINS }, systemContext('bench'));
      await app.get(UserUseCases).register({ name: 'Quinn Auditor', role: 'qa-officer' }, systemContext('bench')); // the Auditor column
      await app.get<ProjectionRunner>(PROJECTION_RUNNER).catchUp();
      const started = performance.now();
      const report = await app.get(AuditImportService).run(() => createReadStream(file), 'csv', {
        dryRun: false,
        skipInvalid: false,
        actor: { userId: 'cli:bench', role: 'admin' },
      });
      const seconds = (performance.now() - started) / 1000;
      if (report.imported !== ROWS)
        throw new Error(`imported ${report.imported} of ${ROWS}: ${JSON.stringify(report.errors.slice(0, 3))}`);
      const result = {
        rows: ROWS,
        baseline: {
          what: 'csv-parse of the same file',
          seconds: round(baselineSeconds),
          rowsPerSecond: Math.round(parsed / baselineSeconds),
        },
        casetrail: {
          what: 'import:audits (check pass + write pass, 4 commands a row)',
          seconds: round(seconds),
          rowsPerSecond: Math.round(ROWS / seconds),
        },
        ratio: Math.round(parsed / baselineSeconds / (ROWS / seconds)),
        machine: { cpus: cpus().length, load: loadavg().map(round) },
      };
      console.log(JSON.stringify(result));
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (n: number): number => Math.round(n * 100) / 100;

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
