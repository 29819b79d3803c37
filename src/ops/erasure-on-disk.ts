/**
 * After an erasure, no readable copy of the erased text may stay in any file of DATA_DIR
 * (issue 17, item 12). The rebuild rewrites every view without it; these steps make sure the
 * bytes of the old rows are gone from the embedded read database's file and write-ahead log
 * too, and that no set-aside copy of the read database keeps them.
 */
import { Logger } from '@nestjs/common';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { CORRUPT_READ_DB } from '../core';

const isSqlite = (db: DataSource): boolean => db.options.type === 'better-sqlite3';

/** Before the rebuild: rows this connection deletes are overwritten with zeros, not just unlinked. */
export async function zeroDeletedRows(db: DataSource): Promise<void> {
  if (isSqlite(db)) await db.query('PRAGMA secure_delete = ON');
}

/**
 * After the rebuild and VACUUM: copies the write-ahead log into the file and empties it, so no
 * frame of an old page survives. A server's reader in the middle of a query can hold it back
 * for a moment: tried again for up to half a minute, then said in the log.
 */
export async function emptyWriteAheadLog(db: DataSource): Promise<boolean> {
  if (!isSqlite(db)) return true;
  for (let attempt = 0; attempt < 60; attempt++) {
    const [row] = (await db.query('PRAGMA wal_checkpoint(TRUNCATE)')) as { busy: number }[];
    if (row?.busy === 0) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  new Logger('Erasure').warn(
    'The read database write-ahead log could not be emptied while other connections used it: stop and start the server to finish.',
  );
  return false;
}

/** Removes read databases set aside as damaged (read-db-guard.ts): they may hold the erased text. */
export function removeSetAsideReadDbs(dataDir: string): string[] {
  const removed = readdirSync(dataDir).filter((name) => CORRUPT_READ_DB.test(name));
  for (const name of removed) rmSync(join(dataDir, name), { force: true });
  return removed;
}
