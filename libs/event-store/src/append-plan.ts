/**
 * The adapter-independent part of an append: validation, the expected-revision check,
 * idempotent replays, store time and the hash chain. Adapters call these inside their
 * own transaction, so every adapter enforces exactly the same rules.
 */
import { EventIdConflictError, InvalidAppendError, WrongExpectedRevisionError } from './errors';
import type { AppendResult, ExpectedRevision, NewEvent } from './event-store.port';
import { canonicalJson, sha256Hex } from './hash-chain';

/** The last event of a stream, as the adapter found it inside the append transaction. */
export interface StreamTail {
  revision: bigint | null;
  hash: string | null;
}

/** An already stored event whose id is one of the ids being appended. */
export interface StoredEventRef {
  eventId: string;
  streamId: string;
  revision: bigint;
  position: bigint;
}

/** A new event ready to insert: revision assigned, metadata completed and hashed. */
export interface SealedEvent {
  eventId: string;
  streamId: string;
  category: string;
  revision: bigint;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
  recordedAt: string;
  /** The event's hash, as written into `metadata`: the next event's prevHash. */
  hash: string;
}

const STREAM_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/; // lower case, as every store returns it
const METADATA_FIELDS = ['actorId', 'actorRole', 'correlationId', 'causationId', 'commandId', 'occurredAt'] as const;

/** Category = the part of the stream id before the first '-': what projections filter on. */
export const streamCategory = (streamId: string): string => {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
};

export function validateAppend(streamId: string, events: NewEvent[]): void {
  if (!STREAM_ID.test(streamId)) throw new InvalidAppendError(`Invalid stream id "${streamId}"`);
  if (events.length === 0) throw new InvalidAppendError(`Nothing to append to ${streamId}`);
  const ids = new Set<string>();
  // The events of one append mostly share their metadata values: those of the last metadata found
  // valid need no second look (nor occurredAt a second parse).
  let valid: NewEvent['metadata'] | null = null;
  for (const e of events) {
    if (!UUID.test(e.eventId)) throw new InvalidAppendError(`Event id "${e.eventId}" is not a uuid`);
    if (ids.has(e.eventId)) throw new InvalidAppendError(`Event id ${e.eventId} appears twice`);
    ids.add(e.eventId);
    if (!e.type) throw new InvalidAppendError('An event needs a type');
    if (!Number.isInteger(e.schemaVersion) || e.schemaVersion < 1) {
      throw new InvalidAppendError(`${e.type}: schemaVersion must be a positive integer`);
    }
    if (e.data === undefined) throw new InvalidAppendError(`${e.type}: data is missing`);
    const m = e.metadata as NewEvent['metadata'] | undefined;
    const last = valid;
    if (last !== null && m !== undefined && m !== null && METADATA_FIELDS.every((field) => m[field] === last[field])) continue;
    for (const field of METADATA_FIELDS) {
      if (typeof m?.[field] !== 'string' || m[field] === '') {
        throw new InvalidAppendError(`${e.type}: metadata.${field} is missing`);
      }
    }
    if (Number.isNaN(Date.parse(m!.occurredAt))) {
      throw new InvalidAppendError(`${e.type}: metadata.occurredAt is not a date`);
    }
    valid = m!;
  }
}

/**
 * When the ids being appended are already stored, the append is a retry of an earlier
 * one: return that append's result without writing, provided the ids sit in this stream,
 * in this order, at the place the writer expected. Anything else is refused.
 */
export function replayedAppend(
  streamId: string,
  events: NewEvent[],
  expected: ExpectedRevision,
  stored: StoredEventRef[],
): AppendResult | null {
  if (stored.length === 0) return null;
  const byId = new Map(stored.map((s) => [s.eventId, s]));
  const first = byId.get(events[0].eventId);
  events.forEach((e, i) => {
    const s = byId.get(e.eventId);
    if (!s) throw new EventIdConflictError(streamId, e.eventId, 'is new but is sent with events that are already stored');
    if (s.streamId !== streamId) throw new EventIdConflictError(streamId, e.eventId, `is already stored in stream ${s.streamId}`);
    if (!first || s.revision !== first.revision + BigInt(i)) {
      throw new EventIdConflictError(streamId, e.eventId, 'is already stored at another place in the stream');
    }
  });
  const before = first!.revision - 1n;
  const consistent =
    expected === 'any' ||
    (expected === 'no_stream' && before < 0n) ||
    (expected === 'stream_exists' && before >= 0n) ||
    expected === before;
  if (!consistent) throw new WrongExpectedRevisionError(streamId, expected, before < 0n ? null : before);
  const last = byId.get(events[events.length - 1].eventId)!;
  return { nextRevision: last.revision, position: last.position };
}

export function assertExpectedRevision(streamId: string, expected: ExpectedRevision, actual: bigint | null): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && actual === null) ||
    (expected === 'stream_exists' && actual !== null) ||
    (typeof expected === 'bigint' && actual === expected);
  if (!ok) throw new WrongExpectedRevisionError(streamId, expected, actual);
}

/** Store time never goes backwards in position order, even if the clock does. */
export function nextRecordedAt(now: Date, lastRecordedAt: string | null): string {
  const iso = now.toISOString();
  return lastRecordedAt !== null && lastRecordedAt > iso ? lastRecordedAt : iso;
}

/**
 * Assigns revisions, completes the metadata and hashes each event. Data and metadata are each
 * serialised once, as canonical JSON: those are the hashed bytes and the stored ones (the metadata
 * with its hash inserted in its sorted place), so verification can hash what it reads without
 * parsing it. A reader's JSON.parse gets the same values back.
 *
 * The metadata's canonical text is assembled from its parts, the same bytes as
 * canonicalMetadataJson then metadataWithHash: its keys in sorted order, each value written by
 * JSON.stringify. The events of one append mostly share their actor, ids and time, so those parts
 * (and the hashed text's tail: schema version, stream, type) are written once and reused while
 * they stay the same.
 */
export function sealEvents(streamId: string, events: NewEvent[], tail: StreamTail, recordedAt: string): SealedEvent[] {
  let revision = tail.revision === null ? 0n : tail.revision + 1n;
  let prevHashJson = JSON.stringify(tail.hash);
  const category = streamCategory(streamId);
  const streamIdJson = JSON.stringify(streamId);
  const recordedAtJson = `,"recordedAt":${JSON.stringify(recordedAt)}}`;
  let last: NewEvent['metadata'] | null = null;
  let head = '';
  let occurred = '';
  let lastType: string | null = null;
  let lastSchemaVersion = 0;
  let hashedTail = '';
  const sealed: SealedEvent[] = new Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const data = canonicalJson(e.data);
    if (data === undefined) throw new InvalidAppendError(`${e.type}: data cannot be written as JSON`);
    const m = e.metadata;
    if (
      last === null ||
      m.actorId !== last.actorId ||
      m.actorRole !== last.actorRole ||
      m.causationId !== last.causationId ||
      m.commandId !== last.commandId ||
      m.correlationId !== last.correlationId ||
      m.occurredAt !== last.occurredAt
    ) {
      head =
        `{"actorId":${JSON.stringify(m.actorId)},"actorRole":${JSON.stringify(m.actorRole)},` +
        `"causationId":${JSON.stringify(m.causationId)},"commandId":${JSON.stringify(m.commandId)},` +
        `"correlationId":${JSON.stringify(m.correlationId)}`;
      occurred = `,"occurredAt":${JSON.stringify(m.occurredAt)},"prevHash":`;
      last = m;
    }
    if (e.type !== lastType || e.schemaVersion !== lastSchemaVersion) {
      hashedTail = `","schemaVersion":${canonicalJson(e.schemaVersion)},"streamId":${streamIdJson},"type":${JSON.stringify(e.type)}}`;
      lastType = e.type;
      lastSchemaVersion = e.schemaVersion;
    }
    const rest = occurred + prevHashJson + recordedAtJson;
    const hash = sha256Hex(`{"data":${data},"metadata":${head}${rest},"revision":"${revision}${hashedTail}`);
    sealed[i] = {
      eventId: e.eventId,
      streamId,
      category,
      revision,
      type: e.type,
      schemaVersion: e.schemaVersion,
      data,
      metadata: `${head},"hash":"${hash}"${rest}`,
      recordedAt,
      hash,
    };
    revision += 1n;
    prevHashJson = `"${hash}"`;
  }
  return sealed;
}
