/**
 * Event store throughput: batched appends, single-event appends and a full readAll() on each
 * adapter, against a raw better-sqlite3 baseline with the same table and the same durability.
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only test/bench/store.bench.ts
 *   npm run bench:store
 *
 * PostgreSQL: POSTGRES_BENCH_URL (default: the test database). The bench works in a scratch
 * schema that it drops at the end, and skips postgres when the server cannot be reached.
 * Only the store calls are timed; building the events (uuids, objects) is not.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import {
  PostgresEventStore,
  SqliteEventStore,
  streamCategory,
  type EventStore,
  type NewEvent,
} from '@casetrail/event-store';

const BATCHED_EVENTS = 200_000;
/** Events per appendToStream call, and rows per raw transaction: one call fills one stream. */
const BATCH_SIZE = 1_000;
const BATCHED_APPEND = `append, ${BATCH_SIZE} events per call`;
const SINGLE_EVENTS = 5_000;
/** Single-event appends go round-robin to this many new streams (10 events each). */
const SINGLE_STREAMS = 500;
const POSTGRES_URL = process.env.POSTGRES_BENCH_URL ?? 'postgres://postgres@127.0.0.1:5432/casetrail_test';

interface Result {
  adapter: string;
  operation: string;
  events: number;
  seconds: number;
}

const DOMAINS = ['voice-of-child', 'assessment', 'planning', 'management-oversight', 'safeguarding'];
const GRADES = ['outstanding', 'good', 'requires-improvement', 'inadequate'];

/** `count` DomainGraded events of one audit, as one command of one auditor would produce them. */
function domainGraded(streamNo: number, count: number): NewEvent[] {
  const auditId = randomUUID();
  const commandId = randomUUID();
  const correlationId = randomUUID();
  const occurredAt = new Date(Date.UTC(2026, 0, 5, 9) + streamNo * 60_000).toISOString();
  return Array.from({ length: count }, (_, i) => ({
    eventId: randomUUID(),
    type: 'DomainGraded',
    schemaVersion: 1,
    data: {
      auditId,
      domain: DOMAINS[i % DOMAINS.length],
      grade: GRADES[(streamNo + i) % GRADES.length],
      evidence: `Case note ${streamNo}/${i}: child seen alone within timescale; views recorded in the plan.`,
    },
    metadata: {
      actorId: `user-${streamNo % 40}`,
      actorRole: 'auditor',
      correlationId,
      causationId: commandId,
      commandId,
      occurredAt,
    },
  }));
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

/** Writes `total` events in calls of `perCall` events to stream audit-<streamOf(call)>; times the writes only. */
async function timeWrites(
  total: number,
  perCall: number,
  streamOf: (call: number) => number,
  write: (streamId: string, events: NewEvent[]) => Promise<unknown>,
): Promise<number> {
  gc();
  let ms = 0;
  for (let call = 0; call < total / perCall; call++) {
    const streamNo = streamOf(call);
    const events = domainGraded(streamNo, perCall);
    const start = performance.now();
    await write(`audit-${streamNo}`, events);
    ms += performance.now() - start;
  }
  return ms / 1000;
}

function report(result: Result): Result {
  const rate = Math.round(result.events / result.seconds).toLocaleString('en-US');
  console.log(`${result.adapter}: ${result.operation}: ${result.events} events in ${result.seconds.toFixed(2)} s, ${rate} events/s`);
  return result;
}

async function benchStore(adapter: string, store: EventStore): Promise<Result[]> {
  const results: Result[] = [];
  const batched = await timeWrites(BATCHED_EVENTS, BATCH_SIZE, (call) => call, (streamId, events) =>
    store.appendToStream(streamId, events, { expectedRevision: 'no_stream' }),
  );
  results.push(report({ adapter, operation: BATCHED_APPEND, events: BATCHED_EVENTS, seconds: batched }));

  gc();
  let count = 0;
  const start = performance.now();
  for await (const event of store.readAll()) {
    if (event.position <= 0n) throw new Error('readAll returned a bad position');
    count++;
  }
  if (count !== BATCHED_EVENTS) throw new Error(`readAll returned ${count} events, expected ${BATCHED_EVENTS}`);
  results.push(report({ adapter, operation: 'readAll', events: count, seconds: (performance.now() - start) / 1000 }));

  const firstSingleStream = BATCHED_EVENTS / BATCH_SIZE;
  const single = await timeWrites(SINGLE_EVENTS, 1, (call) => firstSingleStream + (call % SINGLE_STREAMS), (streamId, events) =>
    store.appendToStream(streamId, events),
  );
  results.push(report({ adapter, operation: 'append, 1 event per call', events: SINGLE_EVENTS, seconds: single }));
  return results;
}

/** The adapter's table and indexes (its update/delete triggers never fire on insert). */
const RAW_SCHEMA = `
CREATE TABLE events (
  position       INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id      TEXT    NOT NULL,
  category       TEXT    NOT NULL,
  revision       INTEGER NOT NULL,
  event_id       TEXT    NOT NULL UNIQUE,
  type           TEXT    NOT NULL,
  schema_version INTEGER NOT NULL,
  data           TEXT    NOT NULL,
  metadata       TEXT    NOT NULL,
  recorded_at    TEXT    NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE INDEX events_by_category ON events (category, position);
CREATE INDEX events_by_type ON events (type, position);
CREATE INDEX events_by_recorded_at ON events (recorded_at);
`;

/** The floor under the sqlite adapter: same rows, same durability, no checks and no hashing. */
async function benchRawSqlite(file: string): Promise<Result> {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(RAW_SCHEMA);
    const insert = db.prepare(
      `INSERT INTO events (stream_id, category, revision, event_id, type, schema_version, data, metadata, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertBatch = db.transaction((streamId: string, events: NewEvent[]) => {
      const recordedAt = new Date().toISOString();
      const category = streamCategory(streamId);
      events.forEach((e, revision) => {
        const metadata = JSON.stringify({ ...e.metadata, recordedAt });
        insert.run(streamId, category, revision, e.eventId, e.type, e.schemaVersion, JSON.stringify(e.data), metadata, recordedAt);
      });
    });
    const seconds = await timeWrites(BATCHED_EVENTS, BATCH_SIZE, (call) => call, (streamId, events) =>
      Promise.resolve(insertBatch(streamId, events)),
    );
    return report({ adapter: 'raw better-sqlite3', operation: `insert, ${BATCH_SIZE} rows per transaction`, events: BATCHED_EVENTS, seconds });
  } finally {
    db.close();
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  results.push(...(await benchPostgres()));

  const cpu = cpus();
  console.log(`\n${markdownTable(results)}\n`);
  console.log('ratio: events/s of a batched append ÷ raw better-sqlite3 batched insert (WAL, synchronous=FULL).');
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
