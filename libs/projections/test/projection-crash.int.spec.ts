/**
 * "After a crash nothing is applied twice or skipped", with a real crash: a child process
 * projecting the log is killed with SIGKILL part-way through; resuming from its checkpoint
 * must give exactly the rows of a clean rebuild.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { SqliteEventStore } from '@casetrail/event-store';
import { ProjectionCheckpoint, ProjectionRunner } from '@casetrail/projections';
import { newEvent, BUILT_ENV, ROOT, builtNodeArgs } from '@casetrail/testing';
import { Counter, counterProjection } from './counter-projection';

describe('projection runner after SIGKILL', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ct-crash-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const openReadDb = (file: string): Promise<DataSource> =>
    new DataSource({ type: 'better-sqlite3', database: file, entities: [Counter, ProjectionCheckpoint] }).initialize();

  it('a process killed mid-projection resumes from its checkpoint with no event applied twice or skipped', async () => {
    const eventsFile = join(dir, 'events.sqlite');
    const readFile = join(dir, 'read.sqlite');
    const store = new SqliteEventStore({ file: eventsFile });
    for (let stream = 0; stream < 10; stream++) {
      await store.appendToStream(
        `counter-${stream}`,
        Array.from({ length: 40 }, (_, i) => newEvent('Added', { amount: i + 1 })),
      );
    }

    const child = spawn(process.execPath, builtNodeArgs(join(__dirname, 'project-in-child.ts')), {
      cwd: ROOT,
      env: { ...process.env, ...BUILT_ENV, EVENTS_FILE: eventsFile, READ_FILE: readFile },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve()),
    );
    // Let it commit some batches, then pull the plug.
    const probe = await openReadDb(readFile);
    for (;;) {
      const checkpoint = await probe.getRepository(ProjectionCheckpoint).findOneBy({ name: 'counters' });
      if (checkpoint && BigInt(checkpoint.position) > 60n) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const at = await probe.getRepository(ProjectionCheckpoint).findOneByOrFail({ name: 'counters' });
    expect(BigInt(at.position)).toBeLessThan(400n); // really killed part-way
    await probe.destroy();

    const resumedDb = await openReadDb(readFile);
    const resumed = new ProjectionRunner(store, resumedDb, [counterProjection()]);
    await resumed.prepare();
    await resumed.catchUp();

    const cleanDb = await openReadDb(join(dir, 'clean.sqlite'));
    const clean = new ProjectionRunner(store, cleanDb, [counterProjection()]);
    await clean.prepare();
    await clean.catchUp();

    const rows = (db: DataSource) => db.getRepository(Counter).find({ order: { id: 'ASC' } });
    const expected = await rows(cleanDb);
    expect(expected.map((r) => r.total)).toEqual(Array(10).fill(820)); // 1 + 2 + ... + 40
    expect(await rows(resumedDb)).toEqual(expected);
    await resumedDb.destroy();
    await cleanDb.destroy();
    await store.close();
  });
});
