import { Injectable, Logger, Optional, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Principal } from '../shared';
import { Metrics } from './metrics';

/**
 * One structured log line per request: who, what, outcome, how long. Never bodies or tokens.
 * Also counts it in the metrics, by the route pattern that answered it (`/api/v1/teams/:id`, never
 * the raw URL, so ids do not make endless series), or "unmatched" when no route did.
 */
@Injectable()
export class RequestLogMiddleware implements NestMiddleware {
  private readonly logger = new Logger('HTTP');

  constructor(@Optional() private readonly metrics?: Metrics) {}

  use(request: Request & { principal?: Principal }, response: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const durationMs = Number((process.hrtime.bigint() - started) / 1000n) / 1000;
      const route = (request.route as { path?: unknown } | undefined)?.path;
      this.metrics?.request(
        request.method,
        typeof route === 'string' ? route : 'unmatched',
        response.statusCode,
        durationMs / 1000,
      );
      const line = {
        method: request.method,
        path: request.originalUrl.split('?')[0],
        status: response.statusCode,
        durationMs,
        actorId: request.principal?.userId ?? null,
      };
      if (response.statusCode >= 500) this.logger.error(line);
      else this.logger.log(line);
    });
    next();
  }
}
