import { Body, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '../shared';
import {
  ApiController,
  Caller,
  Ctx,
  type CommandContext,
  type DecideResult,
  InvalidInputException,
  CommandRoute,
  QueryRoute,
} from '../core';
import { BoardReportService } from './board-report.service';
import { renderCsv, renderDocx, renderHtml, reportTables } from './board-report.render';
import { BoardNotesDto, BoardReportParams, QuarterParam } from './reports.dto';
import { ClosedQuarterAsAt } from './closed-quarter-as-at.guard';
import { PeriodsService } from './periods.service';
import { parseQuarterParam } from './quarters';
import type { FinancialQuarter } from '@casetrail/kernel';

const quarterOf = (value: string, field = 'quarter'): FinancialQuarter => {
  const quarter = parseQuarterParam(value);
  if (!quarter) throw new InvalidInputException([{ field, problems: [`"${value}" is not a financial quarter`] }]);
  return quarter;
};

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

@ApiController('reports', 'api/v1')
export class ReportsController {
  constructor(
    private readonly reports: BoardReportService,
    private readonly periods: PeriodsService,
  ) {}

  @QueryRoute('reports/board', {
    description:
      'The quarterly board report (sections 1-5) as at now or `asAt`; a closed quarter is shown as at its closing. ' +
      'format=html (default, print-ready A4), docx, csv (one `table`) or json.',
  })
  @UseGuards(ClosedQuarterAsAt)
  @ApiProduces('text/html', DOCX, 'text/csv', 'application/json')
  async board(@Query() params: BoardReportParams, @Caller() principal: Principal, @Res() response: Response): Promise<void> {
    const quarter = quarterOf(params.quarter);
    const report = await this.reports.report({
      quarter,
      teamId: params.teamId ?? null,
      audience: params.audience ?? 'internal',
      threshold: params.threshold,
      viewerId: principal.userId,
    });
    const name = `board-report-${quarter.label.replace(/[/ ]/g, '-')}${report.teamId ? `-${report.teamId}` : ''}-${report.audience}`;
    switch (params.format ?? 'html') {
      case 'json':
        response.json(report);
        return;
      case 'docx':
        response
          .type(DOCX)
          .setHeader('Content-Disposition', `attachment; filename="${name}.docx"`)
          .send(await renderDocx(report));
        return;
      case 'csv': {
        const table = reportTables(report).find((t) => t.id === params.table)!;
        response
          .type('text/csv; charset=utf-8')
          .setHeader('Content-Disposition', `attachment; filename="${name}-${table.id}.csv"`)
          .send(renderCsv(table));
        return;
      }
      case 'html':
        response.type('text/html; charset=utf-8').send(renderHtml(report));
        return;
    }
  }

  @CommandRoute('periods/:quarter/close', {
    description: 'QuarterClosed: from now on a change into it needs a reason.',
    conflict: 'Already closed.',
    unprocessable: 'The quarter has not ended yet.',
  })
  close(@Param() { quarter }: QuarterParam, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.periods.close(quarterOf(quarter), context);
  }

  @CommandRoute('periods/:quarter/notes', {
    description: 'BoardNotesRecorded: shown in section 5 of the report.',
    conflict: 'The quarter is closed: its report cannot change.',
  })
  notes(@Param() { quarter }: QuarterParam, @Body() body: BoardNotesDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.periods.recordNotes(quarterOf(quarter), body.teamId ?? null, body.notes, context);
  }
}
