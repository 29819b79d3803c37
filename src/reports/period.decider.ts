import { dayOf, deciderOf, type FinancialQuarter, conflict, ruleBroken, dayInWords } from '@casetrail/kernel';
import { PERIOD_EVENT_SCHEMA_VERSIONS, type PeriodEvent } from './periods.events';

export type PeriodCommand =
  | { type: 'CloseQuarter'; now: string; quarter: FinancialQuarter }
  | {
      type: 'RecordLateChange';
      now: string;
      quarter: FinancialQuarter;
      businessDate: string;
      commandType: string;
      streamId: string;
      reason: string | undefined;
      changeCommandId: string;
    }
  | { type: 'RecordBoardNotes'; now: string; quarter: FinancialQuarter; teamId: string | null; notes: string };

export interface PeriodState {
  closed: { closedOn: string } | null;
  lateChanges: number;
}

export class QuarterNotEnded extends ruleBroken(
  'QUARTER_NOT_ENDED',
  (quarter: string, to: string) => `${quarter} cannot be closed before it has ended: its last day is ${dayInWords(to)}.`,
) {}

export class QuarterAlreadyClosed extends conflict(
  'QUARTER_ALREADY_CLOSED',
  (quarter: string, closedOn: string) => `${quarter} was already closed on ${dayInWords(closedOn)}.`,
) {}

export class LateChangeNeedsReason extends ruleBroken(
  'LATE_CHANGE_NEEDS_REASON',
  (quarter: string, businessDate: string) =>
    `${quarter} is closed and ${dayInWords(businessDate)} falls inside it: say why this change is recorded late ` +
    '(send the reason in the Late-Change-Reason header). It will be listed in the next board report.',
) {}

export class QuarterNotClosed extends ruleBroken(
  'QUARTER_NOT_CLOSED',
  (quarter: string) => `${quarter} is not closed: a change into it is not a late change.`,
) {}

export class NotesOfClosedQuarter extends conflict(
  'QUARTER_CLOSED',
  (quarter: string, closedOn: string) =>
    `${quarter} was closed on ${dayInWords(closedOn)}: its report, notes included, is the one the board saw and cannot change.`,
) {}

export const LATE_CHANGE_REASON_MAX = 1000;

export const periodDecider = deciderOf<PeriodCommand, PeriodEvent, PeriodState>({
  name: 'period',
  initialState: { closed: null, lateChanges: 0 },
  schemaVersions: PERIOD_EVENT_SCHEMA_VERSIONS,
  evolve: {
    QuarterClosed: (state, event) => ({ ...state, closed: { closedOn: event.data.closedOn } }),
    LateChangeRecorded: (state) => ({ ...state, lateChanges: state.lateChanges + 1 }),
    BoardNotesRecorded: (state) => state,
  },
  decide: {
    CloseQuarter(command, state) {
      const { quarter } = command;
      if (state.closed) throw new QuarterAlreadyClosed(quarter.label, state.closed.closedOn);
      const today = dayOf(command.now);
      if (today <= quarter.to) throw new QuarterNotEnded(quarter.label, quarter.to);
      return [{ type: 'QuarterClosed', data: { quarter: quarter.label, from: quarter.from, to: quarter.to, closedOn: today } }];
    },
    RecordLateChange(command, state) {
      const { quarter } = command;
      if (!state.closed) throw new QuarterNotClosed(quarter.label);
      const reason = command.reason?.trim().slice(0, LATE_CHANGE_REASON_MAX) ?? '';
      if (!reason) throw new LateChangeNeedsReason(quarter.label, command.businessDate);
      return [
        {
          type: 'LateChangeRecorded',
          data: {
            quarter: quarter.label,
            businessDate: command.businessDate,
            commandType: command.commandType,
            streamId: command.streamId,
            reason,
            changeCommandId: command.changeCommandId,
          },
        },
      ];
    },
    RecordBoardNotes(command, state) {
      if (state.closed) throw new NotesOfClosedQuarter(command.quarter.label, state.closed.closedOn);
      return [
        {
          type: 'BoardNotesRecorded',
          data: { quarter: command.quarter.label, teamId: command.teamId, notes: command.notes.trim() },
        },
      ];
    },
  },
});
