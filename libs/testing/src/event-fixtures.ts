import { randomUUID } from 'node:crypto';
import type { EventMetadataInput, NewEvent, RecordedEvent } from '@casetrail/event-store';

export const testMetadata = (overrides: Partial<EventMetadataInput> = {}): EventMetadataInput => ({
  actorId: 'user-test',
  actorRole: 'admin',
  correlationId: randomUUID(),
  causationId: randomUUID(),
  commandId: randomUUID(),
  occurredAt: '2026-04-01T09:00:00.000Z',
  ...overrides,
});

export const newEvent = <D>(type: string, data: D, overrides: Partial<NewEvent<D>> = {}): NewEvent<D> => ({
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  data,
  metadata: testMetadata(),
  ...overrides,
});

/** Collects an async iterable: for tests only (production code streams). */
export async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

export const revisionsOf = (events: RecordedEvent[]): bigint[] => events.map((e) => e.revision);
