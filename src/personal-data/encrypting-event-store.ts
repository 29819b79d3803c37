/**
 * A decorator of the EventStore port that encrypts personal free text (personal-fields.ts)
 * with the subject's data key BEFORE the inner store seals the hash chain, so the chain is
 * computed over the ciphertext and destroying a key never breaks verification.
 *
 * Reads that ask for the current shape (the default) get the text decrypted, or "[erased]"
 * once the subject's key is destroyed. Reads of the stored shape (`upcast: false`: the trail,
 * verification, checkpoints, exports) get exactly what is stored: the ciphertext. Upcasting
 * happens here, after decryption, so upcasters see plain text as they always have.
 */
import { RuleBrokenError } from '@casetrail/kernel';
import {
  UpcasterRegistry,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventSubscription,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StoredEventRow,
  type StoredPagesOptions,
  type SubscribeOptions,
  type SubscriptionMessage,
} from '@casetrail/event-store';
import { decryptField, encryptField, envelopeKeyId, ERASED, isEnvelope } from './field-cipher';
import { personalFieldsOf, subjectNamedIn } from './personal-fields';
import type { SubjectKeyStore } from './subject-key-store';

export class SubjectErasedError extends RuleBrokenError {
  readonly code = 'SUBJECT_ERASED';
  constructor() {
    super('The records about this child have been erased, so nothing more can be recorded about them.');
  }
}

/** Binds a ciphertext to its event and field (and array index). */
const aadOf = (eventId: string, type: string, field: string, index?: number): string =>
  `${eventId}|${type}|${field}${index === undefined ? '' : `[${index}]`}`;

/** Events with personal text in the clear a read hides or shows on one answer of "is any subject erased?". */
const ERASURE_CHECK_EVERY = 500;

/**
 * Whether `reveal` would give this event's personal fields back unchanged, were no subject
 * erased: -1 when a field holds an envelope (to decrypt) or the data is not an object; else 1
 * when a field holds text in the clear (whose subject's erasure `reveal` checks), 0 when none does.
 */
function inTheClear(event: RecordedEvent, fields: readonly string[]): -1 | 0 | 1 {
  const data = event.data;
  if (typeof data !== 'object' || data === null) return -1;
  let clear: 0 | 1 = 0;
  for (const field of fields) {
    const value = (data as Record<string, unknown>)[field];
    if (typeof value === 'string') {
      if (isEnvelope(value)) return -1;
      clear = 1;
    } else if (Array.isArray(value)) {
      for (const item of value) {
        if (typeof item !== 'string') continue;
        if (isEnvelope(item)) return -1;
        clear = 1;
      }
    }
  }
  return clear;
}

export class EncryptingEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    readonly keys: SubjectKeyStore,
    private readonly upcasters: UpcasterRegistry = new UpcasterRegistry(),
  ) {
    // The stored rows as the inner store has them (encrypted fields stay encrypted: the hash covers them so).
    if (inner.readStoredPages) this.readStoredPages = (options) => inner.readStoredPages!(options);
  }

  readonly readStoredPages?: (options?: StoredPagesOptions) => AsyncIterable<StoredEventRow[]>;

  async appendToStream(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    // One subject per stream: the one a first event names, else the one recorded for the stream.
    let subject: string | undefined;
    let looked = false;
    const subjectOfStream = async (): Promise<string | undefined> => {
      if (!looked) subject ??= await this.keys.subjectOfStream(streamId);
      looked = true;
      return subject;
    };
    // No refresh() here: keys and tombstones for appends are read from the key store itself, and
    // stream links never change once made.
    const sealed: NewEvent[] = [];
    for (const event of events) {
      const named = subjectNamedIn(event.data);
      const fields = personalFieldsOf(event.type);
      const personal = fields !== undefined && typeof event.data === 'object' && event.data !== null;
      if (named !== undefined) {
        subject = named;
        looked = true;
        // With personal text, fetching the key below refuses an erased subject; otherwise ask.
        if (!personal && (await this.keys.isErased(named))) throw new SubjectErasedError();
        if (personal && (await this.keys.keyForSubject(named)) === 'erased') throw new SubjectErasedError();
        await this.keys.linkStream(streamId, named);
      }
      if (!personal) {
        sealed.push(event);
        continue;
      }
      const ref = named ?? (await subjectOfStream());
      if (ref === undefined) {
        sealed.push(event); // a stream about no child: nothing to shred
        continue;
      }
      const key = await this.keys.keyForSubject(ref);
      if (key === 'erased') throw new SubjectErasedError();
      const data = { ...(event.data as Record<string, unknown>) };
      for (const field of fields) {
        const value = data[field];
        if (typeof value === 'string')
          data[field] = encryptField(key.key, key.keyId, value, aadOf(event.eventId, event.type, field));
        else if (Array.isArray(value)) {
          data[field] = value.map((item, i) =>
            typeof item === 'string' ? encryptField(key.key, key.keyId, item, aadOf(event.eventId, event.type, field, i)) : item,
          );
        }
      }
      sealed.push({ ...event, data });
    }
    return this.inner.appendToStream(streamId, sealed, options);
  }

  /**
   * The event with its personal text readable, or "[erased]" where the key is destroyed.
   * `anyErased`: whether any subject is erased (a reader asks once per ERASURE_CHECK_EVERY events, not per event).
   */
  async reveal(event: RecordedEvent, anyErased = (): Promise<boolean> => this.keys.anyErased()): Promise<RecordedEvent> {
    const fields = personalFieldsOf(event.type);
    if (!fields || typeof event.data !== 'object' || event.data === null) return event;
    const source = event.data as Record<string, unknown>;
    const keys = new Map<string, Buffer | 'erased'>();
    let subjectErased: boolean | undefined;
    const open = async (value: unknown, field: string, index?: number): Promise<unknown> => {
      if (typeof value !== 'string') return value;
      const keyId = envelopeKeyId(value);
      if (keyId === undefined) {
        // Recorded before encryption existed: in the clear in the log, but still hidden once erased.
        subjectErased ??= await this.subjectErased(event, anyErased);
        return subjectErased ? ERASED : value;
      }
      let key = keys.get(keyId);
      if (key === undefined) {
        key = (await this.keys.keyById(keyId)) ?? 'erased';
        keys.set(keyId, key);
      }
      return key === 'erased' ? ERASED : decryptField(key, value, aadOf(event.eventId, event.type, field, index));
    };
    const data = { ...source };
    for (const field of fields) {
      const value = data[field];
      data[field] = Array.isArray(value)
        ? await Promise.all(value.map((item, i) => open(item, field, i)))
        : await open(value, field);
    }
    return { ...event, data };
  }

  private async subjectErased(event: RecordedEvent, anyErased: () => Promise<boolean>): Promise<boolean> {
    // While no subject is erased (the usual case, and every rebuild of such a log) there is no look-up.
    if (!(await anyErased())) return false;
    const ref = subjectNamedIn(event.data) ?? (await this.keys.subjectOfStream(event.streamId));
    return ref !== undefined && (await this.keys.isErased(ref));
  }

  /**
   * Reads in the current shape: decrypted (refreshing the key caches before the first key this
   * read needs, not once per event), then upcast. Events without personal text cost no look-up.
   */
  private reader(): (event: RecordedEvent) => Promise<RecordedEvent> | RecordedEvent {
    let refreshed = false;
    // Whether any subject is erased: asked again every ERASURE_CHECK_EVERY events of this read
    // that hold text in the clear, not for each (a key-store query each: most of a rebuild's
    // look-ups, though nothing is erased). A read already under way sees an erasure a page later.
    let erased: Promise<boolean> | undefined;
    /** The answer `erased` gave once it settled (undefined while it is pending or after it failed). */
    let answer: boolean | undefined;
    let asked = 0;
    const anyErased = (): Promise<boolean> => {
      if (!erased || ++asked >= ERASURE_CHECK_EVERY) {
        const asking = this.keys.anyErased();
        erased = asking;
        answer = undefined;
        asking.then(
          (value) => {
            if (erased === asking) answer = value;
          },
          () => undefined,
        );
        asked = 0;
      }
      return erased;
    };
    return (event) => {
      const fields = personalFieldsOf(event.type);
      if (!fields) return this.upcasters.upcast(event);
      // Most personal fields of a rebuild's log hold no envelope (text about no child is stored in
      // the clear) and no subject is erased: then `reveal` would give the same values back, so the
      // event is used as it is, without a promise, the copies or a look-up (the answer to "is any
      // subject erased?" counts as asked, as `reveal` would have asked it).
      if (refreshed && answer === false) {
        const clear = inTheClear(event, fields);
        if (clear === 0 || (clear === 1 && asked + 1 < ERASURE_CHECK_EVERY)) {
          if (clear === 1) asked++;
          return this.upcasters.upcast(event);
        }
      }
      return (async () => {
        if (!refreshed) {
          await this.keys.refresh();
          refreshed = true;
        }
        return this.upcasters.upcast(await this.reveal(event, anyErased));
      })();
    };
  }

  /** A stored-shape event (`upcast: false`) in the current shape with its personal text readable: what a default read gives. */
  async readable(event: RecordedEvent): Promise<RecordedEvent> {
    if (!personalFieldsOf(event.type)) return this.upcasters.upcast(event);
    await this.keys.refresh();
    return this.upcasters.upcast(await this.reveal(event));
  }

  /** A stored-shape event in the current shape, its personal text left as stored (encrypted). */
  upcastOnly(event: RecordedEvent): RecordedEvent {
    return this.upcasters.upcast(event);
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const stored = options.upcast === false;
    const current = this.reader();
    for await (const event of this.inner.readStream(streamId, { ...options, upcast: false })) {
      yield stored ? event : await current(event);
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const stored = options.upcast === false;
    const current = this.reader();
    for await (const event of this.inner.readAll({ ...options, upcast: false })) {
      // `yield` in an async generator awaits a promise itself: no second await (and promise) per event.
      yield stored ? event : current(event);
    }
  }

  subscribeToAll(options: SubscribeOptions = {}): EventSubscription {
    const stored = options.upcast === false;
    const inner = this.inner.subscribeToAll({ ...options, upcast: false });
    const reader = (): ((event: RecordedEvent) => Promise<RecordedEvent> | RecordedEvent) => this.reader();
    const messages = (async function* (): AsyncGenerator<SubscriptionMessage> {
      // A new reader (so a fresh look at erasures) for each burst of live events.
      let current = reader();
      for await (const message of inner) {
        if (message.kind !== 'event') current = reader();
        yield message.kind === 'event' && !stored ? { kind: 'event', event: await current(message.event) } : message;
      }
    })();
    return {
      [Symbol.asyncIterator]: () => messages,
      close: async () => {
        await inner.close();
        await messages.return(undefined);
      },
    };
  }

  /**
   * Moves whenever a key may have been destroyed (by the CLI, another instance or this process):
   * the key store's own check for other processes' writes, so the caches and this agree.
   */
  keyGeneration(): Promise<number> | number {
    return this.keys.generation();
  }

  headPosition(): Promise<bigint> {
    return this.inner.headPosition();
  }

  positionAt(instant: Date | string): Promise<bigint> {
    return this.inner.positionAt(instant);
  }

  async close(): Promise<void> {
    await this.inner.close();
    await this.keys.close();
  }
}
