/**
 * Pure mapping between Casetrail's envelope and what `@kurrent/kurrentdb-client` reads and
 * writes. Kept apart from the adapter so it is unit-tested without a server.
 */
import type { CurrentStreamState, ResolvedEvent } from '@kurrent/kurrentdb-client';
import type { EventFilter, EventMetadata, RecordedEvent } from './event-store.port';

/** The envelope's metadata as stored in KurrentDB: a JSON object whose values are all strings. */
export type StoredMetadata = Record<string, string>;

const ENVELOPE_FIELDS = [
  'actorId',
  'actorRole',
  'correlationId',
  'causationId',
  'commandId',
  'occurredAt',
  'recordedAt',
  'prevHash',
  'hash',
] as const;

/**
 * From the sealed metadata JSON (append-plan's sealEvents) to string-valued custom metadata.
 * prevHash null (revision 0) is stored as ''. `$correlationId`/`$causationId` are
 * KurrentDB's own conventions (its projections and UI read them); schemaVersion has no
 * other place in a KurrentDB event.
 */
export function encodeMetadata(sealedMetadataJson: string, schemaVersion: number): StoredMetadata {
  const sealed = JSON.parse(sealedMetadataJson) as EventMetadata;
  const stored: StoredMetadata = {};
  for (const field of ENVELOPE_FIELDS) stored[field] = sealed[field] ?? '';
  stored.schemaVersion = String(schemaVersion);
  stored.$correlationId = sealed.correlationId;
  stored.$causationId = sealed.causationId;
  return stored;
}

/** Inverse of encodeMetadata; null when the event was not written by Casetrail. */
export function decodeMetadata(raw: unknown): { metadata: EventMetadata; schemaVersion: number } | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const stored = raw as Record<string, unknown>;
  if (typeof stored.hash !== 'string' || typeof stored.schemaVersion !== 'string') return null;
  const text = (field: string): string => (typeof stored[field] === 'string' ? (stored[field] as string) : '');
  const schemaVersion = Number(stored.schemaVersion);
  if (!Number.isInteger(schemaVersion) || schemaVersion < 1) return null;
  return {
    schemaVersion,
    // Exactly the fields sealEvents hashed, so the chain verifies on what readers see.
    metadata: {
      actorId: text('actorId'),
      actorRole: text('actorRole'),
      correlationId: text('correlationId'),
      causationId: text('causationId'),
      commandId: text('commandId'),
      occurredAt: text('occurredAt'),
      recordedAt: text('recordedAt'),
      prevHash: text('prevHash') === '' ? null : text('prevHash'),
      hash: text('hash'),
    },
  };
}

/**
 * A resolved event from a stream read, `$all` read or subscription, as a RecordedEvent
 * (not upcast). Null for system events ($-streams, $-types) and events Casetrail did not write.
 */
export function decodeRecordedEvent(resolved: ResolvedEvent): RecordedEvent | null {
  const event = resolved.event;
  if (!event || event.streamId.startsWith('$') || event.type.startsWith('$')) return null;
  const envelope = decodeMetadata(event.metadata);
  if (!envelope) return null;
  const position = event.position?.commit ?? resolved.commitPosition;
  if (position === undefined) {
    // KurrentDB populates positions on stream reads since 22.6; older servers are not supported.
    throw new Error(`KurrentDB returned no $all position for ${event.streamId}@${event.revision}: server older than 22.6?`);
  }
  return {
    eventId: event.id,
    streamId: event.streamId,
    revision: event.revision,
    position,
    type: event.type,
    schemaVersion: envelope.schemaVersion,
    data: event.data as unknown,
    metadata: envelope.metadata,
  };
}

/** The client's "current" stream state in a WrongExpectedVersionError, as the port's actual revision. */
export function actualRevisionOf(state: CurrentStreamState | undefined): bigint | null {
  return typeof state === 'bigint' ? state : null;
}

/** Exact match on any of the types, for the server's event-type regex filter. */
export function eventTypesRegex(types: string[]): string {
  const escaped = types.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `^(?:${escaped.join('|')})$`;
}

/** The port's filter, checked on each event (the server filter is one of prefixes or types). */
export function matchesEventFilter(filter: EventFilter | undefined, event: RecordedEvent): boolean {
  if (filter?.streamPrefixes && !filter.streamPrefixes.some((p) => event.streamId.startsWith(p))) return false;
  if (filter?.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  return true;
}

export function toIsoInstant(value: Date | string): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new RangeError(`recordedUntil is not a date: ${String(value)}`);
  return date.toISOString();
}
