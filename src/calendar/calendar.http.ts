import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ApiCommand, ApiSignedIn, Ctx, type CommandContext, type DecideResult, DecideResultView } from '../core';
import { AddBankHolidayDto, BankHolidaysParams } from './calendar.dto';
import { BankHolidaysView } from './calendar.queries';
import { CalendarUseCases } from './calendar.use-cases';

@ApiTags('calendar')
@ApiSignedIn()
@Controller('api/v1/calendar/bank-holidays')
export class BankHolidaysController {
  constructor(private readonly calendar: CalendarUseCases) {}

  @Post()
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView, description: 'Due dates and overdue counts answered from now on use it.' })
  @ApiConflictResponse({ description: 'The day is already a bank holiday.' })
  @ApiUnprocessableEntityResponse({ description: 'A Saturday or Sunday, or `replaces` is not a bank holiday.' })
  add(@Body() body: AddBankHolidayDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.calendar.add(body, context);
  }

  @Get()
  @ApiOkResponse({ type: BankHolidaysView })
  list(@Query() query: BankHolidaysParams): Promise<BankHolidaysView> {
    return this.calendar.list(query);
  }
}
