import { Body, Get, Post } from '@nestjs/common';
import { AddBankHolidayDto, BankHolidaysParams } from '../../../calendar';
import { businessToday } from '../../../core';
import { dateItems, dayFromParts, partsOfDay, typedParts } from '../../dates';
import { filled, noProblems, validated } from '../../forms';
import { inputPipe, Page, PageIn, Pages, type Input, PageController } from '../../kit';

const holidayInput = inputPipe(AddBankHolidayDto, (body) => ({
  ...filled(body, ['reason']),
  date: dayFromParts(body, 'date'),
  replaces: dayFromParts(body, 'replaces'),
}));

/**
 * Bank holidays in England and Wales, year by year: the published ones and those an
 * administrator recorded (with who and why). Administrators add a new or substitute holiday
 * here (BankHolidayAdded); everyone the policy lets read the calendar sees the list.
 */
@PageController('calendar/bank-holidays')
export class BankHolidaysPage extends Pages {
  @Get()
  async page(@PageIn() page: Page): Promise<void> {
    await this.show(page, {});
  }

  @Post()
  async add(@PageIn() page: Page, @Body(holidayInput) input: Input<AddBankHolidayDto>): Promise<void> {
    const { values } = input;
    await this.submit(page, input, {
      send: (dto, context) => this.useCases.bankHolidays.add(dto, context),
      to: () => `/calendar/bank-holidays?year=${input.dto!.date.slice(0, 4)}&added=${input.dto!.date}`,
      show: (problems) => this.show(page, values, problems),
      labels: { date: 'Date', reason: 'Reason', replaces: 'Substitute for' },
      fieldOf: { ALREADY_A_BANK_HOLIDAY: 'date', BANK_HOLIDAY_AT_WEEKEND: 'date', REPLACED_DAY_NOT_A_BANK_HOLIDAY: 'replaces' },
      formId: 'add-bank-holiday',
      days: ['date', 'replaces'],
    });
  }

  private async show(page: Page, values: Record<string, unknown>, problems = noProblems()): Promise<void> {
    let year = Number(businessToday().slice(0, 4));
    const yearProblem = await validated(BankHolidaysParams, filled(page.query, ['year'])).then(
      (params) => {
        year = params.year ?? year;
        return null;
      },
      () => 'Enter a year between 1900 and 2200, for example 2026',
    );
    const [calendar, name] = await Promise.all([this.useCases.bankHolidays.list({ year }), this.names.users()]);
    const recorded = new Map(calendar.recorded.map((r) => [r.date, r]));
    const replaced = [...new Map(calendar.recorded.filter((r) => r.replaces).map((r) => [r.replaces!, r])).values()];
    const failed = problems.errorList.length > 0;
    const partsOf = (field: string) => (failed ? typedParts(page.body, field) : partsOfDay(values[field] as string | undefined));
    const context = {
      title: `Bank holidays in ${year}`,
      year,
      yearProblem,
      previousYear: year - 1,
      nextYear: year + 1,
      rows: calendar.bankHolidays.map((date) => {
        const own = recorded.get(date);
        const byName = own && name(own.addedBy);
        return {
          date,
          what: own ? own.reason : 'Published bank holiday',
          recorded: own ? { byName, addedAt: own.addedAt, replaces: own.replaces } : null,
        };
      }),
      // A usual day moved by a substitute is a working day again: said, so nobody wonders where it went.
      movedAway: replaced.filter((r) => r.replaces!.startsWith(`${year}-`)),
      mayAdd: page.may('POST /api/v1/calendar/bank-holidays'),
      added: typeof page.query.added === 'string' ? page.query.added : null,
      values,
      dateItems: dateItems(partsOf('date'), 'date' in problems.errors),
      replacesItems: dateItems(partsOf('replaces'), 'replaces' in problems.errors),
    };
    this.render(
      page,
      'calendar/bank-holidays.njk',
      context,
      yearProblem
        ? {
            errors: { ...problems.errors, year: yearProblem },
            errorList: [...problems.errorList, { text: yearProblem, href: '#year' }],
          }
        : problems,
    );
  }
}
