import { day, words, type EventDescriber } from './words';

/** Stream period-<year>-q<n> (src/reports/periods.events.ts): a financial quarter, no child. */
export const REPORT_DESCRIBERS: Record<string, EventDescriber> = {
  QuarterClosed: (d, c) =>
    `${c.entity}: ${words(d.quarter)} (${day(d.from)} to ${day(d.to)}) closed by ${c.actor}; ` +
    'changes into it now need a reason and its report is the one as at this closing',
  LateChangeRecorded: (d, c) =>
    `${c.entity}: late change into the closed ${words(d.quarter)} (${words(d.commandType)} on ${words(d.streamId)}, ` +
    `business date ${day(d.businessDate)}) by ${c.actor}: reason "${words(d.reason)}"`,
  BoardNotesRecorded: (d, c) =>
    `${c.entity}: notes for the board report of ${words(d.quarter)}${d.teamId ? ` (team ${words(d.teamId)})` : ''} entered by ${c.actor}`,
};
