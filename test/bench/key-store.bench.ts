/**
 * Appends of personal text on the PostgreSQL log, with the key store in a SQLite file (as before)
 * and in PostgreSQL (issue 17): the cost of the key look-ups per append. Run:
 *   POSTGRES_TEST_URL=... npx ts-node -r tsconfig-paths/register --transpile-only test/bench/key-store.bench.ts
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PostgresEventStore } from '@casetrail/event-store';
// Not the package index: it also exports the Jest helpers, which the benchmark build (no Jest types) cannot compile.
import { newEvent } from '../../libs/testing/src/event-fixtures';
import { POSTGRES_TEST_URL, scratchSchema } from '../../libs/testing/src/postgres';
import { EncryptingEventStore } from '../../src/personal-data/encrypting-event-store';
import { PostgresSubjectKeyStore } from '../../src/personal-data/postgres-subject-key-store';
import { SqliteSubjectKeyStore, type SubjectKeyStore } from '../../src/personal-data/subject-key-store';

const STREAMS = Number(process.env.STREAMS ?? 300);

async function sql(text: string): Promise<void> {
  const client = new Client({ connectionString: POSTGRES_TEST_URL });
  await client.connect();
  await client.query(text).finally(() => client.end());
}

async function measure(
  label: string,
  keys: (dir: string, master: Buffer, schema: string) => Promise<SubjectKeyStore>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'key-bench-'));
  const schema = scratchSchema('kbench');
  const keySchema = `${schema}_keys`;
  const master = randomBytes(32);
  const store = new EncryptingEventStore(
    await PostgresEventStore.connect({ connectionString: POSTGRES_TEST_URL, schema }),
    await keys(dir, master, keySchema),
  );
  const started = process.hrtime.bigint();
  for (let i = 0; i < STREAMS; i++) {
    await store.appendToStream(`dispute-${i}`, [
      newEvent('DisputeRaised', { disputeId: `${i}`, childRef: `C-${i}`, summary: 'Placement drifted', desiredOutcome: 'Panel' }),
    ]);
    await store.appendToStream(`dispute-${i}`, [newEvent('DisputeEscalated', { disputeId: `${i}`, reason: 'No answer' })]);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  await store.close();
  console.log(`${label}: ${STREAMS * 2} appends in ${ms.toFixed(0)} ms, ${((ms * 1000) / (STREAMS * 2)).toFixed(0)} µs each`);
  await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${keySchema} CASCADE`);
  rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  for (let round = 0; round < 2; round++) {
    await measure('key store in a SQLite file', (dir, master) =>
      Promise.resolve(new SqliteSubjectKeyStore(join(dir, 'keys.sqlite'), master)),
    );
    await measure('key store in PostgreSQL', (_dir, masterKey, schema) =>
      PostgresSubjectKeyStore.open({ connectionString: POSTGRES_TEST_URL, masterKey, schema }),
    );
  }
}

void main();
