import {
  type EventFilter,
  type EventStore,
  type EventSubscription,
  type RecordedEvent,
  type SubscriptionMessage,
} from '@casetrail/event-store';

type FilteredEvent = Pick<RecordedEvent, 'streamId' | 'type'>;

/**
 * A filter as a test of one event, decided exactly as the stores' own filters decide it, with
 * the filter's parsing done once: a rebuild tests every event of the log against each
 * projection's filter. "<category>-" is a category (the stores use their category column for
 * it: the stream id's part before its first '-', the whole id when it has none), anything else
 * a plain prefix of the stream id.
 */
export function filterTest(filter: EventFilter | undefined): (event: FilteredEvent) => boolean {
  const types = filter?.eventTypes ? new Set(filter.eventTypes) : null;
  const prefixes = filter?.streamPrefixes;
  if (!prefixes) return types ? (event) => types.has(event.type) : () => true;
  const isCategory = (prefix: string): boolean => /^[^-]+-$/.test(prefix);
  const categories = prefixes.filter(isCategory); // "audit-": ids starting with it, or exactly "audit"
  const plain = prefixes.filter((prefix) => !isCategory(prefix));
  return (event) => {
    if (types && !types.has(event.type)) return false;
    const id = event.streamId;
    for (const category of categories) {
      if (id.startsWith(category) || (id.length === category.length - 1 && category.startsWith(id))) return true;
    }
    for (const prefix of plain) if (id.startsWith(prefix)) return true;
    return false;
  };
}

/** Whether an event passes a filter, exactly as the stores' own filters decide it (see filterTest). */
export function matchesFilter(event: FilteredEvent, filter: EventFilter | undefined): boolean {
  return filterTest(filter)(event);
}

/**
 * Messages a live subscriber may hold unread; when one holds this many the reader waits for it
 * (back-pressure). Small, as a projection's batch: the queues once held 10,000 events each with
 * no wait (25-40 MB for a projection following every event, enough to exhaust a small heap).
 */
export const MAX_QUEUED = 500;

interface Subscriber {
  filter: EventFilter | undefined;
  /** `filter` as a test of one event. */
  accepts: (event: FilteredEvent) => boolean;
  /** Last position this subscriber has been handed (or skipped past). */
  cursor: bigint;
  queue: SubscriptionMessage[];
  wake: (() => void) | null;
}

/**
 * One reader of the live log for the whole process: it reads each new page of the log once
 * and hands every event to each subscriber whose filter it passes, so a dozen projections cost
 * one query per page (and one head look-up per append) instead of a dozen. A subscriber that
 * starts behind the live edge (a projection being rebuilt, or resuming after an error) first
 * reads the log up to the edge on its own, with its own filter, then joins. A live subscriber
 * holds at most MAX_QUEUED unread messages: when one is full the reader stops reading until it
 * has taken some (the slowest live subscriber sets the pace, memory stays bounded). Each subscriber gets exactly the
 * messages its own `store.subscribeToAll({ fromPosition, filter })` would give: events in
 * position order, after `fromPosition`, then `caught-up` whenever the reader reaches the head.
 */
export class SharedLogReader {
  private readonly live = new Set<Subscriber>();
  private subscription: EventSubscription | null = null;
  private loop: Promise<void> | null = null;
  /** Everything up to here has been handed to the live subscribers. */
  private position: bigint;
  private closed = false;
  /** Set while the reader waits for a full queue to have room: called when one may have. */
  private room: (() => void) | null = null;

  private constructor(
    private readonly store: EventStore,
    head: bigint,
  ) {
    this.position = head;
  }

  /**
   * Starts reading the live log from its current head. A failing read (the database away) is
   * retried from where it stopped, `retryDelayMs` doubling up to 30 s; subscribers just wait.
   */
  static async open(store: EventStore, onError?: (error: unknown) => void, retryDelayMs = 250): Promise<SharedLogReader> {
    const reader = new SharedLogReader(store, await store.headPosition());
    reader.start(onError ?? (() => undefined), retryDelayMs);
    return reader;
  }

  private start(onError: (error: unknown) => void, retryDelayMs: number): void {
    this.loop = (async () => {
      let delay = retryDelayMs;
      try {
        while (!this.closed) {
          const subscription = this.store.subscribeToAll({ fromPosition: this.position });
          this.subscription = subscription;
          try {
            for await (const message of subscription) {
              if (this.closed) return;
              // Back-pressure: a full queue is not read further until its subscriber takes some.
              if (this.dispatch(message)) await this.roomInEveryQueue();
              if (this.closed) return;
              delay = retryDelayMs;
            }
            return; // the store was closed
          } catch (error) {
            if (this.closed) return;
            onError(error);
            await new Promise((resolve) => setTimeout(resolve, delay));
            delay = Math.min(delay * 2, 30_000);
          }
        }
      } finally {
        // Closed (the store, or this reader): subscribers end as a store subscription would.
        this.closed = true;
        for (const s of this.live) s.wake?.();
      }
    })();
  }

  /** Hands a message to every live subscriber it concerns; true when a queue is now full. */
  private dispatch(message: SubscriptionMessage): boolean {
    let full = false;
    if (message.kind === 'event') {
      this.position = message.event.position;
      for (const s of this.live) {
        if (message.event.position > s.cursor && s.accepts(message.event)) full = this.hand(s, message) || full;
      }
    } else {
      if (message.position > this.position) this.position = message.position;
      for (const s of this.live) if (message.position >= s.cursor) full = this.hand(s, message) || full;
    }
    return full;
  }

  private hand(s: Subscriber, message: SubscriptionMessage): boolean {
    s.queue.push(message);
    s.wake?.();
    return s.queue.length >= MAX_QUEUED;
  }

  /** Waits until no live subscriber's queue is full (one that leaves frees its room too), or the reader closes. */
  private async roomInEveryQueue(): Promise<void> {
    const full = (): boolean => [...this.live].some((s) => s.queue.length >= MAX_QUEUED);
    while (!this.closed && full()) {
      await new Promise<void>((resolve) => {
        this.room = () => {
          this.room = null;
          resolve();
        };
      });
    }
  }

  /** Like `store.subscribeToAll({ fromPosition, filter })`, served from the shared reader. */
  subscribe(options: { fromPosition: bigint; filter?: EventFilter }): EventSubscription {
    const s: Subscriber = {
      filter: options.filter,
      accepts: filterTest(options.filter),
      cursor: options.fromPosition,
      queue: [],
      wake: null,
    };
    let stopped = false;
    const isStopped = (): boolean => stopped || this.closed;
    const detach = (): void => {
      this.live.delete(s);
      s.queue = [];
      this.room?.();
    };
    const messages = async function* (this: SharedLogReader): AsyncGenerator<SubscriptionMessage> {
      try {
        // Behind the live edge: read the log alone, with this subscriber's filter, up to the edge.
        while (s.cursor < this.position && !isStopped()) {
          const until = this.position;
          for await (const event of this.store.readAll({ fromPosition: s.cursor + 1n, toPosition: until, filter: s.filter })) {
            if (isStopped()) return;
            if (event.position <= s.cursor) continue;
            s.cursor = event.position;
            yield { kind: 'event', event };
          }
          if (until > s.cursor) s.cursor = until;
        }
        if (isStopped()) return;
        // At the edge: join (no await between the check above and this, so nothing is missed).
        this.live.add(s);
        yield { kind: 'caught-up', position: s.cursor };
        while (!isStopped()) {
          if (s.queue.length === 0) {
            await new Promise<void>((resolve) => {
              s.wake = () => {
                s.wake = null;
                resolve();
              };
            });
            continue;
          }
          const message = s.queue.shift()!;
          this.room?.(); // the reader may be waiting for this queue to have room
          if (message.kind === 'event') s.cursor = message.event.position;
          else if (message.position > s.cursor) s.cursor = message.position;
          yield message;
        }
      } finally {
        stopped = true;
        detach();
      }
    }.call(this);
    return {
      [Symbol.asyncIterator]: () => messages,
      close: async () => {
        stopped = true;
        detach();
        s.wake?.();
        await messages.return(undefined);
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.live) s.wake?.();
    this.room?.();
    await this.subscription?.close();
    await this.loop;
  }
}
