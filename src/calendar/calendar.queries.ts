import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiProperty } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { workingDayCalendar, type WorkingDayCalendar } from '@casetrail/kernel';
import { readRows, ReadModelHandler } from '../core';
import { BankHolidayRow } from './projections/bank-holiday.projection';

/**
 * The working-day calendar in force: the published bank holidays plus those recorded by an
 * administrator (read model bank-holidays). The same list of changes gives the same cached
 * calendar, so its per-year caches are reused across requests.
 */
export class CurrentCalendarQuery extends Query<WorkingDayCalendar> {}

export class ListBankHolidaysQuery extends Query<BankHolidaysView> {
  constructor(readonly year: number) {
    super();
  }
}

export class BankHolidaysView {
  @ApiProperty() year!: number;
  @ApiProperty({ type: [String], description: 'Every bank holiday of the year, published and recorded, in date order.' })
  bankHolidays!: string[];
  @ApiProperty({ type: [BankHolidayRow], description: 'Every bank holiday an administrator recorded (all years).' })
  recorded!: BankHolidayRow[];
}

/** BankHolidayRow's columns in their declared order, as TypeORM's find answered them. */
const RECORDED =
  'SELECT "date", "reason", "replaces", "position", "addedAt", "addedBy" FROM bank_holidays ORDER BY "position" ASC';

/** Every submit and dispute asks for the calendar: one prepared statement, not a TypeORM find each time. */
async function recordedRows(db: DataSource): Promise<BankHolidayRow[]> {
  return readRows<BankHolidayRow>(db, RECORDED);
}

const calendarOf = (rows: BankHolidayRow[]): WorkingDayCalendar =>
  workingDayCalendar(rows.map((r) => (r.replaces ? { date: r.date, replaces: r.replaces } : { date: r.date })));

@QueryHandler(CurrentCalendarQuery)
export class CurrentCalendarHandler extends ReadModelHandler implements IQueryHandler<CurrentCalendarQuery> {
  async execute(): Promise<WorkingDayCalendar> {
    return calendarOf(await recordedRows(this.db));
  }
}

@QueryHandler(ListBankHolidaysQuery)
export class ListBankHolidaysHandler extends ReadModelHandler implements IQueryHandler<ListBankHolidaysQuery> {
  async execute({ year }: ListBankHolidaysQuery): Promise<BankHolidaysView> {
    const recorded = await recordedRows(this.db);
    return { year, bankHolidays: calendarOf(recorded).bankHolidays(year), recorded };
  }
}
