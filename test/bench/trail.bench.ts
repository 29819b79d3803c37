/**
 * Inspector trail benchmark on a SQLite log of 1,000,000 events (BENCH_TRAIL_EVENTS to change):
 * a realistic mix (audits with gradings and actions, disputes with escalations) across 30 teams
 * over 5 years, then: trail page latency (everything, and one team's trail), full verification
 * events/s, and export events/s.
 *
 *   npm run bench:trail
 *
 * The log is written row by row with the store's own sealing code (sealEvents: same hashes,
 * same chain) in large transactions, with recordedAt spread over the 5 years, so as-at
 * queries have real history to work on. Only the measured calls are timed.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { NestFactory } from '@nestjs/core';
import { SQLITE_EVENTS_SCHEMA, type NewEvent } from '@casetrail/event-store';
import { sealEvents } from '@casetrail/event-store/append-plan';
import { AppModule } from '../../src/app.module';
import type { Principal } from '../../src/auth/principal';
import { loadConfig } from '../../src/config/app-config';
import { ExportService } from '../../src/trail/export.service';
import { IntegrityService } from '../../src/trail/integrity.service';
import { TrailService } from '../../src/trail/trail.service';

const EVENTS = Number(process.env.BENCH_TRAIL_EVENTS ?? 1_000_000);
const TEAMS = 30;
const YEARS = 5;
const SAMPLES = 50;
const START = Date.parse('2020-04-01T08:00:00Z');
const SPAN = YEARS * 365 * 86_400_000;
const DOMAINS = ['voice-of-the-child', 'assessment', 'planning', 'management-oversight', 'supervision'];
const GRADES = ['outstanding', 'good', 'requires-improvement', 'inadequate'];

const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)];
const team = (i: number): string => `team-${String(i % TEAMS).padStart(2, '0')}`;

/** One entity's events: an audit (started, graded, completed, actions) or a dispute (raised, escalated, resolved). */
function entityEvents(n: number): { streamId: string; events: { type: string; data: Record<string, unknown> }[] } {
  const teamId = team(n);
  if (n % 4 === 3) {
    const disputeId = `D-${n}`;
    const stages = 1 + (n % 3);
    return {
      streamId: `dispute-${disputeId}`,
      events: [
        { type: 'DisputeRaised', data: { disputeId, teamId, childRef: `CH${n}`, subject: 'care plan drift', stage: 'informal' } },
        ...Array.from({ length: stages }, (_, s) => ({
          type: 'DisputeEscalated',
          data: { disputeId, stage: `stage-${s + 1}`, reason: 'answer late' },
        })),
        { type: 'DisputeResolved', data: { disputeId, outcome: 'plan updated' } },
      ],
    };
  }
  const auditId = `A-${n}`;
  return {
    streamId: `audit-${auditId}`,
    events: [
      { type: 'CaseAuditStarted', data: { auditId, teamId, caseRef: `C${n}`, childRef: `CH${n}`, kind: 'monthly' } },
      ...DOMAINS.map((domain) => ({
        type: 'DomainGraded',
        data: { auditId, domain, grade: pick(GRADES), finding: 'Recorded in supervision notes.' },
      })),
      { type: 'AuditCompleted', data: { auditId, overallGrade: pick(GRADES) } },
      {
        type: 'AuditActionRaised',
        data: { auditId, actionId: `${auditId}-1`, teamId, dueOn: '2021-05-01', text: 'Update the chronology.' },
      },
      { type: 'AuditActionCompleted', data: { auditId, actionId: `${auditId}-1` } },
    ],
  };
}

function generate(file: string): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF'); // generation only: the measured reads are unaffected
  db.exec(SQLITE_EVENTS_SCHEMA);
  const insert = db.prepare(
    `INSERT INTO events (stream_id, category, revision, event_id, type, schema_version, data, metadata, recorded_at)
     VALUES (@streamId, @category, @revision, @eventId, @type, @schemaVersion, @data, @metadata, @recordedAt)`,
  );
  let written = 0;
  let entity = 0;
  const insertMany = db.transaction((rows: ReturnType<typeof sealEvents>) => rows.forEach((r) => insert.run(r)));
  while (written < EVENTS) {
    const batch: ReturnType<typeof sealEvents> = [];
    while (batch.length < 20_000 && written + batch.length < EVENTS) {
      const { streamId, events } = entityEvents(entity++);
      const take = events.slice(0, EVENTS - written - batch.length);
      // recordedAt grows with position across the 5 years; occurredAt a little before it.
      const at = new Date(START + Math.floor(((written + batch.length) / EVENTS) * SPAN)).toISOString();
      const actorId = randomUUID();
      const newEvents: NewEvent[] = take.map((e) => ({
        eventId: randomUUID(),
        type: e.type,
        schemaVersion: 1,
        data: e.data,
        metadata: {
          actorId,
          actorRole: 'qa-officer',
          correlationId: actorId,
          causationId: actorId,
          commandId: randomUUID(),
          occurredAt: at,
        },
      }));
      batch.push(...sealEvents(streamId, newEvents, { revision: null, hash: null }, at));
    }
    insertMany(batch);
    written += batch.length;
  }
  db.close();
  return written;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];
const ms = (x: number): string => `${x.toFixed(1)} ms`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'casetrail-trail-bench-'));
  try {
    let t0 = performance.now();
    const written = generate(join(dir, 'events.sqlite'));
    console.log(`generated ${written.toLocaleString('en-GB')} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'error' });
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, 'cli'), { logger: false });
    const trail = app.get(TrailService);
    const integrity = app.get(IntegrityService);
    const exporter = app.get(ExportService);
    const inspector: Principal = { userId: 'bench', name: 'Bench', role: 'inspector', teamIds: [], tokenId: 'bench' };
    const manager: Principal = { ...inspector, role: 'team-manager', teamIds: [team(7)] };

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

    t0 = performance.now();
    const report = await integrity.verify();
    const verifySeconds = (performance.now() - t0) / 1000;
    if (!report.valid) throw new Error(`verification failed: ${JSON.stringify(report.firstInvalid)}`);

    t0 = performance.now();
    let bytes = 0;
    for await (const chunk of exporter.chunks({ format: 'ndjson' })) bytes += Buffer.byteLength(chunk);
    const exportSeconds = (performance.now() - t0) / 1000;

    // ---- HOOK: as-at team-view latency (median and p95 over 50 random instants) ----
    // Owned by the as-at mechanism (libs/projections): pick SAMPLES random instants between
    // START and START + SPAN, time the team view for team(7) with asAt=<instant>, and add a
    // row to `rows` below. Not measured here yet.
    const asAtRow = { measurement: 'as-at team view (50 random instants)', median: 'not measured yet', p95: 'see hook' };

    const rows = [
      { measurement: 'trail page, 100 events, oldest first', median: ms(median(allPages)), p95: ms(p95(allPages)) },
      { measurement: 'trail page, 100 events, newest first', median: ms(median(newestPages)), p95: ms(p95(newestPages)) },
      { measurement: "trail page, one team's events (team manager)", median: ms(median(teamPages)), p95: ms(p95(teamPages)) },
      {
        measurement: 'trail page, dispute escalations (prefix + type)',
        median: ms(median(streamPages)),
        p95: ms(p95(streamPages)),
      },
      asAtRow,
    ];
    console.log(
      `\n${written.toLocaleString('en-GB')} events, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
    );
    console.table(rows);
    console.table([
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
