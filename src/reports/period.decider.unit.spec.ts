import { deciderSpec } from '@casetrail/testing';
import {
  LateChangeNeedsReason,
  NotesOfClosedQuarter,
  periodDecider,
  QuarterAlreadyClosed,
  QuarterNotClosed,
  QuarterNotEnded,
} from './period.decider';
import type { PeriodEvent } from './periods.events';
import { parseQuarter } from './quarters';

const q1 = parseQuarter('2020/21 Q1')!;
const { given } = deciderSpec(periodDecider);
const closed: PeriodEvent = {
  type: 'QuarterClosed',
  data: { quarter: '2020/21 Q1', from: '2020-04-01', to: '2020-06-30', closedOn: '2020-07-10' },
};
const late = (reason: string | undefined) =>
  ({
    type: 'RecordLateChange',
    now: '2020-07-20T09:00:00.000Z',
    quarter: q1,
    businessDate: '2020-06-15',
    commandType: 'RaiseDispute',
    streamId: 'dispute-d1',
    reason,
    changeCommandId: 'u1:key-1',
  }) as const;

describe('period decider', () => {
  it('a quarter that has ended is closed on the day of the command', () =>
    given([]).when({ type: 'CloseQuarter', now: '2020-07-10T09:00:00.000Z', quarter: q1 }).then([closed]));

  it('a quarter cannot be closed before its last day has passed', () =>
    given([])
      .when({ type: 'CloseQuarter', now: '2020-06-30T22:00:00.000Z', quarter: q1 }) // 23:00 BST on 30 June
      .thenThrows(QuarterNotEnded, /last day is 30 June 2020/));

  it('a quarter cannot be closed twice', () =>
    given([closed])
      .when({ type: 'CloseQuarter', now: '2020-08-01T09:00:00.000Z', quarter: q1 })
      .thenThrows(QuarterAlreadyClosed, /already closed on 10 July 2020/));

  it('a late change into a closed quarter is recorded with its reason', () =>
    given([closed])
      .when(late('  Found in the July audit  '))
      .then([
        {
          type: 'LateChangeRecorded',
          data: {
            quarter: '2020/21 Q1',
            businessDate: '2020-06-15',
            commandType: 'RaiseDispute',
            streamId: 'dispute-d1',
            reason: 'Found in the July audit',
            changeCommandId: 'u1:key-1',
          },
        },
      ]));

  it('a late change into a closed quarter needs a reason', () => {
    given([closed])
      .when(late(undefined))
      .thenThrows(LateChangeNeedsReason, /Late-Change-Reason/);
    given([closed]).when(late('   ')).thenThrows(LateChangeNeedsReason);
  });

  it('notes for the board are recorded for the quarter (and team) while it is open', () =>
    given([])
      .when({ type: 'RecordBoardNotes', now: '2020-07-01T09:00:00.000Z', quarter: q1, teamId: null, notes: ' Note the MASH. ' })
      .then([{ type: 'BoardNotesRecorded', data: { quarter: '2020/21 Q1', teamId: null, notes: 'Note the MASH.' } }]));

  it('the notes of a closed quarter cannot change: its report is the one the board saw', () =>
    given([closed])
      .when({ type: 'RecordBoardNotes', now: '2020-08-01T09:00:00.000Z', quarter: q1, teamId: null, notes: 'Later' })
      .thenThrows(NotesOfClosedQuarter));

  it('a change into an open quarter is not a late change', () => given([]).when(late('reason')).thenThrows(QuarterNotClosed));
});
