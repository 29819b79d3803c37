import { RuleBrokenError } from './domain-error';
import { addDays, dayInWords, dayOf, type LocalDate } from './local-date';

/**
 * Business dates (audited on, raised on, completed on...) come from the command so that
 * history can be entered later. They may not lie in the future; one day of grace covers
 * a user whose clock is ahead of the server's (time zones, late-night entry).
 */
export class BusinessDateInFuture extends RuleBrokenError {
  readonly code = 'BUSINESS_DATE_IN_FUTURE';
  constructor(
    readonly field: string,
    readonly date: LocalDate,
  ) {
    super(`${field} ${dayInWords(date)} is in the future; record things that have happened (today or earlier).`);
  }
}

/** The latest business date a command issued at `now` may carry. */
export const latestBusinessDate = (now: string): LocalDate => addDays(dayOf(now), 1);

/** Throws BusinessDateInFuture when `date` is more than a day after the day of `now`. */
export function assertNotInFuture(field: string, date: LocalDate, now: string): void {
  if (date > latestBusinessDate(now)) throw new BusinessDateInFuture(field, date);
}
