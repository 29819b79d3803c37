import { Inject, Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { urlencoded, type NextFunction, type Response } from 'express';
import type { Principal } from '../shared';
import { bodyProblem } from '../core';
import { GetUserQuery } from '../users';
import { AS_AT_FIELD, asAtFromForm } from './as-at-form';
import { SESSION_COOKIE, SESSION_TTL_MS, SessionCodec, parseCookies, type WebSession } from './session';
import { UserSessions } from './user-sessions';
import { WebViews } from './web-views';
import { WEB_SESSION_TOKEN_ID, type WebRequest } from './web-request';

const parseForm = urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 });

export const CSRF_FIELD = '_csrf';

/** Writes the session cookie: HttpOnly, SameSite=Lax, Secure whenever the request came over TLS (see `trust proxy`). */
export function setSessionCookie(request: WebRequest, response: Response, codec: SessionCodec, session: WebSession): void {
  request.webSession = session;
  request.csrfToken = codec.csrfToken(session);
  response.cookie(SESSION_COOKIE, codec.encode(session), {
    httpOnly: true,
    sameSite: 'lax',
    secure: request.secure,
    path: '/',
    maxAge: SESSION_TTL_MS,
  });
}

/**
 * For page routes only: parses form bodies, reads (or starts) the session, puts the signed-in
 * user's principal on `request.principal` (read fresh from the users read model, so a
 * deactivated user is signed out at once), and refuses any POST without this session's CSRF token.
 */
@Injectable()
export class WebSessionMiddleware implements NestMiddleware {
  private readonly logger = new Logger('WebSession');

  constructor(
    private readonly codec: SessionCodec,
    private readonly queries: QueryBus,
    private readonly sessions: UserSessions,
    @Inject(WebViews) private readonly views: WebViews,
  ) {}

  async use(request: WebRequest, response: Response, next: NextFunction): Promise<void> {
    // Once per request, whatever Nest does with overlapping route patterns.
    if (request.webSession) return next();
    await new Promise<void>((resolve, reject) =>
      parseForm(request, response, (error?: unknown) => (error ? reject(error) : resolve())),
    );
    // The same rules as the API's JSON bodies (hostile-body.ts): no NUL, no lone surrogate, no "__proto__".
    const bodyTrouble = bodyProblem(request.body);
    let session = this.codec.decode(parseCookies(request.headers.cookie)[SESSION_COOKIE]);
    if (!session) {
      session = this.codec.fresh(null);
      setSessionCookie(request, response, this.codec, session);
    } else {
      request.webSession = session;
      request.csrfToken = this.codec.csrfToken(session);
    }
    if (session.userId && session.oidc) {
      // Signed out (here or on another instance): this cookie signs nobody in any more.
      if (await this.sessions.oidcSessionEnded(session)) {
        setSessionCookie(request, response, this.codec, this.codec.fresh(null));
      } else {
        const { name, role, teamIds } = session.oidc;
        request.principal = { userId: session.userId, name, role: role as Principal['role'], teamIds, tokenId: 'oidc' };
      }
    } else if (session.userId) {
      const principal = await this.principalOf(session.userId, session.sv ?? 0);
      if (principal) request.principal = principal;
      else setSessionCookie(request, response, this.codec, this.codec.fresh(null));
    }
    if (request.method === 'GET' && request.principal) {
      const asAt = asAtFromForm(request);
      if (asAt && 'redirect' in asAt) return response.redirect(303, asAt.redirect);
      if (asAt) {
        request.asAtProblem = asAt.problem;
        const url = new URL(request.url, 'http://casetrail.invalid');
        url.searchParams.delete(AS_AT_FIELD);
        request.url = url.pathname + url.search;
      }
    }
    if (request.method === 'POST') {
      const token = request.body?.[CSRF_FIELD];
      if (!this.codec.csrfValid(request.webSession, token)) {
        this.logger.warn(`CSRF token missing or wrong on POST ${request.path}`);
        this.views.send(request, response, 'errors/form-expired.njk', {}, 403);
        return;
      }
      delete request.body?.[CSRF_FIELD];
      if (bodyTrouble !== null) {
        this.views.send(request, response, 'errors/problem.njk', { statusCode: 400, message: bodyTrouble }, 400);
        return;
      }
    }
    next();
  }

  /** The signed-in user, unless they are deactivated or the session's version is no longer theirs (signed out, new password). */
  private async principalOf(userId: string, sessionVersion: number): Promise<Principal | null> {
    try {
      await this.sessions.caughtUp();
      const user = await this.queries.execute(new GetUserQuery(userId));
      if (user.status !== 'active' || user.sessionVersion !== sessionVersion) return null;
      return { userId: user.userId, name: user.name, role: user.role, teamIds: user.teamIds, tokenId: WEB_SESSION_TOKEN_ID };
    } catch {
      return null;
    }
  }
}
