/**
 * Inspector trail benchmark on a SQLite log of 1,000,000 events (BENCH_TRAIL_EVENTS to change):
 * real-shaped audits (ten domains graded, submitted, actions, moderation and corrections
 * sometimes) and disputes (answered, escalated, resolved) across 30 teams over 5 years
 * (trail-data.ts), then: the read-model rebuild with row history (events/s), trail page
 * latency (everything, and one team's trail), full verification events/s, export events/s,
 * and the as-at team view (ratings, open disputes, audit actions) at random instants.
 *
 *   npm run bench:trail
 *
 * The log is written row by row with the store's own sealing code (same hashes, same chains),
 * entities overlapping in time with recordedAt spread over the 5 years, so as-at views have
 * real history to work on. Only the measured calls are timed.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { NestFactory } from '@nestjs/core';
import { QueryBus } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, type EventFilter, type EventStore } from '@casetrail/event-store';
import type { ProjectionRunner } from '@casetrail/projections';
import { AppModule } from '../../src/app.module';
import { ListTeamAuditActionsQuery, TeamRatingsQuery } from '../../src/audits/audits.queries';
import type { Principal } from '../../src/shared/principal';
import { loadConfig } from '../../src/config/app-config';
import { AsAtReader } from '../../src/core/as-at-reader';
import { businessToday } from '../../src/core/as-at-scope';
import { PROJECTION_RUNNER, READ_DB_WRITER } from '../../src/core/tokens';
import { ListDisputesQuery } from '../../src/disputes/disputes.queries';
import { PLATFORM } from '../../src/contexts';
import { GetTeamQuery } from '../../src/teams/teams.queries';
import { ExportService } from '../../src/trail/export.service';
import { IntegrityService } from '../../src/trail/integrity.service';
import { TrailService } from '../../src/trail/trail.service';
import { percentile } from './bench-kit';
import { generateLog, seeded, teamId as team } from './trail-data';

const EVENTS = Number(process.env.BENCH_TRAIL_EVENTS ?? 1_000_000);
const SAMPLES = 50;
/** The team whose views and trail are measured. */
const TEAM = team(7);

const median = (xs: number[]): number => percentile(xs, 0.5);
const p95 = (xs: number[]): number => percentile(xs, 0.95);
const ms = (x: number): string => `${x.toFixed(1)} ms`;

/** How many events of the log a projection's filter takes (read from the file, outside the timings). */
function matching(file: string, filter: EventFilter): number {
  const db = new Database(file, { readonly: true });
  try {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.streamPrefixes?.length) {
      where.push(`(${filter.streamPrefixes.map(() => 'substr(stream_id, 1, ?) = ?').join(' OR ')})`);
      for (const prefix of filter.streamPrefixes) params.push(prefix.length, prefix);
    }
    if (filter.eventTypes?.length) {
      where.push(`type IN (${filter.eventTypes.map(() => '?').join(', ')})`);
      params.push(...filter.eventTypes);
    }
    const sql = `SELECT COUNT(*) AS n FROM events${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
    return (db.prepare(sql).get(...params) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Rows in a read-model table (and its row history). */
async function rows(db: DataSource, table: string): Promise<number> {
  const [row] = (await db.query(`SELECT COUNT(*) AS n FROM "${table}"`)) as { n: number }[];
  return Number(row.n);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'casetrail-trail-bench-'));
  const loads = [
    `start ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  ];
  try {
    let t0 = performance.now();
    const log = generateLog(join(dir, 'events.sqlite'), EVENTS);
    const written = log.events;
    const generateSeconds = (performance.now() - t0) / 1000;
    console.log(
      `generated ${written.toLocaleString('en-GB')} events in ${generateSeconds.toFixed(1)} s, recorded ${log.firstRecordedAt} .. ${log.lastRecordedAt}`,
    );
    console.log(JSON.stringify(log.counts));

    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'error' });
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, 'cli'), { logger: false });
    const trail = app.get(TrailService);
    const integrity = app.get(IntegrityService);
    const exporter = app.get(ExportService);
    const runner = app.get<ProjectionRunner>(PROJECTION_RUNNER);
    const writer = app.get<DataSource>(READ_DB_WRITER);
    const store = app.get<EventStore>(EVENT_STORE);
    const queries = app.get(QueryBus);
    const reader = app.get(AsAtReader);
    const inspector: Principal = { userId: 'bench', name: 'Bench', role: 'inspector', teamIds: [], tokenId: 'bench' };
    const manager: Principal = { ...inspector, role: 'team-manager', teamIds: [TEAM] };

    // ---- Read models: the real projections over the whole log, with row-history triggers ----
    const rebuild: { projection: string; events: number; seconds: string; 'events/s': number }[] = [];
    t0 = performance.now();
    for (const projection of PLATFORM.projections) {
      const started = performance.now();
      await runner.catchUp([projection]);
      const seconds = (performance.now() - started) / 1000;
      const applied = matching(join(dir, 'events.sqlite'), projection.filter);
      console.log(`rebuilt ${projection.name}: ${applied} events in ${seconds.toFixed(1)} s`);
      rebuild.push({
        projection: projection.name,
        events: applied,
        seconds: seconds.toFixed(1),
        'events/s': Math.round(applied / seconds),
      });
    }
    const rebuildSeconds = rebuild.reduce((sum, r) => sum + Number(r.seconds), 0);
    loads.push(
      `after rebuild ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    const problems = (await runner.status()).filter((s) => s.lastError !== null || s.lag !== 0);
    if (problems.length) throw new Error(`projections not caught up: ${JSON.stringify(problems)}`);
    // Every generated entity must have its row: a shape the projections cannot apply shows here.
    const expected: [string, number][] = [
      ['teams', log.counts.TeamRegistered ?? 0],
      ['users', log.counts.UserRegistered ?? 0],
      ['audit_frameworks', log.counts.AuditFrameworkPublished ?? 0],
      ['dispute_protocols', log.counts.DisputeProtocolPublished ?? 0],
      ['audits', log.counts.CaseAuditStarted ?? 0],
      ['audit_actions', log.counts.AuditActionRaised ?? 0],
      ['disputes', log.counts.DisputeRaised ?? 0],
    ];
    const readModels: Record<string, unknown>[] = [];
    for (const [table, events] of expected) {
      const current = await rows(writer, table);
      if (current !== events) throw new Error(`read model ${table}: ${current} rows for ${events} creating events`);
      readModels.push({ table, rows: current, 'history rows': await rows(writer, `${table}__history`) });
    }
    const [open] = (await writer.query(
      `SELECT (SELECT COUNT(*) FROM audits WHERE status = 'submitted') AS submitted,
              (SELECT COUNT(*) FROM audits WHERE status = 'moderated') AS moderated,
              (SELECT COUNT(*) FROM audit_actions WHERE status = 'open') AS openActions,
              (SELECT COUNT(*) FROM disputes WHERE status = 'open') AS openDisputes`,
    )) as Record<string, number>[];
    console.log('read models:', JSON.stringify(open));

    const timePages = async (who: Principal, query: Record<string, unknown>): Promise<number[]> => {
      const times: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const after = String(Math.floor(Math.random() * (written - 1000)));
        const start = performance.now();
        const page = await trail.page({ limit: 100, after, ...query }, who);
        times.push(performance.now() - start);
        if (page.events.length === 0) throw new Error('an empty page: the benchmark data is wrong');
      }
      return times;
    };
    const allPages = await timePages(inspector, {});
    const newestPages = await timePages(inspector, { order: 'newest' });
    const teamPages = await timePages(manager, {});
    const streamPages = await timePages(inspector, { streamPrefix: 'dispute-', type: 'DisputeEscalated' });

    // ---- As-at team view: what GET /teams/:teamId/{ratings,disputes,audit-actions}?asAt= run ----
    // The same query-bus calls as the three controllers (visibility null, as for an inspector:
    // the teamId filter gives the same rows); inside the as-at scope READ_DB reads the row
    // history at P and `on` defaults to the day of asAt.
    const teamView = async (): Promise<{ ratings: number; disputes: number; actions: number; body: string }> => {
      await queries.execute(new GetTeamQuery(TEAM));
      const ratings = await queries.execute(new TeamRatingsQuery(TEAM, {}, 'bench-reader'));
      const disputes = await queries.execute(new ListDisputesQuery({ teamId: TEAM, status: 'open', on: businessToday() }, null));
      await queries.execute(new GetTeamQuery(TEAM));
      const actions = await queries.execute(new ListTeamAuditActionsQuery(TEAM, undefined, businessToday()));
      return {
        ratings: ratings.audits,
        disputes: disputes.length,
        actions: actions.length,
        body: JSON.stringify([ratings, disputes, actions]),
      };
    };
    /** P: the last position recorded at or before the instant (0 before the first event), as AsAtMiddleware finds it. */
    const positionAt = (asAt: string): Promise<bigint> => store.positionAt(asAt);
    const first = Date.parse(log.firstRecordedAt);
    const last = Date.parse(log.lastRecordedAt);
    const random = seeded(7);
    const asAtTimes: number[] = [];
    const asAtQueryTimes: number[] = [];
    const sizes: { disputes: number; actions: number; ratings: number }[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const asAt = new Date(first + Math.floor(random() * (last - first))).toISOString();
      const start = performance.now();
      const position = await positionAt(asAt);
      const resolved = performance.now();
      const view = await reader.run(position, asAt, teamView);
      const end = performance.now();
      asAtTimes.push(end - start);
      asAtQueryTimes.push(end - resolved);
      sizes.push(view);
    }
    // The as-at view at the head must be the live view exactly (the mechanism's own promise).
    const headAt = log.lastRecordedAt;
    const atHead = await reader.run(await positionAt(headAt), headAt, teamView);
    const liveAtHead = await (async () => {
      // Live, judged on the same business day as the as-at view.
      const day = headAt.slice(0, 10);
      await queries.execute(new GetTeamQuery(TEAM));
      const ratings = await queries.execute(new TeamRatingsQuery(TEAM, {}, 'bench-reader'));
      const disputes = await queries.execute(new ListDisputesQuery({ teamId: TEAM, status: 'open', on: day }, null));
      const actions = await queries.execute(new ListTeamAuditActionsQuery(TEAM, undefined, day));
      return JSON.stringify([ratings, disputes, actions]);
    })();
    if (atHead.body !== liveAtHead) throw new Error('the as-at team view at the head differs from the live view');
    const liveTimes: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const start = performance.now();
      await teamView();
      liveTimes.push(performance.now() - start);
    }
    console.log(
      `as-at team view: median ${ms(median(asAtTimes))}, p95 ${ms(p95(asAtTimes))}; live: median ${ms(median(liveTimes))}, p95 ${ms(p95(liveTimes))}`,
    );
    const avg = (f: (s: (typeof sizes)[number]) => number): string =>
      (sizes.reduce((n, s) => n + f(s), 0) / sizes.length).toFixed(0);
    console.log(
      `as-at team view of ${TEAM}: on average ${avg((s) => s.ratings)} submitted audits rated, ${avg((s) => s.disputes)} open disputes, ${avg((s) => s.actions)} outstanding actions`,
    );
    loads.push(
      `after as-at ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );

    t0 = performance.now();
    const report = await integrity.verify();
    const verifySeconds = (performance.now() - t0) / 1000;
    if (!report.valid) throw new Error(`verification failed: ${JSON.stringify(report.firstInvalid)}`);

    t0 = performance.now();
    let bytes = 0;
    for await (const chunk of exporter.chunks({ format: 'ndjson' })) bytes += Buffer.byteLength(chunk);
    const exportSeconds = (performance.now() - t0) / 1000;
    loads.push(
      `end ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );

    const table = [
      { measurement: 'trail page, 100 events, oldest first', median: ms(median(allPages)), p95: ms(p95(allPages)) },
      { measurement: 'trail page, 100 events, newest first', median: ms(median(newestPages)), p95: ms(p95(newestPages)) },
      { measurement: "trail page, one team's events (team manager)", median: ms(median(teamPages)), p95: ms(p95(teamPages)) },
      {
        measurement: 'trail page, dispute escalations (prefix + type)',
        median: ms(median(streamPages)),
        p95: ms(p95(streamPages)),
      },
      {
        measurement: `as-at team view (${SAMPLES} random instants: P + ratings, disputes, actions)`,
        median: ms(median(asAtTimes)),
        p95: ms(p95(asAtTimes)),
      },
      {
        measurement: '  of which the three views inside the as-at scope',
        median: ms(median(asAtQueryTimes)),
        p95: ms(p95(asAtQueryTimes)),
      },
      {
        measurement: `live team view (same three views, ${SAMPLES} runs)`,
        median: ms(median(liveTimes)),
        p95: ms(p95(liveTimes)),
      },
    ];
    console.log(
      `\n${written.toLocaleString('en-GB')} events, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load average ${loads.join('; ')}`,
    );
    console.table(table);
    console.table(readModels);
    console.table(rebuild);
    console.table([
      {
        measurement: 'generation (sealed, written to SQLite)',
        events: written,
        seconds: generateSeconds.toFixed(1),
        'events/s': Math.round(written / generateSeconds),
      },
      {
        measurement: 'read-model rebuild, all projections, with row history',
        events: written,
        seconds: rebuildSeconds.toFixed(1),
        'events/s': Math.round(written / rebuildSeconds),
      },
      {
        measurement: 'full verification (chains, order, Merkle root)',
        events: report.checkedEvents,
        seconds: verifySeconds.toFixed(1),
        'events/s': Math.round(report.checkedEvents / verifySeconds),
      },
      {
        measurement: 'export, ndjson, whole log + signed manifest',
        events: written,
        seconds: exportSeconds.toFixed(1),
        'events/s': Math.round(written / exportSeconds),
        MB: (bytes / 1e6).toFixed(0),
      },
    ]);
    await app.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
