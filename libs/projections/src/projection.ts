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
  /** Before a batch is applied: preloads (RowTable.preload) the rows its events will read, a few queries instead of one per row. */
  prefetch?(events: RecordedEvent[], rows: RowBuffer): Promise<void>;
  apply(event: RecordedEvent, rows: RowBuffer): Promise<void> | void;
}

export type AnyProjection = Projection | BulkProjection;

export const isBulk = (p: AnyProjection): p is BulkProjection => p.writes === 'bulk';
