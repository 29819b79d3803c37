/**
 * Each subject's data key, wrapped by the master key, in a store separate from the event log:
 * DATA_DIR/subject-keys.sqlite on the embedded profile (SqliteSubjectKeyStore, here), a schema in
 * PostgreSQL on the PostgreSQL profile (PostgresSubjectKeyStore, postgres-subject-key-store.ts), so
 * several instances need no shared folder. Destroying a subject's key (crypto-shredding) leaves a
 * tombstone, so the subject is known to be erased and no new key is ever made for it. The same
 * store maps each stream to its subject, written when the stream's first subject-bearing event is
 * appended. Both implementations pass one contract suite (subject-key-store.contract.spec.ts).
 */
import Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { newDataKey, unwrapKey, wrapKey } from './field-cipher';

export interface SubjectRow {
  subjectRef: string;
  /** Null until the first personal text about them is recorded. */
  keyId: string | null;
  createdAt: string | null;
  erasedAt: string | null;
}

export type SubjectKey = { keyId: string; key: Buffer } | 'erased';

export class MasterKeyMismatchError extends Error {
  override readonly name = 'MasterKeyMismatchError';
}

/** The key store port: what encryption, erasure and retention need, whichever database keeps the keys. */
export interface SubjectKeyStore {
  /**
   * Brings the caches up to date with other processes' writes (an erasure by the CLI or another
   * instance). The encrypting store calls it before it first needs a key in each read or append
   * (and after each burst of a subscription), never once per event.
   */
  refresh(): Promise<void>;
  /**
   * A value that moves each time this store forgets its cached keys: another process wrote to the
   * key store (checked as refresh() does, so it is up to date when it answers), or this one erased
   * a subject. Equal answers mean no key was destroyed in between.
   */
  generation(): Promise<number> | number;
  /** False while no subject has been erased (nothing read can need hiding then). */
  anyErased(): Promise<boolean>;
  /** The subject's key, made on first use; 'erased' once destroyed (never made again). Read from the store itself, not a cache. */
  keyForSubject(subjectRef: string): Promise<SubjectKey>;
  /** The data key an envelope names; 'erased' once destroyed; undefined when unknown. */
  keyById(keyId: string): Promise<Buffer | 'erased' | undefined>;
  /** Whether the subject is erased, read from the store itself (appends must not trust a cache). */
  isErased(subjectRef: string): Promise<boolean>;
  subjectOfStream(streamId: string): Promise<string | undefined>;
  /** Links a stream to its subject; the first link stands. */
  linkStream(streamId: string, subjectRef: string): Promise<void>;
  streamsOf(subjectRef: string): Promise<string[]>;
  /**
   * Destroys the subject's key. Returns the key id and whether it was already erased.
   * A subject with no key yet gets a tombstone, so nothing can be recorded for it later.
   */
  erase(subjectRef: string, erasedAt: string): Promise<{ keyId: string; alreadyErased: boolean }>;
  subjects(): Promise<SubjectRow[]>;
  close(): Promise<void>;
}

/**
 * The keys and the stream links, as both key stores keep them: `prefix` is PostgreSQL's schema ("personal_data."),
 * `bytes` the database's type for the wrapped key.
 */
export const keyTables = (prefix: string, bytes: 'BLOB' | 'bytea'): string => `
CREATE TABLE IF NOT EXISTS ${prefix}subject_keys (
  subject_ref  TEXT PRIMARY KEY,
  key_id       TEXT NOT NULL UNIQUE,
  wrapped_key  ${bytes},          -- NULL once destroyed
  master_key   TEXT NOT NULL,   -- fingerprint of the master key that wrapped it
  created_at   TEXT NOT NULL,
  erased_at    TEXT
);
CREATE TABLE IF NOT EXISTS ${prefix}stream_subjects (
  stream_id    TEXT PRIMARY KEY,
  subject_ref  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stream_subjects_by_subject ON ${prefix}stream_subjects (subject_ref);
`;

/** A data key as both key stores keep it: wrapped (null once erased) by the master key of that fingerprint. */
export type StoredKey = { wrapped_key: Buffer | null; master_key: string };

/** A stored data key, unwrapped; 'erased' once erased; refused when another master key wrapped it. */
export function unwrapStoredKey(row: StoredKey, keyId: string, masterKey: Buffer, fingerprint: string): Buffer | 'erased' {
  if (row.wrapped_key === null) return 'erased';
  if (row.master_key !== fingerprint) {
    throw new MasterKeyMismatchError(
      `Data key ${keyId} was wrapped by master key ${row.master_key}, but DATA_MASTER_KEY is ${fingerprint}.`,
    );
  }
  return unwrapKey(masterKey, row.wrapped_key, keyId);
}

/** A short public fingerprint, so a wrong DATA_MASTER_KEY is reported as such, not as corrupt data. */
export const masterKeyFingerprint = (masterKey: Buffer): string =>
  createHash('sha256').update('casetrail-master-key').update(masterKey).digest('hex').slice(0, 16);

/**
 * Requests made in the same turn of the event loop, written together by one call of `write` (one
 * transaction, so one fsync): each answers with its own result once that call returns, or all fail
 * with its error.
 */
class TurnBatch<In, Out> {
  private pending: { item: In; resolve: (result: Out) => void; reject: (error: unknown) => void }[] = [];

  constructor(private readonly write: (items: In[]) => Out[]) {}

  add(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    let results: Out[];
    try {
      results = this.write(batch.map(({ item }) => item));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach(({ resolve }, i) => resolve(results[i]));
  }
}

export class SqliteSubjectKeyStore implements SubjectKeyStore {
  private readonly db: Database.Database;
  private readonly fingerprint: string;
  private readonly q;
  /**
   * Unwrapped keys, kept only while no other connection has written to the file: SQLite's
   * data_version changes when another process commits (an erasure from the CLI), and then
   * every cached key is forgotten, so a destroyed key is never used again.
   */
  private readonly byKeyId = new Map<string, Buffer | 'erased'>();
  private readonly bySubject = new Map<string, SubjectKey>();
  /**
   * Each stream's subject, looked up once: a link is never changed once written, so a found
   * subject stays valid; "no subject yet" is forgotten with the other caches (another process
   * may link the stream) and when this connection links it.
   */
  private readonly streamSubjects = new Map<string, string | null>();
  /** Whether any subject is erased: while none is, nothing read can need hiding. */
  private anyErasedCache: boolean | undefined;
  private seenVersion = -1;
  /** How many times the caches were forgotten (see generation()). */
  private forgotten = 0;
  /** Keys to make in this turn's transaction (see newKey). */
  private readonly newKeys = new TurnBatch((subjectRefs: string[]) => this.writeKeys(subjectRefs));
  /** Links waiting for this turn's transaction (see linkStream). */
  private readonly newLinks = new TurnBatch((links: { streamId: string; subjectRef: string }[]) => this.writeLinks(links));

  constructor(
    file: string,
    private readonly masterKey: Buffer,
  ) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // A key must be on disk before the event encrypted with it is acknowledged.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 10000');
    // Shredding must not leave the old wrapped key in free pages of the file.
    this.db.pragma('secure_delete = ON');
    this.db.exec(keyTables('', 'BLOB'));
    this.fingerprint = masterKeyFingerprint(masterKey);
    this.q = {
      dataVersion: this.db.prepare<[], { data_version: number }>('PRAGMA data_version'),
      bySubject: this.db.prepare<[string], { key_id: string; wrapped_key: Buffer | null; master_key: string }>(
        'SELECT key_id, wrapped_key, master_key FROM subject_keys WHERE subject_ref = ?',
      ),
      byKeyId: this.db.prepare<[string], { wrapped_key: Buffer | null; master_key: string }>(
        'SELECT wrapped_key, master_key FROM subject_keys WHERE key_id = ?',
      ),
      insertKey: this.db.prepare(
        `INSERT OR IGNORE INTO subject_keys (subject_ref, key_id, wrapped_key, master_key, created_at)
         VALUES (?, ?, ?, ?, ?)`,
      ),
      tombstone: this.db.prepare<[string], { key_id: string }>('SELECT key_id FROM subject_keys WHERE subject_ref = ?'),
      erase: this.db.prepare(
        'UPDATE subject_keys SET wrapped_key = NULL, erased_at = ? WHERE subject_ref = ? AND wrapped_key IS NOT NULL',
      ),
      insertErased: this.db.prepare(
        `INSERT OR IGNORE INTO subject_keys (subject_ref, key_id, wrapped_key, master_key, created_at, erased_at)
         VALUES (?, ?, NULL, ?, ?, ?)`,
      ),
      anyErased: this.db.prepare<[], { erased: number }>(
        'SELECT EXISTS (SELECT 1 FROM subject_keys WHERE wrapped_key IS NULL) AS erased',
      ),
      streamSubject: this.db.prepare<[string], { subject_ref: string }>(
        'SELECT subject_ref FROM stream_subjects WHERE stream_id = ?',
      ),
      linkStream: this.db.prepare('INSERT OR IGNORE INTO stream_subjects (stream_id, subject_ref) VALUES (?, ?)'),
      streamsOf: this.db.prepare<[string], { stream_id: string }>(
        'SELECT stream_id FROM stream_subjects WHERE subject_ref = ? ORDER BY stream_id',
      ),
      // Every subject: those with a key, and those whose streams hold no personal text yet.
      list: this.db.prepare<
        [],
        { subject_ref: string; key_id: string | null; created_at: string | null; erased_at: string | null }
      >(
        `SELECT s.subject_ref, k.key_id, k.created_at, k.erased_at
         FROM (SELECT subject_ref FROM subject_keys UNION SELECT subject_ref FROM stream_subjects) s
         LEFT JOIN subject_keys k ON k.subject_ref = s.subject_ref ORDER BY s.subject_ref`,
      ),
    };
  }

  private unwrap(row: StoredKey, keyId: string): Buffer | 'erased' {
    return unwrapStoredKey(row, keyId, this.masterKey, this.fingerprint);
  }

  private fresh(): void {
    const version = this.q.dataVersion.get()!.data_version;
    if (version === this.seenVersion) return;
    this.forget();
    this.seenVersion = version;
  }

  private forget(): void {
    this.forgotten++;
    this.byKeyId.clear();
    this.bySubject.clear();
    this.anyErasedCache = undefined;
    for (const [streamId, subject] of this.streamSubjects) if (subject === null) this.streamSubjects.delete(streamId);
  }

  /** Every call already checks SQLite's data_version (other processes' writes): nothing to do. */
  refresh(): Promise<void> {
    return Promise.resolve();
  }

  /** The data_version check every call makes, and no other query: a few microseconds. */
  generation(): number {
    this.fresh();
    return this.forgotten;
  }

  /** False while no subject has been erased (checked against other processes' writes, as the keys are). */
  async anyErased(): Promise<boolean> {
    this.fresh();
    this.anyErasedCache ??= this.q.anyErased.get()!.erased === 1;
    return this.anyErasedCache;
  }

  /** The subject's key, made on first use; 'erased' once destroyed (never made again). */
  async keyForSubject(subjectRef: string): Promise<SubjectKey> {
    this.fresh();
    const cached = this.bySubject.get(subjectRef);
    if (cached) return cached;
    const key = this.existingKey(subjectRef) ?? (await this.newKey(subjectRef));
    this.bySubject.set(subjectRef, key);
    return key;
  }

  private existingKey(subjectRef: string): SubjectKey | undefined {
    const existing = this.q.bySubject.get(subjectRef);
    if (!existing) return undefined;
    const key = this.unwrap(existing, existing.key_id);
    return key === 'erased' ? 'erased' : { keyId: existing.key_id, key };
  }

  /**
   * Makes the subject's key. Keys asked for in the same turn of the event loop (concurrent
   * commands about new children) are written in one transaction, so one fsync; each answers
   * once its key is durable.
   */
  private newKey(subjectRef: string): Promise<SubjectKey> {
    return this.newKeys.add(subjectRef);
  }

  private writeKeys(subjectRefs: string[]): SubjectKey[] {
    const now = new Date().toISOString();
    return this.db.transaction(() => {
      for (const subjectRef of subjectRefs) {
        const keyId = randomUUID();
        const key = newDataKey();
        this.q.insertKey.run(subjectRef, keyId, wrapKey(this.masterKey, key, keyId), this.fingerprint, now);
      }
      // Another process (or an erasure, or an earlier request in this batch) may have stored one
      // first (INSERT OR IGNORE): each gets whichever is stored.
      return subjectRefs.map((subjectRef) => this.storedKey(subjectRef));
    })();
  }

  private storedKey(subjectRef: string): SubjectKey {
    const row = this.q.bySubject.get(subjectRef)!;
    const key = this.unwrap(row, row.key_id);
    return key === 'erased' ? 'erased' : { keyId: row.key_id, key };
  }

  /** The data key an envelope names; 'erased' once destroyed; undefined when unknown. */
  async keyById(keyId: string): Promise<Buffer | 'erased' | undefined> {
    this.fresh();
    const cached = this.byKeyId.get(keyId);
    if (cached) return cached;
    const row = this.q.byKeyId.get(keyId);
    if (!row) return undefined;
    const key = this.unwrap(row, keyId);
    this.byKeyId.set(keyId, key);
    return key;
  }

  async isErased(subjectRef: string): Promise<boolean> {
    this.fresh();
    if (this.bySubject.has(subjectRef)) return this.bySubject.get(subjectRef) === 'erased';
    const row = this.q.bySubject.get(subjectRef);
    return row !== undefined && row.wrapped_key === null;
  }

  async subjectOfStream(streamId: string): Promise<string | undefined> {
    this.fresh();
    const cached = this.streamSubjects.get(streamId);
    if (cached !== undefined) return cached ?? undefined;
    const subject = this.q.streamSubject.get(streamId)?.subject_ref;
    this.rememberStream(streamId, subject ?? null);
    return subject;
  }

  async linkStream(streamId: string, subjectRef: string): Promise<void> {
    // Linked already (a found link never changes; the first link stands): no write, so no
    // fsync'd transaction on every append to a stream that names its subject.
    if (typeof this.streamSubjects.get(streamId) === 'string') return;
    // New links asked for in the same turn of the event loop (concurrent commands starting
    // audits) are written in one transaction, so one fsync; each resolves once it is durable.
    return this.newLinks.add({ streamId, subjectRef });
  }

  private writeLinks(links: { streamId: string; subjectRef: string }[]): void[] {
    const inserted = this.db.transaction(() =>
      links.map(({ streamId, subjectRef }) => this.q.linkStream.run(streamId, subjectRef).changes === 1),
    )();
    return links.map(({ streamId, subjectRef }, i) => {
      // INSERT OR IGNORE: another link may have been there first; then it is looked up when needed.
      if (inserted[i]) this.rememberStream(streamId, subjectRef);
      else this.streamSubjects.delete(streamId);
    });
  }

  private rememberStream(streamId: string, subject: string | null): void {
    // Bounded: a log with very many streams only looks some of them up again.
    if (this.streamSubjects.size >= 100_000) this.streamSubjects.clear();
    this.streamSubjects.set(streamId, subject);
  }

  async streamsOf(subjectRef: string): Promise<string[]> {
    return this.q.streamsOf.all(subjectRef).map((r) => r.stream_id);
  }

  /**
   * Destroys the subject's key. Returns the key id and whether it was already erased.
   * A subject with no key yet gets a tombstone, so nothing can be recorded for it later.
   */
  async erase(subjectRef: string, erasedAt: string): Promise<{ keyId: string; alreadyErased: boolean }> {
    this.forget();
    const result = this.db
      .transaction(() => {
        const before = this.q.tombstone.get(subjectRef);
        if (!before) {
          const keyId = randomUUID();
          this.q.insertErased.run(subjectRef, keyId, this.fingerprint, erasedAt, erasedAt);
          return { keyId, alreadyErased: false };
        }
        const changed = this.q.erase.run(erasedAt, subjectRef).changes;
        return { keyId: before.key_id, alreadyErased: changed === 0 };
      })
      .immediate();
    // Nor in the write-ahead log: copy it into the file (overwriting the page) and empty it.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return result;
  }

  async subjects(): Promise<SubjectRow[]> {
    return this.q.list.all().map((r) => ({
      subjectRef: r.subject_ref,
      keyId: r.key_id,
      createdAt: r.created_at,
      erasedAt: r.erased_at,
    }));
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}
