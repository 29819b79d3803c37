import { createHash } from 'node:crypto';
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

/** Default sort: UTF-16 code units, as RFC 8785 asks (and as the canonicalize package sorts). */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The RFC 8785 canonical JSON of what `JSON.parse(JSON.stringify(value))` would read back,
 * written in one walk of `value`: toJSON is applied, boxed primitives unwrapped, undefined,
 * functions and symbols left out of objects and written as null in arrays, non-finite numbers
 * written as null, keys sorted by UTF-16 code units. So it equals
 * `canonicalize(JSON.parse(JSON.stringify(value)))` without the round trip. Undefined when
 * JSON.stringify would write nothing at all.
 */
export function canonicalJson(value: unknown, key = ''): string | undefined {
  if (value !== null && (typeof value === 'object' || typeof value === 'bigint')) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = (toJSON as (key: string) => unknown).call(value, key);
  }
  if (value !== null && typeof value === 'object') {
    if (value instanceof Number) value = Number(value);
    else if (value instanceof String) value = String(value);
    else if (value instanceof Boolean) value = value.valueOf();
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          out += canonicalJson(value[i], String(i)) ?? 'null';
        }
        return `${out}]`;
      }
      const object = value as Record<string, unknown>;
      let out = '{';
      let first = true;
      for (const k of Object.keys(object).sort(byCodeUnits)) {
        const member = canonicalJson(object[k], k);
        if (member === undefined) continue;
        out += `${first ? '' : ','}${JSON.stringify(k)}:${member}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      return undefined; // undefined, function, symbol
  }
}

/**
 * hash = hex SHA-256 of the RFC 8785 canonical JSON of
 * { streamId, revision (string), type, schemaVersion, data, metadata without hash },
 * data and metadata taken as a reader gets them back from their stored JSON.
 * metadata.prevHash is the previous event's hash in the same stream (null at revision 0),
 * so changing, removing or reordering any stored event breaks every later hash.
 */
export function eventHash(input: HashInput): string {
  const canonical = canonicalJson({
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

/**
 * The same hash as eventHash, from data and metadata already in canonical JSON: the hashed text
 * is assembled around them (its keys are in RFC 8785 order: data, metadata, revision,
 * schemaVersion, streamId, type), so neither is serialised again.
 */
export function hashOfCanonicalParts(
  streamId: string,
  revision: bigint | number | string,
  type: string,
  schemaVersion: number,
  canonicalData: string,
  canonicalMetadata: string,
): string {
  return createHash('sha256')
    .update(
      `{"data":${canonicalData},"metadata":${canonicalMetadata},"revision":"${revision}",` +
        `"schemaVersion":${canonicalJson(schemaVersion)},"streamId":${JSON.stringify(streamId)},"type":${JSON.stringify(type)}}`,
    )
    .digest('hex');
}

/** One stored row's columns, as the SQL adapters keep them (data and metadata as stored text). */
export interface StoredEventText {
  streamId: string;
  revision: bigint | number | string;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
}

/**
 * Whether a stored row still hashes to the hash its metadata carries. The appends seal data in
 * canonical JSON, so the stored bytes are hashed as they are (no parse, no re-serialisation);
 * rows whose data is stored in another form (appended before that) are parsed and canonicalised
 * as eventHash does. Sound without parsing the data: the hashed text fixes where the data ends
 * (a "metadata" key at the top level of the text can only be the one assembled here), so a match
 * means the stored data is byte for byte what was sealed.
 */
export function storedTextMatches(row: StoredEventText, metadata: Partial<EventMetadata> | null): boolean {
  if (!metadata || typeof metadata !== 'object' || typeof metadata.hash !== 'string') return false;
  const { hash, ...withoutHash } = metadata;
  const canonicalMetadata = canonicalJson(withoutHash)!;
  const revision = row.revision.toString();
  if (hashOfCanonicalParts(row.streamId, revision, row.type, row.schemaVersion, row.data, canonicalMetadata) === hash) return true;
  let data: unknown;
  try {
    data = JSON.parse(row.data);
  } catch {
    return false;
  }
  const canonicalData = canonicalJson(data);
  if (canonicalData === undefined || canonicalData === row.data) return false; // already tried as it is
  return hashOfCanonicalParts(row.streamId, revision, row.type, row.schemaVersion, canonicalData, canonicalMetadata) === hash;
}
