import { Inject, Injectable, Optional, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_REGISTRATIONS, caseLevelRead, type AccessRegistration } from '../auth';
import type { Request } from 'express';
import type { Principal } from '../shared';
import type { RouteAccessRecorder, RouteAccessRecording } from '../core';
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
 * Nothing else is needed: the global RequestInterceptor asks AccessLogRecorder (TrailModule provides it).
 *
 * Reads of a case-level record (an audit, a dispute, an action) need no decorator: the recorder
 * knows them by the route's access rule (caseLevelRead in src/auth/case-level-reads.ts), on the API
 * and on the pages alike, and records them before the handler runs, so nothing of the record is
 * shown unrecorded (a page sends its own answer). A read of an id that turns out not to exist is
 * recorded too: it was an attempt to read that record.
 */
export const RecordsAccess = (subjectFrom: SubjectFrom): MethodDecorator => SetMetadata(RECORDS_ACCESS, subjectFrom);

/** The route as the caller asked for it, method included, e.g. "GET /api/v1/streams/team-a". */
export const requestedRoute = (request: Request): string => `${request.method} ${request.originalUrl ?? request.url}`;

/**
 * The access log's part of the one global interceptor (core's RequestInterceptor, which asks
 * `recordingFor` on every HTTP request): TrailModule provides it as ROUTE_ACCESS_RECORDER.
 */
@Injectable()
export class AccessLogRecorder implements RouteAccessRecorder {
  constructor(
    private readonly reflector: Reflector,
    private readonly accessLog: AccessLogService,
    // Registered in the server only (the CLI has no routes to intercept).
    @Optional() @Inject(ACCESS_REGISTRATIONS) private readonly registrations: readonly AccessRegistration[] = [],
  ) {}

  recordingFor(context: ExecutionContext): RouteAccessRecording | null {
    const subjectFrom = this.reflector.get<SubjectFrom | undefined>(RECORDS_ACCESS, context.getHandler());
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    if (!subjectFrom) {
      const routePath = (request.route as { path?: string } | undefined)?.path ?? '';
      const subject = caseLevelRead(this.registrations, request.method, routePath, request.params ?? {});
      const principal = request.principal;
      if (subject === null || !principal) return null;
      return { before: () => this.accessLog.record(principal, requestedRoute(request), [subject]) };
    }
    return {
      after: async (body) => {
        const principal = request.principal;
        const subject = subjectFrom(request, body);
        const subjects = subject === null || subject === undefined ? [] : Array.isArray(subject) ? subject : [subject];
        // Recorded before answering: if the entry cannot be written, the data is not shown.
        if (principal) await this.accessLog.record(principal, requestedRoute(request), subjects);
      },
    };
  }
}
