/**
 * Whether a Casetrail server has DATA_DIR open. A server holds a shared SQLite lock on
 * DATA_DIR/server.lock (an empty database) for as long as it runs; the operating system drops
 * the lock when the process ends, even on kill -9, so a crashed server leaves nothing stale.
 * Several servers may hold it at once; `restore`, which must not run under a live server,
 * asks for an exclusive lock and is refused while any holder remains.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';

export const SERVER_LOCK_FILE = 'server.lock';

export class ServerPresence {
  private constructor(private readonly db: Database.Database) {}

  /** Marks DATA_DIR as in use by this process until release(). */
  static hold(dataDir: string): ServerPresence {
    const db = new Database(join(dataDir, SERVER_LOCK_FILE), { timeout: 10_000 });
    db.pragma('journal_mode = DELETE');
    db.exec('BEGIN');
    // A read inside the open transaction takes the shared lock and keeps it until ROLLBACK.
    db.prepare('SELECT count(*) AS n FROM sqlite_master').get();
    return new ServerPresence(db);
  }

  release(): void {
    if (!this.db.open) return;
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.db.close();
  }
}

/** True while any server process holds DATA_DIR (see ServerPresence). */
export function serverIsRunning(dataDir: string): boolean {
  const db = new Database(join(dataDir, SERVER_LOCK_FILE), { timeout: 0 });
  try {
    db.exec('BEGIN EXCLUSIVE');
    db.exec('ROLLBACK');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw error;
  } finally {
    db.close();
  }
}
