/**
 * One benchmark command: every figure beside its baseline, measured in the same interleaved run
 * (baseline, then Casetrail, round after round), and their ratio. Absolute rates move with the
 * machine's load; the ratio is what to compare between runs.
 *
 *   npm run bench -- --quick          about a few minutes: small stores
 *   npm run bench                      full sizes
 *   npm run -s bench -- --quick --json one JSON object on stdout (progress goes to stderr; -s keeps npm's banner off stdout)
 *   npm run bench -- store|trail       the older single-purpose benchmarks (store.bench.ts, trail.bench.ts)
 *   npm run bench -- import            10,000 historic audits imported vs csv-parse of the same file (import.bench.ts)
 *   npm run bench -- --quick http      only the HTTP rows (to profile the server: node --cpu-prof dist/test/bench/bench.js)
 *   npm run bench -- --quick --log-events=1000000 --samples=50 --keep read
 *                                      the read rows at a million events (not in CI; see docs/benchmarks.md), stores kept
 *   npm run bench -- --samples=50 --store=DIR as-at
 *                                      the as-at row alone on a kept store (DIR: the printed folder + /log)
 *   npm run bench -- --store=DIR --rounds=3 rebuild
 *                                      the SQLite rebuild row alone on a kept store, a warm-up rebuild first
 *
 * Rows: batched append (1,000 events per call) on SQLite and PostgreSQL vs a raw insert of the
 * same sealed rows; projections:rebuild of a realistic log vs readAll of the same log;
 * trail:verify vs SHA-256 over the same stored bytes; the as-at team view vs the current one;
 * GET /api/v1/teams at 100 connections vs a bare node:http server sending the same bytes.
 * The realistic log comes from trail-data.ts, and the server is started on it (it must start).
 * PostgreSQL: POSTGRES_BENCH_URL (default: the test database); skipped when unreachable.
 */
import Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { QueryBus } from '@nestjs/cqrs';
import { Client } from 'pg';
import { EVENT_STORE, PostgresEventStore, SqliteEventStore, type EventStore, type NewEvent } from '@casetrail/event-store';
import { sealEvents, type SealedEvent } from '@casetrail/event-store/append-plan';
import type { ProjectionRunner } from '@casetrail/projections';
import { AppModule } from '../../src/app.module';
import { ListTeamAuditActionsQuery, TeamRatingsQuery } from '../../src/audits/audits.queries';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';
import { AsAtReader } from '../../src/core/as-at-reader';
import { businessToday } from '../../src/core/as-at-scope';
import { systemContext } from '../../src/core/command-context';
import { PROJECTION_RUNNER } from '../../src/core/tokens';
import { ListDisputesQuery } from '../../src/disputes/disputes.queries';
import { GetTeamQuery } from '../../src/teams/teams.queries';
import { teamStreamId } from '../../src/teams/teams.events';
import { ExportService } from '../../src/trail/export.service';
import { IntegrityService } from '../../src/trail/integrity.service';
import { UserUseCases } from '../../src/users/users.use-cases';
import { domainGraded, gc, percentile, POSTGRES_URL, rawSqliteEvents } from './bench-kit';
import { startFloorsInChild } from './nest-floor';
import { rebuildWriteFloor } from './rebuild-floor';
import { generateLog, seeded, teamId } from './trail-data';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const JSON_OUT = args.includes('--json');
/**
 * A size option: `--name=N` (underscores or commas allowed: `--log-events=1_000_000`), else the
 * environment variable, else the mode's default.
 */
function sizeOption(name: string, env: string, fallback: number): number {
  const given = args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? process.env[env];
  if (given === undefined) return fallback;
  const n = Number(given.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} (${env}) must be a positive whole number, not ${given}`);
  return n;
}
/** Keep the stores the run builds (the log, read database) and print where they are: to profile or start a server on them. */
const KEEP = args.includes('--keep');

const SIZES = QUICK
  ? {
      appendEvents: 20_000,
      rounds: 2,
      logEvents: sizeOption('log-events', 'BENCH_LOG_EVENTS', 20_000),
      samples: sizeOption('samples', 'BENCH_SAMPLES', 20),
      httpRequests: 3_000,
      ratingsRequests: 1_000,
      commands: 300,
    }
  : {
      appendEvents: 200_000,
      rounds: 3,
      logEvents: sizeOption('log-events', 'BENCH_LOG_EVENTS', 150_000),
      samples: sizeOption('samples', 'BENCH_SAMPLES', 50),
      httpRequests: 20_000,
      ratingsRequests: 10_000,
      commands: 3_000,
    };
const BATCH = 1_000;
const CONNECTIONS = 100;
const COMMAND_CONNECTIONS = [1, 8, 32];

const log = (line: string): void => {
  (JSON_OUT ? process.stderr : process.stdout).write(`${line}\n`);
};
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

interface Figure {
  name: string;
  unit: string;
  value: number;
  /** Higher is better for rates, lower for latencies: the ratio is always "Casetrail ÷ baseline" in rate terms. */
  extra?: Record<string, number>;
}
interface Row {
  row: string;
  unit: string;
  casetrail: Figure;
  baseline: Figure;
  /** Casetrail's rate ÷ the baseline's rate (for latencies: baseline time ÷ Casetrail time). */
  ratio: number;
}
const rows: Row[] = [];

function addRow(row: string, casetrail: Figure, baseline: Figure, lowerIsBetter = false): void {
  const ratio = lowerIsBetter ? baseline.value / casetrail.value : casetrail.value / baseline.value;
  const r: Row = { row, unit: casetrail.unit, casetrail, baseline, ratio: Number(ratio.toFixed(3)) };
  rows.push(r);
  const extra = (f: Figure): string =>
    f.extra ? ` ${JSON.stringify(f.extra, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toFixed(1)) : v))}` : '';
  log(
    `${row}: ${fmt(casetrail.value)} ${casetrail.unit}${extra(casetrail)} vs ${baseline.name} ${fmt(baseline.value)} ${baseline.unit}${extra(baseline)}: ratio ${r.ratio}`,
  );
}
const fmt = (x: number): string => (x >= 100 ? Math.round(x).toLocaleString('en-GB') : x.toFixed(2));

// ---------------------------------------------------------------- append

/** Calls of BATCH events to fresh streams; the raw baseline inserts the same events sealed the same way. */
interface AppendTarget {
  name: string;
  store(streamId: string, events: NewEvent[]): Promise<unknown>;
  raw(rows: SealedEvent[]): Promise<unknown>;
}

async function interleavedAppend(row: string, target: AppendTarget): Promise<void> {
  const calls = SIZES.appendEvents / BATCH / SIZES.rounds;
  let storeMs = 0;
  let rawMs = 0;
  // CPU time of this process (sealing, binding, the driver): on a loaded machine the wall clock mostly measures the wait for a core.
  let storeCpuMs = 0;
  let rawCpuMs = 0;
  const cpuMs = (since: NodeJS.CpuUsage): number => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };
  let stream = 0;
  for (let round = 0; round < SIZES.rounds; round++) {
    gc();
    for (let c = 0; c < calls; c++) {
      const streamId = `audit-raw${stream++}`;
      const sealed = sealEvents(streamId, domainGraded(stream, BATCH), { revision: null, hash: null }, new Date().toISOString());
      const start = performance.now();
      const cpu = process.cpuUsage();
      await target.raw(sealed);
      rawCpuMs += cpuMs(cpu);
      rawMs += performance.now() - start;
    }
    gc();
    for (let c = 0; c < calls; c++) {
      const events = domainGraded(stream, BATCH);
      const start = performance.now();
      const cpu = process.cpuUsage();
      await target.store(`audit-s${stream++}`, events);
      storeCpuMs += cpuMs(cpu);
      storeMs += performance.now() - start;
    }
  }
  const n = calls * SIZES.rounds * BATCH;
  addRow(
    row,
    { name: target.name, unit: 'events/s', value: n / (storeMs / 1000), extra: { cpuMsPer1000: (storeCpuMs / n) * 1000 } },
    {
      name: `raw insert of the same sealed rows`,
      unit: 'events/s',
      value: n / (rawMs / 1000),
      extra: { cpuMsPer1000: (rawCpuMs / n) * 1000 },
    },
  );
}

async function benchSqliteAppend(dir: string): Promise<void> {
  const store = new SqliteEventStore({ file: join(dir, 'append-store.sqlite') });
  const raw = rawSqliteEvents(join(dir, 'append-raw.sqlite'));
  try {
    await interleavedAppend('append 1,000 per call, SQLite', {
      name: 'SqliteEventStore.appendToStream',
      store: (streamId, events) => store.appendToStream(streamId, events, { expectedRevision: 'no_stream' }),
      raw: (sealed) => Promise.resolve(raw.insert(sealed)),
    });
  } finally {
    raw.close();
    await store.close();
  }
}

async function benchPostgresAppend(): Promise<void> {
  const admin = new Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    log(`postgres: skipped (${(error as Error).message})`);
    return;
  }
  const suffix = randomUUID().replace(/-/g, '').slice(0, 12);
  const storeSchema = `bench_${suffix}`;
  const rawSchema = `bench_raw_${suffix}`;
  try {
    const store = await PostgresEventStore.connect({ connectionString: POSTGRES_URL, schema: storeSchema });
    // The same table as the adapter's, in its own schema, written with one INSERT ... SELECT unnest.
    const seed = await PostgresEventStore.connect({ connectionString: POSTGRES_URL, schema: rawSchema });
    await seed.close();
    const raw = new Client({ connectionString: POSTGRES_URL });
    await raw.connect();
    try {
      await interleavedAppend('append 1,000 per call, PostgreSQL', {
        name: 'PostgresEventStore.appendToStream',
        store: (streamId, events) => store.appendToStream(streamId, events, { expectedRevision: 'no_stream' }),
        raw: (sealed) =>
          raw.query(
            `INSERT INTO "${rawSchema}".events
               (stream_id, category, revision, event_id, type, schema_version, data, metadata, recorded_at)
             SELECT $1, $2, revision, event_id, type, schema_version, data, metadata, $3
             FROM unnest($4::bigint[], $5::uuid[], $6::text[], $7::int[], $8::text[], $9::text[])
               AS e(revision, event_id, type, schema_version, data, metadata)`,
            [
              sealed[0].streamId,
              sealed[0].category,
              sealed[0].recordedAt,
              sealed.map((e) => e.revision.toString()),
              sealed.map((e) => e.eventId),
              sealed.map((e) => e.type),
              sealed.map((e) => e.schemaVersion),
              sealed.map((e) => e.data),
              sealed.map((e) => e.metadata),
            ],
          ),
      });
    } finally {
      await raw.end();
      await store.close();
    }
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS "${storeSchema}" CASCADE; DROP SCHEMA IF EXISTS "${rawSchema}" CASCADE`);
    await admin.end();
  }
}

// ---------------------------------------------------------------- realistic log: rebuild, verify, as-at

/** CPU seconds (user + system) of this process since `start` (process.cpuUsage()). */
function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

async function timeReadAll(store: EventStore): Promise<number> {
  gc();
  const start = performance.now();
  let n = 0;
  for await (const event of store.readAll()) if (event.position > 0n) n++;
  if (n === 0) throw new Error('readAll read nothing');
  return (performance.now() - start) / 1000;
}

/** SHA-256 of each stored event's bytes (data and metadata as stored), read in one pass. */
function timeRawSha256(file: string): { seconds: number; events: number } {
  const db = new Database(file, { readonly: true });
  try {
    gc();
    const start = performance.now();
    let events = 0;
    const rowsOf = db
      .prepare<[], { stream_id: string; revision: number; type: string; data: string; metadata: string }>(
        'SELECT stream_id, revision, type, data, metadata FROM events ORDER BY position',
      )
      .iterate();
    for (const row of rowsOf) {
      createHash('sha256').update(row.data).update(row.metadata).digest('hex');
      events++;
    }
    return { seconds: (performance.now() - start) / 1000, events };
  } finally {
    db.close();
  }
}

/**
 * trail:verify and the export (ndjson, whole log, signed manifest) against SHA-256 over the same
 * stored bytes on one core, interleaved round by round.
 */
async function benchTrailRows(app: INestApplicationContext, file: string, events: number): Promise<void> {
  const integrity = app.get(IntegrityService);
  const exporter = app.get(ExportService);
  let verifySeconds = 0;
  let exportSeconds = 0;
  let shaSeconds = 0;
  // CPU seconds of the whole process (worker threads included) beside the wall clock: on a loaded
  // machine the wall clock mostly measures the wait for a core.
  let verifyCpu = 0;
  let exportCpu = 0;
  let shaCpu = 0;
  for (let round = 0; round < SIZES.rounds; round++) {
    let cpu = process.cpuUsage();
    shaSeconds += timeRawSha256(file).seconds;
    shaCpu += cpuSecondsSince(cpu);
    gc();
    cpu = process.cpuUsage();
    let start = performance.now();
    const report = await integrity.verify();
    verifySeconds += (performance.now() - start) / 1000;
    verifyCpu += cpuSecondsSince(cpu);
    if (!report.valid) throw new Error(`verification failed: ${JSON.stringify(report.firstInvalid)}`);
    gc();
    cpu = process.cpuUsage();
    start = performance.now();
    let lines = 0;
    for await (const chunk of exporter.chunks({ format: 'ndjson' })) {
      for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) lines++;
    }
    exportSeconds += (performance.now() - start) / 1000;
    exportCpu += cpuSecondsSince(cpu);
    if (lines !== events + 1) throw new Error(`the export wrote ${lines} lines for ${events} events`);
  }
  const n = events * SIZES.rounds;
  const sha = {
    name: 'SHA-256 over the same stored bytes',
    unit: 'events/s',
    value: n / shaSeconds,
    extra: { eventsPerCpuSecond: n / shaCpu },
  };
  addRow(
    'trail:verify',
    { name: 'IntegrityService.verify', unit: 'events/s', value: n / verifySeconds, extra: { eventsPerCpuSecond: n / verifyCpu } },
    sha,
  );
  addRow(
    'trail export, ndjson, whole log',
    { name: 'ExportService.chunks', unit: 'events/s', value: n / exportSeconds, extra: { eventsPerCpuSecond: n / exportCpu } },
    sha,
  );
}

/**
 * projections:rebuild vs readAll of the same log: one rebuild per round (it is the long one), a
 * readAll before each, CPU seconds beside the wall clock.
 */
async function benchRebuildRow(
  runner: ProjectionRunner,
  store: EventStore,
  events: number,
  rebuildRounds: number,
): Promise<void> {
  let readAllSeconds = 0;
  let rebuildSeconds = 0;
  // CPU seconds of this process beside each wall-clock time: on a loaded machine the wall clock
  // mostly measures the wait for a core, the CPU time what the work costs.
  let readAllCpu = 0;
  let rebuildCpu = 0;
  for (let round = 0; round < rebuildRounds; round++) {
    let cpu = process.cpuUsage();
    readAllSeconds += await timeReadAll(store);
    readAllCpu += cpuSecondsSince(cpu);
    gc();
    cpu = process.cpuUsage();
    const start = performance.now();
    await runner.rebuild();
    rebuildSeconds += (performance.now() - start) / 1000;
    rebuildCpu += cpuSecondsSince(cpu);
  }
  const problems = (await runner.status()).filter((s) => s.lastError !== null || s.lag !== 0);
  if (problems.length) throw new Error(`projections not caught up: ${JSON.stringify(problems)}`);
  addRow(
    `projections:rebuild, ${events.toLocaleString('en-GB')} realistic events`,
    {
      name: 'ProjectionRunner.rebuild (all projections)',
      unit: 'events/s',
      value: (events * rebuildRounds) / rebuildSeconds,
      extra: { eventsPerCpuSecond: (events * rebuildRounds) / rebuildCpu },
    },
    {
      name: 'readAll of the same log',
      unit: 'events/s',
      value: (events * rebuildRounds) / readAllSeconds,
      extra: { eventsPerCpuSecond: (events * rebuildRounds) / readAllCpu },
    },
  );
}

async function benchRealisticLog(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'events.sqlite');
  const generated = generateLog(file, SIZES.logEvents);
  const events = generated.events;
  log(`generated ${events} realistic events (${generated.firstRecordedAt} .. ${generated.lastRecordedAt})`);

  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'error' });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, 'cli'), { logger: false });
  try {
    const runner = app.get<ProjectionRunner>(PROJECTION_RUNNER);
    const store = app.get<EventStore>(EVENT_STORE);
    await runner.prepare();

    await benchRebuildRow(runner, store, events, QUICK ? 1 : 2);
    addReadDbSizeRow(dir, file, events);
    await benchRebuildWriteFloorRow(store, dir, events);

    await benchTrailRows(app, file, events);

    await benchAsAt(app, generated.firstRecordedAt, generated.lastRecordedAt);
  } finally {
    await app.close();
  }
}

/**
 * As-at team view at random instants between the log's first and last event vs the current view
 * (the same query-bus calls as the controllers), p95; with each part's p95, and the CPU time of
 * this process per view and per part (steadier than the wall clock on a loaded machine).
 */
async function benchAsAt(app: INestApplicationContext, firstRecordedAt: string, lastRecordedAt: string): Promise<void> {
  const store = app.get<EventStore>(EVENT_STORE);
  const queries = app.get(QueryBus);
  const reader = app.get(AsAtReader);
  // As-at team view vs the current view (the same three query-bus calls as the controllers).
  const team = teamId(7);
  // Each part's wall and CPU time as well (as-at only): at a million events, which part is slow.
  const partNames = ['team', 'ratings', 'disputes', 'actions'] as const;
  type Part = (typeof partNames)[number];
  const parts = Object.fromEntries(partNames.map((p) => [p, { wall: [] as number[], cpu: [] as number[] }])) as Record<
    Part,
    { wall: number[]; cpu: number[] }
  >;
  const timed = async (part: Part | null, work: () => Promise<unknown>): Promise<void> => {
    const start = performance.now();
    const cpu = process.cpuUsage();
    await work();
    if (part) {
      parts[part].wall.push(performance.now() - start);
      parts[part].cpu.push(cpuSecondsSince(cpu) * 1000);
    }
  };
  const teamView = async (asAt: boolean): Promise<void> => {
    await timed(asAt ? 'team' : null, () => queries.execute(new GetTeamQuery(team)));
    await timed(asAt ? 'ratings' : null, () => queries.execute(new TeamRatingsQuery(team, {}, 'bench-reader')));
    await timed(asAt ? 'disputes' : null, () =>
      queries.execute(new ListDisputesQuery({ teamId: team, status: 'open', on: businessToday() }, null)),
    );
    await timed(asAt ? 'actions' : null, () => queries.execute(new ListTeamAuditActionsQuery(team, undefined, businessToday())));
  };
  const first = Date.parse(firstRecordedAt);
  const last = Date.parse(lastRecordedAt);
  const random = seeded(7);
  const asAtTimes: number[] = [];
  const asAtCpu: number[] = [];
  const liveTimes: number[] = [];
  const liveCpu: number[] = [];
  for (let i = 0; i < SIZES.samples; i++) {
    let start = performance.now();
    let cpu = process.cpuUsage();
    await teamView(false);
    liveTimes.push(performance.now() - start);
    liveCpu.push(cpuSecondsSince(cpu) * 1000);
    const asAt = new Date(first + Math.floor(random() * (last - first))).toISOString();
    start = performance.now();
    cpu = process.cpuUsage();
    const position = await store.positionAt(asAt);
    await reader.run(position, asAt, () => teamView(true));
    asAtTimes.push(performance.now() - start);
    asAtCpu.push(cpuSecondsSince(cpu) * 1000);
  }
  addRow(
    `as-at team view (ratings, disputes, actions), p95 of ${SIZES.samples}`,
    {
      name: 'as-at view at a random instant',
      unit: 'ms',
      value: percentile(asAtTimes, 0.95),
      extra: {
        p50: percentile(asAtTimes, 0.5),
        cpuMsP95: percentile(asAtCpu, 0.95),
        cpuMsP50: percentile(asAtCpu, 0.5),
        ...Object.fromEntries(
          partNames.flatMap((part) => [
            [`${part}P95`, percentile(parts[part].wall, 0.95)],
            [`${part}CpuMsP95`, percentile(parts[part].cpu, 0.95)],
          ]),
        ),
      },
    },
    {
      name: 'the same views now',
      unit: 'ms',
      value: percentile(liveTimes, 0.95),
      extra: { p50: percentile(liveTimes, 0.5), cpuMsP95: percentile(liveCpu, 0.95), cpuMsP50: percentile(liveCpu, 0.5) },
    },
    true,
  );
}

/**
 * An application context on a kept store (`--store=DIR`: the `log` folder a `--keep` run printed,
 * holding events.sqlite and its read database), prepared (start-up brings its schema and history
 * indexes up to date and catches up), for the modes that measure one row on it without generating
 * the log again: alternate builds on the same store for A/B pairs.
 */
async function onKeptStore(
  mode: string,
  work: (app: INestApplicationContext, runner: ProjectionRunner, dir: string) => Promise<void>,
): Promise<void> {
  const dir = args.find((a) => a.startsWith('--store='))?.slice('--store='.length);
  if (!dir) throw new Error(`the ${mode} mode needs --store=DIR (the log folder of a run made with --keep)`);
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'error' });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, 'cli'), { logger: false });
  try {
    const runner = app.get<ProjectionRunner>(PROJECTION_RUNNER);
    await runner.prepare();
    await work(app, runner, dir);
  } finally {
    await app.close();
  }
}

/** The as-at row alone on a kept store: the views are sampled between the sampled team's first event and the log's last. */
async function benchAsAtOnKeptStore(): Promise<void> {
  await onKeptStore('as-at', async (app, _runner, dir) => {
    const events = new Database(join(dir, 'events.sqlite'), { readonly: true });
    // From the sampled team's first event, not the log's: before it, the team view is rightly "not found".
    const [first, last] = [`WHERE stream_id = '${teamStreamId(teamId(7))}' ORDER BY position`, 'ORDER BY position DESC'].map(
      (order) =>
        events.prepare<[], { recorded_at: string }>(`SELECT recorded_at FROM events ${order} LIMIT 1`).get()!.recorded_at,
    );
    events.close();
    await benchAsAt(app, first, last);
  });
}

/**
 * The SQLite rebuild row alone on a kept store: one warm-up rebuild not counted (module loading,
 * first statements), then `--rounds=N` (default 3) counted, each after a readAll.
 */
async function benchRebuildOnKeptStore(): Promise<void> {
  await onKeptStore('rebuild', async (app, runner) => {
    const store = app.get<EventStore>(EVENT_STORE);
    await runner.rebuild();
    let events = 0;
    for await (const event of store.readAll()) if (event.position > 0n) events++;
    await benchRebuildRow(runner, store, events, sizeOption('rounds', 'BENCH_REBUILD_ROUNDS', 3));
  });
}

/** Bytes in use (pages minus free pages) of a SQLite file. */
function sqliteBytesInUse(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    const pragma = (name: string): number => Number(db.pragma(name, { simple: true }));
    return (pragma('page_count') - pragma('freelist_count')) * pragma('page_size');
  } finally {
    db.close();
  }
}

/** Read database (rows and their as-at history) per event, beside the event database per event. */
/**
 * The rows the rebuild just wrote, inserted raw into an empty copy of the schema (rebuild-floor.ts),
 * beside readAll of the same log, interleaved: what a SQLite rebuild on one thread could reach at most.
 */
async function benchRebuildWriteFloorRow(store: EventStore, dir: string, events: number): Promise<void> {
  const floor = rebuildWriteFloor(join(dir, 'read-models.sqlite'));
  let floorSeconds = 0;
  let floorCpu = 0;
  let readAllSeconds = 0;
  let readAllCpu = 0;
  let rows = 0;
  for (let round = 0; round < SIZES.rounds; round++) {
    const cpu = process.cpuUsage();
    readAllSeconds += await timeReadAll(store);
    readAllCpu += cpuSecondsSince(cpu);
    gc();
    const timed = floor.time(join(dir, 'write-floor.sqlite'));
    floorSeconds += timed.seconds;
    floorCpu += timed.cpuSeconds;
    rows = timed.rows;
  }
  addRow(
    'rebuild write floor: raw insert of the rows the rebuild wrote (SQLite, same schema and indexes)',
    {
      name: 'raw better-sqlite3 insert of the read database rows',
      unit: 'events/s',
      value: (events * SIZES.rounds) / floorSeconds,
      extra: { rows, eventsPerCpuSecond: (events * SIZES.rounds) / floorCpu },
    },
    {
      name: 'readAll of the same log',
      unit: 'events/s',
      value: (events * SIZES.rounds) / readAllSeconds,
      extra: { eventsPerCpuSecond: (events * SIZES.rounds) / readAllCpu },
    },
  );
}

function addReadDbSizeRow(dir: string, eventsFile: string, events: number): void {
  const read = sqliteBytesInUse(join(dir, 'read-models.sqlite')) / events;
  const logBytes = sqliteBytesInUse(eventsFile) / events;
  addRow(
    'read database size (SQLite, with row history)',
    { name: 'read-models.sqlite in use per event', unit: 'bytes/event', value: read },
    { name: 'events.sqlite in use per event', unit: 'bytes/event', value: logBytes },
    true,
  );
}

/**
 * projections:rebuild into a PostgreSQL read database (a scratch database on POSTGRES_URL's
 * server), from the same SQLite log, beside readAll of that log. Skipped when unreachable.
 */
async function benchPostgresRebuild(dir: string, events: number): Promise<void> {
  const admin = new Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    log(`postgres rebuild: skipped (${(error as Error).message})`);
    return;
  }
  const database = `ct_bench_read_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await admin.query(`CREATE DATABASE ${database}`);
  try {
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${database}`;
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'error', READ_DB_URL: url.toString() });
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, 'cli'), { logger: false });
    try {
      const runner = app.get<ProjectionRunner>(PROJECTION_RUNNER);
      const store = app.get<EventStore>(EVENT_STORE);
      await runner.prepare();
      let cpu = process.cpuUsage();
      const readAllSeconds = await timeReadAll(store);
      const readAllCpu = cpuSecondsSince(cpu);
      gc();
      cpu = process.cpuUsage();
      const start = performance.now();
      await runner.rebuild();
      const seconds = (performance.now() - start) / 1000;
      const rebuildCpu = cpuSecondsSince(cpu);
      addRow(
        `projections:rebuild into PostgreSQL, ${events.toLocaleString('en-GB')} realistic events`,
        {
          name: 'ProjectionRunner.rebuild (all projections)',
          unit: 'events/s',
          value: events / seconds,
          extra: { eventsPerCpuSecond: events / rebuildCpu },
        },
        {
          name: 'readAll of the same log',
          unit: 'events/s',
          value: events / readAllSeconds,
          extra: { eventsPerCpuSecond: events / readAllCpu },
        },
      );
    } finally {
      await app.close();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

// ---------------------------------------------------------------- HTTP

/** A bounded load loop in a worker thread (its own event loop): `total` GETs over `connections` keep-alive sockets. */
const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { port, path, headers, total, connections } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const latencies = [];
let sent = 0, failed = 0, timedOut = 0;
const one = () => new Promise((resolve) => {
  const start = performance.now();
  const req = http.get({ host: '127.0.0.1', port, path, headers, agent, timeout: 10000 }, (res) => {
    res.on('data', () => {});
    res.on('end', () => { if (res.statusCode !== 200) failed++; latencies.push(performance.now() - start); resolve(); });
  });
  req.on('timeout', () => { timedOut++; req.destroy(new Error('timeout')); });
  req.on('error', () => { failed++; latencies.push(performance.now() - start); resolve(); });
});
const loop = async () => { while (sent < total) { sent++; await one(); } };
const started = performance.now();
Promise.all(Array.from({ length: connections }, loop)).then(() => {
  agent.destroy();
  parentPort.postMessage({ seconds: (performance.now() - started) / 1000, latencies, failed, timedOut });
});
`;

/**
 * Commands over HTTP in a worker thread: each connection starts an audit, grades four domains
 * and submits it, again and again (a realistic mix of the writes an auditor makes), until
 * `total` commands were sent. Every answer must be a 2xx; anything else counts as failed.
 */
const COMMAND_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { port, headers, total, connections, teams, auditedOn, submittedOn, domains } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const latencies = [];
const statuses = {};
let sent = 0, failed = 0, timedOut = 0;
const post = (path, body) => new Promise((resolve) => {
  const payload = JSON.stringify(body);
  const start = performance.now();
  const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent, timeout: 10000,
    headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => {
      latencies.push(performance.now() - start);
      if (res.statusCode >= 300) { failed++; statuses[res.statusCode] = Buffer.concat(chunks).toString().slice(0, 300); return resolve(null); }
      try { resolve(JSON.parse(Buffer.concat(chunks).toString())); } catch { resolve({}); }
    });
  });
  req.on('timeout', () => { timedOut++; req.destroy(new Error('timeout')); });
  req.on('error', () => { failed++; latencies.push(performance.now() - start); resolve(null); });
  req.end(payload);
});
const loop = async (c) => {
  let auditId = null, graded = 0;
  while (sent < total) {
    const n = sent++;
    if (!auditId) {
      const r = await post('/api/v1/audits', { caseRef: 'CASE-' + (900000 + n), teamId: teams[(c + n) % teams.length], auditedOn });
      auditId = r && r.auditId; graded = 0;
    } else if (graded < 4) {
      await post('/api/v1/audits/' + auditId + '/grades',
        { domain: domains[graded], grade: 'good', evidence: 'Case note ' + n + ': child seen alone within timescale; views recorded in the plan.' });
      graded++;
    } else {
      await post('/api/v1/audits/' + auditId + '/submit', { overallGrade: 'good', strengths: ['Clear oversight'], submittedOn });
      auditId = null;
    }
  }
};
const started = performance.now();
Promise.all(Array.from({ length: connections }, (_, c) => loop(c))).then(() => {
  agent.destroy();
  parentPort.postMessage({ seconds: (performance.now() - started) / 1000, latencies, failed, timedOut, statuses });
});
`;

interface LoadResult {
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  failed: number;
  timedOut: number;
  /** CPU time of this process (server and load loop) per request, ms: steadier than rates on a busy machine. */
  cpuMs: number;
}

interface WorkerAnswer {
  seconds: number;
  latencies: number[];
  failed: number;
  timedOut: number;
  statuses?: Record<string, string>;
}

function runWorker(source: string, workerData: Record<string, unknown>): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const cpu = process.cpuUsage();
    const worker = new Worker(source, { eval: true, workerData });
    worker.once('error', reject);
    worker.once('message', (m: WorkerAnswer) => {
      const used = process.cpuUsage(cpu);
      void worker.terminate();
      for (const [status, body] of Object.entries(m.statuses ?? {})) log(`  a command answered ${status}: ${body}`);
      resolve({
        cpuMs: (used.user + used.system) / 1000 / m.latencies.length,
        rate: m.latencies.length / m.seconds,
        p50: percentile(m.latencies, 0.5),
        p95: percentile(m.latencies, 0.95),
        p99: percentile(m.latencies, 0.99),
        failed: m.failed,
        timedOut: m.timedOut,
      });
    });
  });
}

function loadTest(port: number, path: string, headers: Record<string, string>, total: number): Promise<LoadResult> {
  return runWorker(LOAD_WORKER, { port, path, headers, total, connections: CONNECTIONS });
}

const mean = (xs: LoadResult[], f: (r: LoadResult) => number): number => xs.reduce((s, r) => s + f(r), 0) / xs.length;
const sum = (xs: LoadResult[], f: (r: LoadResult) => number): number => xs.reduce((s, r) => s + f(r), 0);

/**
 * The baseline of the command rows: `connections` concurrent writers, each appending one event
 * per "command" to a stream of its own through the port, each append its own fsync'd transaction.
 */
async function appendPerCommand(store: EventStore, connections: number, total: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let sent = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (sent < total) {
        const n = sent++;
        const start = performance.now();
        await store.appendToStream(`audit-cmd${randomUUID()}`, domainGraded(n, 1), { expectedRevision: 'no_stream' });
        latencies.push(performance.now() - start);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    cpuMs: (used.user + used.system) / 1000 / latencies.length,
    rate: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    failed: 0,
    timedOut: 0,
  };
}

async function benchHttp(dir: string): Promise<void> {
  // The server on the realistic log the rebuild made (it must start on it).
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'error', RATE_LIMIT_PER_MINUTE: '100000000' });
  const app = await createApp(config, false);
  await app.listen(0, '127.0.0.1');
  const bare: Server[] = [];
  try {
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const { token } = await app
      .get(UserUseCases)
      .registerWithToken({ name: 'Bench', role: 'admin', teamIds: [] }, systemContext('bench'));
    const headers = { authorization: `Bearer ${token}` };
    // One request first: the first use of a token each day is recorded; the body is what the bare server sends.
    const body = await fetch(`http://127.0.0.1:${port}/api/v1/teams`, { headers }).then(async (r) => {
      if (r.status !== 200) throw new Error(`GET /api/v1/teams answered ${r.status}: ${await r.text()}`);
      return Buffer.from(await r.arrayBuffer());
    });
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
      res.end(body);
    });
    bare.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const barePort = (server.address() as AddressInfo).port;

    if (process.env.BENCH_HTTP_ROWS === 'commands') return await benchCommands(port, headers, dir); // profiling the writes alone
    if (process.env.BENCH_HTTP_ROWS === 'ratings') return await benchRatings(port, headers, bare); // profiling the ratings route alone
    const per = Math.floor(SIZES.httpRequests / SIZES.rounds);
    const app_: LoadResult[] = [];
    const base: LoadResult[] = [];
    for (let round = 0; round < SIZES.rounds; round++) {
      base.push(await loadTest(barePort, '/api/v1/teams', headers, per));
      app_.push(await loadTest(port, '/api/v1/teams', headers, per));
    }
    const failed = app_.reduce((s, r) => s + r.failed, 0);
    addRow(
      `GET /api/v1/teams, ${CONNECTIONS} connections (${body.length} bytes)`,
      {
        name: 'Casetrail server',
        unit: 'req/s',
        value: mean(app_, (r) => r.rate),
        extra: {
          p50: mean(app_, (r) => r.p50),
          p99: Math.max(...app_.map((r) => r.p99)),
          cpuMsPerRequest: mean(app_, (r) => r.cpuMs),
          failed,
        },
      },
      {
        name: 'bare node:http, same bytes',
        unit: 'req/s',
        value: mean(base, (r) => r.rate),
        extra: {
          p50: mean(base, (r) => r.p50),
          p99: Math.max(...base.map((r) => r.p99)),
          cpuMsPerRequest: mean(base, (r) => r.cpuMs),
        },
      },
    );
    await benchRatings(port, headers, bare);
    if (process.env.BENCH_HTTP_ROWS === 'gets') return; // the two GET rows alone
    await benchCommands(port, headers, dir);
  } finally {
    for (const s of bare) await new Promise((resolve) => s.close(resolve));
    await app.close();
  }
}

/** GET /api/v1/teams/:id/ratings at 100 connections vs a bare node:http server sending the same bytes; p95 and time-outs. */
async function benchRatings(port: number, headers: Record<string, string>, bare: Server[]): Promise<void> {
  const path = `/api/v1/teams/${teamId(7)}/ratings`;
  const body = await fetch(`http://127.0.0.1:${port}${path}`, { headers }).then(async (r) => {
    if (r.status !== 200) throw new Error(`GET ${path} answered ${r.status}: ${await r.text()}`);
    return Buffer.from(await r.arrayBuffer());
  });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    res.end(body);
  });
  bare.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const barePort = (server.address() as AddressInfo).port;
  const per = Math.floor(SIZES.ratingsRequests / SIZES.rounds);
  const app_: LoadResult[] = [];
  const base: LoadResult[] = [];
  for (let round = 0; round < SIZES.rounds; round++) {
    base.push(await loadTest(barePort, path, headers, per));
    app_.push(await loadTest(port, path, headers, per));
  }
  addRow(
    `GET /api/v1/teams/:id/ratings, ${CONNECTIONS} connections (${body.length} bytes)`,
    {
      name: 'Casetrail server',
      unit: 'req/s',
      value: mean(app_, (r) => r.rate),
      extra: {
        p50: mean(app_, (r) => r.p50),
        p95: Math.max(...app_.map((r) => r.p95)),
        p99: Math.max(...app_.map((r) => r.p99)),
        failed: sum(app_, (r) => r.failed),
        timedOut: sum(app_, (r) => r.timedOut),
        cpuMsPerRequest: mean(app_, (r) => r.cpuMs),
      },
    },
    {
      name: 'bare node:http, same bytes',
      unit: 'req/s',
      value: mean(base, (r) => r.rate),
      extra: {
        p50: mean(base, (r) => r.p50),
        p95: Math.max(...base.map((r) => r.p95)),
        timedOut: sum(base, (r) => r.timedOut),
        cpuMsPerRequest: mean(base, (r) => r.cpuMs),
      },
    },
  );
}

/**
 * HTTP commands (start an audit, grade four domains, submit; see COMMAND_WORKER) at 1, 8 and 32
 * connections vs one fsync'd append per command through the port (SQLite, synchronous=FULL,
 * the same number of concurrent writers), interleaved round by round; p99 of each.
 */
async function benchCommands(port: number, headers: Record<string, string>, dir: string): Promise<void> {
  // Group commit off: each append is its own fsync'd transaction, as the row says.
  // (Through a variable, so this file also builds on code from before group commit, where it is the only way.)
  const options = { file: join(dir, 'command-baseline.sqlite'), groupCommit: false };
  const baselineStore = new SqliteEventStore(options);
  const workerData = {
    port,
    headers,
    teams: Array.from({ length: 10 }, (_, i) => teamId(i)),
    auditedOn: '2025-03-03',
    submittedOn: '2025-03-10',
    domains: ['voice-of-child', 'assessment', 'planning', 'management-oversight'],
  };
  // The same requests through the framework alone, answered with nothing done: what no change inside Casetrail can remove.
  // ... and on a bare node:http server with the same headers and validation: what leaving the framework could save.
  // Both in a process of their own; their CPU per request is the load loop's here plus that process's.
  const floors = await startFloorsInChild();
  const floorRun = async (floorPort: number, total: number, connections: number): Promise<LoadResult> => {
    const before = await floors.cpuSeconds();
    const result = await runWorker(COMMAND_WORKER, { ...workerData, port: floorPort, total, connections });
    return { ...result, cpuMs: result.cpuMs + ((await floors.cpuSeconds()) - before) * (1000 / total) };
  };
  try {
    for (const connections of COMMAND_CONNECTIONS) {
      const per = Math.floor(SIZES.commands / SIZES.rounds);
      const app_: LoadResult[] = [];
      const base: LoadResult[] = [];
      const framework: LoadResult[] = [];
      const bareFloor: LoadResult[] = [];
      for (let round = 0; round < SIZES.rounds; round++) {
        // The floors first: CPU is counted for the whole process, and the Casetrail server's work
        // that follows its answers (the other projections catching up, its garbage) would be counted
        // against a floor measured right after it.
        gc();
        framework.push(await floorRun(floors.nestPort, per, connections));
        gc();
        bareFloor.push(await floorRun(floors.barePort, per, connections));
        gc();
        base.push(await appendPerCommand(baselineStore, connections, per));
        gc();
        app_.push(await runWorker(COMMAND_WORKER, { ...workerData, total: per, connections }));
      }
      addRow(
        `HTTP commands (start, grade ×4, submit), ${connections} connection${connections === 1 ? '' : 's'}`,
        {
          name: 'Casetrail server',
          unit: 'commands/s',
          value: mean(app_, (r) => r.rate),
          extra: {
            p50: mean(app_, (r) => r.p50),
            p99: Math.max(...app_.map((r) => r.p99)),
            cpuMsPerCommand: mean(app_, (r) => r.cpuMs),
            failed: sum(app_, (r) => r.failed),
            timedOut: sum(app_, (r) => r.timedOut),
            // NestJS + Express + helmet + validation of the same requests, nothing decided or stored (nest-floor.ts).
            frameworkOnlyRate: mean(framework, (r) => r.rate),
            frameworkOnlyP99: Math.max(...framework.map((r) => r.p99)),
            frameworkOnlyCpuMsPerCommand: mean(framework, (r) => r.cpuMs),
            frameworkOnlyFailed: sum(framework, (r) => r.failed),
            // The same on bare node:http (helmet's headers, JSON body, the same validation): no NestJS, no Express.
            bareOnlyRate: mean(bareFloor, (r) => r.rate),
            bareOnlyP99: Math.max(...bareFloor.map((r) => r.p99)),
            bareOnlyCpuMsPerCommand: mean(bareFloor, (r) => r.cpuMs),
            bareOnlyFailed: sum(bareFloor, (r) => r.failed),
          },
        },
        {
          name: "one fsync'd append per command through the port",
          unit: 'commands/s',
          value: mean(base, (r) => r.rate),
          extra: {
            p50: mean(base, (r) => r.p50),
            p99: Math.max(...base.map((r) => r.p99)),
            cpuMsPerCommand: mean(base, (r) => r.cpuMs),
          },
        },
      );
    }
  } finally {
    await floors.close();
    await baselineStore.close();
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const mode = args.find((a) => !a.startsWith('--'));
  if (mode === 'store') return (await import('./store.bench')).main();
  if (mode === 'import') return (await import('./import.bench')).main();
  if (mode === 'trail') {
    await import('./trail.bench');
    return;
  }
  const started = new Date();
  const loadStart = load();
  const dir = mkdtempSync(join(tmpdir(), 'casetrail-bench-'));
  try {
    if (mode === 'verify') {
      // Only the trail rows (verify, export): the realistic log and an application context on it.
      mkdirSync(join(dir, 'log'), { recursive: true });
      const file = join(dir, 'log', 'events.sqlite');
      const { events } = generateLog(file, SIZES.logEvents);
      const config = loadConfig({ DATA_DIR: join(dir, 'log'), LOG_LEVEL: 'error' });
      const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, 'cli'), { logger: false });
      try {
        await benchTrailRows(app, file, events);
      } finally {
        await app.close();
      }
    } else if (mode === 'as-at') {
      // Only the as-at row, on a store an earlier run kept (--keep, then --store=DIR): no generation, no rebuild.
      await benchAsAtOnKeptStore();
    } else if (mode === 'rebuild') {
      // Only the SQLite rebuild row, on a store an earlier run kept: repeated rebuilds of one log.
      await benchRebuildOnKeptStore();
    } else if (mode === 'append') {
      await benchSqliteAppend(dir);
      await benchPostgresAppend();
    } else if (mode === 'http') {
      // Only the HTTP rows (e.g. under node --cpu-prof): the server builds its read models on start.
      mkdirSync(join(dir, 'log'), { recursive: true });
      generateLog(join(dir, 'log', 'events.sqlite'), SIZES.logEvents);
    } else if (mode === 'read') {
      // Only the read side's rows (rebuild, read database size, verify, as-at, PostgreSQL rebuild).
      await benchRealisticLog(join(dir, 'log'));
      await benchPostgresRebuild(join(dir, 'log'), SIZES.logEvents);
    } else {
      await benchSqliteAppend(dir);
      await benchPostgresAppend();
      await benchRealisticLog(join(dir, 'log'));
      await benchPostgresRebuild(join(dir, 'log'), SIZES.logEvents);
    }
    if (mode !== 'verify' && mode !== 'append' && mode !== 'read' && mode !== 'as-at' && mode !== 'rebuild')
      await benchHttp(join(dir, 'log'));
  } finally {
    if (KEEP) log(`stores kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
  const result = {
    date: started.toISOString(),
    mode: QUICK ? 'quick' : 'full',
    machine: { nproc: cpus().length, cpu: cpus()[0]?.model.trim() ?? 'unknown', node: process.version },
    loadAverage: { start: loadStart, end: load() },
    seconds: Number(((Date.now() - started.getTime()) / 1000).toFixed(1)),
    rows,
  };
  if (JSON_OUT) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    log(
      `\n${result.date} · ${result.mode} · ${result.machine.nproc} cores · Node ${result.machine.node} · load ${loadStart} → ${result.loadAverage.end}`,
    );
    log('| figure | Casetrail | baseline | ratio |');
    log('| --- | ---: | ---: | ---: |');
    for (const r of rows) {
      log(
        `| ${r.row} | ${fmt(r.casetrail.value)} ${r.unit} | ${r.baseline.name}: ${fmt(r.baseline.value)} ${r.unit} | ${r.ratio} |`,
      );
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
