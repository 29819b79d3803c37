/**
 * KurrentDB (formerly EventStoreDB) adapter, on `@kurrent/kurrentdb-client`.
 *
 * Mapping (see also kurrentdb-mapping.ts):
 * - stream ids and revisions are KurrentDB's own; our `position` is the event's commit
 *   position in `$all` (commit = prepare for every event written outside the legacy
 *   explicit transactions, which this adapter never uses). Positions are bigint, opaque
 *   and not dense.
 * - event ids are the caller's (deterministic) ids, so a retried append is deduplicated
 *   by the server's idempotency check as well as by ours.
 * - the envelope's metadata (writer fields, recordedAt, prevHash, hash, schemaVersion) is
 *   stored as the event's custom metadata: a JSON object of strings.
 * - the hash chain and upcasters are the shared ones (append-plan.ts). Each append reads
 *   the stream's recent events first (for the chain's last hash, the expected-revision
 *   check and idempotent replays) and then appends with the exact revision it saw, so a
 *   concurrent writer makes the server refuse instead of forking the chain. Appends with
 *   'any' or 'stream_exists' retry on that refusal; exact expectations report it.
 * - `$all` reads and subscriptions filter on the server by stream prefix (or event type)
 *   and skip system events ($-streams); the filter is re-checked here.
 */
import {
  BACKWARDS,
  END,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  KurrentDBClient,
  NO_STREAM,
  START,
  streamNameFilter,
  eventTypeFilter,
  StreamNotFoundError,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
  type AllStreamSubscription,
  type Filter,
  type Position,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import {
  assertExpectedRevision,
  nextRecordedAt,
  replayedAppend,
  sealEvents,
  validateAppend,
  type StoredEventRef,
} from './append-plan';
import { WrongExpectedRevisionError } from './errors';
import type {
  AppendOptions,
  AppendResult,
  EventFilter,
  EventStore,
  EventSubscription,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  SubscriptionMessage,
} from './event-store.port';
import {
  actualRevisionOf,
  decodeRecordedEvent,
  encodeMetadata,
  eventTypesRegex,
  matchesEventFilter,
  toIsoInstant,
} from './kurrentdb-mapping';
import { UpcasterRegistry } from './upcasters';

export interface KurrentDbEventStoreOptions {
  /** e.g. `kurrentdb://node1:2113?tls=false` or `esdb://...`. */
  connectionString: string;
  upcasters?: UpcasterRegistry;
  /** How many of a stream's last events an append inspects for idempotent replays (default 64). */
  replayWindow?: number;
  /** Server checkpoint interval multiplier for filtered subscriptions (× the 32-event search window). */
  checkpointInterval?: number;
  /** First and longest wait before resubscribing after a dropped subscription. */
  resubscribeBackoffMs?: { initial: number; max: number };
  /** Accepted for symmetry with the SQL adapters; the client streams reads itself. */
  pageSize?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The part of a stream an append needs: its last event and any of the ids being appended. */
interface StreamState {
  tail: RecordedEvent | null;
  stored: StoredEventRef[];
}

export class KurrentDbEventStore implements EventStore {
  private readonly upcasters: UpcasterRegistry;
  private readonly replayWindow: number;
  private readonly checkpointInterval: number;
  private readonly backoff: { initial: number; max: number };
  private readonly subscriptions = new Set<() => Promise<void>>();
  /** recordedAt of this handle's last append: store time never goes backwards here. */
  private lastRecordedAt: string | null = null;
  private closed = false;

  private constructor(
    private readonly client: KurrentDBClient,
    options: KurrentDbEventStoreOptions,
  ) {
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.replayWindow = Math.max(1, options.replayWindow ?? 64);
    this.checkpointInterval = Math.max(1, options.checkpointInterval ?? 1);
    this.backoff = options.resubscribeBackoffMs ?? { initial: 100, max: 5_000 };
  }

  /** Connects and reads the head once, so a wrong address fails at start-up, not at the first command. */
  static async connect(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
    const client = KurrentDBClient.connectionString(options.connectionString);
    const store = new KurrentDbEventStore(client, options);
    try {
      await store.headPosition();
    } catch (error) {
      await client.dispose();
      throw error;
    }
    return store;
  }

  // ------------------------------------------------------------------ append

  async appendToStream(streamId: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    validateAppend(streamId, events);
    const expected = options.expectedRevision ?? 'any';
    for (let attempt = 1; ; attempt++) {
      const { tail, stored } = await this.streamState(streamId, expected, events);
      const replay = replayedAppend(streamId, events, expected, stored);
      if (replay) return replay;
      const tailRevision = tail?.revision ?? null;
      assertExpectedRevision(streamId, expected, tailRevision);
      const lastKnown = [tail?.metadata.recordedAt ?? null, this.lastRecordedAt].reduce<string | null>(
        (a, b) => (a === null || (b !== null && b > a) ? b : a),
        null,
      );
      const sealed = sealEvents(
        streamId,
        events,
        { revision: tailRevision, hash: tail?.metadata.hash ?? null },
        nextRecordedAt(new Date(), lastKnown),
      );
      try {
        const result = await this.client.appendToStream(
          streamId,
          sealed.map((e) =>
            jsonEvent({
              id: e.eventId,
              type: e.type,
              data: JSON.parse(e.data) as never,
              metadata: encodeMetadata(e.metadata, e.schemaVersion),
            }),
          ),
          // The exact revision the chain was sealed on: a concurrent writer makes this fail.
          { streamState: tailRevision === null ? NO_STREAM : tailRevision },
        );
        this.lastRecordedAt = sealed[0].recordedAt;
        const position = result.position?.commit ?? (await this.lastPositionOf(streamId));
        return { nextRevision: result.nextExpectedRevision, position };
      } catch (error) {
        if (!(error instanceof KurrentWrongExpectedVersionError)) throw error;
        if (typeof expected === 'bigint' || expected === 'no_stream') {
          throw new WrongExpectedRevisionError(streamId, expected, actualRevisionOf(error.actualState));
        }
        // 'any' / 'stream_exists': someone else appended first; re-read and seal again.
        if (attempt >= 500) throw error;
        if (attempt > 2) await sleep(Math.random() * Math.min(50, 2 ** attempt));
      }
    }
  }

  private async streamState(
    streamId: string,
    expected: AppendOptions['expectedRevision'],
    events: NewEvent[],
  ): Promise<StreamState> {
    const ids = new Set(events.map((e) => e.eventId));
    const recent = await this.collectStream(streamId, {
      direction: 'backwards',
      maxCount: Math.max(this.replayWindow, events.length),
      upcast: false,
    });
    const stored = recent.filter((e) => ids.has(e.eventId));
    // An exact expectation names where a retried batch would sit: look there too if it is older than the window.
    const expectedStart = typeof expected === 'bigint' ? expected + 1n : expected === 'no_stream' ? 0n : null;
    const oldestSeen = recent.length ? recent[recent.length - 1].revision : null;
    if (expectedStart !== null && oldestSeen !== null && expectedStart < oldestSeen) {
      const there = await this.collectStream(streamId, { fromRevision: expectedStart, maxCount: events.length, upcast: false });
      stored.push(...there.filter((e) => ids.has(e.eventId) && !stored.some((s) => s.eventId === e.eventId)));
    }
    return { tail: recent[0] ?? null, stored };
  }

  private async collectStream(streamId: string, options: ReadStreamOptions): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    for await (const e of this.readStream(streamId, options)) out.push(e);
    return out;
  }

  private async lastPositionOf(streamId: string): Promise<bigint> {
    const [last] = await this.collectStream(streamId, { direction: 'backwards', maxCount: 1, upcast: false });
    return last.position;
  }

  // ------------------------------------------------------------------ reads

  private decode(resolved: ResolvedEvent, upcast: boolean): RecordedEvent | null {
    const event = decodeRecordedEvent(resolved);
    return event && upcast ? this.upcasters.upcast(event) : event;
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    const upcast = options.upcast !== false;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (remaining <= 0) return;
    const to = options.toRevision;
    const from = options.fromRevision;
    if (from !== undefined && to !== undefined) {
      const span = backwards ? from - to : to - from;
      if (span < 0n) return;
      remaining = Math.min(remaining, Number(span) + 1);
    }
    const reads = this.client.readStream(streamId, {
      fromRevision: from ?? (backwards ? END : START),
      direction: backwards ? BACKWARDS : FORWARDS,
      ...(Number.isFinite(remaining) ? { maxCount: remaining } : {}),
    });
    try {
      for await (const resolved of reads) {
        const event = this.decode(resolved, upcast);
        if (!event) continue;
        if (to !== undefined && (backwards ? event.revision < to : event.revision > to)) return;
        yield event;
        if (--remaining <= 0) return;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      throw error;
    }
  }

  /** The server-side half of a filter; the client-side half (matchesEventFilter) is always applied too. */
  private serverFilter(
    filter: EventFilter | undefined,
    subscription?: { checkpointReached: (position: Position) => void },
  ): Filter {
    const checkpoint = subscription
      ? {
          checkpointInterval: this.checkpointInterval,
          checkpointReached: (_s: unknown, position: Position) => subscription.checkpointReached(position),
        }
      : {};
    if (filter?.streamPrefixes?.length) return streamNameFilter({ prefixes: filter.streamPrefixes, ...checkpoint });
    if (filter?.eventTypes?.length) return eventTypeFilter({ regex: eventTypesRegex(filter.eventTypes), ...checkpoint });
    return excludeSystemEvents(checkpoint);
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const filter = options.filter;
    if (filter?.streamPrefixes?.length === 0 || filter?.eventTypes?.length === 0) return;
    const backwards = options.direction === 'backwards';
    const upcast = options.upcast !== false;
    const until = options.recordedUntil === undefined ? null : toIsoInstant(options.recordedUntil);
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (remaining <= 0) return;
    const from = options.fromPosition;
    const to = options.toPosition;
    const serverFilter = this.serverFilter(filter);
    // The server can count for us only when its filter is the whole filter.
    const serverCountsExactly = until === null && !(filter?.streamPrefixes?.length && filter?.eventTypes?.length);
    const keep = (e: RecordedEvent): boolean =>
      matchesEventFilter(filter, e) && (until === null || e.metadata.recordedAt <= until);

    if (backwards && from !== undefined) {
      // Reading $all backwards from a position starts before it; the port's bound is inclusive.
      for await (const resolved of this.client.readAll({
        fromPosition: { commit: from, prepare: from },
        direction: FORWARDS,
        maxCount: 1,
        filter: serverFilter,
      })) {
        const event = this.decode(resolved, upcast);
        if (event && event.position === from && keep(event) && (to === undefined || event.position >= to)) {
          yield event;
          remaining--;
        }
      }
      if (remaining <= 0) return;
    }

    const reads = this.client.readAll({
      fromPosition: from === undefined ? (backwards ? END : START) : { commit: from, prepare: from },
      direction: backwards ? BACKWARDS : FORWARDS,
      filter: serverFilter,
      ...(serverCountsExactly && Number.isFinite(remaining) ? { maxCount: remaining } : {}),
    });
    for await (const resolved of reads) {
      const event = this.decode(resolved, upcast);
      if (!event) continue;
      if (backwards && from !== undefined && event.position >= from) continue;
      if (to !== undefined && (backwards ? event.position < to : event.position > to)) return;
      if (!keep(event)) continue;
      yield event;
      if (--remaining <= 0) return;
    }
  }

  async headPosition(): Promise<bigint> {
    for await (const resolved of this.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      filter: excludeSystemEvents(),
    })) {
      const event = decodeRecordedEvent(resolved);
      if (event) return event.position;
    }
    return 0n;
  }

  /** No index on recordedAt in KurrentDB: the newest event at or before it, read backwards. */
  async positionAt(instant: Date | string): Promise<bigint> {
    for await (const event of this.readAll({ recordedUntil: instant, direction: 'backwards', maxCount: 1, upcast: false })) {
      return event.position;
    }
    return 0n;
  }

  // ------------------------------------------------------------------ subscriptions

  /**
   * A `$all` subscription, filtered on the server, that survives drops: when the server
   * ends it ("consumer too slow", leader change, connection lost) it resubscribes from
   * the last event delivered or checkpoint received, after a growing pause.
   */
  subscribeToAll(options: SubscribeOptions = {}): EventSubscription {
    const filter = options.filter;
    const upcast = options.upcast !== false;
    const start = options.fromPosition === undefined || options.fromPosition === 'start' ? null : options.fromPosition;
    /** What has been delivered or passed over: resubscriptions start after it (-1: nothing yet). */
    let cursor: bigint = start ?? -1n;
    let resumeFrom: Position | typeof START = start === null ? START : { commit: start, prepare: start };
    let caughtUp = false;
    let reported: bigint | null = null;
    let closed = false;
    let pauses = 0;
    const queue: SubscriptionMessage[] = [];
    let wake: (() => void) | null = null;
    let failure: unknown = null;
    let current: AllStreamSubscription | null = null;
    let retryTimer: NodeJS.Timeout | null = null;

    const push = (message: SubscriptionMessage): void => {
      queue.push(message);
      if (queue.length >= 1000) current?.pause(); // let the server hold the rest (it may drop us: we resubscribe)
      wake?.();
    };
    const reportCaughtUp = (): void => {
      if (reported === cursor && queue[queue.length - 1]?.kind === 'caught-up') return;
      reported = cursor;
      push({ kind: 'caught-up', position: cursor < 0n ? 0n : cursor });
    };
    const advanceTo = (position: Position): void => {
      if (position.commit <= cursor) return;
      cursor = position.commit;
      resumeFrom = position;
    };

    const open = (): void => {
      if (closed) return;
      caughtUp = false;
      let received = 0;
      // caughtUp and checkpoints arrive as events/callbacks, ahead of data still buffered in the
      // client's stream: each waits until the data before it has been delivered.
      const markers: { after: number; apply: () => void }[] = [];
      // Its callbacks run later, once the helpers below exist.
      const subscription: AllStreamSubscription = this.client.subscribeToAll({
        fromPosition: resumeFrom,
        filter: this.serverFilter(filter, {
          checkpointReached: (position) =>
            afterBuffered(() => {
              advanceTo(position);
              if (caughtUp) endOfBurst();
            }),
        }),
      });
      const afterBuffered = (apply: () => void): void => {
        const after = received + subscription.readableLength;
        if (after <= received && markers.length === 0) apply();
        else markers.push({ after, apply });
      };
      const flushMarkers = (): void => {
        while (markers.length && markers[0].after <= received) markers.shift()!.apply();
      };
      let burstCheck: NodeJS.Immediate | null = null;
      const endOfBurst = (): void => {
        if (burstCheck) return;
        burstCheck = setImmediate(() => {
          burstCheck = null;
          if (caughtUp && !closed && current === subscription && subscription.readableLength === 0 && markers.length === 0) {
            reportCaughtUp();
          }
        });
      };
      current = subscription;
      subscription.on('data', (resolved: ResolvedEvent) => {
        received++;
        pauses = 0;
        const event = this.decode(resolved, upcast);
        if (event && event.position > cursor) {
          advanceTo({ commit: event.position, prepare: resolved.event?.position?.prepare ?? event.position });
          if (matchesEventFilter(filter, event)) push({ kind: 'event', event });
        }
        flushMarkers();
        if (caughtUp) endOfBurst();
      });
      subscription.on('caughtUp', (info: { position?: Position }) =>
        afterBuffered(() => {
          if (info.position) advanceTo(info.position);
          caughtUp = true;
          reportCaughtUp();
        }),
      );
      const dropped = (error?: unknown): void => {
        if (closed || current !== subscription) return;
        current = null;
        subscription.removeAllListeners('data');
        void subscription.unsubscribe().catch(() => undefined);
        if (error instanceof Error && /access denied|not authenticated/i.test(error.message)) {
          failure = error;
          wake?.();
          return;
        }
        const wait = Math.min(this.backoff.max, this.backoff.initial * 2 ** pauses++);
        retryTimer = setTimeout(open, wait);
      };
      subscription.on('error', dropped);
      subscription.on('end', () => dropped());
      subscription.on('close', () => dropped());
    };

    const stop = async (): Promise<void> => {
      if (closed) return;
      closed = true;
      this.subscriptions.delete(stop);
      if (retryTimer) clearTimeout(retryTimer);
      const sub = current;
      current = null;
      wake?.();
      if (sub) {
        sub.removeAllListeners('data');
        await sub.unsubscribe().catch(() => undefined);
      }
    };
    this.subscriptions.add(stop);
    open();

    const messages = async function* (): AsyncGenerator<SubscriptionMessage> {
      try {
        for (;;) {
          const next = queue.shift();
          if (next) {
            if (queue.length < 100 && current?.isPaused()) current.resume();
            yield next;
            continue;
          }
          if (failure) throw failure;
          if (closed) return;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
        }
      } finally {
        await stop();
      }
    };
    const iterator = messages();
    return {
      [Symbol.asyncIterator]: () => iterator,
      close: async () => {
        await stop();
        await iterator.return(undefined);
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((stop) => stop()));
    await this.client.dispose();
  }
}
