/**
 * Closed quarters: closing one (a command on its own stream), what a report needs to know of
 * them as at a log position, and the check the command handler runs for late changes.
 */
import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@casetrail/event-store';
import { fold, type FinancialQuarter } from '@casetrail/kernel';
import { type CommandContext, commandHandlerFor, type DecideResult } from '../core';
import { periodDecider } from './period.decider';
import type { LateChangeRecorded, PeriodEvent, QuarterClosed } from './periods.events';
import { PERIOD_STREAM_PREFIX, periodStreamId } from './quarters';

export interface LateChangeLine {
  quarter: string;
  businessDate: string;
  commandType: string;
  recordedAt: string;
  reason: string;
}

/** What a report knows of its quarter as at a position. */
export interface PeriodView {
  closed: { closedOn: string; closedAt: string } | null;
  /** The log position of the closing event: the closed quarter's report is as at it. */
  closedPosition: bigint | null;
  /** Notes and decisions entered for the board (the latest entry for the quarter and team). */
  notes: string | null;
  /** Late changes into closed quarters before this one, in the order recorded. */
  lateChanges: LateChangeLine[];
}

/** The period decider bound to its quarter's stream: closing, board notes and late changes all go through it. */
export const periodCommands = commandHandlerFor(periodDecider, (c) => periodStreamId(c.quarter));

@Injectable()
export class PeriodsService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: CommandBus,
  ) {}

  /** The quarter's own stream, up to a position (all of it when omitted). */
  async history(quarter: FinancialQuarter, upTo?: bigint): Promise<RecordedEvent<PeriodEvent['data']>[]> {
    const events: RecordedEvent<PeriodEvent['data']>[] = [];
    for await (const e of this.store.readStream(periodStreamId(quarter))) {
      if (upTo === undefined || e.position <= upTo) events.push(e as RecordedEvent<PeriodEvent['data']>);
    }
    return events;
  }

  async isClosed(quarter: FinancialQuarter): Promise<boolean> {
    const events = await this.history(quarter);
    return (
      fold(
        periodDecider,
        events.map((e) => ({ type: e.type, data: e.data }) as PeriodEvent),
      ).closed !== null
    );
  }

  async view(quarter: FinancialQuarter, teamId: string | null, position: bigint): Promise<PeriodView> {
    const own = await this.history(quarter, position);
    const closing = own.find((e) => e.type === 'QuarterClosed');
    const notes = own
      .filter((e) => e.type === 'BoardNotesRecorded' && ((e.data as { teamId: string | null }).teamId ?? null) === teamId)
      .at(-1);
    const lateChanges: LateChangeLine[] = [];
    for await (const e of this.store.readAll({
      toPosition: position,
      filter: { streamPrefixes: [PERIOD_STREAM_PREFIX], eventTypes: ['LateChangeRecorded'] },
    })) {
      const data = e.data as LateChangeRecorded['data'];
      // Labels sort in time order ("2019/20 Q4" < "2020/21 Q1" < "2020/21 Q2"): only quarters before this one.
      if (!(data.quarter < quarter.label)) continue;
      lateChanges.push({
        quarter: data.quarter,
        businessDate: data.businessDate,
        commandType: data.commandType,
        recordedAt: e.metadata.recordedAt,
        reason: data.reason,
      });
    }
    return {
      closed: closing
        ? { closedOn: (closing.data as QuarterClosed['data']).closedOn, closedAt: closing.metadata.recordedAt }
        : null,
      closedPosition: closing ? closing.position : null,
      notes: notes ? (notes.data as { notes: string }).notes : null,
      lateChanges,
    };
  }

  close(quarter: FinancialQuarter, context: CommandContext): Promise<DecideResult> {
    return periodCommands.send(this.commands, { type: 'CloseQuarter', now: context.now, quarter }, context);
  }

  recordNotes(quarter: FinancialQuarter, teamId: string | null, notes: string, context: CommandContext): Promise<DecideResult> {
    return periodCommands.send(this.commands, { type: 'RecordBoardNotes', now: context.now, quarter, teamId, notes }, context);
  }
}
