import type { DomainEvent } from '@casetrail/kernel';

/**
 * Stream: oidc-session-<sessionId>. A web session signed in through the identity provider (OIDC)
 * ended (its person signed out): from then on its cookie signs nobody in, on any instance. Such
 * people have no local account, so their sessions cannot end through the users' session version;
 * `sessionId` is a digest of the session's random nonce (src/web/user-sessions.ts), never the cookie.
 * Event type names are stable: never rename one.
 */
export type OidcSessionEnded = DomainEvent<'OidcSessionEnded', { sessionId: string; userId: string; reason: string }>;

export type OidcSessionEvent = OidcSessionEnded;

export const OIDC_SESSION_EVENT_SCHEMA_VERSIONS: Record<OidcSessionEvent['type'], number> = {
  OidcSessionEnded: 1,
};

export const oidcSessionStreamId = (sessionId: string): string => `oidc-session-${sessionId}`;
