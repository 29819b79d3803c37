import { Inject, Logger, Optional, type OnModuleDestroy } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { hash } from 'node:crypto';
import {
  canonicalJson,
  EVENT_STORE,
  WrongExpectedRevisionError,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@casetrail/event-store';
import { ConflictError, DomainError, fold, RuleBrokenError, type Decider, type DomainEvent } from '@casetrail/kernel';
import type { ProjectionRunner } from '@casetrail/projections';
import type { DataSource } from 'typeorm';
import type { CommandContext } from './command-context';
import { IdempotencyKeyRow } from './idempotency-keys';
import { LATE_CHANGE_CHECK, type LateChangeCheck } from './late-change-check';
import { Metrics } from './metrics';
import { PROJECTION_RUNNER, READ_DB } from './tokens';

/**
 * A check only (an import's dry run, its first pass): decide as a send would, on the stream as
 * recorded followed by `after` (the events earlier checked commands of the same record would have
 * appended, e.g. an audit's start before its grades), and append nothing.
 */
export interface CheckOnly {
  after: DomainEvent[];
}

/** The one command every context sends: "run this decider on this stream". */
export class DecideCommand<C extends { type: string; now: string } = { type: string; now: string }> {
  constructor(
    readonly decider: Decider<C, DomainEvent, unknown>,
    readonly streamId: string,
    readonly command: C,
    readonly context: CommandContext,
    readonly checkOnly?: CheckOnly,
  ) {}
}

export interface DecideResult {
  streamId: string;
  /** Global position of the last event appended (bigint as string): read-your-writes token. */
  position: string;
  /** Stream revision after the command. */
  revision: string;
  events: { eventId: string; type: string; data: unknown }[];
  /** True when this was a retry of a command already recorded (nothing new appended). */
  replayed: boolean;
  /** True for a check only: the events are what the command would append; nothing was (position and revision are ''). */
  checked?: true;
}

export class ConcurrentChangeError extends ConflictError {
  readonly code = 'CONCURRENT_CHANGE';
  constructor(streamId: string) {
    super(`Someone else changed ${streamId} at the same moment, several times over. Please try again.`);
  }
}

export class IdempotencyKeyReused extends RuleBrokenError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor() {
    super(
      'This Idempotency-Key was already used for a different request. Send the same request to retry it, or use a new key for a new request.',
    );
  }
}

const MAX_ATTEMPTS = 5;

/** A stream's folded state at a revision, as this process last read or wrote it (see StreamStates). */
interface KnownStream {
  decider: Decider<never, DomainEvent, unknown>;
  /** Revision of the stream's last event (null: no stream yet). */
  revision: bigint | null;
  state: unknown;
  /** The command ids of the stream's events, without their fingerprints (see sameKey). */
  commandIds: Set<string>;
  /** The key store's generation before the stream was read (see StreamStates.keysAt). */
  keys: KeyGeneration;
  at: number;
}

/** EventStore.keyGeneration's answer; undefined for a store that decrypts nothing. */
type KeyGeneration = string | number | undefined;

/** The command id without its request fingerprint ("~…"). */
const keyPart = (recorded: string): string => {
  const at = recorded.indexOf('~');
  return at < 0 ? recorded : recorded.slice(0, at);
};

/** A command id made fresh for one request (randomUUID: version 4); no other writer can record it. */
const FRESH_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * The folded state of recently used streams, so a command on a stream this process just read or
 * wrote does not read and fold all of its events again. Only a hint: the append still names the
 * revision the state is at, so when anyone else (another instance, another writer of this
 * process) appended since, the append is refused (WrongExpectedRevisionError), the entry dropped
 * and the stream read again; a state that refuses a command, decides nothing, or sees the
 * command's id already in the stream is checked against a fresh read too. Entries are few
 * (least recently used go first) and short-lived (they hold decrypted text).
 *
 * An erasure (here, by the CLI or by another instance) must not leave decrypted text in them:
 * before a kept state is used the event store's key generation is asked (checkKeys), and when it
 * has moved every kept state is dropped; a state is also kept with the generation last seen
 * before its stream was read (seenKeys), and is a miss under any other. A command that will use
 * no kept state need not ask (a query on PostgreSQL): it reads its stream afresh.
 */
export class StreamStates {
  private readonly entries = new Map<string, KnownStream>();
  private keys: KeyGeneration;
  /** Whether a generation has been seen yet (keysAt). */
  private keysSeen = false;
  /** Runs sweep() while states are kept, so a server that gets no more commands does not keep them. */
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly max = 2000,
    private readonly maxAgeMs = 60_000,
    /** The event store's keyGeneration, when it has one: the sweep drops every state when it moves. */
    private readonly keyGeneration?: () => Promise<string | number> | string | number,
    private readonly sweepEveryMs = 5_000,
  ) {}

  /**
   * Drops the states older than their time and, when the key generation moved (an erasure by the
   * CLI or another instance while no command came), all of them: decrypted text does not outlive
   * an erasure by more than one sweep, nor its time by more than one sweep, even when idle. When
   * the generation cannot be read, every state goes (kept states are only a hint).
   */
  async sweep(now = Date.now()): Promise<void> {
    for (const [streamId, known] of this.entries) if (now - known.at > this.maxAgeMs) this.entries.delete(streamId);
    if (this.entries.size) {
      try {
        await this.checkKeys();
      } catch {
        this.entries.clear();
      }
    }
    if (!this.entries.size) this.stopSweeping();
  }

  /** Stops the sweep (the handler's module is closing); kept states go with it. */
  close(): void {
    this.entries.clear();
    this.stopSweeping();
  }

  private stopSweeping(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /**
   * Reads the store's key generation (none for a store that decrypts nothing) and drops every kept
   * state when it moved; answers it, without a promise when the store answers without one.
   */
  checkKeys(): KeyGeneration | Promise<KeyGeneration> {
    if (!this.keyGeneration) return undefined;
    const generation = this.keyGeneration();
    if (typeof generation !== 'object') {
      this.keysAt(generation);
      return generation;
    }
    return generation.then((now) => {
      this.keysAt(now);
      return now;
    });
  }

  /** The key store's generation now: when it moved (a key may be destroyed), every kept state goes. */
  keysAt(generation: KeyGeneration): void {
    this.keysSeen = true;
    if (generation === this.keys) return;
    this.entries.clear();
    this.keys = generation;
  }

  /**
   * The generation last seen, for a stream about to be read without asking (see the handler): it
   * was read before this read begins, so a key destroyed since makes the generation move before
   * any later use, and the state kept from this read is a miss then. Undefined until one was seen.
   */
  seenKeys(): { keys: KeyGeneration } | undefined {
    return this.keysSeen ? { keys: this.keys } : undefined;
  }

  /** Whether a state is kept for the stream (it may still be a miss: get() says). */
  has(streamId: string): boolean {
    return this.entries.has(streamId);
  }

  get(streamId: string, decider: Decider<never, DomainEvent, unknown>): KnownStream | undefined {
    const known = this.entries.get(streamId);
    if (!known) return undefined;
    this.entries.delete(streamId);
    if (known.decider !== decider || known.keys !== this.keys || Date.now() - known.at > this.maxAgeMs) return undefined;
    this.entries.set(streamId, known); // most recently used last
    return known;
  }

  set(streamId: string, known: Omit<KnownStream, 'at'>): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, { ...known, at: Date.now() });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    // unref: the sweep never keeps a process alive.
    this.sweeper ??= setInterval(() => void this.sweep(), this.sweepEveryMs).unref();
  }

  delete(streamId: string): void {
    this.entries.delete(streamId);
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * The command id as recorded: with an Idempotency-Key, `<user>:<key>~<request fingerprint>`.
 * The fingerprint rides in the commandId (covered by the hash chain, no new metadata field), so
 * any instance, after any restart, can tell a retry from a different request under the same key.
 * Keys cannot contain "~" (see command-context.ts), so the split is unambiguous.
 */
export const recordedCommandId = (context: CommandContext): string =>
  context.requestHash ? `${context.commandId}~${context.requestHash}` : context.commandId;

/** Same command id, ignoring the fingerprint: this event was recorded under the same key. */
const sameKey = (recorded: string, commandId: string): boolean => recorded === commandId || recorded.startsWith(`${commandId}~`);

/**
 * A uuid derived from its inputs (shaped as RFC 4122 version 5). Same command, stream and
 * index give the same event id, so the store deduplicates a retried command too.
 */
export function deterministicUuid(...parts: (string | number)[]): string {
  const h = hash('sha256', parts.join('\u0000'), 'hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const toResult = (streamId: string, events: RecordedEvent[], replayed: boolean): DecideResult => ({
  streamId,
  position: events[events.length - 1].position.toString(),
  revision: events[events.length - 1].revision.toString(),
  events: events.map((e) => ({ eventId: e.eventId, type: e.type, data: e.data })),
  replayed,
});

/**
 * The one generic command handler: read the stream, fold, decide, append with the
 * expected revision; on a concurrent write, start again (bounded). A DomainError from
 * decide propagates and nothing is appended. After appending it waits (bounded) until the
 * projections have read the new position, so a query sent after the response sees it.
 */
@CommandHandler(DecideCommand)
export class DecideCommandHandler implements ICommandHandler<DecideCommand, DecideResult>, OnModuleDestroy {
  private readonly logger = new Logger('Commands');
  /** Folded states of recently used streams (a hint checked by the append's expected revision). */
  readonly streams: StreamStates;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly projections: ProjectionRunner,
    @Inject(READ_DB) private readonly readDb: DataSource,
    @Optional() private readonly metrics?: Metrics,
    @Optional() @Inject(LATE_CHANGE_CHECK) private readonly lateChanges?: LateChangeCheck,
  ) {
    this.streams = new StreamStates(2000, 60_000, store.keyGeneration?.bind(store));
  }

  onModuleDestroy(): void {
    this.streams.close();
  }

  async execute(decide: DecideCommand): Promise<DecideResult> {
    if (decide.checkOnly) return this.decide(decide);
    try {
      const result = await this.decide(decide);
      this.metrics?.command(
        decide.command.type,
        result.replayed ? 'replayed' : 'appended',
        result.replayed ? [] : result.events.map((e) => e.type),
      );
      return result;
    } catch (error) {
      if (error instanceof DomainError) this.metrics?.command(decide.command.type, 'rejected');
      throw error;
    }
  }

  private async decide({ decider, streamId, command, context, checkOnly }: DecideCommand): Promise<DecideResult> {
    if (context.requestHash) {
      // The key may have been used with another request that wrote to another stream.
      const used = await this.readDb.getRepository(IdempotencyKeyRow).findOneBy({ commandId: context.commandId });
      if (used && used.fingerprint !== context.requestHash) throw new IdempotencyKeyReused();
    }
    const recordedId = recordedCommandId(context);
    // A known state is tried first (never for a check, nor for an id with a "~", which sameKey reads otherwise).
    let mayUseKnown = !checkOnly && !context.commandId.includes('~');
    // Before a kept state is used: a destroyed key drops every kept state (decrypted text). With none
    // to use, the stream is read afresh (decrypted with the keys as they are now) and its state kept
    // under the generation last seen, so the key generation is not asked (one query on PostgreSQL).
    let keys: KeyGeneration;
    if (!checkOnly) {
      const seen = mayUseKnown && this.streams.has(streamId) ? undefined : this.streams.seenKeys();
      if (seen) {
        keys = seen.keys;
        mayUseKnown = false;
      } else {
        const checked = this.streams.checkKeys();
        keys = typeof checked === 'object' ? await checked : checked;
      }
    }
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      let known = mayUseKnown ? this.streams.get(streamId, decider) : undefined;
      mayUseKnown = false;
      // This command's id already in the stream: a retry, answered from the stream as read below.
      if (known?.commandIds.has(context.commandId)) known = undefined;
      let revision: bigint | null;
      let state: unknown;
      let commandIds: Set<string>;
      if (known) {
        ({ revision, state, commandIds } = known);
      } else {
        const history: DomainEvent[] = [];
        const earlier: RecordedEvent[] = [];
        revision = null;
        commandIds = new Set();
        for await (const event of this.store.readStream(streamId)) {
          history.push({ type: event.type, data: event.data });
          revision = event.revision;
          commandIds.add(keyPart(event.metadata.commandId));
          if (sameKey(event.metadata.commandId, context.commandId)) earlier.push(event);
        }
        if (earlier.length) {
          // Events recorded without a fingerprint (CLI, system) match any retry; otherwise they must agree.
          const differs = earlier.some((e) => e.metadata.commandId !== context.commandId && e.metadata.commandId !== recordedId);
          if (differs) throw new IdempotencyKeyReused();
          if (checkOnly) return { ...toResult(streamId, earlier, true), checked: true };
          await this.recordLateChangeOnRetry(streamId, command, context);
          return toResult(streamId, earlier, true);
        }
        if (checkOnly) history.push(...checkOnly.after);
        state = fold(decider, history);
        if (!checkOnly) this.streams.set(streamId, { decider, revision, state, commandIds, keys });
      }

      let decided: DomainEvent[];
      let lateChange: Awaited<ReturnType<LateChangeCheck['check']>> | null | undefined;
      try {
        decided = decider.decide(command, state);
        // A change into a closed quarter: refused without a reason (nothing appended), else recorded after the append.
        lateChange = decided.length ? await this.lateChanges?.check(streamId, command, context) : null;
      } catch (error) {
        if (!known || !(error instanceof DomainError)) throw error;
        // Refused on a known state: decide again on the stream as it is now (not an attempt).
        this.streams.delete(streamId);
        attempt--;
        continue;
      }
      if (known && decided.length === 0) {
        this.streams.delete(streamId);
        attempt--;
        continue;
      }
      if (checkOnly) {
        const events = decided.map(({ type, data }) => ({ eventId: '', type, data }));
        return { streamId, position: '', revision: '', events, replayed: false, checked: true };
      }
      const events: NewEvent[] = decided.map((event, index) => ({
        eventId: deterministicUuid(context.commandId, streamId, index),
        type: event.type,
        schemaVersion: decider.schemaVersions[event.type],
        data: event.data,
        metadata: {
          actorId: context.actorId,
          actorRole: context.actorRole,
          correlationId: context.correlationId,
          causationId: context.causationId,
          commandId: recordedId,
          occurredAt: command.now,
        },
      }));
      try {
        let appended;
        try {
          appended = await this.store.appendToStream(streamId, events, { expectedRevision: revision ?? 'no_stream' });
        } catch (error) {
          this.streams.delete(streamId);
          throw error;
        }
        this.rememberAppended(streamId, decider, { revision, state, commandIds, keys }, decided, appended.nextRevision, context);
        await lateChange?.record();
        // Read-your-writes, except from a projection that is failing (it cannot catch up; /health names
        // it), and only from the projections these events concern: the others have nothing to apply.
        await this.projections.waitFor(appended.position, undefined, {
          skipFailing: true,
          concerning: events.map((e) => ({ streamId, type: e.type })),
        });
        return {
          streamId,
          position: appended.position.toString(),
          revision: appended.nextRevision.toString(),
          events: events.map(({ eventId, type, data }) => ({ eventId, type, data })),
          replayed: false,
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (known) {
          // The known state was behind (another writer appended since): read the stream (not an attempt).
          attempt--;
          continue;
        }
        this.logger.debug(`${streamId}: concurrent write, attempt ${attempt} of ${MAX_ATTEMPTS}`);
      }
    }
    throw new ConcurrentChangeError(streamId);
  }

  /**
   * The stream's state after this command's own events, when that is certain: the append checked
   * the revision they follow, and the command id is fresh, so no other writer can have stored
   * these event ids (a stored id makes the store answer the earlier append, whose events may differ).
   */
  private rememberAppended(
    streamId: string,
    decider: Decider<never, DomainEvent, unknown>,
    before: { revision: bigint | null; state: unknown; commandIds: Set<string>; keys: KeyGeneration },
    decided: DomainEvent[],
    nextRevision: bigint,
    context: CommandContext,
  ): void {
    const expected = (before.revision ?? -1n) + BigInt(decided.length);
    if (!FRESH_ID.test(context.commandId) || nextRevision !== expected) {
      this.streams.delete(streamId);
      return;
    }
    // The events as a read would give them back (the stores keep data as canonical JSON).
    const state = decided.reduce(
      (s, e) => decider.evolve(s as never, { type: e.type, data: JSON.parse(canonicalJson(e.data)!) as unknown }),
      before.state,
    );
    const commandIds = new Set(before.commandIds).add(context.commandId);
    this.streams.set(streamId, { decider, revision: nextRevision, state, commandIds, keys: before.keys });
  }

  /**
   * A retry of a recorded command completes its late-change record, which the first attempt may not have
   * written (it is a second append, after the command's own). The record is idempotent; a retry is never
   * refused here, since the command itself was accepted when it was recorded.
   */
  private async recordLateChangeOnRetry(streamId: string, command: { type: string; now: string }, context: CommandContext) {
    try {
      await (await this.lateChanges?.check(streamId, command, context))?.record();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
}
