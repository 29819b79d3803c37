/**
 * Verification over the stored bytes (readStoredPages, storedRowMatches): sealing stores data as
 * canonical JSON, so a row is hashed as it is stored; rows stored in the older form still verify
 * by canonicalising; a changed row is caught at its own row.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  canonicalJson,
  eventHash,
  sealedMetadata,
  SqliteEventStore,
  storedRowMatches,
  storedTextMatches,
  type EventMetadata,
  type StoredEventRow,
} from '@casetrail/event-store';
import { collect, newEvent } from '@casetrail/testing';

describe('hashing the stored log', () => {
  let dir: string;
  let file: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stored-hashing-'));
    file = join(dir, 'events.sqlite');
    store = new SqliteEventStore({ file });
    for (let i = 0; i < 30; i++) {
      // Keys deliberately out of order, nested, with text that needs escaping.
      await store.appendToStream(`audit-${i % 4}`, [
        newEvent('DomainGraded', { zeta: i, alpha: { y: [1, 'two', null], b: 'quote " and \u00e9' }, grade: 'good' }),
      ]);
    }
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const raw = (): Database.Database => {
    const db = new Database(file);
    db.exec('DROP TRIGGER IF EXISTS events_are_immutable_update');
    return db;
  };
  const pages = (): Promise<StoredEventRow[][]> => collect(store.readStoredPages!({ pageSize: 7 }));
  /** Per stored row in position order: 1 when its content matches its hash (storedRowMatches), else 0. */
  const verdicts = async (): Promise<number[]> =>
    (await pages()).flat().map((row) => (storedRowMatches(row, row.metadata).matches ? 1 : 0));

  it('an append stores its data as canonical JSON: the bytes the hash covers', () => {
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT data FROM events ORDER BY position').all() as { data: string }[];
    db.close();
    for (const { data } of rows) expect(data).toBe(canonicalJson(JSON.parse(data)));
    expect(rows[0].data.startsWith('{"alpha":{"b":')).toBe(true);
  });

  it('an untouched log, read in raw pages, matches row by row, each with the hash its metadata holds', async () => {
    const read = await pages();
    expect(read.map((p) => p.length)).toEqual([7, 7, 7, 7, 2]);
    const rows = read.flat();
    expect(rows.map((r) => r.position)).toEqual(Array.from({ length: 30 }, (_, i) => BigInt(i + 1)));
    for (const row of rows) {
      expect(storedRowMatches(row, row.metadata)).toEqual({
        matches: true,
        hash: (JSON.parse(row.metadata) as EventMetadata).hash,
      });
    }
  });

  it('a changed byte of data is caught at its own row, and only there', async () => {
    const db = raw();
    db.prepare(`UPDATE events SET data = replace(data, '"grade":"good"', '"grade":"poor"') WHERE position = 12`).run();
    db.close();
    const expected = Array(30).fill(1);
    expected[11] = 0;
    expect(await verdicts()).toEqual(expected);
  });

  it('a row stored in the older form (keys in insertion order, not canonical) still matches, and is still caught when changed', async () => {
    const db = raw();
    const row = db.prepare('SELECT * FROM events WHERE position = 5').get() as { data: string };
    const reordered = JSON.stringify({ zeta: 4, ...(JSON.parse(row.data) as object) });
    expect(reordered).not.toBe(row.data);
    db.prepare('UPDATE events SET data = ? WHERE position = 5').run(reordered);
    db.close();
    expect(await verdicts()).toEqual(Array(30).fill(1));

    const again = raw();
    again.prepare('UPDATE events SET data = ? WHERE position = 5').run(reordered.replace('"zeta":4', '"zeta":5'));
    again.close();
    expect((await verdicts())[4]).toBe(0);
  });

  it('a row stored in the older metadata form (fields in insertion order) still matches, and is caught when changed', async () => {
    const db = raw();
    const row = db.prepare('SELECT metadata FROM events WHERE position = 7').get() as { metadata: string };
    const parsed = JSON.parse(row.metadata) as EventMetadata;
    const { hash, ...rest } = parsed;
    const older = JSON.stringify({ ...rest, hash }); // how appends wrote it before: hash last
    expect(older).not.toBe(row.metadata);
    db.prepare('UPDATE events SET metadata = ? WHERE position = 7').run(older);
    db.prepare('UPDATE events SET metadata = ? WHERE position = 8').run(
      JSON.stringify({ ...(JSON.parse(row.metadata) as object), actorId: 'someone-else' }),
    );
    db.close();
    const found = await verdicts();
    expect(found[6]).toBe(1);
    expect(found[7]).toBe(0);
  });

  it('bytes moved between data and metadata, metadata without its hash, or data that is not JSON, do not match', () => {
    const event = { streamId: 's', revision: 0n, type: 'T', schemaVersion: 1 };
    const metadata = { actorId: 'a', prevHash: null, recordedAt: '2026-01-01T00:00:00.000Z' };
    const data = { metadata: { x: 1 }, v: 1 };
    const hash = eventHash({ ...event, data, metadata: metadata as never });
    const stored = { ...event, data: canonicalJson(data)! };
    const text = JSON.stringify({ ...metadata, hash });
    expect(storedTextMatches(stored, text)).toEqual({ matches: true, hash });
    expect(storedTextMatches({ ...stored, data: '{"metadata":{"x":1}' }, text).matches).toBe(false);
    expect(storedTextMatches({ ...stored, data: 'not json' }, text).matches).toBe(false);
    expect(storedTextMatches(stored, JSON.stringify(metadata)).matches).toBe(false);
    expect(storedTextMatches(stored, 'not json').matches).toBe(false);
  });

  it('an append stores its metadata as canonical JSON with the hash in its sorted place', async () => {
    const [event] = await collect(store.readAll({ maxCount: 1, upcast: false }));
    const db = new Database(file, { readonly: true });
    const { metadata } = db.prepare('SELECT metadata FROM events WHERE position = 1').get() as { metadata: string };
    db.close();
    expect(metadata).toBe(canonicalJson(event.metadata));
  });

  it('the one-call row check gives the same answer as storedTextMatches for sealed, older, changed and broken rows', () => {
    const db = raw();
    const rows = db
      .prepare(
        'SELECT stream_id AS streamId, revision, type, schema_version AS schemaVersion, data, metadata FROM events ORDER BY position',
      )
      .all() as {
      streamId: string;
      revision: number;
      type: string;
      schemaVersion: number;
      data: string;
      metadata: string;
    }[];
    db.close();
    const variants = rows.flatMap((row) => {
      const parsed = JSON.parse(row.metadata) as EventMetadata;
      const { hash, ...rest } = parsed;
      return [
        row,
        { ...row, data: row.data.replace('"grade":"good"', '"grade":"poor"') },
        { ...row, data: JSON.stringify({ zeta: 0, ...(JSON.parse(row.data) as object) }) },
        { ...row, metadata: JSON.stringify({ ...rest, hash }) },
        { ...row, metadata: row.metadata.replace(',"hash":"', ',"hash":"0') },
        { ...row, metadata: JSON.stringify(rest) },
        { ...row, revision: row.revision + 1 },
        { ...row, metadata: 'not json' },
      ];
    });
    for (const row of variants) expect(storedRowMatches(row, row.metadata)).toEqual(storedTextMatches(row, row.metadata));
    expect(variants.filter((row) => storedRowMatches(row, row.metadata).matches)).toHaveLength(rows.length * 3);
  });

  it('sealed metadata is read without parsing exactly as JSON.parse reads it, and any other text is left to JSON.parse', () => {
    const db = new Database(file, { readonly: true });
    const texts = (db.prepare('SELECT metadata FROM events ORDER BY position').all() as { metadata: string }[]).map(
      (r) => r.metadata,
    );
    db.close();
    for (const text of texts) expect(sealedMetadata(text)).toEqual(JSON.parse(text));
    const sealed = texts[5];
    const other = [
      sealed.replace('"actorRole":"', '"actorRole":"a \\"quote\\" '), // an escape: JSON.parse must unescape it
      sealed.replace('"actorRole":"', '"actorRole":"caf\\u00e9 '),
      sealed.replace('"actorRole":"', '"actorRole":"\ud800'), // a lone surrogate, which JSON.stringify would escape
      sealed.replace('"actorRole":"', '"actorRole":"tab\t'), // a raw control character: not JSON
      sealed.replace('{"actorId"', '{ "actorId"'),
      sealed.replace('"recordedAt"', '"reason":"x","recordedAt"'),
      sealed.replace(/"prevHash":("[0-9a-f]{64}"|null)/, '"prevHash":"abc"'),
      sealed.replace(/"hash":"[0-9a-f]{64}"/, '"hash":1'),
      JSON.stringify({ ...(JSON.parse(sealed) as object), hash: 'x' }),
    ];
    for (const text of other) expect(sealedMetadata(text)).toBeNull();
  });
});
