/**
 * The key store in PostgreSQL (the PostgreSQL profile): each subject's wrapped data key, the
 * tombstones of erased subjects and the stream-to-subject links, in their own schema (default
 * "personal_data") of KEY_STORE_URL (by default EVENT_STORE_URL), apart from the log's tables.
 * Every instance and the CLI share it, so no instance needs a shared DATA_DIR.
 *
 * Caching: keys found by id, subjects of streams and "is anyone erased" are cached; an erasure
 * bumps a generation counter in the same transaction, and refresh() (which the encrypting store
 * calls before the first key each read or append needs) forgets every cache when the counter has
 * moved. Appends read a subject's key and erasure from the table itself, never from a cache.
 */
import Database from 'better-sqlite3';
import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Pool, type PoolClient } from 'pg';
import { newDataKey, wrapKey } from './field-cipher';
import {
  keyTables,
  unwrapStoredKey,
  masterKeyFingerprint,
  type SubjectKey,
  type SubjectKeyStore,
  type SubjectRow,
} from './subject-key-store';

export interface PostgresKeyStoreOptions {
  connectionString: string;
  masterKey: Buffer;
  /** Schema holding the tables (created when missing). */
  schema?: string;
  /**
   * A key store file of the embedded kind (DATA_DIR/subject-keys.sqlite, where keys were kept on
   * every profile before): when the PostgreSQL store is still empty, its keys, tombstones and links
   * are copied in once, so upgrading loses no key.
   */
  importFrom?: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

type KeyRow = { key_id: string; wrapped_key: Buffer | null; master_key: string };

export class PostgresSubjectKeyStore implements SubjectKeyStore {
  private readonly byKeyId = new Map<string, Buffer | 'erased'>();
  private readonly streamSubjects = new Map<string, string>();
  private anyErasedCache: boolean | undefined;
  private seenGeneration: string | null = null;
  /** How many times the caches were forgotten (see generation()). */
  private forgotten = 0;

  private constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly masterKey: Buffer,
    private readonly fingerprint: string,
  ) {}

  static async open(options: PostgresKeyStoreOptions): Promise<PostgresSubjectKeyStore> {
    const schema = options.schema ?? 'personal_data';
    if (!IDENTIFIER.test(schema)) throw new Error(`Not a usable schema name for the key store: ${schema}`);
    const pool = new Pool({ connectionString: options.connectionString, max: 4 });
    // An idle client dropped by the server (a restart, a dropped test database) must not crash the
    // process as an unhandled 'error' event; the next query reconnects.
    pool.on('error', () => undefined);
    const store = new PostgresSubjectKeyStore(pool, schema, options.masterKey, masterKeyFingerprint(options.masterKey));
    try {
      await store.transaction(async (client) => {
        // One instance at a time creates the tables (and imports), so instances starting together do not race.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`casetrail-key-store:${schema}`]);
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await client.query(`${keyTables(`${schema}.`, 'bytea')}
          CREATE TABLE IF NOT EXISTS ${schema}.generation (
            id     integer PRIMARY KEY CHECK (id = 1),
            value  bigint NOT NULL
          );
          INSERT INTO ${schema}.generation (id, value) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;`);
        if (options.importFrom) await store.importOnce(client, options.importFrom);
      });
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  private get t(): { keys: string; streams: string; generation: string } {
    return {
      keys: `${this.schema}.subject_keys`,
      streams: `${this.schema}.stream_subjects`,
      generation: `${this.schema}.generation`,
    };
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Copies an embedded key store file in, once: only while this store holds no key and no link. */
  private async importOnce(client: PoolClient, file: string): Promise<void> {
    if (!existsSync(file)) return;
    const { rows } = await client.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM ${this.t.keys}) + (SELECT count(*) FROM ${this.t.streams}) AS n`,
    );
    if (rows[0].n !== '0') return;
    const sqlite = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const keys = sqlite
        .prepare('SELECT subject_ref, key_id, wrapped_key, master_key, created_at, erased_at FROM subject_keys')
        .all() as {
        subject_ref: string;
        key_id: string;
        wrapped_key: Buffer | null;
        master_key: string;
        created_at: string;
        erased_at: string | null;
      }[];
      const links = sqlite.prepare('SELECT stream_id, subject_ref FROM stream_subjects').all() as {
        stream_id: string;
        subject_ref: string;
      }[];
      for (const k of keys) {
        await client.query(
          `INSERT INTO ${this.t.keys} (subject_ref, key_id, wrapped_key, master_key, created_at, erased_at) VALUES ($1, $2, $3, $4, $5, $6)`,
          [k.subject_ref, k.key_id, k.wrapped_key, k.master_key, k.created_at, k.erased_at],
        );
      }
      for (const l of links) {
        await client.query(`INSERT INTO ${this.t.streams} (stream_id, subject_ref) VALUES ($1, $2)`, [
          l.stream_id,
          l.subject_ref,
        ]);
      }
      if (keys.length || links.length) {
        new Logger('DataProtection').warn(
          `Copied ${keys.length} subject keys and ${links.length} stream links from ${file} into PostgreSQL (schema ${this.schema}). ` +
            'The file is no longer read: keep it with your backups until you have a backup of the PostgreSQL key store, then delete it.',
        );
      }
    } finally {
      sqlite.close();
    }
  }

  private unwrap(row: KeyRow, keyId: string): Buffer | 'erased' {
    return unwrapStoredKey(row, keyId, this.masterKey, this.fingerprint);
  }

  private forget(): void {
    this.forgotten++;
    this.byKeyId.clear();
    this.anyErasedCache = undefined;
  }

  async refresh(): Promise<void> {
    const { rows } = await this.pool.query<{ value: string }>(`SELECT value FROM ${this.t.generation} WHERE id = 1`);
    const generation = rows[0]?.value ?? '0';
    if (generation !== this.seenGeneration) {
      this.forget();
      this.seenGeneration = generation;
    }
  }

  /** refresh()'s one query (the counter's row), then how many times the caches were forgotten. */
  async generation(): Promise<number> {
    await this.refresh();
    return this.forgotten;
  }

  async anyErased(): Promise<boolean> {
    if (this.anyErasedCache === undefined) {
      const { rows } = await this.pool.query<{ erased: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM ${this.t.keys} WHERE wrapped_key IS NULL) AS erased`,
      );
      this.anyErasedCache = rows[0].erased;
    }
    return this.anyErasedCache;
  }

  async keyForSubject(subjectRef: string): Promise<SubjectKey> {
    const select = `SELECT key_id, wrapped_key, master_key FROM ${this.t.keys} WHERE subject_ref = $1`;
    let row = (await this.pool.query<KeyRow>(select, [subjectRef])).rows[0];
    if (!row) {
      // A new subject: make a key (one round trip when nobody else made one first).
      const keyId = randomUUID();
      const key = newDataKey();
      // Another instance may make one at the same moment: whichever is stored first is everyone's.
      const inserted = await this.pool.query<KeyRow>(
        `INSERT INTO ${this.t.keys} (subject_ref, key_id, wrapped_key, master_key, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING key_id, wrapped_key, master_key`,
        [subjectRef, keyId, wrapKey(this.masterKey, key, keyId), this.fingerprint, new Date().toISOString()],
      );
      if (inserted.rows[0]) {
        this.byKeyId.set(keyId, key);
        return { keyId, key };
      }
      row = (await this.pool.query<KeyRow>(select, [subjectRef])).rows[0];
    }
    const cached = this.byKeyId.get(row.key_id);
    const key = cached !== undefined && row.wrapped_key !== null ? cached : this.unwrap(row, row.key_id);
    if (key === 'erased') return 'erased';
    this.byKeyId.set(row.key_id, key);
    return { keyId: row.key_id, key };
  }

  async keyById(keyId: string): Promise<Buffer | 'erased' | undefined> {
    const cached = this.byKeyId.get(keyId);
    if (cached) return cached;
    const { rows } = await this.pool.query<KeyRow>(
      `SELECT key_id, wrapped_key, master_key FROM ${this.t.keys} WHERE key_id = $1`,
      [keyId],
    );
    if (!rows[0]) return undefined;
    const key = this.unwrap(rows[0], keyId);
    this.byKeyId.set(keyId, key);
    return key;
  }

  async isErased(subjectRef: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ erased: boolean }>(
      `SELECT wrapped_key IS NULL AS erased FROM ${this.t.keys} WHERE subject_ref = $1`,
      [subjectRef],
    );
    return rows[0]?.erased ?? false;
  }

  async subjectOfStream(streamId: string): Promise<string | undefined> {
    // A link never changes once made: a found subject is cached; "none yet" is always asked again.
    const cached = this.streamSubjects.get(streamId);
    if (cached !== undefined) return cached;
    const { rows } = await this.pool.query<{ subject_ref: string }>(
      `SELECT subject_ref FROM ${this.t.streams} WHERE stream_id = $1`,
      [streamId],
    );
    const subject = rows[0]?.subject_ref;
    if (subject !== undefined) {
      if (this.streamSubjects.size >= 100_000) this.streamSubjects.clear();
      this.streamSubjects.set(streamId, subject);
    }
    return subject;
  }

  async linkStream(streamId: string, subjectRef: string): Promise<void> {
    if (this.streamSubjects.has(streamId)) return; // linked already (the first link stands)
    const inserted = await this.pool.query(
      `INSERT INTO ${this.t.streams} (stream_id, subject_ref) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING stream_id`,
      [streamId, subjectRef],
    );
    // Ours is the link only if it was the first; otherwise the stored one is looked up when needed.
    if (inserted.rowCount === 1) this.streamSubjects.set(streamId, subjectRef);
  }

  async streamsOf(subjectRef: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ stream_id: string }>(
      `SELECT stream_id FROM ${this.t.streams} WHERE subject_ref = $1 ORDER BY stream_id COLLATE "C"`,
      [subjectRef],
    );
    return rows.map((r) => r.stream_id);
  }

  async erase(subjectRef: string, erasedAt: string): Promise<{ keyId: string; alreadyErased: boolean }> {
    this.forget();
    const result = await this.transaction(async (client) => {
      const before = (
        await client.query<{ key_id: string }>(`SELECT key_id FROM ${this.t.keys} WHERE subject_ref = $1 FOR UPDATE`, [
          subjectRef,
        ])
      ).rows[0];
      let outcome: { keyId: string; alreadyErased: boolean };
      if (!before) {
        const keyId = randomUUID();
        const inserted = await client.query(
          `INSERT INTO ${this.t.keys} (subject_ref, key_id, wrapped_key, master_key, created_at, erased_at)
           VALUES ($1, $2, NULL, $3, $4, $4) ON CONFLICT DO NOTHING`,
          [subjectRef, keyId, this.fingerprint, erasedAt],
        );
        // Someone made a key at the same moment: erase that one instead.
        if (inserted.rowCount === 0) return null;
        outcome = { keyId, alreadyErased: false };
      } else {
        const changed = await client.query(
          `UPDATE ${this.t.keys} SET wrapped_key = NULL, erased_at = $1 WHERE subject_ref = $2 AND wrapped_key IS NOT NULL`,
          [erasedAt, subjectRef],
        );
        outcome = { keyId: before.key_id, alreadyErased: changed.rowCount === 0 };
      }
      // Every other process forgets its cached keys at its next refresh().
      await client.query(`UPDATE ${this.t.generation} SET value = value + 1 WHERE id = 1`);
      return outcome;
    });
    if (result === null) return this.erase(subjectRef, erasedAt);
    // The old row version (with the wrapped key) stays in the table's pages until vacuumed: do it now (best effort).
    await this.pool.query(`VACUUM ${this.t.keys}`).catch(() => undefined);
    return result;
  }

  async subjects(): Promise<SubjectRow[]> {
    const { rows } = await this.pool.query<{
      subject_ref: string;
      key_id: string | null;
      created_at: string | null;
      erased_at: string | null;
    }>(
      `SELECT s.subject_ref, k.key_id, k.created_at, k.erased_at
       FROM (SELECT subject_ref FROM ${this.t.keys} UNION SELECT subject_ref FROM ${this.t.streams}) s
       LEFT JOIN ${this.t.keys} k ON k.subject_ref = s.subject_ref ORDER BY s.subject_ref COLLATE "C"`,
    );
    return rows.map((r) => ({ subjectRef: r.subject_ref, keyId: r.key_id, createdAt: r.created_at, erasedAt: r.erased_at }));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
