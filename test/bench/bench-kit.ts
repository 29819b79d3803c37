/**
 * What the benchmarks share (bench.ts, store.bench.ts, trail.bench.ts): the synthetic gradings,
 * the raw better-sqlite3 baseline of the event table, percentiles, and the PostgreSQL address.
 * One implementation each, so every benchmark measures the same thing the same way.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { SQLITE_EVENTS_SCHEMA, type NewEvent } from '@casetrail/event-store';
import type { SealedEvent } from '@casetrail/event-store/append-plan';

/** PostgreSQL for the benchmarks (POSTGRES_BENCH_URL; default: the test database). */
export const POSTGRES_URL = process.env.POSTGRES_BENCH_URL ?? 'postgres://postgres@127.0.0.1:5432/casetrail_test';

/** A full collection when node runs with --expose-gc (npm run bench does), so one figure does not pay for another's garbage. */
export const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

export const DOMAINS = ['voice-of-child', 'assessment', 'planning', 'management-oversight', 'safeguarding'];
export const GRADES = ['outstanding', 'good', 'requires-improvement', 'inadequate'];

/** `count` DomainGraded events of one audit, as one command of one auditor would produce them. */
export function domainGraded(streamNo: number, count: number): NewEvent[] {
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

/**
 * The floor under the SQLite adapter: the adapter's own table and indexes, WAL and
 * synchronous=FULL like the adapter, and one transaction per call inserting rows already sealed
 * (no checks, no hashing).
 */
export function rawSqliteEvents(file: string): { insert(rows: SealedEvent[]): void; close(): void } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(SQLITE_EVENTS_SCHEMA); // its triggers never fire on insert
  const insert = db.prepare(
    `INSERT INTO events (stream_id, category, revision, event_id, type, schema_version, data, metadata, recorded_at)
     VALUES (@streamId, @category, @revision, @eventId, @type, @schemaVersion, @data, @metadata, @recordedAt)`,
  );
  const insertMany = db.transaction((sealed: SealedEvent[]) => {
    for (const row of sealed) insert.run(row);
  });
  return { insert: (rows) => insertMany.immediate(rows), close: () => db.close() };
}

/** The p-th percentile (0..1) of some timings, nearest rank. */
export const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * p) - 1))];
};
