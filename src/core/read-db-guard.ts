/**
 * A corrupt embedded read database (DATA_DIR/read-models.sqlite) must not stop the server: the
 * read models are rebuilt from the log, so the damaged file is moved aside (with its -wal and
 * -shm) and a new one is made; the projection runner then rebuilds every view, since its
 * tables are missing. Said in the log, with where the damaged copy went.
 */
import { Logger } from '@nestjs/common';
import Database from 'better-sqlite3';
import { existsSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { serverIsRunning } from './server-presence';

export const READ_DB_FILE = 'read-models.sqlite';
/** Damaged read databases moved aside: `read-models.corrupt-<time>.sqlite`. */
export const CORRUPT_READ_DB = /^read-models\.corrupt-.*\.sqlite(-wal|-shm)?$/;

/** Why the file cannot be used, or null when it opens as a SQLite database with readable checkpoints (or is absent). */
export function readDbDamage(file: string): string | null {
  if (!existsSync(file) || statSync(file).size === 0) return null;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 10_000 });
    // The header, the schema and the checkpoints: cheap at any size (PRAGMA quick_check reads
    // every page, about a second per 100,000 events' worth of views). Damage deeper in a table
    // shows when a projection or query reads it: /health then names the failing projection.
    db.prepare('SELECT count(*) AS n FROM sqlite_master').get();
    const checkpoints = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'projection_checkpoints'").get();
    if (checkpoints) db.prepare('SELECT * FROM projection_checkpoints').all();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    db?.close();
  }
}

/**
 * Moves a damaged read database aside. The server does this at start-up; the CLI only while no
 * server runs (a running server has the file open), and otherwise says what to do.
 */
export function setAsideDamagedReadDb(dataDir: string, mode: 'server' | 'cli', now = new Date()): string | null {
  const file = join(dataDir, READ_DB_FILE);
  const damage = readDbDamage(file);
  if (damage === null) return null;
  if (mode === 'cli' && serverIsRunning(dataDir)) {
    throw new Error(
      `The read database ${file} is damaged (${damage}). Restart the server: it moves the damaged file aside and rebuilds the read models from the log.`,
    );
  }
  const aside = join(dataDir, `read-models.corrupt-${now.toISOString().replace(/[:.]/g, '-')}.sqlite`);
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
  }
  new Logger('ReadDatabase').warn(
    `The read database ${file} is damaged (${damage}): moved it to ${aside} and rebuilding every read model from the log. ` +
      'Delete the moved copy once you no longer need it: it may hold personal text.',
  );
  return aside;
}
