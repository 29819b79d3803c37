import { ProjectionHarness } from '@casetrail/testing';
import type { CalendarEvent } from '../calendar.events';
import { BankHolidayRow, bankHolidaysProjection } from './bank-holiday.projection';

describe('bank-holidays projection', () => {
  it('keeps one row per recorded bank holiday, in the order recorded; a replay gives the same rows', async () => {
    const h = await ProjectionHarness.open(bankHolidaysProjection);
    const events: CalendarEvent[] = [
      { type: 'BankHolidayAdded', data: { date: '2027-07-14', reason: 'One-off' } },
      { type: 'BankHolidayAdded', data: { date: '2027-05-04', reason: 'Moved', replaces: '2027-05-03' } },
    ];
    await h.record('calendar-bank-holidays', events);
    await h.project();
    const rows = await h.rows(BankHolidayRow, 'position');
    expect(rows.map((r) => [r.date, r.replaces, r.reason])).toEqual([
      ['2027-07-14', null, 'One-off'],
      ['2027-05-04', '2027-05-03', 'Moved'],
    ]);
    await h.expectRebuildKeeps(() => h.rows(BankHolidayRow, 'position'));
    await h.close();
  });
});
