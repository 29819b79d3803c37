import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { EventMetadata } from './event-store.port';

/** What one event's hash covers. `revision` is a decimal string so bigint survives JSON. */
export interface HashInput {
  streamId: string;
  revision: bigint;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: Omit<EventMetadata, 'hash'>;
}

/**
 * hash = hex SHA-256 of the RFC 8785 canonical JSON of
 * { streamId, revision (string), type, schemaVersion, data, metadata without hash }.
 * metadata.prevHash is the previous event's hash in the same stream (null at revision 0),
 * so changing, removing or reordering any stored event breaks every later hash.
 */
export function eventHash(input: HashInput): string {
  const canonical = canonicalize({
    streamId: input.streamId,
    revision: input.revision.toString(),
    type: input.type,
    schemaVersion: input.schemaVersion,
    data: input.data,
    metadata: input.metadata,
  });
  if (canonical === undefined) throw new Error('event cannot be canonicalised');
  return createHash('sha256').update(canonical).digest('hex');
}
