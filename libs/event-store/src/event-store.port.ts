/**
 * The event store port. Every adapter (sqlite, postgres, and later KurrentDB) implements
 * exactly this interface and passes the one shared contract suite
 * (libs/event-store/test/event-store.contract.int.spec.ts).
 *
 * Revisions and positions are bigint. A stream's first event has revision 0n. Positions
 * are opaque, strictly increasing numbers in global commit order (not necessarily dense).
 */

/** What the caller believes about the stream before appending. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** Metadata supplied by the writer (the command handler): who, why, and business time. */
export interface EventMetadataInput {
  actorId: string;
  actorRole: string;
  correlationId: string;
  causationId: string;
  commandId: string;
  /** Business time of the fact, ISO 8601, from the command (never the store clock). */
  occurredAt: string;
}

/** Metadata as recorded: the writer's fields plus store time and the per-stream hash chain. */
export interface EventMetadata extends EventMetadataInput {
  /** Store time, ISO 8601 UTC with milliseconds; non-decreasing in global position order. */
  recordedAt: string;
  /** Hash of the previous event in the same stream; null for revision 0. */
  prevHash: string | null;
  /** SHA-256 (hex) over RFC 8785 canonical JSON; see hash-chain.ts. */
  hash: string;
}

export interface NewEvent<D = unknown> {
  /** A uuid. Appending an event id that is already at the same place in the stream is a no-op. */
  eventId: string;
  type: string;
  schemaVersion: number;
  data: D;
  metadata: EventMetadataInput;
}

export interface RecordedEvent<D = unknown> {
  eventId: string;
  streamId: string;
  revision: bigint;
  position: bigint;
  type: string;
  /** After upcasting: the current schema version of this type (unless read with upcast: false). */
  schemaVersion: number;
  data: D;
  metadata: EventMetadata;
}

export interface AppendOptions {
  /** Defaults to 'any'. */
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last event now in the stream: pass it as expectedRevision next time. */
  nextRevision: bigint;
  /** Global position of the last event appended. */
  position: bigint;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** Inclusive. Defaults to the first (forwards) or last (backwards) event. */
  fromRevision?: bigint;
  /** Inclusive bound in the direction of reading. */
  toRevision?: bigint;
  direction?: Direction;
  maxCount?: number;
  /** Apply the upcaster registry (default true). Integrity checks read the stored shape. */
  upcast?: boolean;
}

export interface EventFilter {
  /** Stream id prefixes, e.g. ['team-', 'user-']. An event matches if any prefix matches. */
  streamPrefixes?: string[];
  /** Event types. An event matches if its type is in the list. */
  eventTypes?: string[];
}

export interface ReadAllOptions {
  /** Inclusive. */
  fromPosition?: bigint;
  /** Inclusive. */
  toPosition?: bigint;
  /** Knowledge time: only events whose recordedAt is at or before this instant. */
  recordedUntil?: Date | string;
  filter?: EventFilter;
  direction?: Direction;
  maxCount?: number;
  upcast?: boolean;
}

export interface SubscribeOptions {
  /** Exclusive: deliver events after this position. Defaults to 'start' (everything). */
  fromPosition?: bigint | 'start';
  filter?: EventFilter;
  upcast?: boolean;
}

/**
 * A subscription first delivers every stored event after fromPosition ("catch-up"), then
 * a `caught-up` message carrying the position it has read through (which may be past the
 * last delivered event when a filter skipped some), then live events as they are appended
 * by this or any other process, with a `caught-up` message after each burst.
 */
export type SubscriptionMessage = { kind: 'event'; event: RecordedEvent } | { kind: 'caught-up'; position: bigint };

export interface EventSubscription extends AsyncIterable<SubscriptionMessage> {
  close(): Promise<void>;
}

export interface EventStore {
  /** Atomic: all events are appended, or none. Throws WrongExpectedRevisionError on mismatch. */
  appendToStream(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  subscribeToAll(options?: SubscribeOptions): EventSubscription;
  /** Position of the last event in the log; 0n when the log is empty. */
  headPosition(): Promise<bigint>;
  /**
   * Knowledge time to log position: the last position recorded at or before `instant`
   * (0n when nothing was). An index lookup, not a scan: as-at reads start here.
   */
  positionAt(instant: Date | string): Promise<bigint>;
  close(): Promise<void>;
  /**
   * Optional (the SQL adapters have it): the log in position order, a page at a time, as stored:
   * data and metadata as their stored text, neither parsed nor upcast. For checks over the stored
   * bytes (trail verification), which would otherwise parse what they only hash.
   */
  readStoredPages?(options?: StoredPagesOptions): AsyncIterable<StoredEventRow[]>;
  /**
   * Optional (only a store that decrypts personal text has it): a value that moves whenever a key
   * may have been destroyed since it was last asked (an erasure by this process or another, e.g.
   * the CLI). Whoever keeps text read from the store (the command handler's kept stream states)
   * drops it when the value moves. Asked once per command, so it must stay cheap.
   */
  keyGeneration?(): Promise<string | number> | string | number;
}

export interface StoredPagesOptions {
  /** Inclusive. */
  fromPosition?: bigint;
  /** Inclusive. */
  toPosition?: bigint;
  /** Rows per page (default: the adapter's large page, 5,000). */
  pageSize?: number;
}

/** One stored event as its row holds it. */
export interface StoredEventRow {
  position: bigint;
  streamId: string;
  revision: bigint;
  eventId: string;
  type: string;
  schemaVersion: number;
  /** The stored JSON text of the data. */
  data: string;
  /** The stored JSON text of the metadata. */
  metadata: string;
}

/** Nest injection token for the EventStore port. */
export const EVENT_STORE = Symbol('EVENT_STORE');
