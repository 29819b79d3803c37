import type { DomainEvent } from '@casetrail/kernel';

/**
 * Stream: period-<yyyy>-<yy>-q<n> (e.g. period-2020-21-q1): one financial quarter's closing and the
 * late changes recorded into it afterwards.
 */
export type QuarterClosed = DomainEvent<
  'QuarterClosed',
  {
    /** e.g. "2020/21 Q1". */
    quarter: string;
    from: string;
    to: string;
    /** The day it was closed (business day of the command). */
    closedOn: string;
  }
>;

/** A command whose business date falls in the closed quarter was recorded after the closing, with a reason. */
export type LateChangeRecorded = DomainEvent<
  'LateChangeRecorded',
  {
    quarter: string;
    /** The business date in the closed quarter that the change concerns. */
    businessDate: string;
    /** The command's type, e.g. "RecordProgress". */
    commandType: string;
    /** The stream the change was recorded on. */
    streamId: string;
    reason: string;
    /** The command id of the change (its events carry the same one). */
    changeCommandId: string;
  }
>;

/** What the board is asked to note or decide, entered for the quarter's report (council-wide, or one team's). */
export type BoardNotesRecorded = DomainEvent<'BoardNotesRecorded', { quarter: string; teamId: string | null; notes: string }>;

export type PeriodEvent = QuarterClosed | LateChangeRecorded | BoardNotesRecorded;

export const PERIOD_EVENT_SCHEMA_VERSIONS: Record<PeriodEvent['type'], number> = {
  QuarterClosed: 1,
  LateChangeRecorded: 1,
  BoardNotesRecorded: 1,
};
