import type { EntityManager, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { DomainEvent } from '@casetrail/kernel';
import type { RecordedEvent } from '@casetrail/event-store';
import type { Projection } from '@casetrail/projections';

/**
 * A read model of one row per event of one type, never changed afterwards (a published protocol
 * version, an alert, a bank holiday): `row` makes the row from the event and its record.
 */
export function rowPerEvent<E extends DomainEvent, R extends ObjectLiteral>(spec: {
  name: string;
  version: number;
  filter: Projection['filter'];
  entity: new () => R;
  type: E['type'];
  row: (event: E, recorded: RecordedEvent) => QueryDeepPartialEntity<R>;
}): Projection {
  return {
    name: spec.name,
    version: spec.version,
    filter: spec.filter,
    entities: [spec.entity],
    async apply(recorded: RecordedEvent, manager: EntityManager) {
      const event = recorded as unknown as E;
      if (event.type === spec.type) await manager.insert(spec.entity, spec.row(event, recorded));
    },
  };
}
