import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import type { ProjectionRunner } from '@casetrail/projections';
import type { AsAtRequest } from './as-at-reader';
import { readModelsReach, refuse } from './consistency.middleware';
import { parseInstant } from './dto';
import { PROJECTION_RUNNER } from './tokens';

export const AS_AT_PARAM = 'asAt';
export const AS_AT_POSITION_HEADER = 'As-At-Position';

/**
 * `?asAt=<instant>` (knowledge time) on any GET: the answer is what the same request returned
 * at that instant. This middleware takes the parameter out of the URL (so the routes' own
 * query DTOs never see it), turns the instant into P, the position of the last event
 * recorded at or before it, waits until the read models have applied P, and leaves P on the
 * request; RequestInterceptor then runs the route inside the as-at scope. The response names P
 * in an `As-At-Position` header.
 *
 * 400 for a malformed instant, an instant in the future (what will be known then is not known
 * yet, so it cannot be answered "exactly"), or asAt on anything but a GET.
 */
@Injectable()
export class AsAtMiddleware implements NestMiddleware {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly projections: ProjectionRunner,
  ) {}

  async use(request: AsAtRequest, response: Response, next: NextFunction): Promise<void> {
    // Nearly every request names no instant: no URL parsing for them (a percent-encoded name is parsed).
    if (!request.url.includes(AS_AT_PARAM) && !request.url.includes('%')) return next();
    const url = new URL(request.url, 'http://casetrail.invalid');
    const values = url.searchParams.getAll(AS_AT_PARAM);
    if (values.length === 0) return next();
    url.searchParams.delete(AS_AT_PARAM);
    request.url = url.pathname + url.search;

    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return refuse(
        response,
        400,
        'Bad Request',
        'asAt only applies to reading (GET requests); nothing can be recorded in the past.',
      );
    }
    const instant = values.length === 1 ? parseInstant(values[0]) : null;
    if (!instant) {
      return refuse(
        response,
        400,
        'Bad Request',
        'asAt must be one date and time with its zone, for example 2020-06-30T23:59:59Z (the end of 30 June 2020, UTC).',
      );
    }
    if (instant.getTime() > Date.now()) {
      return refuse(response, 400, 'Bad Request', 'asAt is in the future: what will be known then is not known yet.');
    }
    const asAt = instant.toISOString();
    const position = await this.store.positionAt(asAt); // 0 before the first event: every view is empty
    if (!(await readModelsReach(this.projections, position, response))) return;
    request.asAt = { position, asAt };
    response.setHeader(AS_AT_POSITION_HEADER, position.toString());
    next();
  }
}
