import { deciderSpec, ProjectionHarness } from '@casetrail/testing';
import { TokenNotFound, UserNotFound, userDecider } from './user.decider';
import type { UserEvent } from './users.events';
import { UserTokenRow, usersProjection } from './projections/user.projection';

const userId = '3f1c6d1e-6a53-4c55-9d7e-2a4f8f0b9c11';
const registered: UserEvent = { type: 'UserRegistered', data: { userId, name: 'Jo Smith', role: 'qa-officer', teamIds: [] } };
const issued: UserEvent = {
  type: 'UserTokenIssued',
  data: { userId, tokenId: 't1', tokenHash: 'h'.repeat(64), label: 'laptop', expiresAt: '2026-08-09T10:00:00.000Z' },
};
const use = (now: string) => ({ type: 'RecordTokenUse' as const, now, userId, tokenId: 't1' });
const used = (on: string): UserEvent => ({ type: 'PersonalAccessTokenUsed', data: { userId, tokenId: 't1', on } });

describe('personal access token use, in the user decider', () => {
  const { given } = deciderSpec(userDecider);

  it("the first use of a token on a day is recorded in the user's history", () =>
    given([registered, issued])
      .when(use('2026-05-11T10:00:00.000Z'))
      .then([used('2026-05-11')]));

  it('a token used again the same day adds nothing', () =>
    given([registered, issued, used('2026-05-11')])
      .when(use('2026-05-11T23:59:00.000Z'))
      .thenNothingHappened());

  it('a token used on a later day is recorded again', () =>
    given([registered, issued, used('2026-05-11')])
      .when(use('2026-05-12T00:01:00.000Z'))
      .then([used('2026-05-12')]));

  it('only a token of this user can be recorded as used', () =>
    given([registered]).when(use('2026-05-11T10:00:00.000Z')).thenThrows(TokenNotFound));

  it('only a registered user has tokens to use', () => given([]).when(use('2026-05-11T10:00:00.000Z')).thenThrows(UserNotFound));
});

describe('personal access token use, in the users projection', () => {
  const h = ProjectionHarness.perTest(usersProjection);

  it('each token shows the last day it was used and every day it was used', async () => {
    await h.record(`user-${userId}`, [registered, issued, used('2026-05-11'), used('2026-05-13')]);
    await h.project();
    const [token] = await h.rows(UserTokenRow, 'tokenId');
    expect([token.lastUsedOn, token.usedOn]).toEqual(['2026-05-13', ['2026-05-11', '2026-05-13']]);
  });

  it('a token never used shows no use', async () => {
    await h.record(`user-${userId}`, [registered, issued]);
    await h.project();
    const [token] = await h.rows(UserTokenRow, 'tokenId');
    expect([token.lastUsedOn, token.usedOn]).toEqual([null, []]);
  });
});
