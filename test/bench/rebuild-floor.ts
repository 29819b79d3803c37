/**
 * The write floor of a SQLite rebuild: every row a rebuild left in the read database (rows and
 * their history), inserted again into an empty database with the same tables and indexes through
 * raw better-sqlite3 prepared statements, a transaction per 5,000 rows (the rebuild's batch), WAL
 * with synchronous=NORMAL and no automatic checkpoint, one checkpoint at the end, as the rebuild
 * writes. Nothing read from the log, nothing folded: no rebuild that writes these rows on one
 * thread can be faster than this. The rows are read into memory before the clock starts.
 */
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface WriteFloor {
  rows: number;
  seconds: number;
  cpuSeconds: number;
}

/** Loads the tables of `readDbFile` once; `time(scratchFile)` writes them all into a fresh database there. */
export function rebuildWriteFloor(readDbFile: string): { time(scratchFile: string): WriteFloor } {
  const source = new Database(readDbFile, { readonly: true });
  let tables: { name: string; sql: string; rows: unknown[][] }[];
  let indexes: string[];
  try {
    tables = source
      .prepare<[], { name: string; sql: string }>(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
      )
      .all()
      .map((t) => ({ ...t, rows: source.prepare(`SELECT * FROM "${t.name}"`).raw().all() as unknown[][] }));
    // Indexes, not triggers: the history rows are inserted as stored, so no trigger may write them again.
    indexes = source
      .prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
      .all()
      .map((i) => i.sql);
  } finally {
    source.close();
  }
  const rows = tables.reduce((n, t) => n + t.rows.length, 0);
  return {
    time(scratchFile: string): WriteFloor {
      for (const suffix of ['', '-wal', '-shm']) rmSync(scratchFile + suffix, { force: true });
      const db = new Database(scratchFile);
      try {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        db.pragma('wal_autocheckpoint = 0');
        for (const t of tables) db.exec(t.sql);
        for (const sql of indexes) db.exec(sql);
        const cpu = process.cpuUsage();
        const start = performance.now();
        for (const t of tables) {
          if (t.rows.length === 0) continue;
          const insert = db.prepare(`INSERT INTO "${t.name}" VALUES (${t.rows[0].map(() => '?').join(', ')})`);
          const batch = db.transaction((from: number) => {
            for (let r = from; r < Math.min(from + 5000, t.rows.length); r++) insert.run(t.rows[r]);
          });
          for (let from = 0; from < t.rows.length; from += 5000) batch(from);
        }
        db.pragma('wal_checkpoint(TRUNCATE)');
        const used = process.cpuUsage(cpu);
        return { rows, seconds: (performance.now() - start) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
      } finally {
        db.close();
        for (const suffix of ['', '-wal', '-shm']) rmSync(scratchFile + suffix, { force: true });
      }
    },
  };
}
