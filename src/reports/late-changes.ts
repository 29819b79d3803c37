/**
 * The reports context's answer to the command handler's LateChangeCheck hook: a command whose
 * business date falls inside a closed quarter needs a reason (the Late-Change-Reason header);
 * with one, the change is recorded on the quarter's stream (RecordLateChange, through the period
 * decider like any command, under the command id `<id>:late-change`) right after the command's
 * own events, and listed in the next report.
 */
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, type EventSubscription } from '@casetrail/event-store';
import { financialQuarter, fold, isLocalDate, parsePeriod } from '@casetrail/kernel';
import { APP_MODE, type AppMode, type CommandContext, type LateChangeCheck, type LateChangeRecord } from '../core';
import { periodDecider, type PeriodCommand, type PeriodState } from './period.decider';
import type { PeriodEvent } from './periods.events';
import { periodCommands } from './periods.service';
import { PERIOD_STREAM_PREFIX, periodStreamId } from './quarters';

/**
 * The command fields that say when the recorded thing happened, in order of preference. Planning
 * dates (startOn, dueOn, newDueOn) are not business dates: they say what is to happen.
 */
export const BUSINESS_DATE_FIELDS = [
  'raisedOn',
  'auditedOn',
  'submittedOn',
  'completedOn',
  'verifiedOn',
  'reopenedOn',
  'resolvedOn',
  'respondedOn',
  'escalatedOn',
  'referredOn',
  'reportedOn',
  'revisedOn',
  'cancelledOn',
  'stepOn',
  'enteredOn',
] as const;

/** The business date of a command: its first date field, or the last day of a measured period; null when it has none. */
export function businessDateOf(command: Record<string, unknown>): string | null {
  for (const field of BUSINESS_DATE_FIELDS) {
    const value = command[field];
    if (typeof value === 'string' && isLocalDate(value)) return value;
  }
  if (typeof command.period === 'string') return parsePeriod(command.period)?.to ?? null;
  return null;
}

/**
 * The late change's own command context: the change's actor and correlation, under the command id
 * `<id>:late-change` (so a retry of the change finds it recorded), without the request's fingerprint
 * (it is the change's request, checked on the change's own stream).
 */
export const lateChangeContext = (context: CommandContext): CommandContext => ({
  actorId: context.actorId,
  actorRole: context.actorRole,
  commandId: `${context.commandId}:late-change`,
  correlationId: context.correlationId,
  causationId: context.causationId,
  now: context.now,
});

/**
 * Decides whether a dated command needs a reason, and records its late change. What it knows of
 * each quarter (closed or not) is kept in memory in a server, so a dated command does not read the
 * quarter's stream each time: an entry is dropped once a command of that quarter is appended here,
 * and when any event of a period stream reaches this instance's subscription (a quarter closed by
 * another instance, or a later reopening), so it is read again. Elsewhere (the CLI) it reads every time.
 */
@Injectable()
export class ClosedQuarterCheck implements LateChangeCheck, OnModuleDestroy {
  private readonly logger = new Logger('LateChanges');
  /** Period stream id -> its state, as read (a promise, so a read overtaken by a change is dropped with it). */
  private readonly states = new Map<string, Promise<PeriodState>>();
  private subscription: EventSubscription | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: CommandBus,
    @Inject(APP_MODE) private readonly mode: AppMode,
  ) {}

  async check(
    streamId: string,
    command: { type: string; now: string },
    context: CommandContext,
  ): Promise<LateChangeRecord | null> {
    // A quarter's own command (closing it, say): once it is appended, what is kept of the quarter is out of date.
    if (streamId.startsWith(PERIOD_STREAM_PREFIX)) return { record: () => Promise.resolve(this.forget(streamId)) };
    const businessDate = businessDateOf(command as unknown as Record<string, unknown>);
    if (!businessDate) return null;
    const quarter = financialQuarter(businessDate);
    const state = await this.stateOf(periodStreamId(quarter));
    if (!state.closed) return null;
    const lateChange: PeriodCommand = {
      type: 'RecordLateChange',
      now: command.now,
      quarter,
      businessDate,
      commandType: command.type,
      streamId,
      reason: context.lateChangeReason,
      changeCommandId: context.commandId,
    };
    // The decider's rule, before the command's own events are appended: without a reason it throws
    // LateChangeNeedsReason (422) and nothing is appended.
    periodDecider.decide(lateChange, state);
    return {
      record: async () => {
        await periodCommands.send(this.commands, lateChange, lateChangeContext(context));
      },
    };
  }

  async onModuleDestroy(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = null;
    this.states.clear();
    await subscription?.close();
  }

  private stateOf(periodStream: string): Promise<PeriodState> {
    if (!this.watching()) return this.read(periodStream);
    let state = this.states.get(periodStream);
    if (!state) {
      const read = this.read(periodStream);
      state = read;
      this.states.set(periodStream, read);
      read.catch(() => this.states.get(periodStream) === read && this.states.delete(periodStream));
    }
    return state;
  }

  private async read(periodStream: string): Promise<PeriodState> {
    const history: PeriodEvent[] = [];
    for await (const e of this.store.readStream(periodStream)) history.push({ type: e.type, data: e.data } as PeriodEvent);
    return fold(periodDecider, history);
  }

  private forget(periodStream: string): void {
    this.states.delete(periodStream);
  }

  /**
   * Whether the kept states can be trusted: in a server, once a subscription to the period streams
   * is running (from the start of the log: the few period events there are only drop entries).
   */
  private watching(): boolean {
    if (this.mode !== 'server') return false;
    if (this.subscription) return true;
    const subscription = this.store.subscribeToAll({ fromPosition: 'start', filter: { streamPrefixes: [PERIOD_STREAM_PREFIX] } });
    this.subscription = subscription;
    void (async () => {
      try {
        for await (const message of subscription) if (message.kind === 'event') this.forget(message.event.streamId);
      } catch (error) {
        if (this.subscription === subscription) this.logger.warn(`Stopped following closed quarters: ${String(error)}`);
      } finally {
        // Not followed any more: keep nothing (the next check starts again).
        if (this.subscription === subscription) {
          this.subscription = null;
          this.states.clear();
        }
      }
    })();
    return true;
  }
}
