import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import type { ProjectionRunner } from '@casetrail/projections';
import { type AsAtRequest, AS_AT_POSITION_HEADER, CONSISTENCY_WAIT_MS, PROJECTION_RUNNER } from '../core';
import { PeriodsService } from './periods.service';
import { parseQuarterParam } from './quarters';

/**
 * "A closed quarter's report is the one as at its closing": for the board report of a closed
 * quarter asked now, or as at any time after its closing, this points the request's as-at scope
 * at the closing event, so what the board saw is shown again. It never refuses (it is a guard
 * only because guards run after AsAtMiddleware and before RequestInterceptor opens the scope).
 */
@Injectable()
export class ClosedQuarterAsAt implements CanActivate {
  constructor(
    private readonly periods: PeriodsService,
    @Inject(PROJECTION_RUNNER) private readonly projections: ProjectionRunner,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AsAtRequest>();
    const label = typeof request.query.quarter === 'string' ? request.query.quarter : '';
    const quarter = parseQuarterParam(label);
    if (!quarter) return true; // the DTO answers 400
    const closing = (await this.periods.history(quarter)).find((e) => e.type === 'QuarterClosed');
    if (!closing) return true;
    if (request.asAt && request.asAt.position < closing.position) return true; // before the closing: as asked
    if (await this.projections.waitFor(closing.position, CONSISTENCY_WAIT_MS)) {
      request.asAt = { position: closing.position, asAt: closing.metadata.recordedAt };
      context.switchToHttp().getResponse<Response>().setHeader(AS_AT_POSITION_HEADER, closing.position.toString());
    }
    return true;
  }
}
