import { oidcSessionDecider } from './oidc-session.decider';
import { IsNull, MoreThan } from 'typeorm';
import type { AccessRegistration } from '../auth';
import { DecideCommand, stateFolder, type ContextRegistration } from '../core';
import { usersProjection, UserRow, UserTokenRow } from './projections/user.projection';
import { userDecider } from './user.decider';
import { userStreamId } from './users.events';

/** What the users context registers with the platform and the access policy (src/app.module.ts): its users and their tokens. */
export const USERS_CONTEXT: ContextRegistration & AccessRegistration = {
  name: 'users',
  streams: {
    'user-': stateFolder(userDecider),
    'oidc-session-': stateFolder(oidcSessionDecider),
  },
  projections: [usersProjection],
  tokens: {
    projection: usersProjection.name,
    async holder(tokenHash, now, db) {
      const token = await db.getRepository(UserTokenRow).findOne({
        where: { tokenHash, revokedAt: IsNull(), expiresAt: MoreThan(now) },
        select: ['tokenId', 'userId', 'expiresAt', 'lastUsedOn'],
      });
      if (!token) return null;
      const user = await db.getRepository(UserRow).findOneBy({ userId: token.userId, status: 'active' });
      if (!user) return null;
      return {
        principal: { userId: user.userId, name: user.name, role: user.role, teamIds: user.teamIds, tokenId: token.tokenId },
        expiresAt: token.expiresAt,
        lastUsedOn: token.lastUsedOn,
      };
    },
    async lastUsedOn(tokenId, db) {
      const token = await db.getRepository(UserTokenRow).findOne({ where: { tokenId }, select: ['tokenId', 'lastUsedOn'] });
      return token ? token.lastUsedOn : undefined;
    },
    recordUse: (principal, now, context) =>
      new DecideCommand(
        userDecider,
        userStreamId(principal.userId),
        { type: 'RecordTokenUse', now, userId: principal.userId, tokenId: principal.tokenId },
        context,
      ),
  },
};
