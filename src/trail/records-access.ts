import { Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { from, mergeMap, type Observable } from 'rxjs';
import type { Principal } from '../shared';
import { AccessLogService } from './access-log.service';

/** What a route read: one subject, several, or none (then nothing is recorded). */
export type SubjectFrom = (
  request: Request & { principal?: Principal },
  responseBody: unknown,
) => string | string[] | null | undefined;

export const RECORDS_ACCESS = 'casetrail:records-access';

/**
 * Marks a GET route that reads case-level data: every successful call is recorded in the access
 * log before the response is sent, one entry per subject. The subject comes from the request
 * (params, query) and/or the response body, e.g.
 *   @RecordsAccess((req) => `audit-${req.params.id}`)
 *   @RecordsAccess((_req, body) => [`case:${(body as AuditView).caseRef}`, `child:${(body as AuditView).childRef}`])
 * Nothing else is needed: AccessLogInterceptor is global (TrailModule registers it).
 */
export const RecordsAccess = (subjectFrom: SubjectFrom): MethodDecorator => SetMetadata(RECORDS_ACCESS, subjectFrom);

/** The route as the caller asked for it, method included, e.g. "GET /api/v1/streams/team-a". */
export const requestedRoute = (request: Request): string => `${request.method} ${request.originalUrl ?? request.url}`;

@Injectable()
export class AccessLogInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly accessLog: AccessLogService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const subjectFrom = this.reflector.get<SubjectFrom | undefined>(RECORDS_ACCESS, context.getHandler());
    if (!subjectFrom || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    return next.handle().pipe(
      mergeMap((body) =>
        from(
          (async () => {
            const principal = request.principal;
            const subject = subjectFrom(request, body);
            const subjects = subject === null || subject === undefined ? [] : Array.isArray(subject) ? subject : [subject];
            // Recorded before answering: if the entry cannot be written, the data is not shown.
            if (principal) await this.accessLog.record(principal, requestedRoute(request), subjects);
            return body;
          })(),
        ),
      ),
    );
  }
}
