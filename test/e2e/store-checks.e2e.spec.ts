/**
 * Start-up and CLI checks that refuse stores which disagree with each other (issue 17, items 1,
 * 2, 5 and 10): each refusal says what is wrong and what to do; the recovery tools still run.
 */
import Database from 'better-sqlite3';
import { copyFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { AppProcess } from '../support/app-process';
import { runCli } from '../support/cli-process';
import { PROFILES, TestApp, type Profile } from '../support/test-app';

jest.setTimeout(600_000);

type Env = Record<string, string>;

/** Every server a test starts, killed after it whatever happened. */
const started: AppProcess[] = [];
const serve = async (env: Env): Promise<AppProcess> => {
  const app = await AppProcess.start(env);
  started.push(app);
  return app;
};
afterEach(async () => {
  for (const app of started.splice(0)) await app.kill();
});

/** Polls until `done` says so; fails after a minute rather than hanging. */
async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts a server that must refuse to start; returns what it printed. */
async function refusedStart(env: Env): Promise<string> {
  const outcome = await AppProcess.start(env).then(
    async (app) => {
      await app.kill();
      return null;
    },
    (error: Error) => error.message,
  );
  if (outcome === null) throw new Error('The server started, but it should have refused');
  return outcome;
}

async function sql(env: Env, target: 'read' | 'log', statements: string[]): Promise<void> {
  if (env.EVENT_STORE === 'postgres') {
    const client = new Client({ connectionString: target === 'read' ? env.READ_DB_URL : env.EVENT_STORE_URL });
    await client.connect();
    try {
      for (const s of statements) await client.query(s);
    } finally {
      await client.end();
    }
    return;
  }
  const db = new Database(join(env.DATA_DIR, target === 'read' ? 'read-models.sqlite' : 'events.sqlite'));
  try {
    for (const s of statements) db.exec(s);
  } finally {
    db.close();
  }
}

const removeLastEvent = (env: Env): Promise<void> =>
  env.EVENT_STORE === 'postgres'
    ? sql(env, 'log', [
        'ALTER TABLE events DISABLE TRIGGER USER',
        'DELETE FROM events WHERE position = (SELECT max(position) FROM events)',
        'ALTER TABLE events ENABLE TRIGGER USER',
      ])
    : sql(env, 'log', [
        'DROP TRIGGER IF EXISTS events_are_immutable_delete',
        'DELETE FROM events WHERE position = (SELECT max(position) FROM events)',
      ]);

async function addAdmin(env: Env): Promise<string> {
  const added = await runCli(env, ['user:add', '--name', 'Ada Admin', '--role', 'admin']);
  expect(added.code).toBe(0);
  return (JSON.parse(added.stdout) as { token: string }).token;
}

describe.each(PROFILES.filter((p) => p.enabled))('store checks at start-up and in the CLI ($name)', (profile: Profile) => {
  let storage: Awaited<ReturnType<Profile['create']>>;
  beforeEach(async () => {
    storage = await profile.create();
  });
  afterEach(async () => {
    await storage.drop();
  });

  it('a projection checkpoint beyond the log’s head stops start-up and CLI writes; projections:rebuild mends it', async () => {
    const env = storage.env;
    const token = await addAdmin(env);
    let server = await serve(env);
    const team = await fetch(`${server.url}/api/v1/teams`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ teamId: 'north', name: 'North', service: 'Children’s social care' }),
    });
    expect(team.status).toBe(201);
    await server.kill('SIGTERM');
    // As a read database copied after the log would be: ahead of it.
    await sql(env, 'read', ["UPDATE projection_checkpoints SET position = '100000' WHERE name = 'teams'"]);

    const refusal = await refusedStart(env);
    expect(refusal).toMatch(/read database has applied events up to position 100,000, but the event log ends at \d+/);
    expect(refusal).toMatch(/projections: teams\)/);
    expect(refusal).toMatch(/npm run cli -- projections:rebuild teams/);

    const write = await runCli(env, ['user:add', '--name', 'Bo Later', '--role', 'inspector']);
    expect(write.code).toBe(1);
    expect(JSON.parse(write.stderr.trim().split('\n').at(-1)!)).toMatchObject({
      statusCode: 503,
      error: 'Inconsistent store',
      details: [{ code: 'PROJECTION_AHEAD_OF_LOG' }],
    });
    // The tools that diagnose and mend still run.
    expect((await runCli(env, ['trail:verify'])).code).toBe(0);
    expect((await runCli(env, ['projections:status'])).code).toBe(0);
    expect((await runCli(env, ['projections:rebuild', 'teams'])).code).toBe(0);

    server = await serve(env);
    expect(await server.health()).toMatchObject({ status: 'ok' });
    await server.kill('SIGTERM');
  });

  it('a log shorter than its last signed checkpoint stops start-up and CLI writes; trail:verify names it', async () => {
    const env = storage.env;
    await addAdmin(env);
    await addAdmin(env);
    expect((await runCli(env, ['trail:checkpoint'])).code).toBe(0);
    await removeLastEvent(env);

    const refusal = await refusedStart(env);
    expect(refusal).toMatch(/the trail checkpoint signed at .* covers \d+ events up to position \d+: events are missing/);
    expect(refusal).toMatch(/npm run cli -- restore/);
    const write = await runCli(env, ['trail:checkpoint']);
    expect(write.code).toBe(1);
    expect(write.stderr).toMatch(/LOG_SHORTER_THAN_CHECKPOINT/);
    const verified = await runCli(env, ['trail:verify']);
    expect(verified.code).toBe(1);
    expect(JSON.parse(verified.stdout)).toMatchObject({
      valid: false,
      firstInvalid: { problem: expect.stringMatching(/events were removed/) },
    });
  });
});

describe('store checks on the embedded store (sqlite)', () => {
  const sqlite = PROFILES.find((p) => p.name === 'sqlite')!;
  let storage: Awaited<ReturnType<Profile['create']>>;
  beforeEach(async () => {
    storage = await sqlite.create();
  });
  afterEach(async () => {
    await storage.drop();
  });

  const post = (server: AppProcess, token: string, url: string, body: object): Promise<Response> =>
    fetch(`${server.url}${url}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('a key store older than the log stops start-up instead of showing "[erased]"', async () => {
    const env = storage.env;
    const admin = await addAdmin(env);
    let server = await serve(env);
    expect(
      (await post(server, admin, '/api/v1/teams', { teamId: 'lac-1', name: 'LAC 1', service: 'Children’s social care' })).status,
    ).toBe(201);
    await server.kill('SIGTERM');
    const qa = await runCli(env, ['user:add', '--name', 'Quinn QA', '--role', 'qa-officer', '--team', 'lac-1']);
    const oldKeys = join(env.DATA_DIR, 'old-keys.sqlite');
    copyFileSync(join(env.DATA_DIR, 'subject-keys.sqlite'), oldKeys);

    server = await serve(env);
    const qaToken = (JSON.parse(qa.stdout) as { token: string }).token;
    const audit = await post(server, qaToken, '/api/v1/audits', { caseRef: 'C-1', teamId: 'lac-1', auditedOn: '2026-04-06' });
    expect(audit.status).toBe(201);
    const { auditId } = (await audit.json()) as { auditId: string };
    const graded = await post(server, qaToken, `/api/v1/audits/${auditId}/grades`, {
      domain: 'planning',
      grade: 'good',
      evidence: 'Kept in the log, keyed in the new key store',
    });
    expect(graded.status).toBe(200);
    await server.kill('SIGTERM');
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(env.DATA_DIR, `subject-keys.sqlite${suffix}`), { force: true });
    copyFileSync(oldKeys, join(env.DATA_DIR, 'subject-keys.sqlite'));
    rmSync(oldKeys);

    const refusal = await refusedStart(env);
    expect(refusal).toMatch(new RegExp(`does not hold key [0-9a-f-]+, which encrypts personal text in audit-${auditId}`));
    expect(refusal).toMatch(/no erasure of it is recorded/);
    const write = await runCli(env, ['user:add', '--name', 'Bo Later', '--role', 'inspector']);
    expect(write.code).toBe(1);
    expect(write.stderr).toMatch(/KEYS_MISSING/);
  });

  it('a key store older than an erasure has the erased key destroyed again at start-up', async () => {
    const env = storage.env;
    const admin = await addAdmin(env);
    let server = await serve(env);
    expect(
      (await post(server, admin, '/api/v1/teams', { teamId: 'lac-1', name: 'LAC 1', service: 'Children’s social care' })).status,
    ).toBe(201);
    const qa = await runCli(env, ['user:add', '--name', 'Quinn QA', '--role', 'qa-officer', '--team', 'lac-1']);
    const qaToken = (JSON.parse(qa.stdout) as { token: string }).token;
    const audit = await post(server, qaToken, '/api/v1/audits', { caseRef: 'C-GONE', teamId: 'lac-1', auditedOn: '2026-04-06' });
    const { auditId } = (await audit.json()) as { auditId: string };
    const text = 'Text the law says must go';
    expect(
      (await post(server, qaToken, `/api/v1/audits/${auditId}/grades`, { domain: 'planning', grade: 'good', evidence: text }))
        .status,
    ).toBe(200);
    await server.kill('SIGTERM');
    const oldKeys = join(env.DATA_DIR, 'old-keys.sqlite');
    copyFileSync(join(env.DATA_DIR, 'subject-keys.sqlite'), oldKeys);
    expect((await runCli(env, ['subject:erase', 'C-GONE', '--reason', 'Right to erasure request'])).code).toBe(0);
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(env.DATA_DIR, `subject-keys.sqlite${suffix}`), { force: true });
    copyFileSync(oldKeys, join(env.DATA_DIR, 'subject-keys.sqlite'));
    rmSync(oldKeys);

    server = await serve(env);
    expect(server.output.join('')).toMatch(/still held the key of C-GONE, whose erasure is recorded .* destroyed again/);
    const view = await fetch(`${server.url}/api/v1/audits/${auditId}`, { headers: { Authorization: `Bearer ${admin}` } });
    const body = await view.text();
    expect(body).not.toContain(text);
    expect(body).toContain('[erased]');
    await server.kill('SIGTERM');
    // The key itself is gone from the key store (the view alone would read "[erased]" from its rebuilt rows).
    const keys = new Database(join(env.DATA_DIR, 'subject-keys.sqlite'), { readonly: true });
    try {
      expect(keys.prepare("SELECT wrapped_key FROM subject_keys WHERE subject_ref = 'C-GONE'").get()).toEqual({
        wrapped_key: null,
      });
    } finally {
      keys.close();
    }
  });

  it('a damaged read database is moved aside and rebuilt at start-up', async () => {
    const env = storage.env;
    const admin = await addAdmin(env);
    let server = await serve(env);
    expect(
      (await post(server, admin, '/api/v1/teams', { teamId: 'north', name: 'North', service: 'Children’s social care' })).status,
    ).toBe(201);
    await server.kill('SIGTERM');
    for (const suffix of ['-wal', '-shm']) rmSync(join(env.DATA_DIR, `read-models.sqlite${suffix}`), { force: true });
    writeFileSync(join(env.DATA_DIR, 'read-models.sqlite'), Buffer.alloc(64 * 1024, 'not a database '));

    server = await serve(env);
    expect(await server.health()).toMatchObject({ status: 'ok' });
    const north = await fetch(`${server.url}/api/v1/teams/north`, { headers: { Authorization: `Bearer ${admin}` } });
    expect(north.status).toBe(200);
    expect(readdirSync(env.DATA_DIR).filter((f) => /^read-models\.corrupt-.*\.sqlite$/.test(f))).toHaveLength(1);
    expect(server.output.join('')).toMatch(/read database .* is damaged .* moved it to .* rebuilding every read model/);
    await server.kill('SIGTERM');
  });

  it('/health is 503 with the reason while a projection fails; rebuild and verify work meanwhile, and mend it', async () => {
    const t = await TestApp.start(storage.env);
    try {
      const admin = await t.userWithToken('admin');
      // A row the log does not hold: registering that team makes the teams projection fail for good.
      await sql(storage.env, 'read', [
        'INSERT INTO teams (teamId, name, service, status, registeredAt, registeredBy, revision, updatedAt) ' +
          "VALUES ('ghost', 'Ghost', 'Children’s social care', 'open', '2026-01-01T00:00:00.000Z', 'nobody', '0', '2026-01-01T00:00:00.000Z')",
      ]);
      await request(t.app.getHttpServer())
        .post('/api/v1/teams')
        .set('Authorization', `Bearer ${admin.token}`)
        .send({ teamId: 'ghost', name: 'Ghost', service: 'Children’s social care' })
        .expect(201);
      const health = await until(
        () => request(t.app.getHttpServer()).get('/health'),
        (r) => r.status !== 200,
      );
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({
        status: 'unavailable',
        problems: [expect.stringMatching(/^Projection teams is failing: .*UNIQUE/)],
      });

      expect((await runCli(storage.env, ['trail:verify'])).code).toBe(0);
      const rebuilt = await runCli(storage.env, ['projections:rebuild', 'teams']);
      expect({ code: rebuilt.code, stderr: rebuilt.stderr }).toEqual({ code: 0, stderr: '' });
      const mended = await until(
        () => request(t.app.getHttpServer()).get('/health'),
        (r) => r.status === 200,
      );
      expect(mended.body).toMatchObject({ status: 'ok', problems: [] });
    } finally {
      await t.close();
    }
  });

  it('/health is 503 when the disk holding DATA_DIR has less free space than HEALTH_MIN_FREE_DISK_MB', async () => {
    const t = await TestApp.start({ ...storage.env, HEALTH_MIN_FREE_DISK_MB: String(1024 * 1024 * 1024) });
    try {
      const health = await request(t.app.getHttpServer()).get('/health').expect(503);
      expect(health.body).toMatchObject({
        status: 'unavailable',
        disk: { status: 'low', freeMegabytes: expect.any(Number), minimumMegabytes: 1024 * 1024 * 1024 },
        problems: [expect.stringMatching(/^The disk holding DATA_DIR has \d+ MB free, less than the \d+ MB required/)],
      });
    } finally {
      await t.close();
    }
    const roomy = await TestApp.start({ ...storage.env, HEALTH_MIN_FREE_DISK_MB: '0' });
    try {
      await request(roomy.app.getHttpServer()).get('/health').expect(200);
    } finally {
      await roomy.close();
    }
  });
});
