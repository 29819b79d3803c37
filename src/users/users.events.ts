import type { DomainEvent } from '@casetrail/kernel';
import type { Role } from '../shared';

/** Stream: user-<userId>. Event type names are stable: never rename one. */
export type UserRegistered = DomainEvent<'UserRegistered', { userId: string; name: string; role: Role; teamIds: string[] }>;
export type UserTeamsChanged = DomainEvent<'UserTeamsChanged', { userId: string; teamIds: string[]; previousTeamIds: string[] }>;
export type UserTokenIssued = DomainEvent<
  'UserTokenIssued',
  { userId: string; tokenId: string; tokenHash: string; label: string; expiresAt: string }
>;
export type UserTokenRevoked = DomainEvent<'UserTokenRevoked', { userId: string; tokenId: string; reason: string }>;
/** A personal access token was used on this day (recorded at most once per token and day). */
export type PersonalAccessTokenUsed = DomainEvent<'PersonalAccessTokenUsed', { userId: string; tokenId: string; on: string }>;
export type UserDeactivated = DomainEvent<'UserDeactivated', { userId: string; reason: string }>;

/**
 * Sign-in for the web pages. `passwordHash` is self-describing ("scrypt$N$r$p$salt$key", see
 * users/password.ts): the password itself is never recorded.
 */
export type UserPasswordSet = DomainEvent<'UserPasswordSet', { userId: string; username: string; passwordHash: string }>;

/** The person signed out: every web session of theirs ends, in every browser, at once. */
export type UserSessionsEnded = DomainEvent<'UserSessionsEnded', { userId: string; reason: string }>;

export type UserEvent =
  | UserRegistered
  | UserTeamsChanged
  | UserTokenIssued
  | UserTokenRevoked
  | PersonalAccessTokenUsed
  | UserDeactivated
  | UserPasswordSet
  | UserSessionsEnded;

export const USER_EVENT_SCHEMA_VERSIONS: Record<UserEvent['type'], number> = {
  UserRegistered: 1,
  UserTeamsChanged: 1,
  UserTokenIssued: 1,
  UserTokenRevoked: 1,
  PersonalAccessTokenUsed: 1,
  UserDeactivated: 1,
  UserPasswordSet: 1,
  UserSessionsEnded: 1,
};

export const userStreamId = (userId: string): string => `user-${userId}`;
