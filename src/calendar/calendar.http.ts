import { Body, Query } from '@nestjs/common';
import { ApiController, Ctx, type CommandContext, type DecideResult, CommandRoute, QueryRoute } from '../core';
import { AddBankHolidayDto, BankHolidaysParams } from './calendar.dto';
import { BankHolidaysView } from './calendar.queries';
import { CalendarUseCases } from './calendar.use-cases';

@ApiController('calendar', 'api/v1/calendar/bank-holidays')
export class BankHolidaysController {
  constructor(private readonly calendar: CalendarUseCases) {}

  @CommandRoute({
    description: 'Due dates and overdue counts answered from now on use it.',
    conflict: 'The day is already a bank holiday.',
    unprocessable: 'A Saturday or Sunday, or `replaces` is not a bank holiday.',
  })
  add(@Body() body: AddBankHolidayDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.calendar.add(body, context);
  }

  @QueryRoute({ type: BankHolidaysView })
  list(@Query() query: BankHolidaysParams): Promise<BankHolidaysView> {
    return this.calendar.list(query);
  }
}
