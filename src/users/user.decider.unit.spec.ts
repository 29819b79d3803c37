import { deciderSpec } from '@casetrail/testing';
import {
  TeamsUnchanged,
  TokenAlreadyRevoked,
  TokenExpiryNotInFuture,
  TokenNotFound,
  UserAlreadyRegistered,
  UserDeactivatedError,
  UserNotFound,
  UsernameTaken,
  userDecider,
} from './user.decider';
import type { UserEvent } from './users.events';

const now = '2026-05-11T10:00:00.000Z';
const userId = '3f1c6d1e-6a53-4c55-9d7e-2a4f8f0b9c11';
const registered: UserEvent = {
  type: 'UserRegistered',
  data: { userId, name: 'Jo Smith', role: 'qa-officer', teamIds: ['cp-east'] },
};
const issued: UserEvent = {
  type: 'UserTokenIssued',
  data: { userId, tokenId: 't1', tokenHash: 'h1', label: 'laptop', expiresAt: '2026-08-09T10:00:00.000Z' },
};
const revoked: UserEvent = { type: 'UserTokenRevoked', data: { userId, tokenId: 't1', reason: 'lost laptop' } };
const deactivated: UserEvent = { type: 'UserDeactivated', data: { userId, reason: 'left the council' } };
const issue = {
  type: 'IssueToken' as const,
  now,
  userId,
  tokenId: 't2',
  tokenHash: 'h2',
  label: 'cli',
  expiresAt: '2026-08-09T10:00:00.000Z',
};
const { given } = deciderSpec(userDecider);

describe('user decider', () => {
  it('a user is registered with a role and sorted, de-duplicated teams', () =>
    given([])
      .when({
        type: 'RegisterUser',
        now,
        userId,
        name: 'Jo Smith',
        role: 'qa-officer',
        teamIds: ['cp-east', 'cin-north', 'cp-east'],
      })
      .then([
        { type: 'UserRegistered', data: { userId, name: 'Jo Smith', role: 'qa-officer', teamIds: ['cin-north', 'cp-east'] } },
      ]));

  it('a user id cannot be registered twice', () =>
    given([registered])
      .when({ type: 'RegisterUser', now, userId, name: 'Other', role: 'admin', teamIds: [] })
      .thenThrows(UserAlreadyRegistered));

  it("a user's teams change, keeping the previous teams", () =>
    given([registered])
      .when({ type: 'ChangeUserTeams', now, userId, teamIds: ['cin-north'] })
      .then([{ type: 'UserTeamsChanged', data: { userId, teamIds: ['cin-north'], previousTeamIds: ['cp-east'] } }]));

  it('changing teams to the same teams is refused', () =>
    given([registered])
      .when({ type: 'ChangeUserTeams', now, userId, teamIds: ['cp-east'] })
      .thenThrows(TeamsUnchanged));

  it('a token is issued to an active user', () =>
    given([registered])
      .when(issue)
      .then([
        { type: 'UserTokenIssued', data: { userId, tokenId: 't2', tokenHash: 'h2', label: 'cli', expiresAt: issue.expiresAt } },
      ]));

  it('a token is issued only to a registered user', () => given([]).when(issue).thenThrows(UserNotFound));

  it('a token must expire after it is issued', () =>
    given([registered])
      .when({ ...issue, expiresAt: now })
      .thenThrows(TokenExpiryNotInFuture));

  it('a deactivated user gets no new token and no new teams', () => {
    given([registered, deactivated]).when(issue).thenThrows(UserDeactivatedError);
    given([registered, deactivated]).when({ type: 'ChangeUserTeams', now, userId, teamIds: [] }).thenThrows(UserDeactivatedError);
  });

  it('a token is revoked with a reason', () =>
    given([registered, issued]).when({ type: 'RevokeToken', now, userId, tokenId: 't1', reason: 'lost laptop' }).then([revoked]));

  it('only a token of this user can be revoked', () =>
    given([registered, issued])
      .when({ type: 'RevokeToken', now, userId, tokenId: 'nope', reason: 'x' })
      .thenThrows(TokenNotFound));

  it('a revoked token cannot be revoked again', () =>
    given([registered, issued, revoked])
      .when({ type: 'RevokeToken', now, userId, tokenId: 't1', reason: 'again' })
      .thenThrows(TokenAlreadyRevoked));

  it("a deactivated user's tokens can still be revoked", () =>
    given([registered, issued, deactivated])
      .when({ type: 'RevokeToken', now, userId, tokenId: 't1', reason: 'lost laptop' })
      .then([revoked]));

  it('a user is deactivated once', () => {
    given([registered]).when({ type: 'DeactivateUser', now, userId, reason: 'left the council' }).then([deactivated]);
    given([registered, deactivated])
      .when({ type: 'DeactivateUser', now, userId, reason: 'again' })
      .thenThrows(UserDeactivatedError);
  });

  describe('passwords for web sign-in', () => {
    const setPassword = {
      type: 'SetPassword' as const,
      now,
      userId,
      username: 'jo.smith',
      passwordHash: 'scrypt$16384$8$1$c2FsdA$a2V5',
      usernameTakenBy: null,
    };
    const passwordSet: UserEvent = {
      type: 'UserPasswordSet',
      data: { userId, username: 'jo.smith', passwordHash: 'scrypt$16384$8$1$c2FsdA$a2V5' },
    };

    it('an active user is given a username and a password hash', () => given([registered]).when(setPassword).then([passwordSet]));

    it('a user may set a new password under their own username', () =>
      given([registered, passwordSet])
        .when({ ...setPassword, usernameTakenBy: userId })
        .then([passwordSet]));

    it('a username already used by someone else is refused', () =>
      given([registered])
        .when({ ...setPassword, usernameTakenBy: 'someone-else' })
        .thenThrows(UsernameTaken));

    it('a deactivated user is given no password', () =>
      given([registered, deactivated]).when(setPassword).thenThrows(UserDeactivatedError));

    it('only a registered user is given a password', () => given([]).when(setPassword).thenThrows(UserNotFound));
  });
});
