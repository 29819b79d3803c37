/**
 * Several app instances on one PostgreSQL (issue 8): both serve commands, one runs the
 * projections, and when that one is SIGKILLed mid-way the other takes over. Afterwards every
 * acknowledged command is in the log exactly once and every read model equals a rebuild.
 * Each instance (and the CLI) has its own DATA_DIR: nothing is shared but PostgreSQL and the
 * configured secrets; the personal-data keys are in PostgreSQL too (issue 17), so a child's text
 * recorded through one instance reads in the clear through the other.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PostgresEventStore } from '@casetrail/event-store';
import { postgresTestsEnabled } from '@casetrail/testing';
import { AppProcess } from '../support/app-process';
import { runCli } from '../support/cli-process';
import { PROFILES } from '../support/test-app';

const postgres = PROFILES.find((p) => p.name === 'postgres')!;
const describePostgres = postgresTestsEnabled() ? describe : describe.skip;

const COMMANDS = 2000;
const IN_FLIGHT = 16;

interface Sent {
  key: string;
  status: number; // 0 when the connection failed (the instance died under it)
}

/**
 * A read with `consistentWith`: the server waits a few seconds for its read models, then answers
 * 503 with Retry-After when they are not there yet (a busy machine, a follower taking over). The
 * test waits for what it needs, the read models reaching the position, not for a time: it asks
 * again after the pause the server names, until the answer is not 503 (Jest's cap ends a hang).
 */
async function readConsistent(url: string, token: string): Promise<Response> {
  for (;;) {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 503) return response;
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0); // a 503 without it is a failure, not "not yet"
    await response.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
  }
}

/** Every row of every read-model table, in a stable order (checkpoint timestamps aside). */
async function dumpReadModels(url: string): Promise<Record<string, unknown[]>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
    );
    const dump: Record<string, unknown[]> = {};
    for (const { table_name } of tables.rows) {
      const rows = await client.query(`SELECT row_to_json(t)::jsonb AS row FROM "${table_name}" t`);
      dump[table_name] = rows.rows
        .map((r: { row: Record<string, unknown> }) => {
          const { updatedAt: _ignored, ...row } = r.row;
          return JSON.stringify(row);
        })
        .sort();
    }
    return dump;
  } finally {
    await client.end();
  }
}

describePostgres('two app instances on PostgreSQL', () => {
  let storage: Awaited<ReturnType<typeof postgres.create>>;
  const apps: AppProcess[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    storage = await postgres.create();
  });
  afterAll(async () => {
    for (const app of apps) await app.kill();
    await storage.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('2,000 commands across both, the projection owner killed mid-way: nothing lost or doubled, read models equal a rebuild', async () => {
    // One token sends all 2,000 commands within a minute: lift the per-token rate limit for this test.
    // No shared folder: every process gets its own DATA_DIR, and shares only PostgreSQL and the secrets.
    const shared: Record<string, string> = {
      ...storage.env,
      RATE_LIMIT_PER_MINUTE: '1000000',
      DATA_MASTER_KEY: randomBytes(32).toString('base64'),
      SESSION_SECRET: randomBytes(32).toString('base64url'),
    };
    const folders = ['cli', 'one', 'two'].map((name) => mkdtempSync(join(tmpdir(), `casetrail-${name}-`)));
    dirs.push(...folders);
    const [cliDir, oneDir, twoDir] = folders;
    const env: Record<string, string> = { ...shared, DATA_DIR: cliDir };
    const admin = await runCli(env, ['user:add', '--name', 'Ada Admin', '--role', 'admin']);
    expect(admin.code).toBe(0);
    const { token, userId } = JSON.parse(admin.stdout) as { token: string; userId: string };
    const iro = JSON.parse((await runCli(env, ['user:add', '--name', 'Ivy Iro', '--role', 'iro'])).stdout) as { token: string };

    apps.push(await AppProcess.start({ ...shared, DATA_DIR: oneDir }));
    apps.push(await AppProcess.start({ ...shared, DATA_DIR: twoDir }));
    const owners = await Promise.all(apps.map(async (a) => (await a.health())!.runsProjections));
    expect(owners.filter(Boolean)).toHaveLength(1);
    const owner = apps[owners.indexOf(true)];
    const survivor = apps[owners.indexOf(false)];

    // A contested team both instances rename concurrently: conflicting writes to one stream.
    await fetch(`${survivor.url}/api/v1/teams`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ teamId: 'contested', name: 'Contested 0', service: 'Front door' }),
    });

    // A child's text recorded through one instance (encrypted with a key it makes) reads through the other.
    const summary = 'Long-term match for Sam has drifted for 14 months.';
    const raisedThere = await fetch(`${owner.url}/api/v1/disputes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${iro.token}` },
      body: JSON.stringify({
        childRef: 'C-2001',
        teamId: 'contested',
        category: 'matching',
        summary,
        desiredOutcome: 'Matching assessment to panel.',
      }),
    });
    expect(raisedThere.status).toBe(201);
    const { disputeId, position } = (await raisedThere.json()) as { disputeId: string; position: string };
    const readHere = async (): Promise<unknown> => {
      const response = await readConsistent(`${survivor.url}/api/v1/disputes/${disputeId}?consistentWith=${position}`, iro.token);
      return ((await response.json()) as { summary?: unknown }).summary;
    };
    expect(await readHere()).toBe(summary);

    const send = async (i: number): Promise<Sent> => {
      const key = `cmd-${i}`;
      const ownerAlive = owner.child.exitCode === null && owner.child.signalCode === null;
      const target = i % 2 === 0 && ownerAlive ? owner : survivor;
      const [path, body] =
        i % 4 === 3
          ? ['/api/v1/teams/contested', { name: `Contested ${i}` }]
          : ['/api/v1/teams', { teamId: `team-${i}`, name: `Team ${i}`, service: 'Children in need' }];
      try {
        const response = await fetch(`${target.url}${path}`, {
          method: path === '/api/v1/teams' ? 'POST' : 'PATCH',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
          body: JSON.stringify(body),
        });
        await response.arrayBuffer();
        return { key, status: response.status };
      } catch {
        return { key, status: 0 };
      }
    };

    const sent: Sent[] = [];
    let next = 0;
    let killed = false;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < COMMANDS) {
          const i = next++;
          if (i >= COMMANDS / 2 && !killed) {
            killed = true;
            void owner.kill('SIGKILL');
          }
          sent.push(await send(i));
        }
      }),
    );
    await owner.kill('SIGKILL');

    const acknowledged = sent.filter((s) => s.status >= 200 && s.status < 300);
    const failedOtherwise = sent.filter((s) => s.status !== 0 && (s.status < 200 || s.status >= 300));
    // Renames may lose a race five times running (409); nothing else may fail.
    expect(failedOtherwise.filter((s) => s.status !== 409)).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(COMMANDS / 2);

    // The survivor takes over the projections: it says so once it holds the lease (however long a
    // busy machine takes to let it poll; Jest's cap ends a hang).
    while (!(await survivor.health())?.runsProjections) await new Promise((r) => setTimeout(r, 250));

    // Every acknowledged command's event is in the log exactly once.
    const store = await PostgresEventStore.connect({ connectionString: env.EVENT_STORE_URL });
    const perCommand = new Map<string, number>();
    let head = 0n;
    try {
      for await (const event of store.readAll()) {
        const id = String(event.metadata.commandId).split('~')[0]; // without the request fingerprint
        perCommand.set(id, (perCommand.get(id) ?? 0) + 1);
        head = event.position;
      }
    } finally {
      await store.close();
    }
    // The log holds the child's text only encrypted; the survivor still reads it; no folder holds a key store.
    const stored = new Client({ connectionString: env.EVENT_STORE_URL });
    await stored.connect();
    try {
      const text = await stored.query<{ n: string }>(
        `SELECT count(*) AS n FROM events WHERE data::text LIKE '%drifted for 14 months%'`,
      );
      expect(text.rows[0].n).toBe('0');
      const raisedEvents = await stored.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE type = 'DisputeRaised'`);
      expect(raisedEvents.rows[0].n).toBe('1');
    } finally {
      await stored.end();
    }
    expect(await readHere()).toBe(summary);
    for (const dir of folders) expect(existsSync(join(dir, 'subject-keys.sqlite'))).toBe(false);

    const missingOrDoubled = acknowledged.filter((s) => perCommand.get(`${userId}:${s.key}`) !== 1);
    expect(missingOrDoubled).toEqual([]);
    expect([...perCommand.values()].every((n) => n === 1)).toBe(true);

    // Read-your-writes on the survivor up to the head, then compare with a rebuild from zero.
    const caughtUp = await readConsistent(`${survivor.url}/api/v1/teams?consistentWith=${head}`, token);
    expect(caughtUp.status).toBe(200);
    const live = await dumpReadModels(env.READ_DB_URL);
    await survivor.kill('SIGTERM');
    const rebuilt = await runCli(env, ['projections:rebuild']); // the CLI, from its own folder
    expect(rebuilt.code).toBe(0);
    const fromZero = await dumpReadModels(env.READ_DB_URL);
    expect(Object.keys(live).length).toBeGreaterThan(2);
    expect(live).toEqual(fromZero);
  }, 300_000);
});
