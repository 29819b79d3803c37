import { createHash } from 'node:crypto';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { isBulk, type AnyProjection as Projection } from './projection';

/**
 * Row-version history of every projection table, kept by the database itself.
 *
 * For each entity table X a table `X__history` holds every version a row of X ever had, with
 * `_from` (position of the event that made this version current) and `_to` (position of the
 * event that replaced or deleted it; NULL while current). Triggers on X write it, reading the
 * position of the event being applied, which the runner sets before each event. So every
 * write path (TypeORM insert/save/delete, updateRows, raw SQL) is captured by construction,
 * and no projection has any code for it. The exception is a BulkProjection: the runner writes
 * its rows and their versions itself, a batch at a time (row-buffer.ts), into the same
 * history tables, and its tables have no triggers.
 *
 * "X as at position P" is then the versions with `_from <= P < coalesce(_to, infinity)`:
 * exactly the rows X had once every event up to P was applied. Views of that name-for-name
 * (as-at views) let unchanged queries read the past.
 *
 * A bulk table may keep its open versions in the row itself: an entity column named `_from`
 * (OPEN_VERSION_COLUMN), which the runner sets to the position of the event that wrote the row.
 * Its history then holds only closed versions (a row written once, most of them, is written
 * once, not twice), and its as-at view is those versions together with the rows whose `_from`
 * is at or before P.
 */

export const HISTORY_SUFFIX = '__history';
/** An entity column of this name keeps the row's own (open) version out of its history (see above). */
export const OPEN_VERSION_COLUMN = '_from';
/** SQLite: one row holding the position of the event being applied (triggers read it). */
export const APPLY_POSITION_TABLE = 'projection_apply_position';
/** PostgreSQL: transaction-local setting holding the position of the event being applied. */
export const APPLY_POSITION_SETTING = 'casetrail.apply_position';
/** PostgreSQL: the schema of the as-at views, and the setting they read their position from. */
export const AS_AT_SCHEMA = 'as_at';
export const AS_AT_POSITION_SETTING = 'casetrail.as_at_position';
/** SQLite: the temp table an as-at connection keeps its position in. */
export const AS_AT_POSITION_TABLE = 'as_at';

/** What the generated DDL needs to know about one entity table. */
export interface HistoryTable {
  projection: string;
  /** Written by the runner in bulk (BulkProjection): no triggers. */
  bulk: boolean;
  /** The entity's schema when it names one (PostgreSQL); otherwise the connection's current schema. */
  schema: string | undefined;
  table: string;
  history: string;
  /** X's columns (with `_from` when the row keeps its open version: `openInRow`). */
  columns: string[];
  /** The row keeps its open version (a `_from` column): the history holds closed versions only. */
  openInRow: boolean;
  primary: string[];
  /** Column lists indexed in the history (with the position after them; never unique): the table's own indices and unique constraints, or those its projection's `history.indices` names. */
  indices: string[][];
}

type Dialect = 'sqlite' | 'postgres';

export const dialectOf = (dataSource: DataSource): Dialect => {
  const type = dataSource.options.type;
  if (type === 'postgres') return 'postgres';
  if (type === 'better-sqlite3' || type === 'sqlite') return 'sqlite';
  throw new Error(`Row history supports PostgreSQL and SQLite read databases, not ${type}`);
};

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Index and trigger names: readable, but within PostgreSQL's 63 characters. */
const objectName = (history: string, suffix: string): string => {
  const name = `${history}_${suffix}`;
  if (name.length <= 63) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, 63 - 9 - suffix.length - 1)}_${hash}_${suffix}`;
};

/** The history tables of these projections, from TypeORM metadata (none for a projection with `history: false`). */
export function historyTables(dataSource: DataSource, projections: Projection[]): HistoryTable[] {
  return projections.flatMap((p) =>
    (p.history === false ? [] : p.entities).map((entity) => {
      const metadata = dataSource.getMetadata(entity);
      const names = (columns: { databaseName: string }[]): string[] => columns.map((c) => c.databaseName);
      const openInRow = metadata.columns.some((c) => c.databaseName === OPEN_VERSION_COLUMN);
      if (openInRow && !isBulk(p))
        throw new Error(
          `${metadata.tableName}: only a bulk projection's table may keep its open version in a ${OPEN_VERSION_COLUMN} column`,
        );
      return {
        projection: p.name,
        bulk: isBulk(p),
        schema: metadata.schema,
        table: metadata.tableName,
        history: metadata.tableName + HISTORY_SUFFIX,
        columns: names(metadata.columns),
        openInRow,
        primary: names(metadata.primaryColumns),
        indices: p.history
          ? (p.history.indices[metadata.tableName] ?? [])
          : [...metadata.indices, ...metadata.uniques].map((i) => names(i.columns)).filter((c) => c.length > 0),
      };
    }),
  );
}

/** Lets the history triggers know which event's position the next writes belong to. */
export async function setApplyPosition(manager: EntityManager, position: bigint): Promise<void> {
  if (manager.connection.options.type === 'postgres') {
    await manager.query(`SELECT set_config('${APPLY_POSITION_SETTING}', $1, true)`, [position.toString()]);
  } else {
    await manager.query(`UPDATE ${APPLY_POSITION_TABLE} SET position = ? WHERE id = 1`, [position.toString()]);
  }
}

/** Empties the history of these tables (a rebuild refills it from position 0). */
export async function clearHistory(manager: EntityManager, tables: HistoryTable[]): Promise<void> {
  for (const t of tables) await manager.query(`DELETE FROM ${t.schema ? `${q(t.schema)}.` : ''}${q(t.history)}`);
}

/** PostgreSQL: the schema holding the as-at views of the tables in `schema`. */
export const asAtSchemaFor = (schema: string): string => (schema === 'public' ? AS_AT_SCHEMA : `${schema}_${AS_AT_SCHEMA}`);

/**
 * Creates (or brings up to date) the history tables, their indexes and triggers, and on
 * PostgreSQL the as-at views. Idempotent. Returns the projections whose history had to be
 * created or recreated: their rows have no history yet, so they must be rebuilt.
 */
export async function ensureRowHistory(dataSource: DataSource, projections: Projection[]): Promise<Set<string>> {
  const dialect = dialectOf(dataSource);
  const stale = new Set<string>();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    const current = dialect === 'postgres' ? await currentSchema(runner) : '';
    if (dialect === 'sqlite') {
      await runner.query(
        `CREATE TABLE IF NOT EXISTS ${APPLY_POSITION_TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), position INTEGER NOT NULL)`,
      );
      await runner.query(`INSERT OR IGNORE INTO ${APPLY_POSITION_TABLE} (id, position) VALUES (1, 0)`);
    }
    for (const table of historyTables(dataSource, projections)) {
      const schema = table.schema ?? current;
      const t: Located = {
        ...table,
        dialect,
        schema,
        at: (name) => (dialect === 'postgres' ? `${q(schema)}.${q(name)}` : q(name)),
      };
      if (await ensureHistoryTable(runner, t)) stale.add(t.projection);
      await ensureIndexes(runner, t);
      await ensureTriggers(runner, t);
      if (dialect === 'postgres') await ensurePostgresView(runner, t);
    }
    // Projections that keep no history (`history: false`): any they kept before goes.
    for (const p of projections.filter((p) => p.history === false)) {
      for (const entity of p.entities) await dropHistory(runner, dataSource, entity, dialect, current);
    }
    await runner.commitTransaction();
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
  return stale;
}

/** A history table with its dialect and resolved schema; `at(name)` qualifies a name in that schema. */
interface Located extends HistoryTable {
  dialect: Dialect;
  schema: string;
  at(name: string): string;
}

/** Column name -> declared type of a table (empty when it does not exist). */
async function describe(runner: QueryRunner, t: Located, table: string): Promise<Map<string, string>> {
  const rows: { name: string; type: string }[] =
    t.dialect === 'sqlite'
      ? await runner.query(`SELECT name, type FROM pragma_table_info(?) ORDER BY cid`, [table])
      : await runner.query(
          `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
             FROM pg_attribute a
             JOIN pg_class c ON c.oid = a.attrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum`,
          [t.schema, table],
        );
  return new Map(rows.map((r) => [r.name, r.type]));
}

/** Creates the history table, or recreates it when X's columns changed. True when (re)created. */
async function ensureHistoryTable(runner: QueryRunner, t: Located): Promise<boolean> {
  const live = await describe(runner, t, t.table);
  const existing = await describe(runner, t, t.history);
  const position = t.dialect === 'postgres' ? 'bigint' : 'INTEGER';
  const versioned = t.columns.filter((c) => c !== OPEN_VERSION_COLUMN);
  const wanted = new Map<string, string>(versioned.map((c) => [c, live.get(c) ?? '']));
  wanted.set('_from', position);
  wanted.set('_to', position);
  const same = existing.size === wanted.size && [...wanted].every(([name, type]) => existing.get(name) === type);
  if (same) return false;
  // CASCADE: the as-at view on it goes too, and is recreated below.
  if (existing.size > 0) await runner.query(`DROP TABLE ${t.at(t.history)}${t.dialect === 'postgres' ? ' CASCADE' : ''}`);
  // Every column nullable and no keys: a table of versions, written only by the triggers.
  const columns = versioned.map((c) => `${q(c)} ${wanted.get(c)}`);
  await runner.query(
    `CREATE TABLE ${t.at(t.history)} (${[...columns, `"_from" ${position} NOT NULL`, `"_to" ${position}`].join(', ')})`,
  );
  return true;
}

/**
 * The condition selecting, in `history`, the current version of the row whose key columns equal
 * `keyOf(column)`: the newest version of that key, if still open (one probe of the key +
 * position index, however many versions the key has). `alias`: how `history` is named in the
 * statement (its columns are qualified with it), when it is.
 */
export function currentVersion(history: string, primary: string[], keyOf: (column: string) => string, alias?: string): string {
  const own = (c: string): string => (alias ? `${alias}.${q(c)}` : q(c));
  const key = primary.map((c) => `${own(c)} = ${keyOf(c)}`).join(' AND ');
  const newest = primary.map((c) => `n.${q(c)} = ${keyOf(c)}`).join(' AND ');
  return `${key} AND ${own('_from')} = (SELECT max(n."_from") FROM ${history} AS n WHERE ${newest}) AND ${own('_to')} IS NULL`;
}

async function ensureIndexes(runner: QueryRunner, t: Located): Promise<void> {
  const cols = (names: string[]): string => names.map(q).join(', ');
  const wanted = new Map<string, string>();
  // No index of the current versions: the key + position index below finds a key's current
  // version (its newest, currentVersion) in one probe, and every version written pays for each index.
  // The rows' keys and the lookups as-at views need, narrowed by _from (the as-at views filter on it).
  for (const [i, columns] of [t.primary, ...t.indices].entries()) {
    // Named after the columns: a changed list makes another index, and the old one is dropped below.
    const name = objectName(
      t.history,
      i === 0 ? 'pk' : `by_${createHash('sha256').update(columns.join(',')).digest('hex').slice(0, 10)}`,
    );
    if (wanted.has(name)) continue;
    wanted.set(name, `CREATE INDEX IF NOT EXISTS ${q(name)} ON ${t.at(t.history)} (${cols([...columns, '_from'])})`);
  }
  const existing = (
    t.dialect === 'sqlite'
      ? ((await runner.query(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`, [
          t.history,
        ])) as { name: string }[])
      : ((await runner.query(`SELECT indexname AS name FROM pg_indexes WHERE schemaname = $1 AND tablename = $2`, [
          t.schema,
          t.history,
        ])) as { name: string }[])
  ).map((r) => r.name);
  // Indices no as-at view needs any more (every mirrored index, before a projection named its own): each costs every write.
  for (const name of existing)
    if (!wanted.has(name))
      await runner.query(`DROP INDEX IF EXISTS ${t.dialect === 'postgres' ? `${q(t.schema)}.` : ''}${q(name)}`);
  for (const sql of wanted.values()) await runner.query(sql);
}

async function ensureTriggers(runner: QueryRunner, t: Located): Promise<void> {
  const history = t.at(t.history);
  const pos = t.dialect === 'sqlite' ? `(SELECT position FROM ${APPLY_POSITION_TABLE} WHERE id = 1)` : 'pos';
  const insert = `INSERT INTO ${history} (${[...t.columns.map(q), '"_from"'].join(', ')})
      VALUES (${[...t.columns.map((c) => `NEW.${q(c)}`), pos].join(', ')});`;
  if (t.bulk) return dropTriggers(runner, t);
  const current = `${t.primary.map((c) => `${q(c)} = OLD.${q(c)}`).join(' AND ')} AND "_to" IS NULL`;
  // A version made and replaced by the same event never was visible at any position: drop it.
  const open = currentVersion(history, t.primary, (c) => `OLD.${q(c)}`);
  const close = `DELETE FROM ${history} WHERE ${current} AND "_from" = ${pos};
      UPDATE ${history} SET "_to" = ${pos} WHERE ${open};`;
  if (t.dialect === 'sqlite') {
    const triggers = { insert: insert, update: close + insert, delete: close };
    for (const [event, body] of Object.entries(triggers)) {
      const name = q(objectName(t.history, event));
      await runner.query(`DROP TRIGGER IF EXISTS ${name}`);
      await runner.query(`CREATE TRIGGER ${name} AFTER ${event.toUpperCase()} ON ${q(t.table)} FOR EACH ROW BEGIN ${body} END`);
    }
    return;
  }
  const fn = t.at(objectName(t.history, 'capture'));
  await runner.query(`CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $body$
    DECLARE pos bigint := nullif(current_setting('${APPLY_POSITION_SETTING}', true), '')::bigint;
    BEGIN
      IF pos IS NULL THEN
        RAISE EXCEPTION '${t.table} changed outside the projection runner (no ${APPLY_POSITION_SETTING})';
      END IF;
      IF TG_OP IN ('UPDATE', 'DELETE') THEN ${close} END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN ${insert} END IF;
      RETURN NULL;
    END $body$`);
  const trigger = q(objectName(t.history, 'trigger'));
  await runner.query(`DROP TRIGGER IF EXISTS ${trigger} ON ${t.at(t.table)}`);
  await runner.query(
    `CREATE TRIGGER ${trigger} AFTER INSERT OR UPDATE OR DELETE ON ${t.at(t.table)} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
  );
}

/** Drops a table's history, its triggers and (PostgreSQL) its as-at view. */
async function dropHistory(
  runner: QueryRunner,
  dataSource: DataSource,
  entity: Projection['entities'][number],
  dialect: Dialect,
  current: string,
): Promise<void> {
  const metadata = dataSource.getMetadata(entity);
  const schema = metadata.schema ?? current;
  const at = (name: string): string => (dialect === 'postgres' ? `${q(schema)}.${q(name)}` : q(name));
  const history = metadata.tableName + HISTORY_SUFFIX;
  const t = { dialect, history, table: metadata.tableName, at } as Located;
  await dropTriggers(runner, t);
  if (dialect === 'postgres') await runner.query(`DROP VIEW IF EXISTS ${q(asAtSchemaFor(schema))}.${q(metadata.tableName)}`);
  await runner.query(`DROP TABLE IF EXISTS ${at(history)}`);
}

/** A bulk projection's table: the runner writes its history, so no trigger may (a table that was not bulk before keeps none). */
async function dropTriggers(runner: QueryRunner, t: Located): Promise<void> {
  if (t.dialect === 'sqlite') {
    for (const event of ['insert', 'update', 'delete'])
      await runner.query(`DROP TRIGGER IF EXISTS ${q(objectName(t.history, event))}`);
    return;
  }
  await runner.query(`DROP TRIGGER IF EXISTS ${q(objectName(t.history, 'trigger'))} ON ${t.at(t.table)}`);
  await runner.query(`DROP FUNCTION IF EXISTS ${t.at(objectName(t.history, 'capture'))}()`);
}

/**
 * The versions current at `position` (an SQL expression), with X's columns only: from the history,
 * and, for a table keeping its open versions in its rows, its rows made at or before `position`.
 */
function asAtSelect(t: HistoryTable, historyRef: string, tableRef: string, position: string): string {
  const columns = t.columns.map(q).join(', ');
  const closed = `SELECT ${columns} FROM ${historyRef} WHERE "_from" <= ${position} AND ("_to" IS NULL OR "_to" > ${position})`;
  return t.openInRow ? `${closed} UNION ALL SELECT ${columns} FROM ${tableRef} WHERE "_from" <= ${position}` : closed;
}

async function ensurePostgresView(runner: QueryRunner, t: Located): Promise<void> {
  const views = q(asAtSchemaFor(t.schema));
  const position = `current_setting('${AS_AT_POSITION_SETTING}')::bigint`;
  await runner.query(`CREATE SCHEMA IF NOT EXISTS ${views}`);
  await runner.query(`DROP VIEW IF EXISTS ${views}.${q(t.table)}`);
  await runner.query(`CREATE VIEW ${views}.${q(t.table)} AS ${asAtSelect(t, t.at(t.history), t.at(t.table), position)}`);
}

async function currentSchema(runner: QueryRunner): Promise<string> {
  const [row] = (await runner.query(`SELECT current_schema() AS schema`)) as { schema: string }[];
  return row.schema;
}

/**
 * SQLite: turns a dedicated (read-only is fine) connection into an as-at reader. TEMP views
 * named like the tables shadow them on this connection only (SQLite resolves unqualified
 * names in `temp` first); they read the position from a temp table (setAsAtPosition).
 */
export async function createSqliteAsAtViews(dataSource: DataSource, projections: Projection[]): Promise<void> {
  await dataSource.query(`CREATE TEMP TABLE IF NOT EXISTS ${AS_AT_POSITION_TABLE} (position INTEGER NOT NULL)`);
  await dataSource.query(`DELETE FROM temp.${AS_AT_POSITION_TABLE}`);
  await dataSource.query(`INSERT INTO temp.${AS_AT_POSITION_TABLE} (position) VALUES (0)`);
  for (const t of historyTables(dataSource, projections)) {
    await dataSource.query(`DROP VIEW IF EXISTS temp.${q(t.table)}`);
    await dataSource.query(
      `CREATE TEMP VIEW ${q(t.table)} AS ${asAtSelect(t, `main.${q(t.history)}`, `main.${q(t.table)}`, `(SELECT position FROM temp.${AS_AT_POSITION_TABLE})`)}`,
    );
  }
}

/** SQLite: points this connection's as-at views at `position`. */
export async function setSqliteAsAtPosition(dataSource: DataSource, position: bigint): Promise<void> {
  await dataSource.query(`UPDATE temp.${AS_AT_POSITION_TABLE} SET position = ?`, [position.toString()]);
}

/**
 * PostgreSQL: inside the query runner's open transaction, makes unqualified table names
 * resolve to the as-at views at `position` until the transaction ends.
 */
export async function enterPostgresAsAt(runner: QueryRunner, position: bigint, schema?: string): Promise<void> {
  const tables = schema ?? (await currentSchema(runner));
  await runner.query(`SELECT set_config('${AS_AT_POSITION_SETTING}', $1, true), set_config('search_path', $2, true)`, [
    position.toString(),
    `${q(asAtSchemaFor(tables))}, ${q(tables)}`,
  ]);
}
