/**
 * The reports context's answer to the command handler's LateChangeCheck hook: a command whose
 * business date falls inside a closed quarter needs a reason (the Late-Change-Reason header);
 * with one, the change is recorded on the quarter's stream (LateChangeRecorded) right after the
 * command's own events, with ids derived from the command id, and listed in the next report.
 */
import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { financialQuarter, fold, isLocalDate, parsePeriod } from '@casetrail/kernel';
import { type CommandContext, deterministicUuid, type LateChangeCheck, type LateChangeRecord } from '../core';
import { periodDecider } from './period.decider';
import type { PeriodEvent } from './periods.events';
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

@Injectable()
export class ClosedQuarterCheck implements LateChangeCheck {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async check(
    streamId: string,
    command: { type: string; now: string },
    context: CommandContext,
  ): Promise<LateChangeRecord | null> {
    if (streamId.startsWith(PERIOD_STREAM_PREFIX)) return null;
    const businessDate = businessDateOf(command as unknown as Record<string, unknown>);
    if (!businessDate) return null;
    const quarter = financialQuarter(businessDate);
    const periodStream = periodStreamId(quarter);
    const history: PeriodEvent[] = [];
    for await (const e of this.store.readStream(periodStream)) history.push({ type: e.type, data: e.data } as PeriodEvent);
    const state = fold(periodDecider, history);
    if (!state.closed) return null;
    const commandId = `${context.commandId}:late-change`;
    // Throws LateChangeNeedsReason (422) without a reason: the command's own events are not appended either.
    const events = periodDecider.decide(
      {
        type: 'RecordLateChange',
        now: command.now,
        quarter,
        businessDate,
        commandType: command.type,
        streamId,
        reason: context.lateChangeReason,
        changeCommandId: context.commandId,
      },
      state,
    );
    return {
      record: async () => {
        await this.store.appendToStream(
          periodStream,
          events.map((event, index) => ({
            eventId: deterministicUuid(commandId, periodStream, index),
            type: event.type,
            schemaVersion: periodDecider.schemaVersions[event.type],
            data: event.data,
            metadata: {
              actorId: context.actorId,
              actorRole: context.actorRole,
              correlationId: context.correlationId,
              causationId: context.causationId,
              commandId,
              occurredAt: command.now,
            },
          })),
          { expectedRevision: 'any' },
        );
      },
    };
  }
}
