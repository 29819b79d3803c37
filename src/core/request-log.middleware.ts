import { Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Principal } from '../auth/principal';

/** One structured log line per request: who, what, outcome, how long. Never bodies or tokens. */
@Injectable()
export class RequestLogMiddleware implements NestMiddleware {
  private readonly logger = new Logger('HTTP');

  use(request: Request & { principal?: Principal }, response: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const line = {
        method: request.method,
        path: request.originalUrl.split('?')[0],
        status: response.statusCode,
        durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        actorId: request.principal?.userId ?? null,
      };
      if (response.statusCode >= 500) this.logger.error(line);
      else this.logger.log(line);
    });
    next();
  }
}
