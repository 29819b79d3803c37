import { Global, Module } from '@nestjs/common';
import { BankHolidaysController } from './calendar.http';
import { CurrentCalendarHandler, ListBankHolidaysHandler } from './calendar.queries';
import { CalendarUseCases } from './calendar.use-cases';

/** Bank holidays an administrator records, and the working-day calendar other contexts ask for (CurrentCalendarQuery). */
@Global()
@Module({
  controllers: [BankHolidaysController],
  providers: [CalendarUseCases, CurrentCalendarHandler, ListBankHolidaysHandler],
  exports: [CalendarUseCases],
})
export class CalendarModule {}
