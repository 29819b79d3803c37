import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MasterKeyMismatchError, SubjectKeyStore } from './subject-key-store';
import { loadMasterKey, MasterKeyError } from './master-key';

describe('subject key store', () => {
  let dir: string;
  const master = randomBytes(32);
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'keys-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives each subject one key, the same one every time and in another process', () => {
    const file = join(dir, 'k.sqlite');
    const a = new SubjectKeyStore(file, master);
    const first = a.keyForSubject('C-1');
    const again = a.keyForSubject('C-1');
    const other = a.keyForSubject('C-2');
    const b = new SubjectKeyStore(file, master);
    const elsewhere = b.keyForSubject('C-1');
    if (first === 'erased' || again === 'erased' || other === 'erased' || elsewhere === 'erased') throw new Error('erased');
    expect(again.key.equals(first.key)).toBe(true);
    expect(elsewhere).toEqual(first);
    expect(other.key.equals(first.key)).toBe(false);
    expect(b.keyById(first.keyId)).toEqual(first.key);
    a.close();
    b.close();
  });

  it('stores keys only wrapped: the raw key bytes are nowhere in the file', () => {
    const file = join(dir, 'k.sqlite');
    const store = new SubjectKeyStore(file, master);
    const key = store.keyForSubject('C-1');
    if (key === 'erased') throw new Error('erased');
    const row = new Database(file).prepare('SELECT wrapped_key FROM subject_keys').get() as { wrapped_key: Buffer };
    expect(row.wrapped_key.includes(key.key)).toBe(false);
    store.close();
  });

  it('erasing destroys the key, leaves a tombstone and never makes a new key', () => {
    const store = new SubjectKeyStore(join(dir, 'k.sqlite'), master);
    const key = store.keyForSubject('C-1');
    if (key === 'erased') throw new Error('erased');
    expect(store.erase('C-1', '2026-01-01T00:00:00.000Z')).toEqual({ keyId: key.keyId, alreadyErased: false });
    expect(store.keyById(key.keyId)).toBe('erased');
    expect(store.keyForSubject('C-1')).toBe('erased');
    expect(store.isErased('C-1')).toBe(true);
    expect(store.erase('C-1', '2026-01-02T00:00:00.000Z').alreadyErased).toBe(true);
    expect(store.keyForSubject('C-2')).not.toBe('erased');
    store.close();
  });

  it('a key erased by another process (the CLI) is never used again by this one, cache or not', () => {
    const file = join(dir, 'k.sqlite');
    const server = new SubjectKeyStore(file, master);
    const cli = new SubjectKeyStore(file, master);
    const key = server.keyForSubject('C-1');
    if (key === 'erased') throw new Error('erased');
    expect(server.keyById(key.keyId)).toEqual(key.key); // now cached
    cli.erase('C-1', '2026-01-01T00:00:00.000Z');
    expect(server.keyById(key.keyId)).toBe('erased');
    expect(server.keyForSubject('C-1')).toBe('erased');
    expect(server.isErased('C-1')).toBe(true);
    server.close();
    cli.close();
  });

  it('a different master key is reported as such', () => {
    const file = join(dir, 'k.sqlite');
    const a = new SubjectKeyStore(file, master);
    const key = a.keyForSubject('C-1');
    if (key === 'erased') throw new Error('erased');
    const b = new SubjectKeyStore(file, randomBytes(32));
    expect(() => b.keyById(key.keyId)).toThrow(MasterKeyMismatchError);
    a.close();
    b.close();
  });

  it('maps streams to subjects', () => {
    const store = new SubjectKeyStore(':memory:', master);
    store.linkStream('audit-1', 'C-1');
    store.linkStream('audit-1', 'C-9'); // the first link stands
    store.linkStream('audit-2', 'C-1');
    expect(store.subjectOfStream('audit-1')).toBe('C-1');
    expect(store.streamsOf('C-1')).toEqual(['audit-1', 'audit-2']);
    expect(store.subjectOfStream('plan-1')).toBeUndefined();
    store.close();
  });

  it('master key: configured, generated once for development, required in production', () => {
    const configured = randomBytes(32);
    expect(loadMasterKey(configured.toString('base64'), dir, 'development').equals(configured)).toBe(true);
    expect(() => loadMasterKey('c2hvcnQ=', dir, 'development')).toThrow(MasterKeyError);
    expect(() => loadMasterKey(undefined, dir, 'production')).toThrow(/required in production/);
    const generated = loadMasterKey(undefined, dir, 'development');
    expect(loadMasterKey(undefined, dir, 'development').equals(generated)).toBe(true);
  });
});
