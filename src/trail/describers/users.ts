import { day, reason, words, type EventDescriber } from './words';

const teams = (ids: unknown): string => (ids as string[]).join(', ') || 'none';

/** Stream user-<userId> (src/users/users.events.ts). Token and password hashes are never shown. */
export const USER_DESCRIBERS: Record<string, EventDescriber> = {
  UserRegistered: (d, c) =>
    `${c.entity}: registered as ${words(d.role)}${Array.isArray(d.teamIds) && d.teamIds.length ? ` in ${d.teamIds.join(', ')}` : ''} by ${c.actor}`,
  UserTeamsChanged: (d, c) => `${c.entity}: teams changed from ${teams(d.previousTeamIds)} to ${teams(d.teamIds)} by ${c.actor}`,
  UserTokenIssued: (d, c) =>
    `${c.entity}: access token "${words(d.label)}" issued by ${c.actor}, valid until ${day(d.expiresAt)}`,
  PersonalAccessTokenUsed: (d, c) => `${c.entity}: an access token was used on ${day(d.on)}`,
  UserTokenRevoked: (d, c) => `${c.entity}: an access token was revoked by ${c.actor}${reason(d)}`,
  UserDeactivated: (d, c) => `${c.entity}: deactivated by ${c.actor}${reason(d)}`,
  UserSessionsEnded: (d, c) => `${c.entity}: signed out of every browser by ${c.actor}${reason(d)}`,
  // Stream oidc-session-<id> (src/users/oidc-sessions.events.ts): one browser's identity-provider session.
  OidcSessionEnded: (d, c) => `${c.entity}: a session signed in through the identity provider, ended by ${c.actor}${reason(d)}`,
  UserPasswordSet: (d, c) => `${c.entity}: sign-in password set for username "${words(d.username)}" by ${c.actor}`,
};
