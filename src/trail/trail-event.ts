import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { EventMetadata, EventStore, RecordedEvent } from '@casetrail/event-store';

/**
 * One event as the trail shows it: the stored shape (not upcast), with every metadata field,
 * so anyone can recompute `hash` from the other fields (see libs/event-store/src/hash-chain.ts).
 * Exports use exactly this shape, one per line.
 */
export class TrailEventView {
  @ApiProperty({ example: '42', description: 'Global position (bigint as string).' }) position!: string;
  @ApiProperty({ example: 'team-cin-north' }) streamId!: string;
  @ApiProperty({ example: '0' }) revision!: string;
  @ApiProperty({ example: 'TeamRegistered' }) type!: string;
  @ApiProperty({ example: 1 }) schemaVersion!: number;
  @ApiProperty({ description: 'Business time of the fact.' }) occurredAt!: string;
  @ApiProperty({ description: 'Store time: when Casetrail knew it.' }) recordedAt!: string;
  @ApiProperty() actorId!: string;
  @ApiProperty() actorRole!: string;
  @ApiProperty() correlationId!: string;
  @ApiProperty() causationId!: string;
  @ApiProperty() commandId!: string;
  @ApiProperty({ description: 'Event data as stored.' }) data!: unknown;
  @ApiProperty({ nullable: true, type: String }) prevHash!: string | null;
  @ApiProperty() hash!: string;
  @ApiPropertyOptional({
    description:
      'The change in words, as the caller may read it (src/trail/trail-reading.ts): personal text readable to whoever ' +
      'may read the record. Not in exports; never part of the hash.',
  })
  text?: string;
  @ApiPropertyOptional({
    example: 'Audit of CASE-2001',
    description: 'The record the event belongs to, by the name people know it by (a case reference, a title, a name).',
  })
  entity?: string;
}

/** The view of a stored event without its data (an export writes the data as its stored text). */
export const storedView = (
  row: Pick<RecordedEvent, 'position' | 'streamId' | 'revision' | 'type' | 'schemaVersion'>,
  metadata: EventMetadata,
): Omit<TrailEventView, 'data' | 'text'> => ({
  position: row.position.toString(),
  streamId: row.streamId,
  revision: row.revision.toString(),
  type: row.type,
  schemaVersion: row.schemaVersion,
  occurredAt: metadata.occurredAt,
  recordedAt: metadata.recordedAt,
  actorId: metadata.actorId,
  actorRole: metadata.actorRole,
  correlationId: metadata.correlationId,
  causationId: metadata.causationId,
  commandId: metadata.commandId,
  prevHash: metadata.prevHash,
  hash: metadata.hash,
});

/** The stored view with its data, in the place every trail line has it (between commandId and prevHash). */
export const toTrailEvent = (e: RecordedEvent): TrailEventView => {
  const { prevHash, hash, ...head } = storedView(e, e.metadata);
  return { ...head, data: e.data, prevHash, hash };
};

/** The metadata exactly as sealEvents wrote it, rebuilt from a trail line (for offline checks). */
export const metadataOf = (v: TrailEventView): EventMetadata => ({
  actorId: v.actorId,
  actorRole: v.actorRole,
  correlationId: v.correlationId,
  causationId: v.causationId,
  commandId: v.commandId,
  occurredAt: v.occurredAt,
  recordedAt: v.recordedAt,
  prevHash: v.prevHash,
  hash: v.hash,
});

/**
 * Smallest position whose event was recorded at or after `instant` (null when none): a binary
 * search over positions, which works because recordedAt never decreases in position order.
 * About 20 one-row reads on a million events, on any adapter.
 */
export async function firstPositionRecordedFrom(store: EventStore, instant: string, head: bigint): Promise<bigint | null> {
  const firstAtOrAfter = async (position: bigint): Promise<RecordedEvent | null> => {
    for await (const e of store.readAll({ fromPosition: position, toPosition: head, maxCount: 1, upcast: false })) return e;
    return null;
  };
  let low = 1n;
  let high = head;
  let found: bigint | null = null;
  while (low <= high) {
    const mid = (low + high) / 2n;
    const event = await firstAtOrAfter(mid);
    if (event === null) {
      high = mid - 1n;
    } else if (event.metadata.recordedAt >= instant) {
      found = event.position;
      high = mid - 1n;
    } else {
      low = event.position + 1n;
    }
  }
  return found;
}
