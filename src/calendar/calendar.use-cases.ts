import { Injectable } from '@nestjs/common';
import { type CommandContext, commandHandlerFor, type DecideResult, businessToday, ContextUseCases } from '../core';
import { calendarDecider } from './calendar.decider';
import { AddBankHolidayDto, BankHolidaysParams } from './calendar.dto';
import { BANK_HOLIDAYS_STREAM } from './calendar.events';
import { BankHolidaysView, ListBankHolidaysQuery } from './calendar.queries';

const bankHolidays = commandHandlerFor(calendarDecider, () => BANK_HOLIDAYS_STREAM);

/** The working-day calendar: bank holidays an administrator records beside the published ones. */
@Injectable()
export class CalendarUseCases extends ContextUseCases {
  add(body: AddBankHolidayDto, context: CommandContext): Promise<DecideResult> {
    const command = {
      type: 'AddBankHoliday' as const,
      now: context.now,
      date: body.date,
      reason: body.reason,
      ...(body.replaces === undefined ? {} : { replaces: body.replaces }),
    };
    return bankHolidays.send(this.commands, command, context);
  }

  list({ year }: BankHolidaysParams): Promise<BankHolidaysView> {
    return this.queries.execute(new ListBankHolidaysQuery(year ?? Number(businessToday().slice(0, 4))));
  }
}
