import { Inject, Logger, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { hash } from 'node:crypto';
import {
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
export class DecideCommandHandler implements ICommandHandler<DecideCommand, DecideResult> {
  private readonly logger = new Logger('Commands');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly projections: ProjectionRunner,
    @Inject(READ_DB) private readonly readDb: DataSource,
    @Optional() private readonly metrics?: Metrics,
    @Optional() @Inject(LATE_CHANGE_CHECK) private readonly lateChanges?: LateChangeCheck,
  ) {}

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
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const history: DomainEvent[] = [];
      const earlier: RecordedEvent[] = [];
      let revision: bigint | null = null;
      const recordedId = recordedCommandId(context);
      for await (const event of this.store.readStream(streamId)) {
        history.push({ type: event.type, data: event.data });
        revision = event.revision;
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
      const decided = decider.decide(command, fold(decider, history));
      // A change into a closed quarter: refused without a reason (nothing appended), else recorded after the append.
      const lateChange = decided.length ? await this.lateChanges?.check(streamId, command, context) : null;
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
        const appended = await this.store.appendToStream(streamId, events, { expectedRevision: revision ?? 'no_stream' });
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
        this.logger.debug(`${streamId}: concurrent write, attempt ${attempt} of ${MAX_ATTEMPTS}`);
      }
    }
    throw new ConcurrentChangeError(streamId);
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
