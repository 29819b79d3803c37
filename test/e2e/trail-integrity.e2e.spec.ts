/**
 * Tampering as an attacker with access to the SQLite file would: open it directly, drop the
 * immutability triggers, edit rows. Verification must name the first broken place.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventHash, EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { newEvent, testMetadata } from '@casetrail/testing';
import { ExportService, type ExportRequest } from '../../src/trail/export.service';
import { IntegrityService, type VerificationReport } from '../../src/trail/integrity.service';
import { OFF_THREAD_FROM } from '../../src/trail/log-tree';
import { runCli } from '../support/cli-process';
import { PROFILES, TestApp } from '../support/test-app';

// Each test starts CLI processes through ts-node: on a loaded 2-core machine that alone can take a minute.
jest.setTimeout(180_000);

type User = { userId: string; token: string };
const sqlite = PROFILES.find((p) => p.name === 'sqlite')!;

describe('trail integrity on a tampered SQLite file', () => {
  let storage: Awaited<ReturnType<typeof sqlite.create>>;
  let t: TestApp;
  let inspector: User;
  const store = (): EventStore => t.app.get<EventStore>(EVENT_STORE);
  const get = (path: string) => t.http.get(path).set('Authorization', `Bearer ${inspector.token}`);
  const attacker = (): Database.Database => {
    const db = new Database(join(storage.env.DATA_DIR, 'events.sqlite'));
    db.exec('DROP TRIGGER IF EXISTS events_are_immutable_update; DROP TRIGGER IF EXISTS events_are_immutable_delete;');
    return db;
  };
  const rowOf = (db: Database.Database, streamId: string, revision: number) =>
    db.prepare('SELECT position, data, metadata FROM events WHERE stream_id = ? AND revision = ?').get(streamId, revision) as {
      position: number;
      data: string;
      metadata: string;
    };

  beforeEach(async () => {
    storage = await sqlite.create();
    t = await TestApp.start(storage.env);
    inspector = await t.userWithToken('inspector');
    // review-R1: revisions 0..3, interleaved with review-R2.
    for (let i = 0; i < 4; i++) {
      await store().appendToStream('review-R1', [newEvent('ReviewNoted', { teamId: 'north', note: `note ${i}` })]);
      await store().appendToStream('review-R2', [newEvent('ReviewNoted', { teamId: 'south', note: `other ${i}` })]);
    }
  });
  afterEach(async () => {
    await t.close();
    await storage.drop();
  });

  it('an untouched log verifies, over HTTP and from the command line', async () => {
    const report = await get('/api/v1/trail/verify').expect(200);
    expect(report.body).toMatchObject({ valid: true, checkedEvents: Number(await store().headPosition()) });
    expect(report.body.firstInvalid).toBeUndefined();
    const cli = await runCli(storage.env, ['trail:verify']);
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ valid: true, checkedEvents: report.body.checkedEvents });
  });

  it('changed data is named at its own position', async () => {
    const db = attacker();
    const target = rowOf(db, 'review-R1', 2);
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(
      JSON.stringify({ teamId: 'north', note: 'rewritten' }),
      target.position,
    );
    db.close();
    const report = await get('/api/v1/trail/verify').expect(200);
    expect(report.body).toMatchObject({
      valid: false,
      firstInvalid: {
        position: String(target.position),
        streamId: 'review-R1',
        revision: '2',
        problem: expect.stringMatching(/content was changed/),
      },
    });
    const cli = await runCli(storage.env, ['trail:verify']);
    expect(cli.code).toBe(1);
    expect(JSON.parse(cli.stdout).firstInvalid).toEqual(report.body.firstInvalid);
  });

  it('a deleted row is named at the next event of its stream', async () => {
    const db = attacker();
    db.prepare('DELETE FROM events WHERE position = ?').run(rowOf(db, 'review-R1', 1).position);
    const next = rowOf(db, 'review-R1', 2);
    db.close();
    const report = await get('/api/v1/trail/verify').expect(200);
    expect(report.body.firstInvalid).toEqual({
      position: String(next.position),
      streamId: 'review-R1',
      revision: '2',
      problem: expect.stringMatching(/missing/),
    });
  });

  it('swapped order is named where the order breaks', async () => {
    const db = attacker();
    const [a, b] = [rowOf(db, 'review-R1', 1).position, rowOf(db, 'review-R1', 2).position];
    db.transaction(() => {
      db.prepare('UPDATE events SET position = -1 WHERE position = ?').run(a);
      db.prepare('UPDATE events SET position = ? WHERE position = ?').run(a, b);
      db.prepare('UPDATE events SET position = ? WHERE position = -1').run(b);
    })();
    db.close();
    const report = await get('/api/v1/trail/verify').expect(200);
    expect(report.body.firstInvalid).toMatchObject({ position: String(a), streamId: 'review-R1', revision: '2' });
  });

  it('a signed checkpoint catches history rewritten with recomputed hashes, and a removed tail', async () => {
    const made = await runCli(storage.env, ['trail:checkpoint']);
    expect(made.code).toBe(0);
    const { checkpoint } = JSON.parse(made.stdout);
    expect(checkpoint).toMatchObject({
      size: Number(await store().headPosition()),
      rootHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect((await get('/api/v1/trail/checkpoint').expect(200)).body).toMatchObject({
      ...checkpoint,
      publicKey: expect.stringContaining('PUBLIC KEY'),
    });

    // The attacker rewrites the last event of review-R2 and recomputes its hash: the chain alone looks fine.
    const db = attacker();
    const last = rowOf(db, 'review-R2', 3);
    const metadata = JSON.parse(last.metadata);
    const data = { teamId: 'south', note: 'quietly changed' };
    const { hash: _old, ...rest } = metadata;
    const hash = eventHash({ streamId: 'review-R2', revision: 3n, type: 'ReviewNoted', schemaVersion: 1, data, metadata: rest });
    db.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = ?').run(
      JSON.stringify(data),
      JSON.stringify({ ...metadata, hash }),
      last.position,
    );
    const report = await get('/api/v1/trail/verify').expect(200);
    expect(report.body).toMatchObject({
      valid: false,
      checkpointsChecked: 1,
      firstInvalid: { problem: expect.stringMatching(/no longer match the checkpoint/) },
    });
    // A new checkpoint is refused: it would hide the rewrite.
    const refused = await runCli(storage.env, ['trail:checkpoint']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/HISTORY_CHANGED_SINCE_CHECKPOINT|no longer match/);

    // Removing the tail instead is caught too (the CLI's store put the triggers back: drop them again).
    db.exec('DROP TRIGGER IF EXISTS events_are_immutable_delete;');
    db.prepare('DELETE FROM events WHERE position = ?').run(last.position);
    db.close();
    const shorter = await get('/api/v1/trail/verify').expect(200);
    expect(shorter.body.firstInvalid).toMatchObject({ problem: expect.stringMatching(/events were removed/) });
  });

  it('reports the same when the Merkle tree is built on a worker thread (the path of a long log)', async () => {
    const integrity = t.app.get(IntegrityService);
    const bothWays = async (): Promise<Omit<VerificationReport, 'verifiedAt'>[]> => {
      const reports: Omit<VerificationReport, 'verifiedAt'>[] = [];
      for (const offThreadFrom of [Number.MAX_SAFE_INTEGER, 0]) {
        integrity.offThreadFrom = offThreadFrom;
        const { verifiedAt: _at, ...report } = await integrity.verify();
        reports.push(report);
      }
      integrity.offThreadFrom = OFF_THREAD_FROM;
      return reports;
    };
    await integrity.makeCheckpoint(inspector.userId);
    let [here, worker] = await bothWays();
    expect(here).toMatchObject({ valid: true, checkpointsChecked: 1 });
    expect(worker).toEqual(here);

    // A second checkpoint, then the last event of review-R2 rewritten with a recomputed hash: caught by the first checkpoint.
    await store().appendToStream('review-R1', [newEvent('ReviewNoted', { teamId: 'north', note: 'later' })]);
    await integrity.makeCheckpoint(inspector.userId);
    const db = attacker();
    const last = rowOf(db, 'review-R2', 3);
    const { hash: _old, ...rest } = JSON.parse(last.metadata);
    const data = { teamId: 'south', note: 'quietly changed' };
    const hash = eventHash({ streamId: 'review-R2', revision: 3n, type: 'ReviewNoted', schemaVersion: 1, data, metadata: rest });
    db.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = ?').run(
      JSON.stringify(data),
      JSON.stringify({ ...rest, hash }),
      last.position,
    );
    [here, worker] = await bothWays();
    expect(here).toMatchObject({
      valid: false,
      checkpointsChecked: 2,
      firstInvalid: { problem: expect.stringMatching(/no longer match/) },
    });
    expect(worker).toEqual(here);

    // A deleted row before the first checkpoint's last event: the chain problem comes first in log order.
    db.prepare('DELETE FROM events WHERE position = ?').run(rowOf(db, 'review-R1', 1).position);
    db.close();
    [here, worker] = await bothWays();
    expect(here.firstInvalid).toMatchObject({ streamId: 'review-R1', revision: '2', problem: expect.stringMatching(/missing/) });
    expect(worker).toEqual(here);
  });
});

describe.each(PROFILES.filter((p) => p.enabled))('checkpoints and verifiable exports ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let inspector: User;
  let dir: string;
  const store = (): EventStore => t.app.get<EventStore>(EVENT_STORE);
  const get = (path: string) => t.http.get(path).set('Authorization', `Bearer ${inspector.token}`);
  const append = (streamId: string, teamId: string, n: number) =>
    store().appendToStream(
      streamId,
      Array.from({ length: n }, (_, i) =>
        newEvent('ReviewNoted', { teamId, note: `"quoted", with commas\nand a newline ${i}` }, { metadata: testMetadata() }),
      ),
    );
  const exportTo = async (query: string, file: string): Promise<string> => {
    const response = await get(`/api/v1/trail/export${query}`)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });
    expect(response.status).toBe(200);
    const path = join(dir, file);
    writeFileSync(path, response.body as string);
    return path;
  };
  const verifyOffline = async (file: string, publicKey?: string) => {
    // No store configuration at all: DATA_DIR points at an empty directory.
    const args = ['trail:verify-export', file, ...(publicKey ? ['--public-key', publicKey] : [])];
    const result = await runCli({ DATA_DIR: join(dir, 'nothing-here') }, args);
    return { code: result.code, report: JSON.parse(result.stdout || '{}') };
  };

  beforeEach(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env);
    inspector = await t.userWithToken('inspector');
    dir = mkdtempSync(join(tmpdir(), 'casetrail-export-'));
    await append('review-N1', 'north', 3);
    await append('review-S1', 'south', 2);
  });
  afterEach(async () => {
    await t.close();
    await storage.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs checkpoints, and a consistency proof shows the log only grew', async () => {
    await get('/api/v1/trail/checkpoint').expect(404);
    const first = await runCli(storage.env, ['trail:checkpoint']);
    expect(first.code).toBe(0);
    const head1 = JSON.parse(first.stdout).checkpoint;
    await append('review-N1', 'north', 2);
    const second = JSON.parse((await runCli(storage.env, ['trail:checkpoint'])).stdout);
    expect(second.consistency).toMatchObject({
      fromSize: head1.size,
      toSize: head1.size + 2,
      consistent: true,
      fromRoot: head1.rootHash,
    });
    const latest = await get('/api/v1/trail/checkpoint').expect(200);
    expect(latest.body).toMatchObject({ size: head1.size + 2, signature: expect.any(String), keyId: head1.keyId });
    const proof = await get(`/api/v1/trail/checkpoint/consistency?from=${head1.size}`).expect(200);
    expect(proof.body).toMatchObject({
      fromSize: head1.size,
      toSize: head1.size + 2,
      consistent: true,
      proof: expect.any(Array),
    });
    await get(`/api/v1/trail/checkpoint/consistency?from=${head1.size + 50}`).expect(422);
    const verified = await get('/api/v1/trail/verify').expect(200);
    expect(verified.body).toMatchObject({ valid: true, checkpointsChecked: 2 });
  });

  it.each(['ndjson', 'csv'])('an untouched %s export passes offline verification; a tampered one fails', async (format) => {
    const publicKey = (await runCli(storage.env, ['trail:checkpoint']).then(() => get('/api/v1/trail/checkpoint'))).body
      .publicKey as string;
    const keyFile = join(dir, 'casetrail.pub.pem');
    writeFileSync(keyFile, publicKey);
    const file = await exportTo(`?format=${format}`, `all.${format}`);
    const ok = await verifyOffline(file, keyFile);
    expect(ok.report).toMatchObject({
      valid: true,
      keyPinned: true,
      format,
      checkedEvents: Number(await store().headPosition()),
    });
    expect(ok.report.manifest).toMatchObject({ complete: true, count: ok.report.checkedEvents });
    expect(ok.code).toBe(0);

    const lines = readFileSync(file, 'utf8').split('\n');
    const eventLine = lines.findIndex((l) => l.includes('review-N1') && l.includes('newline 1'));
    const tampered = join(dir, `tampered.${format}`);
    writeFileSync(tampered, lines.map((l, i) => (i === eventLine ? l.replace('newline 1', 'newline 9') : l)).join('\n'));
    const bad = await verifyOffline(tampered, keyFile);
    expect(bad.code).toBe(1);
    expect(bad.report).toMatchObject({
      valid: false,
      firstInvalid: { line: eventLine + 1, streamId: 'review-N1', revision: '1', problem: expect.stringMatching(/changed/) },
    });

    const dropped = join(dir, `dropped.${format}`);
    writeFileSync(dropped, lines.filter((_, i) => i !== eventLine).join('\n'));
    expect((await verifyOffline(dropped, keyFile)).report.valid).toBe(false);

    const cut = join(dir, `cut.${format}`);
    writeFileSync(cut, lines.slice(0, -2).join('\n'));
    expect((await verifyOffline(cut, keyFile)).report).toMatchObject({
      valid: false,
      firstInvalid: { problem: expect.stringMatching(/no manifest/) },
    });
  });

  it('exports the same lines and roots when the Merkle trees are built on a worker thread (the path of a long log)', async () => {
    const exporter = t.app.get(ExportService);
    const exportOf = async (request: ExportRequest, offThreadFrom: number): Promise<{ lines: string[]; manifest: unknown }> => {
      exporter.offThreadFrom = offThreadFrom;
      const chunks: Buffer[] = [];
      for await (const chunk of exporter.chunks(request)) chunks.push(chunk);
      exporter.offThreadFrom = OFF_THREAD_FROM;
      const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n');
      const { manifest } = JSON.parse(lines.pop()!);
      const { exportedAt: _e, signature: _s, treeHead, ...rest } = manifest;
      return { lines, manifest: { ...rest, treeHead: { ...treeHead, signedAt: null, signature: null } } };
    };
    for (const request of [{ format: 'ndjson' }, { format: 'ndjson', teamId: 'north' }] as ExportRequest[]) {
      const here = await exportOf(request, Number.MAX_SAFE_INTEGER);
      const worker = await exportOf(request, 0);
      expect(here.lines.length).toBe(request.teamId ? 3 : Number(await store().headPosition()));
      expect(worker).toEqual(here);
    }
  });

  it('a filtered export verifies; re-signing with another key fails against the pinned key', async () => {
    const file = await exportTo('?teamId=north', 'north.ndjson');
    const ok = await verifyOffline(file);
    expect(ok.report).toMatchObject({
      valid: true,
      keyPinned: false,
      checkedEvents: 3,
      manifest: { complete: false, filters: { teamId: 'north' } },
    });
    const { generateKeyPairSync } = await import('node:crypto');
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const wrongKey = await verifyOffline(file, other);
    expect(wrongKey.report).toMatchObject({
      valid: false,
      firstInvalid: { problem: expect.stringMatching(/signature is not valid/) },
    });
  });
});
