import type { DomainEvent, LocalDate } from '@casetrail/kernel';

/**
 * Stream: calendar-bank-holidays. An administrator records a bank holiday the published list
 * does not have: a one-off (a state funeral, a coronation) or a substitute that moves a usual
 * day (`replaces`). Working-day counts made after it use it.
 */
export type BankHolidayAdded = DomainEvent<'BankHolidayAdded', { date: LocalDate; reason: string; replaces?: LocalDate }>;

export type CalendarEvent = BankHolidayAdded;

export const CALENDAR_EVENT_SCHEMA_VERSIONS: Record<CalendarEvent['type'], number> = { BankHolidayAdded: 1 };
export const BANK_HOLIDAYS_STREAM = 'calendar-bank-holidays';
