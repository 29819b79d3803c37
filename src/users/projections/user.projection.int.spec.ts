import { ProjectionHarness } from '@casetrail/testing';
import type { UserEvent } from '../users.events';
import { UserRow, UserTokenRow, usersProjection } from './user.projection';

const userId = '6c0e0e0b-33a4-4bb3-8a43-0a0f3b1a3c11';
const history: UserEvent[] = [
  { type: 'UserRegistered', data: { userId, name: 'Jo Smith', role: 'team-manager', teamIds: ['cp-east'] } },
  {
    type: 'UserTokenIssued',
    data: { userId, tokenId: 't1', tokenHash: 'a'.repeat(64), label: 'laptop', expiresAt: '2026-07-01T00:00:00.000Z' },
  },
  {
    type: 'UserTokenIssued',
    data: { userId, tokenId: 't2', tokenHash: 'b'.repeat(64), label: 'phone', expiresAt: '2026-07-01T00:00:00.000Z' },
  },
  { type: 'UserTeamsChanged', data: { userId, teamIds: ['cin-north', 'cp-east'], previousTeamIds: ['cp-east'] } },
  { type: 'UserTokenRevoked', data: { userId, tokenId: 't1', reason: 'lost' } },
  { type: 'UserDeactivated', data: { userId, reason: 'left' } },
];

describe('users projection', () => {
  const h = ProjectionHarness.perTest(usersProjection);

  it('keeps each user with their teams and status, and each token with its revocation', async () => {
    await h.record(`user-${userId}`, history);
    await h.project();
    expect(await h.rows(UserRow, 'userId')).toEqual([
      expect.objectContaining({ userId, role: 'team-manager', teamIds: ['cin-north', 'cp-east'], status: 'deactivated' }),
    ]);
    const tokens = await h.rows(UserTokenRow, 'tokenId');
    expect(tokens.map((t) => [t.tokenId, t.revokedReason])).toEqual([
      ['t1', 'lost'],
      ['t2', null],
    ]);
  });

  it('replaying the same events gives the same rows', async () => {
    await h.record(`user-${userId}`, history);
    await h.project();
    await h.expectRebuildKeeps(async () => [await h.rows(UserRow, 'userId'), await h.rows(UserTokenRow, 'tokenId')]);
  });
});
