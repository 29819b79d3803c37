/**
 * Backup while the server serves six concurrent writers, restore into a new folder, start a
 * server on the copy: it verifies, rebuilds equal, and serves exactly what the copied log
 * holds (every team in it answers 200, every team acknowledged after the copy answers 404).
 * Issue 17, item 1.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BUILT_ENV, ROOT, builtNodeArgs } from '@casetrail/testing';
import { AppProcess } from '../support/app-process';
import { runCli } from '../support/cli-process';

jest.setTimeout(600_000);

const WRITERS = 6;

const teamsInLog = (dataDir: string): Set<string> => {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    const rows = db.prepare("SELECT stream_id FROM events WHERE type = 'TeamRegistered'").all() as { stream_id: string }[];
    return new Set(rows.map((r) => r.stream_id.replace(/^team-/, '')));
  } finally {
    db.close();
  }
};

describe('backup and restore of the embedded store (sqlite)', () => {
  const folders: string[] = [];
  const folder = (prefix: string): string => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    folders.push(dir);
    return dir;
  };
  const servers: AppProcess[] = [];
  afterAll(async () => {
    for (const s of servers) await s.kill();
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  it('a backup taken under six writers restores to a store that verifies, rebuilds equal and serves exactly what its log holds', async () => {
    // The writers go as fast as the server lets them: the per-minute rate limit is not what is tested here.
    const env = { DATA_DIR: folder('casetrail-live-'), RATE_LIMIT_PER_MINUTE: '1000000' };
    const server = await AppProcess.start(env);
    servers.push(server);
    const added = await runCli(env, ['user:add', '--name', 'Ada Admin', '--role', 'admin']);
    expect(added.code).toBe(0);
    const { token } = JSON.parse(added.stdout) as { token: string };
    const acknowledged = new Set<string>();
    let stop = false;
    const writer = async (w: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const teamId = `w${w}-${i}`;
        const response = await fetch(`${server.url}/api/v1/teams`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ teamId, name: `Team ${teamId}`, service: 'Children’s social care' }),
        });
        if (response.status === 201) acknowledged.add(teamId);
        else throw new Error(`POST /api/v1/teams answered ${response.status}: ${await response.text()}`);
      }
    };
    let failed: unknown = null;
    const writing = Array.from({ length: WRITERS }, (_, w) =>
      writer(w).catch((error: unknown) => {
        failed = error;
        stop = true;
      }),
    );
    // Waits for more acknowledged writes, failing at once (not at the test's time-out) when a writer failed.
    const untilAcknowledged = async (count: number): Promise<void> => {
      while (acknowledged.size < count) {
        if (failed) throw failed;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await untilAcknowledged(60);

    const backupDir = join(folder('casetrail-backup-'), 'copy');
    const beforeBackup = new Set(acknowledged);
    const made = await runCli(env, ['backup', backupDir]);
    const atBackup = acknowledged.size;
    expect({ code: made.code, stderr: made.stderr }).toEqual({ code: 0, stderr: '' });
    await untilAcknowledged(atBackup + 60);
    stop = true;
    await Promise.all(writing);
    expect(failed).toBeNull();

    const manifest = JSON.parse(made.stdout) as {
      headPosition: string;
      events: number;
      readModels: boolean;
      files: { name: string; sha256: string }[];
    };
    expect(manifest).toMatchObject({ readModels: true, headPosition: expect.stringMatching(/^\d+$/) });
    expect(manifest.files.map((f) => f.name)).toEqual(
      expect.arrayContaining(['read-models.sqlite', 'trail.sqlite', 'events.sqlite', 'subject-keys.sqlite']),
    );
    expect(JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8'))).toEqual(manifest);

    // Restore refuses to run under the live server, and over a folder that holds a store.
    const underServer = await runCli(env, ['restore', backupDir, '--force']);
    expect(underServer.code).toBe(1);
    expect(underServer.stderr).toMatch(/server is running/);
    await server.kill('SIGTERM');
    const overStore = await runCli(env, ['restore', backupDir]);
    expect(overStore.code).toBe(1);
    expect(overStore.stderr).toMatch(/already holds a store.*--force/);

    const restored = { DATA_DIR: folder('casetrail-restored-'), RATE_LIMIT_PER_MINUTE: '1000000' };
    const put = await runCli(restored, ['restore', backupDir]);
    expect({ code: put.code, stderr: put.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(put.stdout)).toMatchObject({ headPosition: manifest.headPosition, events: manifest.events });

    const verified = await runCli(restored, ['trail:verify']);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({
      valid: true,
      checkedEvents: manifest.events,
      headPosition: manifest.headPosition,
    });

    const copy = await AppProcess.start(restored);
    servers.push(copy);
    expect(await copy.health()).toMatchObject({ status: 'ok' });
    const inLog = teamsInLog(restored.DATA_DIR);
    // The copy holds what was acknowledged before the backup began, and nothing never acknowledged.
    expect([...inLog].every((id) => acknowledged.has(id))).toBe(true);
    expect([...beforeBackup].filter((id) => !inLog.has(id))).toEqual([]);
    expect(inLog.size).toBeLessThan(acknowledged.size);
    const get = (url: string) => fetch(`${copy.url}${url}`, { headers: { Authorization: `Bearer ${token}` } });
    const answers = new Map<string, number>();
    for (const id of acknowledged) answers.set(id, (await get(`/api/v1/teams/${id}`)).status);
    const wrong = [...acknowledged].filter((id) => answers.get(id) !== (inLog.has(id) ? 200 : 404));
    expect(wrong).toEqual([]);

    // A rebuild from the restored log gives the same views.
    const before = (await (await get('/api/v1/teams')).json()) as unknown;
    const rebuilt = await runCli(restored, ['projections:rebuild']);
    expect(rebuilt.code).toBe(0);
    expect((await (await get('/api/v1/teams')).json()) as unknown).toEqual(before);

    // New writes on the restored copy are served (its projections follow its own log).
    const more = await fetch(`${copy.url}/api/v1/teams`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ teamId: 'after-restore', name: 'After restore', service: 'Children’s social care' }),
    });
    expect(more.status).toBe(201);
    const { position } = (await more.json()) as { position: string };
    expect((await get(`/api/v1/teams/after-restore?consistentWith=${position}`)).status).toBe(200);
  });

  it('on PostgreSQL, backup and restore refuse and point to pg_dump', async () => {
    const env = {
      DATA_DIR: folder('casetrail-pg-'),
      EVENT_STORE: 'postgres',
      EVENT_STORE_URL: 'postgres://nobody@127.0.0.1:1/none',
    };
    for (const command of ['backup', 'restore']) {
      const refused = await runCli(env, [command, join(folder('casetrail-backup-'), 'copy')]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/pg_dump and pg_restore .* docs\/operations.md/);
    }
  });

  it('backup shows a progress bar on a terminal, and none when stderr is not one', async () => {
    const env = { DATA_DIR: folder('casetrail-tty-') };
    expect((await runCli(env, ['user:add', '--name', 'Ada Admin', '--role', 'admin'])).code).toBe(0);
    const quiet = await runCli(env, ['backup', join(folder('casetrail-backup-'), 'copy')]);
    expect({ code: quiet.code, stderr: quiet.stderr }).toEqual({ code: 0, stderr: '' });
    // script(1) runs the command on a pseudo-terminal.
    const command = [
      process.execPath,
      ...builtNodeArgs(join(ROOT, 'src', 'cli.ts')),
      'backup',
      join(folder('casetrail-backup-'), 'copy'),
    ]
      .map((a) => `'${a}'`)
      .join(' ');
    const { stdout } = await promisify(execFile)('script', ['-qec', command, '/dev/null'], {
      cwd: ROOT,
      env: { ...process.env, ...BUILT_ENV, LOG_LEVEL: 'error', ...env },
    });
    expect(stdout).toMatch(/Backing up \[.*\] 100% \| \d+\/\d+ KB/);
    expect(stdout).toMatch(/"headPosition":"\d+"/);
  });

  it('restore checks the manifest first: a changed file is refused and nothing is copied', async () => {
    const env = { DATA_DIR: folder('casetrail-small-') };
    expect((await runCli(env, ['user:add', '--name', 'Ada Admin', '--role', 'admin'])).code).toBe(0);
    const backupDir = join(folder('casetrail-backup-'), 'copy');
    const made = await runCli(env, ['backup', backupDir, '--without-read-models']);
    expect(made.code).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ readModels: false });
    expect(existsSync(join(backupDir, 'read-models.sqlite'))).toBe(false);
    const file = join(backupDir, 'subject-keys.sqlite');
    writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from('x')]));
    const target = { DATA_DIR: folder('casetrail-target-') };
    const refused = await runCli(target, ['restore', backupDir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/subject-keys.sqlite has changed/);
    expect(readdirSync(target.DATA_DIR).filter((f) => f.endsWith('.sqlite'))).toEqual([]);
  });

  it('with --force, restore moves the store it replaces aside, and the copy starts', async () => {
    const env = { DATA_DIR: folder('casetrail-force-') };
    const added = await runCli(env, ['user:add', '--name', 'Ada Admin', '--role', 'admin']);
    const backupDir = join(folder('casetrail-backup-'), 'copy');
    expect((await runCli(env, ['backup', backupDir])).code).toBe(0);
    expect((await runCli(env, ['user:add', '--name', 'Later User', '--role', 'inspector'])).code).toBe(0);
    const put = await runCli(env, ['restore', backupDir, '--force']);
    expect(put.code).toBe(0);
    const { movedAside } = JSON.parse(put.stdout) as { movedAside: string };
    expect(readdirSync(movedAside)).toEqual(expect.arrayContaining(['events.sqlite', 'subject-keys.sqlite']));
    const server = await AppProcess.start(env);
    servers.push(server);
    const me = await fetch(`${server.url}/api/v1/users/me`, {
      headers: { Authorization: `Bearer ${(JSON.parse(added.stdout) as { token: string }).token}` },
    });
    expect(me.status).toBe(200);
    await server.kill('SIGTERM');
  });
});
