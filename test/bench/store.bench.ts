/**
 * Event store throughput: batched appends, single-event appends and a full readAll() on each
 * adapter, against a raw better-sqlite3 baseline with the same table and the same durability.
 * Then a full rebuild of the app's teams projection from a 200,000-event SQLite log into the
 * app's better-sqlite3 read database (WAL), with two runner batch sizes (goal: >= 50,000 events/s).
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only test/bench/store.bench.ts
 *   npm run bench:store
 *
 * PostgreSQL: POSTGRES_BENCH_URL (default: the test database). The bench works in a scratch
 * schema that it drops at the end, and skips postgres when the server cannot be reached.
 * KurrentDB: KURRENTDB_URL (e.g. kurrentdb://127.0.0.1:2113?tls=false); skipped when unset or
 * unreachable. It writes streams under a fresh prefix and reads back only those.
 * Only the store calls are timed; building the events (uuids, objects) is not.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import {
  KurrentDbEventStore,
  PostgresEventStore,
  SqliteEventStore,
  type EventStore,
  type NewEvent,
} from '@casetrail/event-store';
import { sealEvents } from '@casetrail/event-store/append-plan';
import { ProjectionRunner } from '@casetrail/projections';
import { loadConfig } from '../../src/config/app-config';
import { PLATFORM } from '../../src/contexts';
import { openReadDb } from '../../src/core/infrastructure';
import { TeamRow, teamsProjection } from '../../src/teams/projections/team.projection';
import { domainGraded, gc, POSTGRES_URL, rawSqliteEvents } from './bench-kit';
import { TEAM_EVENT_SCHEMA_VERSIONS, teamStreamId, type TeamRegistered, type TeamRenamed } from '../../src/teams/teams.events';

const BATCHED_EVENTS = 200_000;
/** Events per appendToStream call, and rows per raw transaction: one call fills one stream. */
const BATCH_SIZE = 1_000;
const BATCHED_APPEND = `append, ${BATCH_SIZE} events per call`;
const SINGLE_EVENTS = 5_000;
/** Single-event appends go round-robin to this many new streams (10 events each). */
const SINGLE_STREAMS = 500;
/** Rebuild bench: TEAMS streams of one TeamRegistered then RENAMES_PER_TEAM TeamRenamed events. */
const TEAMS = 2_000;
const RENAMES_PER_TEAM = 99;
const REBUILD_EVENTS = TEAMS * (1 + RENAMES_PER_TEAM);
/** ProjectionRunner batchSize values to time (500 is the runner's default). */
const REBUILD_BATCH_SIZES = [500, 2_000];
const REBUILD_GOAL = 50_000;

interface Result {
  adapter: string;
  operation: string;
  events: number;
  seconds: number;
}

/** Writes `total` events in calls of `perCall` events to stream audit-<streamOf(call)>; times the writes only. */
async function timeWrites(
  total: number,
  perCall: number,
  streamOf: (call: number) => number,
  write: (streamId: string, events: NewEvent[]) => Promise<unknown>,
  streamPrefix = 'audit-',
): Promise<number> {
  gc();
  let ms = 0;
  for (let call = 0; call < total / perCall; call++) {
    const streamNo = streamOf(call);
    const events = domainGraded(streamNo, perCall);
    const start = performance.now();
    await write(`${streamPrefix}${streamNo}`, events);
    ms += performance.now() - start;
  }
  return ms / 1000;
}

function report(result: Result): Result {
  const rate = Math.round(result.events / result.seconds).toLocaleString('en-US');
  console.log(
    `${result.adapter}: ${result.operation}: ${result.events} events in ${result.seconds.toFixed(2)} s, ${rate} events/s`,
  );
  return result;
}

/** streamPrefix: a fresh one on a shared log (KurrentDB), where readAll then reads only those streams. */
async function benchStore(adapter: string, store: EventStore, streamPrefix?: string): Promise<Result[]> {
  const results: Result[] = [];
  const batched = await timeWrites(
    BATCHED_EVENTS,
    BATCH_SIZE,
    (call) => call,
    (streamId, events) => store.appendToStream(streamId, events, { expectedRevision: 'no_stream' }),
    streamPrefix,
  );
  results.push(report({ adapter, operation: BATCHED_APPEND, events: BATCHED_EVENTS, seconds: batched }));

  gc();
  let count = 0;
  const start = performance.now();
  for await (const event of store.readAll(streamPrefix ? { filter: { streamPrefixes: [streamPrefix] } } : {})) {
    if (event.position <= 0n) throw new Error('readAll returned a bad position');
    count++;
  }
  if (count !== BATCHED_EVENTS) throw new Error(`readAll returned ${count} events, expected ${BATCHED_EVENTS}`);
  results.push(report({ adapter, operation: 'readAll', events: count, seconds: (performance.now() - start) / 1000 }));

  const firstSingleStream = BATCHED_EVENTS / BATCH_SIZE;
  const single = await timeWrites(
    SINGLE_EVENTS,
    1,
    (call) => firstSingleStream + (call % SINGLE_STREAMS),
    (streamId, events) => store.appendToStream(streamId, events),
    streamPrefix,
  );
  results.push(report({ adapter, operation: 'append, 1 event per call', events: SINGLE_EVENTS, seconds: single }));
  return results;
}

const SERVICES = ['Children in need', 'Child protection', 'Children in care', 'Care leavers', 'Early help'];
const AREAS = ['North', 'South', 'East', 'West', 'Central'];

/** One team's history as the app records it: each event from its own command, one minute apart. */
function teamHistory(teamNo: number): NewEvent[] {
  const teamId = `cin-${AREAS[teamNo % AREAS.length].toLowerCase()}-${String(teamNo).padStart(4, '0')}`;
  const start = Date.UTC(2026, 0, 5, 9) + teamNo * 1_000;
  const metadata = (i: number): NewEvent['metadata'] => {
    const commandId = randomUUID();
    return {
      actorId: `user-${(teamNo + i) % 40}`,
      actorRole: i === 0 ? 'admin' : 'team-manager',
      correlationId: randomUUID(),
      causationId: commandId,
      commandId,
      occurredAt: new Date(start + i * 60_000).toISOString(),
    };
  };
  const baseName = `Children in Need ${AREAS[teamNo % AREAS.length]} ${teamNo}`;
  const nameAt = (i: number): string => (i === 0 ? baseName : `${baseName} (restructure ${i})`);
  const registered: TeamRegistered['data'] = { teamId, name: nameAt(0), service: SERVICES[teamNo % SERVICES.length] };
  const events: NewEvent[] = [
    {
      eventId: randomUUID(),
      type: 'TeamRegistered',
      schemaVersion: TEAM_EVENT_SCHEMA_VERSIONS.TeamRegistered,
      data: registered,
      metadata: metadata(0),
    },
  ];
  for (let i = 1; i <= RENAMES_PER_TEAM; i++) {
    const renamed: TeamRenamed['data'] = { teamId, name: nameAt(i), previousName: nameAt(i - 1) };
    events.push({
      eventId: randomUUID(),
      type: 'TeamRenamed',
      schemaVersion: TEAM_EVENT_SCHEMA_VERSIONS.TeamRenamed,
      data: renamed,
      metadata: metadata(i),
    });
  }
  return events;
}

/**
 * Full rebuild of the app's teams projection: events in the app's SqliteEventStore file, rows
 * in the app's better-sqlite3 read database (DATA_DIR/read-models.sqlite, WAL), both opened as
 * the app opens them. Times runner.rebuild() only (reset + catch-up from position 0), after
 * an initial prepare(); seeding the log is not timed.
 */
async function benchRebuild(dataDir: string): Promise<Result[]> {
  const config = loadConfig({ DATA_DIR: dataDir, EVENT_STORE: 'sqlite' });
  const store = await PLATFORM.openEventStore(config);
  const readDb = await openReadDb(config, PLATFORM, 'writer');
  const results: Result[] = [];
  try {
    // One append per team (100 events): the order in the log does not change what rebuild does.
    for (let teamNo = 0; teamNo < TEAMS; teamNo++) {
      const events = teamHistory(teamNo);
      await store.appendToStream(teamStreamId((events[0].data as TeamRegistered['data']).teamId), events, {
        expectedRevision: 'no_stream',
      });
    }
    const head = await store.headPosition();
    if (head !== BigInt(REBUILD_EVENTS)) throw new Error(`seeded ${head} events, expected ${REBUILD_EVENTS}`);

    for (const batchSize of REBUILD_BATCH_SIZES) {
      const runner = new ProjectionRunner(store, readDb, [teamsProjection], { batchSize });
      await runner.prepare();
      gc();
      const start = performance.now();
      await runner.rebuild([teamsProjection.name]);
      const seconds = (performance.now() - start) / 1000;

      const rows = await readDb.getRepository(TeamRow).find();
      const last = rows.find((r) => r.teamId === 'cin-north-0000');
      if (
        rows.length !== TEAMS ||
        last?.revision !== String(RENAMES_PER_TEAM) ||
        !last.name.endsWith(`(restructure ${RENAMES_PER_TEAM})`)
      ) {
        throw new Error(`rebuild produced ${rows.length} teams (expected ${TEAMS}) or a wrong last name/revision`);
      }
      const [status] = await runner.status();
      if (status.position !== head.toString() || status.lag !== 0) {
        throw new Error(`rebuild left the checkpoint at ${status.position}`);
      }

      results.push(
        report({
          adapter: 'sqlite → typeorm better-sqlite3',
          operation: `rebuild ${teamsProjection.name} projection, batchSize ${batchSize}`,
          events: REBUILD_EVENTS,
          seconds,
        }),
      );
    }
  } finally {
    await readDb.destroy();
    await store.close();
  }
  return results;
}

/** The floor under the sqlite adapter (bench-kit's raw insert): same table, same durability, the same rows sealed beforehand (untimed). */
async function benchRawSqlite(file: string): Promise<Result> {
  const raw = rawSqliteEvents(file);
  try {
    gc();
    let ms = 0;
    for (let call = 0; call < BATCHED_EVENTS / BATCH_SIZE; call++) {
      const streamId = `audit-${call}`;
      const sealed = sealEvents(
        streamId,
        domainGraded(call, BATCH_SIZE),
        { revision: null, hash: null },
        new Date().toISOString(),
      );
      const start = performance.now();
      raw.insert(sealed);
      ms += performance.now() - start;
    }
    return report({
      adapter: 'raw better-sqlite3',
      operation: `insert, ${BATCH_SIZE} sealed rows per transaction`,
      events: BATCHED_EVENTS,
      seconds: ms / 1000,
    });
  } finally {
    raw.close();
  }
}

const redact = (url: string): string => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

const reason = (error: unknown): string => {
  const e = error as { message?: string; code?: string };
  return e.message || e.code || String(error);
};

async function benchPostgres(): Promise<Result[]> {
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    console.log(`postgres: skipped (cannot reach ${redact(POSTGRES_URL)}: ${reason(error)})`);
    return [];
  }
  try {
    const store = await PostgresEventStore.connect({ connectionString: POSTGRES_URL, schema });
    try {
      return await benchStore('postgres', store);
    } finally {
      await store.close();
    }
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
}

export async function benchKurrentDb(url = process.env.KURRENTDB_URL): Promise<Result[]> {
  if (!url) {
    console.log('kurrentdb: skipped: KURRENTDB_URL not set');
    return [];
  }
  let store: KurrentDbEventStore;
  try {
    store = await KurrentDbEventStore.connect({ connectionString: url });
  } catch (error) {
    console.log(`kurrentdb: skipped (cannot reach ${redact(url)}: ${reason(error)})`);
    return [];
  }
  try {
    return await benchStore('kurrentdb', store, `bench${randomUUID().replace(/-/g, '').slice(0, 12)}-`);
  } finally {
    await store.close();
  }
}

function markdownTable(results: Result[]): string {
  const raw = results.find((r) => r.adapter.startsWith('raw'));
  const rawRate = raw ? raw.events / raw.seconds : null;
  const rows = results.map((r) => {
    const rate = r.events / r.seconds;
    const bulk = r.operation === BATCHED_APPEND || r === raw;
    const ratio = bulk && rawRate ? `${(rate / rawRate).toFixed(2)}` : '';
    return `| ${r.adapter} | ${r.operation} | ${r.events.toLocaleString('en-US')} | ${r.seconds.toFixed(2)} | ${Math.round(rate).toLocaleString('en-US')} | ${ratio} |`;
  });
  return [
    '| adapter | operation | events | seconds | events/s | ratio |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

export async function main(): Promise<void> {
  const results: Result[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'casetrail-bench-'));
  try {
    results.push(await benchRawSqlite(join(dir, 'raw.db')));
    const sqlite = new SqliteEventStore({ file: join(dir, 'events.db') });
    try {
      results.push(...(await benchStore('sqlite', sqlite)));
    } finally {
      await sqlite.close();
    }
    results.push(...(await benchRebuild(join(dir, 'rebuild'))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  results.push(...(await benchPostgres()));
  results.push(...(await benchKurrentDb()));

  const cpu = cpus();
  console.log(`\n${markdownTable(results)}\n`);
  console.log('ratio: events/s of a batched append ÷ raw better-sqlite3 batched insert (WAL, synchronous=FULL).');
  const rebuilds = results.filter((r) => r.operation.startsWith('rebuild'));
  console.log(
    `rebuild: ${TEAMS.toLocaleString('en-US')} teams × (TeamRegistered + ${RENAMES_PER_TEAM} TeamRenamed); goal >= ${REBUILD_GOAL.toLocaleString('en-US')} events/s: ` +
      rebuilds
        .map((r) => `${r.operation.replace(/.*, /, '')} ${r.events / r.seconds >= REBUILD_GOAL ? 'met' : 'missed'}`)
        .join(', '),
  );
  console.log(
    `${new Date().toISOString()} · ${cpu.length} cores · ${cpu[0]?.model.trim() ?? 'unknown cpu'} · Node ${process.version}`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
