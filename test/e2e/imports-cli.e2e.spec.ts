/** `import:audits` from the command line, while the server runs: the same import as over HTTP. */
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli-process';
import { auditCsv, auditRows, auditXlsx } from '../support/import-fixtures';
import { PROFILES, TestApp } from '../support/test-app';

describe.each(PROFILES.filter((p) => p.enabled))('import:audits on the command line ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let dir: string;
  let admin: { userId: string; token: string };
  const head = (): Promise<bigint> => t.app.get<EventStore>(EVENT_STORE).headPosition();
  const json = (stdout: string) => JSON.parse(stdout.trim()) as Record<string, unknown>;

  beforeAll(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env);
    dir = mkdtempSync(join(tmpdir(), 'casetrail-import-cli-'));
    admin = await t.userWithToken('admin');
    await t.userWithToken('qa-officer', [], 'Quinn Auditor'); // the files' Auditor column names her
    for (const teamId of ['cin-north', 'cp-east']) {
      await t.http
        .post('/api/v1/teams')
        .set('Authorization', `Bearer ${admin.token}`)
        .send({ teamId, name: `Team ${teamId}`, service: 'Children in need' })
        .expect(201);
    }
  });
  afterAll(async () => {
    await t.close();
    await storage.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a file with one bad row imports nothing and prints that row and column; exit code 1', async () => {
    const rows = auditRows(16);
    rows[4][7] = 'Gud';
    const file = join(dir, 'bad.csv');
    writeFileSync(file, auditCsv(rows));
    const before = await head();
    const result = await runCli(storage.env, ['import:audits', file]);
    expect(result.code).toBe(1);
    expect(json(result.stdout)).toMatchObject({
      rows: 16,
      imported: 0,
      skipped: 16,
      errors: [
        {
          row: 6,
          column: 'Overall grade',
          message: "'Gud' is not a grade; use Outstanding, Good, Requires improvement or Inadequate",
        },
      ],
    });
    expect(Object.keys(json(result.stdout)).slice(0, 4)).toEqual(['rows', 'imported', 'skipped', 'errors']);
    expect(await head()).toBe(before);
  });

  it('a dry run appends nothing; the import then records 16 audits; the same file again appends nothing', async () => {
    const file = join(dir, 'audits.xlsx');
    writeFileSync(file, await auditXlsx(auditRows(16)));
    const before = await head();
    const dry = await runCli(storage.env, ['import:audits', file, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(json(dry.stdout)).toMatchObject({ rows: 16, imported: 0, valid: 16, dryRun: true, errors: [] });
    expect(await head()).toBe(before);

    const done = await runCli(storage.env, ['import:audits', file]);
    expect({ code: done.code, stderr: done.stderr }).toEqual({ code: 0, stderr: '' });
    expect(json(done.stdout)).toMatchObject({ rows: 16, imported: 16, skipped: 0, errors: [] });
    const after = await head();
    expect(after).toBeGreaterThan(before);

    const again = await runCli(storage.env, ['import:audits', file]);
    expect(json(again.stdout)).toMatchObject({ rows: 16, imported: 0, skipped: 16, alreadyRecorded: 16, errors: [] });
    expect(await head()).toBe(after);
  });

  it('--skip-invalid imports the good rows', async () => {
    const rows = auditRows(3, Date.UTC(2021, 0, 4));
    rows[1][1] = 'no-such-team';
    const file = join(dir, 'some-bad.csv');
    writeFileSync(file, auditCsv(rows));
    const result = await runCli(storage.env, ['import:audits', file, '--skip-invalid']);
    expect(result.code).toBe(0);
    expect(json(result.stdout)).toMatchObject({ rows: 3, imported: 2, skipped: 1, errors: [{ row: 3, column: 'Team' }] });
  });
});
