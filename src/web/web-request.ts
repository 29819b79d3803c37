import type { Request } from 'express';
import type { Principal } from '../shared';
import type { WebSession } from './session';

/** A page request after WebSessionMiddleware: its session, CSRF token and, when signed in, its principal. */
export type WebRequest = Request & {
  principal?: Principal;
  webSession: WebSession;
  csrfToken: string;
  body: Record<string, unknown> | undefined;
  /** What is wrong with the "Show this page as at" field, shown on the page it came from. */
  asAtProblem?: string;
};

/** Principals from a browser session carry this instead of a personal access token id. */
export const WEB_SESSION_TOKEN_ID = 'web-session';

/** What a list may show, as AuthGuard left it on the request (the same reading as the API's RecordScope). */
export function recordScope(request: {
  teamScope?: string[] | null;
  ownerScope?: string;
}): { teamIds: string[]; ownerId?: string } | null {
  if (!request.teamScope) return null;
  return { teamIds: request.teamScope, ...(request.ownerScope ? { ownerId: request.ownerScope } : {}) };
}
