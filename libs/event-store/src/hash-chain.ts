import { hash as oneShotHash } from 'node:crypto';
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
  if (key === '') {
    const sorted = sortedForStringify(value);
    if (sorted !== NOT_PLAIN) return JSON.stringify(sorted);
  }
  return canonicalWalk(value, key);
}

/** Hex SHA-256 of a text, in one call (no Hash object per event). */
export const sha256Hex = (text: string): string => oneShotHash('sha256', text, 'hex');

/** sortedForStringify's answer for a value outside its plain-JSON fast path. */
const NOT_PLAIN: unique symbol = Symbol('not plain JSON');

/** An own key that native JSON.stringify would not write where RFC 8785 puts it (array indices come first), or cannot be copied. */
const AWKWARD_KEY = /^(?:\d+|__proto__)$/;

/**
 * The fast path of canonicalJson: for plain JSON-like data (plain objects and arrays, strings,
 * numbers, booleans, null, undefined members), the same value with every object's keys in
 * RFC 8785 order (copied only where they were not already), so native JSON.stringify writes the
 * canonical text. NOT_PLAIN for anything else (toJSON, boxed primitives, class instances,
 * array-index or __proto__ keys, bigint, functions, symbols): canonicalWalk handles those.
 */
function sortedForStringify(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined':
      return value;
    case 'object':
      break;
    default:
      return NOT_PLAIN;
  }
  if (value === null) return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto === Array.prototype) {
    const array = value as unknown[];
    if (typeof (array as { toJSON?: unknown }).toJSON === 'function') return NOT_PLAIN;
    let copy: unknown[] | null = null;
    for (let i = 0; i < array.length; i++) {
      const item = array[i];
      const sorted = sortedForStringify(item);
      if (sorted === NOT_PLAIN) return NOT_PLAIN;
      if (sorted !== item && copy === null) copy = array.slice(0, i);
      if (copy !== null) copy.push(sorted);
    }
    return copy ?? array;
  }
  if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
  const object = value as Record<string, unknown>;
  if (typeof object.toJSON === 'function') return NOT_PLAIN;
  const keys = Object.keys(object);
  const n = keys.length;
  // Objects of one shape (the data of one append's events, mostly) repeat their keys in the same
  // order: the keys checked last time and their sorted order need no second look.
  let order: number[] | null;
  if (n === lastKeys.length && keys.every((k, i) => k === lastKeys[i])) order = lastOrder;
  else {
    let inOrder = true;
    for (let i = 0; i < n; i++) {
      if (AWKWARD_KEY.test(keys[i])) return NOT_PLAIN;
      if (i > 0 && !(keys[i - 1] < keys[i])) inOrder = false;
    }
    order = inOrder ? null : keys.map((_, i) => i).sort((a, b) => byCodeUnits(keys[a], keys[b]));
    lastKeys = keys;
    lastOrder = order;
  }
  let changed = false;
  const members: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const member = object[keys[i]];
    const sorted = sortedForStringify(member);
    if (sorted === NOT_PLAIN) return NOT_PLAIN;
    if (sorted !== member) changed = true;
    members[i] = sorted;
  }
  if (order === null && !changed) return object;
  const copy: Record<string, unknown> = {};
  if (order === null) for (let i = 0; i < n; i++) copy[keys[i]] = members[i];
  else for (const i of order) copy[keys[i]] = members[i];
  return copy;
}

/** The keys of the last object sortedForStringify checked (all plain), and their sorted order (null: already sorted). */
let lastKeys: string[] = [];
let lastOrder: number[] | null = null;

/** canonicalJson written out member by member: every value, whatever its kind. */
function canonicalWalk(value: unknown, key: string): string | undefined {
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
          out += canonicalWalk(value[i], String(i)) ?? 'null';
        }
        return `${out}]`;
      }
      const object = value as Record<string, unknown>;
      let out = '{';
      let first = true;
      for (const k of Object.keys(object).sort(byCodeUnits)) {
        const member = canonicalWalk(object[k], k);
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
  return sha256Hex(canonical);
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
  return sha256Hex(
    `{"data":${canonicalData},"metadata":${canonicalMetadata},"revision":"${revision}",` +
      `"schemaVersion":${canonicalJson(schemaVersion)},"streamId":${JSON.stringify(streamId)},"type":${JSON.stringify(type)}}`,
  );
}

/**
 * canonicalJson of a metadata object, quickly when it has exactly the fields an append seals
 * (strings, prevHash a string or null): those copied in sorted order into a new object, whose
 * native JSON.stringify is then the canonical form (none of the keys is an array index).
 */
export function canonicalMetadataJson(metadata: object): string {
  const m = metadata as Record<string, unknown>;
  if (
    Object.keys(m).length === 8 &&
    typeof m.actorId === 'string' &&
    typeof m.actorRole === 'string' &&
    typeof m.causationId === 'string' &&
    typeof m.commandId === 'string' &&
    typeof m.correlationId === 'string' &&
    typeof m.occurredAt === 'string' &&
    (typeof m.prevHash === 'string' || (m.prevHash === null && Object.hasOwn(m, 'prevHash'))) &&
    typeof m.recordedAt === 'string'
  ) {
    return JSON.stringify({
      actorId: m.actorId,
      actorRole: m.actorRole,
      causationId: m.causationId,
      commandId: m.commandId,
      correlationId: m.correlationId,
      occurredAt: m.occurredAt,
      prevHash: m.prevHash,
      recordedAt: m.recordedAt,
    });
  }
  return canonicalJson(metadata)!;
}

/**
 * The stored metadata text: the canonical JSON of the metadata with the hash in its sorted place
 * (after correlationId, before occurredAt), so a verifier can take the hash back out of the text
 * and hash what is left as it is.
 */
export function metadataWithHash(canonicalMetadata: string, hash: string): string {
  const at = canonicalMetadata.indexOf(',"occurredAt":');
  if (at < 0) return JSON.stringify({ ...(JSON.parse(canonicalMetadata) as object), hash });
  return `${canonicalMetadata.slice(0, at)},"hash":"${hash}"${canonicalMetadata.slice(at)}`;
}

/** The hash member of a stored metadata text and the text without it; null when it has none. */
function splitHash(metadata: string): { hash: string; rest: string } | null {
  const at = metadata.indexOf(',"hash":"');
  if (at < 0) return null;
  const end = metadata.indexOf('"', at + 9);
  if (end < 0) return null;
  return { hash: metadata.slice(at + 9, end), rest: metadata.slice(0, at) + metadata.slice(end + 1) };
}

/** The columns of a stored row that its hash covers besides the metadata (data as its stored text). */
export interface StoredEventText {
  streamId: string;
  revision: bigint | number | string;
  type: string;
  schemaVersion: number;
  data: string;
}

/**
 * Whether a stored row still hashes to the hash its metadata carries; the hash it carries (the
 * Merkle leaf's input) comes back with the answer. The appends seal data and metadata as
 * canonical JSON, the metadata with its hash in its sorted place, so a row is hashed as it is
 * stored: the hash taken out of the metadata text, the rest hashed as it is, nothing parsed or
 * serialised again. Rows stored in another form (appended before that) are parsed and
 * canonicalised as eventHash does.
 *
 * Sound without parsing: the hashed text fixes where the data ends and the metadata begins (a
 * top-level "metadata" key can only be the one assembled here, as a sealed metadata object has
 * none and quotes inside strings are escaped), so a match means the data text is byte for byte
 * what was sealed and the metadata text is the sealed one with the hash inserted once, provided
 * the metadata text is JSON: the caller parses it (for the chain's links) and reports a row whose
 * metadata is not JSON as having no hash.
 */
export function storedTextMatches(row: StoredEventText, metadataText: string): { matches: boolean; hash: string } {
  const split = splitHash(metadataText);
  const revision = row.revision.toString();
  if (split && hashOfCanonicalParts(row.streamId, revision, row.type, row.schemaVersion, row.data, split.rest) === split.hash) {
    return { matches: true, hash: split.hash };
  }
  let metadata: Partial<EventMetadata> | null;
  let data: unknown;
  try {
    metadata = JSON.parse(metadataText) as Partial<EventMetadata> | null;
  } catch {
    return { matches: false, hash: '' };
  }
  const hash = typeof metadata?.hash === 'string' ? metadata.hash : '';
  if (!metadata || typeof metadata !== 'object' || !hash) return { matches: false, hash };
  try {
    data = JSON.parse(row.data);
  } catch {
    return { matches: false, hash };
  }
  const { hash: _stored, ...withoutHash } = metadata;
  const canonicalData = canonicalJson(data);
  const matches =
    canonicalData !== undefined &&
    hashOfCanonicalParts(
      row.streamId,
      revision,
      row.type,
      row.schemaVersion,
      canonicalData,
      canonicalMetadataJson(withoutHash),
    ) === hash;
  return { matches, hash };
}
