/**
 * What encrypting personal text costs: appends and reads of audit events (one CaseAuditStarted
 * then DomainGraded events with ~400 characters of evidence) on SQLite, plain vs encrypting.
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only test/bench/encryption.bench.ts
 *
 * Besides wall-clock throughput it prints this process's CPU time per event, which a busy
 * shared machine disturbs much less than wall time.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteEventStore, type EventStore, type NewEvent } from '@casetrail/event-store';
import { EncryptingEventStore } from '../../src/personal-data/encrypting-event-store';
import { SqliteSubjectKeyStore } from '../../src/personal-data/subject-key-store';

const STREAMS = 200;
const EVENTS_PER_STREAM = 100;
const SINGLE = 2_000;
const EVIDENCE = 'Seen alone at school; said she feels safe with her carers and wants more contact with her brother. '.repeat(4);

const metadata = () => ({
  actorId: 'bench',
  actorRole: 'qa-officer',
  correlationId: randomUUID(),
  causationId: randomUUID(),
  commandId: randomUUID(),
  occurredAt: new Date().toISOString(),
});
const event = (type: string, data: unknown): NewEvent => ({
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  data,
  metadata: metadata(),
});
const auditStream = (s: number): NewEvent[] => [
  event('CaseAuditStarted', { auditId: `a${s}`, caseRef: `C-${s}`, teamId: 't', domains: ['planning'] }),
  ...Array.from({ length: EVENTS_PER_STREAM - 1 }, () =>
    event('DomainGraded', { auditId: `a${s}`, domain: 'planning', grade: 'good', evidence: EVIDENCE }),
  ),
];

/** Wall-clock events per second, and CPU microseconds per event (this process only). */
async function timed(events: number, work: () => Promise<void>): Promise<string> {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  await work();
  const used = process.cpuUsage(cpu);
  const perSecond = events / ((performance.now() - wall) / 1000);
  const cpuPerEvent = (used.user + used.system) / events;
  return `${perSecond.toFixed(0).padStart(6)} ev/s ${cpuPerEvent.toFixed(0).padStart(4)} µs CPU/ev`;
}

async function measure(label: string, open: (dir: string) => EventStore): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'enc-bench-'));
  const store = open(dir);
  try {
    const batches = Array.from({ length: STREAMS }, (_, s) => auditStream(s));
    const batched = await timed(STREAMS * EVENTS_PER_STREAM, async () => {
      for (let s = 0; s < STREAMS; s++) await store.appendToStream(`audit-${s}`, batches[s]);
    });
    const singles = Array.from({ length: SINGLE }, () =>
      event('DomainGraded', { auditId: 'a', domain: 'planning', grade: 'good', evidence: EVIDENCE }),
    );
    const single = await timed(SINGLE, async () => {
      for (let i = 0; i < SINGLE; i++) await store.appendToStream(`audit-${i % STREAMS}`, [singles[i]]);
    });
    const total = STREAMS * EVENTS_PER_STREAM + SINGLE;
    const read = await timed(total, async () => {
      for await (const e of store.readAll()) if (!e) throw new Error('no event');
    });
    console.log(`${label.padEnd(10)} | batched append ${batched} | single append ${single} | readAll ${read}`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const master = randomBytes(32);
  for (let round = 0; round < 2; round++) {
    await measure('plain', (dir) => new SqliteEventStore({ file: join(dir, 'events.sqlite') }));
    await measure(
      'encrypting',
      (dir) =>
        new EncryptingEventStore(
          new SqliteEventStore({ file: join(dir, 'events.sqlite') }),
          new SqliteSubjectKeyStore(join(dir, 'keys.sqlite'), master),
        ),
    );
  }
}

void main();
