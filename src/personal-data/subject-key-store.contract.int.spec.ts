/**
 * The key store contract, run against both implementations: the SQLite file of the embedded
 * profile and PostgreSQL (a scratch schema). "Another process" is a second store opened on the
 * same file or schema, as the CLI or a second instance would.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { POSTGRES_TEST_URL, postgresAdmin, postgresTestsEnabled, scratchSchema } from '@casetrail/testing';
import { loadMasterKey, MasterKeyError } from './master-key';
import { PostgresSubjectKeyStore } from './postgres-subject-key-store';
import { MasterKeyMismatchError, SqliteSubjectKeyStore, type SubjectKey, type SubjectKeyStore } from './subject-key-store';

interface Profile {
  name: string;
  enabled: boolean;
  /** A fresh, empty place for keys; `open` opens a store on it (call it twice for two processes). */
  create(dir: string): Promise<{ open(master: Buffer): Promise<SubjectKeyStore>; drop(): Promise<void> }>;
}

const PROFILES: Profile[] = [
  {
    name: 'sqlite',
    enabled: true,
    create: (dir) =>
      Promise.resolve({
        open: (master) => Promise.resolve(new SqliteSubjectKeyStore(join(dir, 'k.sqlite'), master)),
        drop: () => Promise.resolve(),
      }),
  },
  {
    name: 'postgres',
    enabled: postgresTestsEnabled(),
    create: (dir) => {
      const schema = scratchSchema('keys');
      return Promise.resolve({
        open: (master) =>
          PostgresSubjectKeyStore.open({
            connectionString: POSTGRES_TEST_URL,
            masterKey: master,
            schema,
            importFrom: join(dir, 'subject-keys.sqlite'),
          }),
        drop: () => postgresAdmin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`),
      });
    },
  },
];

const live = (key: SubjectKey): { keyId: string; key: Buffer } => {
  if (key === 'erased') throw new Error('erased');
  return key;
};

describe.each(PROFILES.filter((p) => p.enabled))('subject key store contract ($name)', (profile) => {
  let dir: string;
  let place: Awaited<ReturnType<Profile['create']>>;
  const opened: SubjectKeyStore[] = [];
  const master = randomBytes(32);
  const open = async (key = master): Promise<SubjectKeyStore> => {
    const store = await place.open(key);
    opened.push(store);
    return store;
  };
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keys-'));
    place = await profile.create(dir);
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await place.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives each subject one key, the same one every time and in another process', async () => {
    const a = await open();
    const first = live(await a.keyForSubject('C-1'));
    const again = live(await a.keyForSubject('C-1'));
    const other = live(await a.keyForSubject('C-2'));
    const b = await open();
    const elsewhere = live(await b.keyForSubject('C-1'));
    expect(again.key.equals(first.key)).toBe(true);
    expect(elsewhere).toEqual(first);
    expect(other.key.equals(first.key)).toBe(false);
    expect(await b.keyById(first.keyId)).toEqual(first.key);
    expect(await b.keyById('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it('two processes asking for a new subject’s key at once get the same key', async () => {
    const [a, b] = [await open(), await open()];
    const [x, y] = await Promise.all([a.keyForSubject('C-RACE'), b.keyForSubject('C-RACE')]);
    expect(live(x)).toEqual(live(y));
  });

  it('many commands at once in one process (written together): each new subject its own key, each stream its first link, an erased subject none', async () => {
    const store = await open();
    await store.erase('C-GONE', '2026-01-01T00:00:00.000Z');
    const subjects = ['C-1', 'C-2', 'C-1', 'C-3', 'C-GONE'];
    const [keys] = await Promise.all([
      Promise.all(subjects.map((s) => store.keyForSubject(s))),
      Promise.all([store.linkStream('audit-1', 'C-1'), store.linkStream('audit-2', 'C-2'), store.linkStream('audit-1', 'C-9')]),
    ]);
    const [one, two, oneAgain, three] = keys.slice(0, 4).map(live);
    expect(oneAgain).toEqual(one);
    expect(new Set([one.keyId, two.keyId, three.keyId]).size).toBe(3);
    expect(keys[4]).toBe('erased');
    const other = await open();
    expect(await other.keyForSubject('C-2')).toEqual(two);
    expect(await other.subjectOfStream('audit-1')).toBe('C-1');
    expect(await store.subjectOfStream('audit-1')).toBe('C-1');
    expect(await store.subjectOfStream('audit-2')).toBe('C-2');
  });

  it('erasing destroys the key, leaves a tombstone and never makes a new key', async () => {
    const store = await open();
    const key = live(await store.keyForSubject('C-1'));
    expect(await store.erase('C-1', '2026-01-01T00:00:00.000Z')).toEqual({ keyId: key.keyId, alreadyErased: false });
    expect(await store.keyById(key.keyId)).toBe('erased');
    expect(await store.keyForSubject('C-1')).toBe('erased');
    expect(await store.isErased('C-1')).toBe(true);
    expect((await store.erase('C-1', '2026-01-02T00:00:00.000Z')).alreadyErased).toBe(true);
    expect(await store.keyForSubject('C-2')).not.toBe('erased');
    // A subject with no key yet gets a tombstone.
    const tombstone = await store.erase('C-3', '2026-01-03T00:00:00.000Z');
    expect(tombstone.alreadyErased).toBe(false);
    expect(await store.keyForSubject('C-3')).toBe('erased');
  });

  it('a key erased by another process (the CLI) is never used again by this one after a refresh, cache or not', async () => {
    const server = await open();
    const cli = await open();
    const key = live(await server.keyForSubject('C-1'));
    expect(await server.keyById(key.keyId)).toEqual(key.key); // now cached
    await cli.erase('C-1', '2026-01-01T00:00:00.000Z');
    // Appends read the store itself: refused at once.
    expect(await server.keyForSubject('C-1')).toBe('erased');
    expect(await server.isErased('C-1')).toBe(true);
    // Reads refresh before their first key (the encrypting store does this).
    await server.refresh();
    expect(await server.keyById(key.keyId)).toBe('erased');
    expect(await server.anyErased()).toBe(true);
  });

  it('nobody is erased until someone is, here or in another process', async () => {
    const server = await open();
    const cli = await open();
    await server.keyForSubject('C-1');
    await server.refresh();
    expect(await server.anyErased()).toBe(false);
    expect(await server.anyErased()).toBe(false);
    await cli.erase('C-1', '2026-01-01T00:00:00.000Z');
    await server.refresh();
    expect(await server.anyErased()).toBe(true);
    expect(await server.isErased('C-1')).toBe(true);
  });

  it('the generation stays while this process makes keys, and moves after an erasure here or in another process', async () => {
    const server = await open();
    const cli = await open();
    await server.keyForSubject('C-1');
    await server.keyForSubject('C-2');
    const first = await server.generation();
    await server.keyForSubject('C-3');
    await server.linkStream('audit-3', 'C-3');
    expect(await server.generation()).toBe(first);
    await cli.erase('C-1', '2026-01-01T00:00:00.000Z');
    const afterCli = await server.generation();
    expect(afterCli).not.toBe(first);
    await server.erase('C-2', '2026-01-01T00:00:00.000Z');
    expect(await server.generation()).not.toBe(afterCli);
  });

  it('a different master key is reported as such', async () => {
    const a = await open();
    const key = live(await a.keyForSubject('C-1'));
    const b = await open(randomBytes(32));
    await expect(b.keyById(key.keyId)).rejects.toThrow(MasterKeyMismatchError);
  });

  it('stores keys only wrapped: the raw key bytes are nowhere in the store', async () => {
    const store = await open();
    const key = live(await store.keyForSubject('C-1'));
    const wrapped = await wrappedKeysOf(profile.name, dir, store);
    expect(wrapped).toHaveLength(1);
    expect(wrapped[0].includes(key.key)).toBe(false);
  });

  it("maps streams to subjects; a stream's subject is found once linked, here or in another process", async () => {
    const server = await open();
    const cli = await open();
    expect(await server.subjectOfStream('dispute-1')).toBeUndefined();
    await server.linkStream('dispute-1', 'C-1');
    expect(await server.subjectOfStream('dispute-1')).toBe('C-1');
    expect(await server.subjectOfStream('dispute-2')).toBeUndefined();
    await cli.linkStream('dispute-2', 'C-2');
    expect(await server.subjectOfStream('dispute-2')).toBe('C-2');
    // A link is never changed: the first one stays.
    await cli.linkStream('dispute-1', 'C-9');
    expect(await server.subjectOfStream('dispute-1')).toBe('C-1');
    await server.linkStream('audit-2', 'C-1');
    expect(await cli.streamsOf('C-1')).toEqual(['audit-2', 'dispute-1']);
    expect((await cli.subjects()).map((s) => [s.subjectRef, s.erasedAt])).toEqual([
      ['C-1', null],
      ['C-2', null],
    ]);
  });
});

/** The wrapped keys as stored, read past the store's own interface. */
async function wrappedKeysOf(profile: string, dir: string, store: SubjectKeyStore): Promise<Buffer[]> {
  if (profile === 'sqlite') {
    const db = new Database(join(dir, 'k.sqlite'), { readonly: true });
    try {
      return (db.prepare('SELECT wrapped_key FROM subject_keys').all() as { wrapped_key: Buffer }[]).map((r) => r.wrapped_key);
    } finally {
      db.close();
    }
  }
  const schema = (store as unknown as { schema: string }).schema;
  const client = new Client({ connectionString: POSTGRES_TEST_URL });
  await client.connect();
  try {
    return (await client.query<{ wrapped_key: Buffer }>(`SELECT wrapped_key FROM ${schema}.subject_keys`)).rows.map(
      (r) => r.wrapped_key,
    );
  } finally {
    await client.end();
  }
}

describe('PostgreSQL key store: upgrading from the key store file', () => {
  const enabled = postgresTestsEnabled();
  (enabled ? it : it.skip)(
    'copies the keys, tombstones and links of DATA_DIR/subject-keys.sqlite into an empty store, once',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'keys-'));
      const schema = scratchSchema('keysimport');
      const master = randomBytes(32);
      const file = join(dir, 'subject-keys.sqlite');
      // Every start of the PostgreSQL store is given the old file: only the first copies it.
      const openImporting = () =>
        PostgresSubjectKeyStore.open({ connectionString: POSTGRES_TEST_URL, masterKey: master, schema, importFrom: file });
      try {
        const old = new SqliteSubjectKeyStore(file, master);
        const key = live(await old.keyForSubject('C-1'));
        await old.linkStream('audit-1', 'C-1');
        await old.erase('C-2', '2026-01-01T00:00:00.000Z');
        await old.close();
        const store = await openImporting();
        try {
          expect(await store.keyById(key.keyId)).toEqual(key.key);
          expect(await store.subjectOfStream('audit-1')).toBe('C-1');
          expect(await store.isErased('C-2')).toBe(true);
          // Not again: a later change to the file is not copied over what PostgreSQL now holds.
          const again = new SqliteSubjectKeyStore(file, master);
          await again.keyForSubject('C-LATE');
          await again.close();
          const reopened = await openImporting();
          expect((await reopened.subjects()).map((s) => s.subjectRef)).toEqual(['C-1', 'C-2']);
          await reopened.close();
        } finally {
          await store.close();
        }
      } finally {
        await postgresAdmin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('master key', () => {
  it('configured, generated once for development, required in production', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    try {
      const configured = randomBytes(32);
      expect(loadMasterKey(configured.toString('base64'), dir, 'development').equals(configured)).toBe(true);
      expect(() => loadMasterKey('c2hvcnQ=', dir, 'development')).toThrow(MasterKeyError);
      expect(() => loadMasterKey(undefined, dir, 'production')).toThrow(/required in production/);
      const generated = loadMasterKey(undefined, dir, 'development');
      expect(loadMasterKey(undefined, dir, 'development').equals(generated)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
