import type BetterSqlite3 from 'better-sqlite3';
import type { DataSource } from 'typeorm';

/** Prepared statements of a better-sqlite3 connection, by SQL: each statement is prepared once per connection. */
const statements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement<unknown[], unknown>>>();

function prepared(db: BetterSqlite3.Database, sql: string): BetterSqlite3.Statement<unknown[], unknown> {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare<unknown[], unknown>(sql)));
  return statement;
}

/** `?` placeholders as PostgreSQL's numbered ones (the SQL given here holds no `?` inside strings). */
const numbered = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/**
 * The rows of one read-only statement on the read database, for the hot GET routes and the
 * look-ups commands make: a raw better-sqlite3 statement prepared once per connection on SQLite,
 * one parameterised query on PostgreSQL, instead of a TypeORM query built on every request.
 * `sql` uses `?` placeholders and quoted column names, and names tables plainly, so inside an
 * as-at scope (where `db.manager` is the scope's connection) it reads the history views.
 */
export async function readRows<T>(db: DataSource, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  const connection = db.manager.connection;
  if (connection.options.type === 'postgres') return (await db.query(numbered(sql), [...params])) as T[];
  const sqlite = (connection.driver as unknown as { databaseConnection: BetterSqlite3.Database }).databaseConnection;
  return prepared(sqlite, sql).all(...params) as T[];
}
