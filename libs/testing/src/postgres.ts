import { spawnSync } from 'node:child_process';
import { Client } from 'pg';

/** The scratch database the PostgreSQL tests use (`.ci/run` creates it). */
export const POSTGRES_TEST_URL = process.env.POSTGRES_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/casetrail_test';

const probe = `
const { Client } = require('pg');
const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
c.connect().then(() => c.end()).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); });
`;

/**
 * Whether the PostgreSQL tests run. With CI=true they always run, so an unreachable server
 * fails them instead of silently skipping; elsewhere they are skipped with a visible message.
 */
export function postgresTestsEnabled(): boolean {
  if (process.env.CI === 'true') return true;
  const result = spawnSync(process.execPath, ['-e', probe, POSTGRES_TEST_URL], { encoding: 'utf8', timeout: 10000 });
  if (result.status === 0) return true;
  console.warn(
    `PostgreSQL tests SKIPPED: cannot reach ${POSTGRES_TEST_URL} (${(result.stderr || 'timeout').trim()}). ` +
      'Set POSTGRES_TEST_URL or start PostgreSQL; in CI (CI=true) they fail instead.',
  );
  return false;
}

/** A fresh schema name, so concurrent test files never see each other's rows. */
export const scratchSchema = (label: string): string =>
  `t_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase();

/** One statement on the test server outside any pool (creating or dropping a scratch database or schema). */
export async function postgresAdmin(sql: string): Promise<void> {
  const client = new Client({ connectionString: POSTGRES_TEST_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
