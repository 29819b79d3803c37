/**
 * `backup <dir>` and `restore <dir>` for the embedded (SQLite) profile.
 *
 * Backup copies each SQLite store with SQLite's online backup API (better-sqlite3's
 * `db.backup`), each in one step, so each copy is one consistent snapshot taken while the
 * server goes on writing. The order makes the copies agree with each other:
 *
 * 1. the read database (optional): its projection checkpoints are then at or behind the log's copy;
 * 2. the trail side log (signed checkpoints, access log): every checkpoint in it covers a log
 *    that is at most as long as the log's copy;
 * 3. the event log: its head is the backup's head position;
 * 4. the key store: every key an event in the log's copy was encrypted with was stored before
 *    that event, so it is in the copy;
 * 5. the small secret files (signing key, session secret, generated master key), as they are.
 *
 * A manifest (manifest.json, written last: a folder without one is not a finished backup)
 * records the head position, the number of events and each file's size and SHA-256.
 *
 * Restore (server stopped) checks every checksum first, refuses while a server holds DATA_DIR
 * (server-presence.ts) or when DATA_DIR already holds a store (unless `force`, which moves the
 * old files aside into DATA_DIR/before-restore-<time>/), then copies the files in.
 */
import { type Progress as BarProgress, serverIsRunning } from '../core';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

export const MANIFEST = 'manifest.json';
export const BACKUP_FORMAT = 'casetrail-backup/1';

/** The stores, in the order they are copied (see above). */
const DATABASES = [
  { name: 'read-models.sqlite', what: 'read database', optional: true },
  { name: 'trail.sqlite', what: 'trail side log', optional: false },
  { name: 'events.sqlite', what: 'event log', optional: false },
  { name: 'subject-keys.sqlite', what: 'key store', optional: false },
] as const;

/** Files written once and never changed: copied as they are. */
const PLAIN_FILES = ['trail-signing-key.pem', 'session-secret', 'master.key'] as const;

/** Every file of DATA_DIR a restore replaces (with the SQLite side files of each database). */
const STORE_FILES: readonly string[] = [...DATABASES.map((d) => d.name), ...PLAIN_FILES];

export interface BackupFile {
  name: string;
  bytes: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  /** Position of the last event in the copied log (decimal string; "0" when empty). */
  headPosition: string;
  events: number;
  /** The newest signed checkpoint in the copied trail side log, if any. */
  lastSignedCheckpoint: { size: number; lastPosition: string; signedAt: string } | null;
  readModels: boolean;
  files: BackupFile[];
}

/** Something the operator must change before the command can run; printed as it is. */
export class OperationRefused extends Error {
  override readonly name = 'OperationRefused';
}

export interface Progress {
  start(totalBytes: number): void;
  advance(bytes: number, file: string): void;
  stop(): void;
}

const silent: Progress = { start: () => undefined, advance: () => undefined, stop: () => undefined };

/** Backup and restore progress in kilobytes on one of the CLI's progress bars (src/core/progress.ts). */
export function progressInKilobytes(bar: BarProgress): Progress {
  let all = 0;
  let done = 0;
  const kb = (bytes: number): number => Math.round(bytes / 1024);
  return {
    start: (totalBytes) => {
      all = totalBytes;
      bar.update(0, kb(all));
    },
    advance: (bytes) => {
      done += bytes;
      bar.update(Math.min(kb(done), kb(all)), kb(all));
    },
    stop: () => bar.stop(),
  };
}

export function sha256Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

const sizeOf = (file: string): number => (existsSync(file) ? statSync(file).size : 0);

/** One consistent snapshot of a live SQLite database, taken in one backup step. */
async function copyDatabase(source: string, target: string): Promise<void> {
  const db = new Database(source, { readonly: true, fileMustExist: true, timeout: 10_000 });
  try {
    // The first step only measures; the next copies every page at once, under one read
    // transaction, so writers carry on (WAL) and the copy never restarts half-way.
    await db.backup(target, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  // A plain rollback-journal file: opening the copy then creates no -wal/-shm beside it, and
  // its bytes (and checksum) stay as written. The store turns WAL on again when it opens it.
  const copy = new Database(target);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

function logFacts(eventsFile: string): { headPosition: string; events: number } {
  const db = new Database(eventsFile, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT coalesce(max(position), 0) AS head, count(*) AS n FROM events').get() as {
      head: number;
      n: number;
    };
    return { headPosition: String(row.head), events: row.n };
  } finally {
    db.close();
  }
}

function lastCheckpoint(trailFile: string): BackupManifest['lastSignedCheckpoint'] {
  const db = new Database(trailFile, { readonly: true, fileMustExist: true });
  try {
    const hasEvents = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get();
    if (!hasEvents) return null;
    const row = db.prepare("SELECT data FROM events WHERE stream_id = 'checkpoint-log' ORDER BY revision DESC LIMIT 1").get() as
      { data: string } | undefined;
    if (!row) return null;
    const head = JSON.parse(row.data) as { size: number; lastPosition: string; signedAt: string };
    return { size: head.size, lastPosition: head.lastPosition, signedAt: head.signedAt };
  } finally {
    db.close();
  }
}

export interface BackupOptions {
  dataDir: string;
  target: string;
  readModels: boolean;
  progress?: Progress;
  now?: () => Date;
}

export async function backup(options: BackupOptions): Promise<BackupManifest> {
  const { dataDir, target } = options;
  const progress = options.progress ?? silent;
  if (!existsSync(join(dataDir, 'events.sqlite'))) {
    throw new OperationRefused(`There is no event log in DATA_DIR (${dataDir}): nothing to back up.`);
  }
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new OperationRefused(`${target} is not empty: give a new or empty folder for the backup.`);
  }
  mkdirSync(target, { recursive: true, mode: 0o700 });
  const databases = DATABASES.filter(
    (d) => existsSync(join(dataDir, d.name)) && (d.name !== 'read-models.sqlite' || options.readModels),
  );
  const plain = PLAIN_FILES.filter((name) => existsSync(join(dataDir, name)));
  const total = [...databases.map((d) => d.name), ...plain].reduce(
    (sum, name) => sum + sizeOf(join(dataDir, name)) + sizeOf(join(dataDir, `${name}-wal`)),
    0,
  );
  progress.start(total);
  try {
    for (const d of databases) {
      await copyDatabase(join(dataDir, d.name), join(target, d.name));
      progress.advance(sizeOf(join(dataDir, d.name)) + sizeOf(join(dataDir, `${d.name}-wal`)), d.name);
    }
    for (const name of plain) {
      copyFileSync(join(dataDir, name), join(target, name));
      progress.advance(sizeOf(join(dataDir, name)), name);
    }
  } finally {
    progress.stop();
  }
  const names = [...databases.map((d) => d.name), ...plain];
  const files: BackupFile[] = [];
  for (const name of names) {
    const file = join(target, name);
    chmodSync(file, 0o600);
    files.push({ name, bytes: statSync(file).size, sha256: await sha256Of(file) });
  }
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    ...logFacts(join(target, 'events.sqlite')),
    lastSignedCheckpoint: existsSync(join(target, 'trail.sqlite')) ? lastCheckpoint(join(target, 'trail.sqlite')) : null,
    readModels: names.includes('read-models.sqlite'),
    files,
  };
  writeFileSync(join(target, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return manifest;
}

export function readManifest(dir: string): BackupManifest {
  const file = join(dir, MANIFEST);
  if (!existsSync(file)) {
    throw new OperationRefused(`${dir} holds no ${MANIFEST}: it is not a finished Casetrail backup.`);
  }
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT) {
    throw new OperationRefused(`${file} is in format "${String(manifest.format)}", not ${BACKUP_FORMAT}.`);
  }
  return manifest;
}

/** Every file named by the manifest, with the size and checksum it records. */
export async function checkBackup(dir: string, manifest: BackupManifest): Promise<void> {
  const problems: string[] = [];
  for (const f of manifest.files) {
    const file = join(dir, f.name);
    if (!existsSync(file)) problems.push(`${f.name} is missing`);
    else if (statSync(file).size !== f.bytes || (await sha256Of(file)) !== f.sha256) problems.push(`${f.name} has changed`);
  }
  for (const name of ['events.sqlite', 'subject-keys.sqlite']) {
    if (!manifest.files.some((f) => f.name === name)) problems.push(`${name} is not in it`);
  }
  if (problems.length) {
    throw new OperationRefused(
      `The backup in ${dir} does not match its manifest (${problems.join('; ')}): it cannot be restored. Use another backup.`,
    );
  }
}

const sideFiles = (name: string): string[] => [name, `${name}-wal`, `${name}-shm`, `${name}-journal`];

export interface RestoreOptions {
  dataDir: string;
  source: string;
  /** Replace a store already in DATA_DIR (its files are moved aside, not deleted). */
  force: boolean;
  progress?: Progress;
  now?: () => Date;
}

export interface RestoreResult {
  restoredFrom: string;
  headPosition: string;
  events: number;
  readModels: boolean;
  files: string[];
  /** Where the files of the store it replaced were moved, when `force` replaced one. */
  movedAside?: string;
}

export async function restore(options: RestoreOptions): Promise<RestoreResult> {
  const { dataDir, source } = options;
  const progress = options.progress ?? silent;
  const manifest = readManifest(source);
  await checkBackup(source, manifest);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (serverIsRunning(dataDir)) {
    throw new OperationRefused(`A Casetrail server is running on DATA_DIR (${dataDir}). Stop it, then run restore again.`);
  }
  const present = readdirSync(dataDir).filter((name) => STORE_FILES.some((store) => sideFiles(store).includes(name)));
  let movedAside: string | undefined;
  if (present.some((name) => STORE_FILES.includes(name))) {
    if (!options.force) {
      throw new OperationRefused(
        `DATA_DIR (${dataDir}) already holds a store (${present.filter((n) => STORE_FILES.includes(n)).join(', ')}). ` +
          'Restore into an empty DATA_DIR, or add --force to move the present files aside (into DATA_DIR/before-restore-<time>/) and restore over them.',
      );
    }
  }
  if (present.length) {
    // Side files (-wal, -shm) of another database would be replayed onto the restored one: never leave them.
    movedAside = join(dataDir, `before-restore-${(options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-')}`);
    mkdirSync(movedAside, { mode: 0o700 });
    for (const name of present) renameSync(join(dataDir, name), join(movedAside, name));
  }
  progress.start(manifest.files.reduce((sum, f) => sum + f.bytes, 0));
  try {
    for (const f of manifest.files) {
      const partial = join(dataDir, `${f.name}.restoring`);
      copyFileSync(join(source, f.name), partial);
      chmodSync(partial, 0o600);
      renameSync(partial, join(dataDir, f.name));
      progress.advance(f.bytes, f.name);
    }
  } finally {
    progress.stop();
  }
  if (movedAside && readdirSync(movedAside).length === 0) rmSync(movedAside, { recursive: true });
  return {
    restoredFrom: source,
    headPosition: manifest.headPosition,
    events: manifest.events,
    readModels: manifest.readModels,
    files: manifest.files.map((f) => f.name),
    ...(movedAside && existsSync(movedAside) ? { movedAside } : {}),
  };
}
