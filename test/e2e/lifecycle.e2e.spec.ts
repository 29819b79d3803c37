/**
 * The "done when" of the core: the CLI works while the server runs, a restart keeps
 * everything, and read models deleted from disk are rebuilt to the same content.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/app-config';
import { runCli } from '../support/cli-process';
import { PROFILES, TestApp } from '../support/test-app';

// Each test starts CLI processes through ts-node: on a loaded 2-core machine that alone can take a minute.
jest.setTimeout(180_000);

const sqlite = PROFILES.find((p) => p.name === 'sqlite')!;

describe('server and CLI on the embedded store', () => {
  let storage: Awaited<ReturnType<typeof sqlite.create>>;
  beforeEach(async () => {
    storage = await sqlite.create();
  });
  afterEach(() => storage.drop());

  it('the CLI creates an admin while the server runs, and the token works at once', async () => {
    const t = await TestApp.start(storage.env);
    try {
      const cli = await runCli(storage.env, ['user:add', '--name', 'Ada Admin', '--role', 'admin']);
      expect(cli).toMatchObject({ code: 0 });
      const lines = cli.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      const { userId, token } = JSON.parse(lines[0]) as { userId: string; token: string };
      await t.http
        .post('/api/v1/teams')
        .set('Authorization', `Bearer ${token}`)
        .send({ teamId: 'mash', name: 'MASH', service: 'Front door' })
        .expect(201);
      const me = await t.http.get('/api/v1/users/me').set('Authorization', `Bearer ${token}`).expect(200);
      expect(me.body).toMatchObject({ userId, role: 'admin' });

      const extra = await runCli(storage.env, ['user:token', '--user', userId, '--label', 'second']);
      const second = JSON.parse(extra.stdout) as { tokenId: string; token: string };
      await t.http.get('/api/v1/teams').set('Authorization', `Bearer ${second.token}`).expect(200);
      const revoked = await runCli(storage.env, [
        'user:revoke',
        '--user',
        userId,
        '--token-id',
        second.tokenId,
        '--reason',
        'test',
      ]);
      expect(JSON.parse(revoked.stdout)).toMatchObject({ revoked: true });
      await t.http.get('/api/v1/teams').set('Authorization', `Bearer ${second.token}`).expect(401);
    } finally {
      await t.close();
    }
  });

  it('the CLI rejects bad input with a JSON error on stderr and records nothing', async () => {
    const bad = await runCli(storage.env, ['user:add', '--name', 'X', '--role', 'wizard', '--team', 'Not Valid']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(JSON.parse(bad.stderr.trim().split('\n').at(-1)!)).toMatchObject({ statusCode: 400, details: expect.any(Array) });
    const unknownTeam = await runCli(storage.env, ['user:add', '--name', 'X', '--role', 'iro', '--team', 'nowhere']);
    expect(JSON.parse(unknownTeam.stderr.trim().split('\n').at(-1)!)).toMatchObject({ statusCode: 422 });
    const status = await runCli(storage.env, ['projections:status']);
    expect(JSON.parse(status.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'users', position: '0' })]),
    );
    const usage = await runCli(storage.env, ['frobnicate']);
    expect(usage.code).toBe(2);
  });

  it('a restart keeps everything, and deleted read models are rebuilt to the same content', async () => {
    let t = await TestApp.start(storage.env);
    const admin = await t.userWithToken('admin');
    const auth = { Authorization: `Bearer ${admin.token}` };
    for (const id of ['cin-a', 'cin-b', 'cin-c']) {
      await t.http
        .post('/api/v1/teams')
        .set(auth)
        .send({ teamId: id, name: `Team ${id}`, service: 'CIN' })
        .expect(201);
    }
    await t.http.patch('/api/v1/teams/cin-b').set(auth).send({ name: 'Renamed' }).expect(200);
    await t.http.post('/api/v1/teams/cin-c/close').set(auth).send({ reason: 'Merged', closedOn: '2026-02-01' }).expect(200);
    const snapshot = async () => ({
      teams: (await t.http.get('/api/v1/teams?includeClosed=true').set(auth).expect(200)).body,
      users: (await t.http.get('/api/v1/users').set(auth).expect(200)).body,
    });
    const before = await snapshot();
    await t.close();

    t = await TestApp.start(storage.env);
    expect(await snapshot()).toEqual(before);
    await t.close();

    const dataDir = loadConfig(storage.env).dataDir;
    for (const file of ['read-models.sqlite', 'read-models.sqlite-wal', 'read-models.sqlite-shm'])
      rmSync(join(dataDir, file), { force: true });
    t = await TestApp.start(storage.env);
    try {
      const { position } = JSON.parse((await runCli(storage.env, ['projections:status'])).stdout)[0] as { position: string };
      expect(BigInt(position)).toBeGreaterThan(0n);
      expect(await snapshot()).toEqual(before);
    } finally {
      await t.close();
    }
  });

  it('projections:rebuild replays the log to the same content while the server runs', async () => {
    const t = await TestApp.start(storage.env);
    try {
      const admin = await t.userWithToken('admin');
      const auth = { Authorization: `Bearer ${admin.token}` };
      await t.http.post('/api/v1/teams').set(auth).send({ teamId: 'sgo', name: 'SGO', service: 'Permanence' }).expect(201);
      const before = (await t.http.get('/api/v1/teams').set(auth).expect(200)).body;
      const rebuilt = await runCli(storage.env, ['projections:rebuild', 'teams']);
      expect(JSON.parse(rebuilt.stdout)).toMatchObject({ rebuilt: ['teams v1'] });
      expect((await t.http.get('/api/v1/teams').set(auth).expect(200)).body).toEqual(before);
      const unknown = await runCli(storage.env, ['projections:rebuild', 'nope']);
      expect(unknown.code).toBe(1);
    } finally {
      await t.close();
    }
  });
});
