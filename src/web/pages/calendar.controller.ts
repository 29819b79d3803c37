import { Controller, Get, Inject, Post, Req, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { API_POLICY } from '../../auth';
import type { Role } from '../../shared';
import { AddBankHolidayDto, BankHolidaysParams } from '../../calendar';
import { businessToday } from '../../core';
import { ListUsersQuery } from '../../users';
import { ApiControllers } from '../api-controllers';
import { dateFieldIds, dateItems, dayFromParts, partsOfDay, typedParts } from '../dates';
import { filled, noProblems, submitForm, validated, type FormProblems } from '../forms';
import type { SignedIn } from '../page-helpers';
import { WebErrorFilter } from '../web-errors.filter';
import { WebViews } from '../web-views';
import { pageContext } from './sign-in.controller';

const LABELS = { date: 'Date', reason: 'Reason', replaces: 'Substitute for' };

/** Who may add a bank holiday: the API route's rule (administrators), never a second copy of it. */
const mayAdd = (role: Role | undefined): boolean =>
  role !== undefined && (API_POLICY['POST /api/v1/calendar/bank-holidays'].roles as readonly Role[]).includes(role);

/**
 * Bank holidays in England and Wales, year by year: the published ones and those an
 * administrator recorded (with who and why). Administrators add a new or substitute holiday
 * here (BankHolidayAdded); everyone the policy lets read the calendar sees the list.
 */
@ApiExcludeController()
@UseFilters(WebErrorFilter)
@Controller('calendar')
export class CalendarPagesController {
  constructor(
    private readonly api: ApiControllers,
    private readonly queries: QueryBus,
    @Inject(WebViews) private readonly views: WebViews,
  ) {}

  @Get('bank-holidays')
  async page(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    await this.show(request, response, {}, noProblems());
  }

  @Post('bank-holidays')
  async add(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const body = request.body as Record<string, unknown>;
    const values: Record<string, unknown> = {
      ...filled(body, ['reason']),
      date: dayFromParts(body, 'date'),
      replaces: dayFromParts(body, 'replaces'),
    };
    await submitForm({
      run: async () => {
        const dto = await validated(AddBankHolidayDto, values);
        await this.api.bankHolidays.add(dto, pageContext(request));
        response.redirect(303, `/calendar/bank-holidays?year=${dto.date.slice(0, 4)}&added=${dto.date}`);
      },
      problems: {
        labels: LABELS,
        fieldOf: {
          ALREADY_A_BANK_HOLIDAY: 'date',
          BANK_HOLIDAY_AT_WEEKEND: 'date',
          REPLACED_DAY_NOT_A_BANK_HOLIDAY: 'replaces',
        },
        formId: 'add-bank-holiday',
        idOf: dateFieldIds(['date', 'replaces']),
        reword: {
          date: values.date ? 'The date must be a real date, for example 19 9 2022' : 'Enter the date of the bank holiday',
          reason: values.reason ? 'The reason must be 500 characters or fewer' : 'Enter the reason, for example the proclamation',
          replaces: 'The usual bank holiday it replaces must be a real date, for example 4 5 2020',
        },
      },
      onProblems: (problems) => this.show(request, response, values, problems, 400),
    });
  }

  private async show(
    request: SignedIn,
    response: Response,
    values: Record<string, unknown>,
    problems: FormProblems,
    status = 200,
  ): Promise<void> {
    const query = request.query as Record<string, unknown>;
    let yearProblem: string | null = null;
    let year = Number(businessToday().slice(0, 4));
    try {
      year = (await validated(BankHolidaysParams, filled(query, ['year']))).year ?? year;
    } catch {
      yearProblem = 'Enter a year between 1900 and 2200, for example 2026';
    }
    const [calendar, users] = await Promise.all([
      this.api.bankHolidays.list({ year }),
      this.queries.execute(new ListUsersQuery()),
    ]);
    const names = new Map(users.map((u) => [u.userId, u.name]));
    const recorded = new Map(calendar.recorded.map((r) => [r.date, r]));
    const replaced = new Map(calendar.recorded.filter((r) => r.replaces).map((r) => [r.replaces!, r]));
    const body = request.body as Record<string, unknown> | undefined;
    const partsOf = (field: 'date' | 'replaces') =>
      status === 400 ? typedParts(body, field) : partsOfDay(values[field] as string | undefined);
    this.views.send(
      request,
      response,
      'calendar/bank-holidays.njk',
      {
        title: `Bank holidays in ${year}`,
        year,
        yearProblem,
        previousYear: year - 1,
        nextYear: year + 1,
        rows: calendar.bankHolidays.map((date) => {
          const own = recorded.get(date);
          return {
            date,
            what: own ? own.reason : 'Published bank holiday',
            recorded: own
              ? {
                  byName: names.get(own.addedBy) ?? own.addedBy,
                  addedAt: own.addedAt,
                  replaces: own.replaces,
                }
              : null,
          };
        }),
        // A usual day moved by a substitute is a working day again: said, so nobody wonders where it went.
        movedAway: [...replaced.values()].filter((r) => r.replaces!.startsWith(`${year}-`)),
        mayAdd: mayAdd(request.principal?.role),
        added: typeof query.added === 'string' ? query.added : null,
        values,
        dateItems: dateItems(partsOf('date'), 'date' in problems.errors),
        replacesItems: dateItems(partsOf('replaces'), 'replaces' in problems.errors),
        ...problems,
        ...(yearProblem
          ? {
              errors: { ...problems.errors, year: yearProblem },
              errorList: [...problems.errorList, { text: yearProblem, href: '#year' }],
            }
          : {}),
      },
      yearProblem ? 400 : status,
    );
  }
}
