import type { EventFilter, RecordedEvent } from '@casetrail/event-store';
import type { EntityManager, ObjectLiteral } from 'typeorm';

/**
 * A read model: named, versioned, fed by the events its filter selects. `apply` writes
 * through the EntityManager of the batch's transaction, and must be deterministic, so a
 * rebuild from position 0 produces the same rows.
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
  apply(event: RecordedEvent, manager: EntityManager): Promise<void>;
}
