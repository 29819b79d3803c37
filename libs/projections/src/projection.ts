import type { EventFilter, RecordedEvent } from '@casetrail/event-store';
import type { EntityManager, ObjectLiteral } from 'typeorm';
import type { RowBuffer } from './row-buffer';

/**
 * A read model: named, versioned, fed by the events its filter selects. `apply` writes
 * through the EntityManager of the batch's transaction, and must be deterministic, so a
 * rebuild from position 0 produces the same rows. Its tables' row history is kept by
 * database triggers (row-history.ts).
 *
 * Bump `version` whenever `apply` or the entities change: the runner then empties the
 * projection's tables and replays the log from position 0.
 */
export interface Projection {
  name: string;
  version: number;
  filter: EventFilter;
  /** The TypeORM entities this projection owns exclusively (emptied on rebuild). */
  entities: (new () => ObjectLiteral)[];
  writes?: undefined;
  /** Which row history its as-at views need (default: all of it, every index mirrored). */
  history?: HistoryOptions;
  apply(event: RecordedEvent, manager: EntityManager): Promise<void>;
}

/**
 * A read model written in bulk: `apply` folds each event into an in-memory buffer of rows
 * (read through, keyed by primary key), and the runner writes the whole batch with
 * multi-row statements, and the row history (one version per event that changed a row)
 * itself, in the batch's transaction. No triggers: for the projections whose events come
 * by the hundred thousand (audits), one statement per row change is most of a rebuild.
 * Same rules otherwise: deterministic, versioned, its entities its own.
 */
export interface BulkProjection {
  name: string;
  version: number;
  filter: EventFilter;
  entities: (new () => ObjectLiteral)[];
  writes: 'bulk';
  /** Which row history its as-at views need (default: all of it, every index mirrored). */
  history?: HistoryOptions;
  /** Before a batch is applied: preloads (RowTable.preload) the rows its events will read, a few queries instead of one per row. */
  prefetch?(events: RecordedEvent[], rows: RowBuffer): Promise<void>;
  apply(event: RecordedEvent, rows: RowBuffer): Promise<void> | void;
}

export type AnyProjection = Projection | BulkProjection;

/**
 * What of a projection's row history (row-history.ts) its as-at views need. By default every
 * table keeps its history, indexed by primary key and position, with each of the table's own
 * indices mirrored. A history version is written for every change of a row, so every mirrored
 * index makes every change dearer: `indices` (by table name) lists the column lists the as-at
 * queries look rows up by (each is indexed with the position after it); a table not listed
 * then mirrors none. `false`: no history at all, for tables no as-at view reads (their as-at
 * reads see the current rows).
 */
export type HistoryOptions = false | { indices: Record<string, string[][]> };

/** The history options of a projection (see HistoryOptions). */
export const historyOf = (p: AnyProjection): HistoryOptions | undefined => p.history;

export const isBulk = (p: AnyProjection): p is BulkProjection => p.writes === 'bulk';
