import { Global, Module } from '@nestjs/common';
import { LATE_CHANGE_CHECK } from '../core';
import { BoardReportBuilder } from './board-report.builder';
import { BoardReportService } from './board-report.service';
import { ClosedQuarterAsAt } from './closed-quarter-as-at.guard';
import { ClosedQuarterCheck } from './late-changes';
import { PeriodsService } from './periods.service';
import { ReportsController } from './reports.http';

/**
 * The quarterly board report and closed quarters. Global only so that the generic command
 * handler (core) finds the LATE_CHANGE_CHECK it offers a hook for.
 */
@Global()
@Module({
  controllers: [ReportsController],
  providers: [
    BoardReportBuilder,
    BoardReportService,
    PeriodsService,
    ClosedQuarterAsAt,
    ClosedQuarterCheck,
    { provide: LATE_CHANGE_CHECK, useExisting: ClosedQuarterCheck },
  ],
  exports: [LATE_CHANGE_CHECK, BoardReportService, PeriodsService],
})
export class ReportsModule {}
