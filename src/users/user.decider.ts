import { recordDeciderOf, existingRecord, notFound, conflict, ruleBroken } from '@casetrail/kernel';
import type { Role } from '../shared';
import { USER_EVENT_SCHEMA_VERSIONS, type UserEvent } from './users.events';

// ---- commands (time comes in as `now`) ----
export type UserCommand =
  | { type: 'RegisterUser'; now: string; userId: string; name: string; role: Role; teamIds: string[] }
  | { type: 'ChangeUserTeams'; now: string; userId: string; teamIds: string[] }
  | { type: 'IssueToken'; now: string; userId: string; tokenId: string; tokenHash: string; label: string; expiresAt: string }
  | { type: 'RevokeToken'; now: string; userId: string; tokenId: string; reason: string }
  | { type: 'DeactivateUser'; now: string; userId: string; reason: string }
  | { type: 'RecordTokenUse'; now: string; userId: string; tokenId: string }
  | { type: 'EndSessions'; now: string; userId: string; reason: string }
  /** `usernameTakenBy`: the user who already signs in with this username, looked up just before deciding. */
  | {
      type: 'SetPassword';
      now: string;
      userId: string;
      username: string;
      passwordHash: string;
      usernameTakenBy: string | null;
    };

// ---- state ----
export type UserState =
  | { status: 'none' }
  | {
      status: 'active' | 'deactivated';
      userId: string;
      teamIds: string[];
      tokens: Map<string, { revoked: boolean; expiresAt: string; lastUsedOn?: string }>;
    };

// ---- rules, as errors a person understands ----
export class UserAlreadyRegistered extends conflict(
  'USER_ALREADY_REGISTERED',
  (userId: string) => `User ${userId} is already registered.`,
) {}
export class UserNotFound extends notFound('USER_NOT_FOUND', (userId: string) => `There is no user ${userId}.`) {}
export class UserDeactivatedError extends conflict(
  'USER_DEACTIVATED',
  (userId: string) => `User ${userId} has been deactivated; they can no longer be given tokens or teams.`,
) {}
export class TokenNotFound extends notFound('TOKEN_NOT_FOUND', (tokenId: string) => `This user has no token ${tokenId}.`) {}
export class TokenAlreadyRevoked extends conflict(
  'TOKEN_ALREADY_REVOKED',
  (tokenId: string) => `Token ${tokenId} is already revoked.`,
) {}
export class TokenExpiryNotInFuture extends ruleBroken(
  'TOKEN_EXPIRY_NOT_IN_FUTURE',
  () => 'A token must expire after the moment it is issued.',
) {}
export class TeamsUnchanged extends ruleBroken('TEAMS_UNCHANGED', () => 'The user is already in exactly these teams.') {}

export class UsernameTaken extends conflict(
  'USERNAME_TAKEN',
  (username: string) => `The username "${username}" is already used by someone else. Choose another.`,
) {}

const sameSet = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));
const unique = (ids: string[]): string[] => [...new Set(ids)].sort();

const knownUser = (state: UserState, userId: string) => existingRecord(state, () => new UserNotFound(userId));

function activeUser(state: UserState, userId: string): Extract<UserState, { status: 'active' | 'deactivated' }> {
  const user = knownUser(state, userId);
  if (user.status === 'deactivated') throw new UserDeactivatedError(userId);
  return user;
}

export const userDecider = recordDeciderOf<UserCommand, UserEvent, UserState>('user', USER_EVENT_SCHEMA_VERSIONS, {
  alreadyExists: { RegisterUser: (command) => new UserAlreadyRegistered(command.userId) },

  decide: {
    RegisterUser(command) {
      const { userId, name, role } = command;
      return [{ type: 'UserRegistered', data: { userId, name, role, teamIds: unique(command.teamIds) } }];
    },
    ChangeUserTeams(command, state) {
      const user = activeUser(state, command.userId);
      const teamIds = unique(command.teamIds);
      if (sameSet(teamIds, user.teamIds)) throw new TeamsUnchanged();
      return [{ type: 'UserTeamsChanged', data: { userId: command.userId, teamIds, previousTeamIds: user.teamIds } }];
    },
    IssueToken(command, state) {
      activeUser(state, command.userId);
      if (command.expiresAt <= command.now) throw new TokenExpiryNotInFuture();
      const { userId, tokenId, tokenHash, label, expiresAt } = command;
      return [{ type: 'UserTokenIssued', data: { userId, tokenId, tokenHash, label, expiresAt } }];
    },
    RevokeToken(command, state) {
      const token = knownUser(state, command.userId).tokens.get(command.tokenId);
      if (!token) throw new TokenNotFound(command.tokenId);
      if (token.revoked) throw new TokenAlreadyRevoked(command.tokenId);
      const { userId, tokenId, reason } = command;
      return [{ type: 'UserTokenRevoked', data: { userId, tokenId, reason } }];
    },
    RecordTokenUse(command, state) {
      const token = knownUser(state, command.userId).tokens.get(command.tokenId);
      if (!token) throw new TokenNotFound(command.tokenId);
      const on = command.now.slice(0, 10);
      // Once a day is enough to show when a token is in use; more would flood the user's history.
      if (token.lastUsedOn === on) return [];
      return [{ type: 'PersonalAccessTokenUsed', data: { userId: command.userId, tokenId: command.tokenId, on } }];
    },
    DeactivateUser(command, state) {
      activeUser(state, command.userId);
      return [{ type: 'UserDeactivated', data: { userId: command.userId, reason: command.reason } }];
    },
    EndSessions(command, state) {
      knownUser(state, command.userId);
      return [{ type: 'UserSessionsEnded', data: { userId: command.userId, reason: command.reason } }];
    },
    SetPassword(command, state) {
      activeUser(state, command.userId);
      if (command.usernameTakenBy !== null && command.usernameTakenBy !== command.userId) {
        throw new UsernameTaken(command.username);
      }
      const { userId, username, passwordHash } = command;
      return [{ type: 'UserPasswordSet', data: { userId, username, passwordHash } }];
    },
  },

  evolve: {
    UserRegistered: (_state, event) => ({
      status: 'active',
      userId: event.data.userId,
      teamIds: event.data.teamIds,
      tokens: new Map(),
    }),
    UserTeamsChanged: (state, event) => (state.status === 'none' ? state : { ...state, teamIds: event.data.teamIds }),
    UserTokenIssued(state, event) {
      if (state.status === 'none') return state;
      const tokens = new Map(state.tokens).set(event.data.tokenId, { revoked: false, expiresAt: event.data.expiresAt });
      return { ...state, tokens };
    },
    UserTokenRevoked(state, event) {
      if (state.status === 'none') return state;
      const token = state.tokens.get(event.data.tokenId);
      if (!token) return state;
      return { ...state, tokens: new Map(state.tokens).set(event.data.tokenId, { ...token, revoked: true }) };
    },
    PersonalAccessTokenUsed(state, event) {
      if (state.status === 'none') return state;
      const token = state.tokens.get(event.data.tokenId);
      if (!token) return state;
      return { ...state, tokens: new Map(state.tokens).set(event.data.tokenId, { ...token, lastUsedOn: event.data.on }) };
    },
    UserDeactivated: (state) => (state.status === 'none' ? state : { ...state, status: 'deactivated' }),
  },
});
