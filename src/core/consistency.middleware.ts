import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { ProjectionRunner } from '@casetrail/projections';
import type { ErrorBody } from './http-errors';
import { PROJECTION_RUNNER } from './tokens';

export const CONSISTENT_WITH_PARAM = 'consistentWith';
export const CONSISTENT_WITH_HEADER = 'consistent-with';
/** The longest a request waits for the read models to reach the position it names. */
export const CONSISTENCY_WAIT_MS = 5000;

const POSITION = /^\d{1,19}$/;

/** Answers a middleware's refusal in the API's one error shape. */
export const refuse = (response: Response, statusCode: number, error: string, message: string): void => {
  const body: ErrorBody = { statusCode, error, message };
  response.status(statusCode).json(body);
};

/**
 * Waits, up to CONSISTENCY_WAIT_MS, until the read models have applied the log up to `position`;
 * when they have not, answers 503 (try again in a second) and says false.
 */
export async function readModelsReach(projections: ProjectionRunner, position: bigint, response: Response): Promise<boolean> {
  if (await projections.waitFor(position, CONSISTENCY_WAIT_MS)) return true;
  response.setHeader('Retry-After', '1');
  refuse(
    response,
    503,
    'Service Unavailable',
    `The read models have not reached position ${position} yet (waited ${CONSISTENCY_WAIT_MS / 1000} s). Try again shortly.`,
  );
  return false;
}

/**
 * Read-your-writes across instances: every command answers with its `position`; a query
 * sent with `?consistentWith=<position>` (or a `Consistent-With` header) waits, up to
 * CONSISTENCY_WAIT_MS, until the read models have applied it, and answers 503 if they have
 * not. The parameter is taken out of the URL so the routes' own query DTOs never see it.
 */
@Injectable()
export class ConsistencyMiddleware implements NestMiddleware {
  constructor(@Inject(PROJECTION_RUNNER) private readonly projections: ProjectionRunner) {}

  async use(request: Request, response: Response, next: NextFunction): Promise<void> {
    const fromHeader = request.header(CONSISTENT_WITH_HEADER);
    // Nearly every request names no position: no URL parsing for them (a percent-encoded name is parsed).
    if (fromHeader === undefined && !request.url.includes(CONSISTENT_WITH_PARAM) && !request.url.includes('%')) return next();
    const url = new URL(request.url, 'http://casetrail.invalid');
    const fromQuery = url.searchParams.getAll(CONSISTENT_WITH_PARAM);
    if (fromQuery.length === 0 && fromHeader === undefined) return next();
    url.searchParams.delete(CONSISTENT_WITH_PARAM);
    request.url = url.pathname + url.search;

    const values = [...fromQuery, ...(fromHeader === undefined ? [] : [fromHeader])];
    if (!values.every((v) => POSITION.test(v))) {
      return refuse(response, 400, 'Bad Request', 'consistentWith must be a position (a whole number) from a command response.');
    }
    const position = values.map(BigInt).reduce((a, b) => (a > b ? a : b));
    if (!(await readModelsReach(this.projections, position, response))) return;
    next();
  }
}
