import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Column, getMetadataArgsStorage, type EntityManager, type ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { DomainEvent } from '@casetrail/kernel';
import type { EventMetadata, RecordedEvent } from '@casetrail/event-store';
import type { Projection } from '@casetrail/projections';

type Stamp = keyof Pick<EventMetadata, 'occurredAt' | 'actorId' | 'recordedAt'>;

/** Per row class: which column keeps which field of the event's record. */
const stamps = new WeakMap<object, [column: string, field: Stamp][]>();

const stampColumn =
  (field: Stamp, length: number): PropertyDecorator =>
  (target, column) => {
    stamps.set(target.constructor, [...(stamps.get(target.constructor) ?? []), [column as string, field]]);
    applyDecorators(ApiProperty(), Column({ type: 'varchar', length }))(target, column);
  };

/** A column of a row-per-event row that keeps when its event occurred (business time). */
export const OccurredAtColumn = (): PropertyDecorator => stampColumn('occurredAt', 30);
/** A column of a row-per-event row that keeps who recorded its event. */
export const ActorColumn = (length = 100): PropertyDecorator => stampColumn('actorId', length);
/** A column of a row-per-event row that keeps when its event was stored (store time). */
export const RecordedAtColumn = (): PropertyDecorator => stampColumn('recordedAt', 30);

/**
 * A read model of one row per event of one type, never changed afterwards (a published protocol
 * version, an alert, a bank holiday), named after its table (audit_frameworks: audit-frameworks).
 * The row is the event's data, null where the event leaves out an optional field, with the stamp
 * columns above taken from the event's record and `row` for any column computed otherwise.
 */
export function rowPerEvent<E extends DomainEvent, R extends ObjectLiteral>(
  entity: new () => R,
  type: E['type'],
  spec: {
    version: number;
    filter: Projection['filter'];
    row?: (event: E, recorded: RecordedEvent) => QueryDeepPartialEntity<R>;
  },
): Projection {
  const table = getMetadataArgsStorage().tables.find((t) => t.target === entity)!.name!;
  let nullable: string[] | undefined;
  return {
    name: table.replaceAll('_', '-'),
    version: spec.version,
    filter: spec.filter,
    entities: [entity],
    async apply(recorded: RecordedEvent, manager: EntityManager) {
      const event = recorded as unknown as E;
      if (event.type !== type) return;
      nullable ??= manager.connection
        .getMetadata(entity)
        .columns.filter((c) => c.isNullable)
        .map((c) => c.propertyName);
      const row: ObjectLiteral = { ...(event.data as ObjectLiteral) };
      for (const column of nullable) row[column] ??= null;
      for (const [column, field] of stamps.get(entity) ?? []) row[column] = recorded.metadata[field];
      await manager.insert(entity, { ...row, ...spec.row?.(event, recorded) });
    },
  };
}
