import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import {
  ApiCommand,
  ApiSignedIn,
  Ctx,
  type CommandContext,
  DecideCommand,
  type DecideResult,
  DecideResultView,
  businessToday,
} from '../core';
import { calendarDecider } from './calendar.decider';
import { AddBankHolidayDto, BankHolidaysParams } from './calendar.commands';
import { BANK_HOLIDAYS_STREAM } from './calendar.events';
import { BankHolidaysView, ListBankHolidaysQuery } from './calendar.queries';

@ApiTags('calendar')
@ApiSignedIn()
@Controller('api/v1/calendar/bank-holidays')
export class BankHolidaysController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView, description: 'Due dates and overdue counts answered from now on use it.' })
  @ApiConflictResponse({ description: 'The day is already a bank holiday.' })
  @ApiUnprocessableEntityResponse({ description: 'A Saturday or Sunday, or `replaces` is not a bank holiday.' })
  add(@Body() body: AddBankHolidayDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    const command = {
      type: 'AddBankHoliday' as const,
      now: context.now,
      date: body.date,
      reason: body.reason,
      ...(body.replaces === undefined ? {} : { replaces: body.replaces }),
    };
    return this.commands.execute(new DecideCommand(calendarDecider, BANK_HOLIDAYS_STREAM, command, context));
  }

  @Get()
  @ApiOkResponse({ type: BankHolidaysView })
  list(@Query() { year }: BankHolidaysParams): Promise<BankHolidaysView> {
    return this.queries.execute(new ListBankHolidaysQuery(year ?? Number(businessToday().slice(0, 4))));
  }
}
