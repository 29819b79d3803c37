import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { IsNull, MoreThan } from 'typeorm';
import type { Principal } from '../shared';
import { listRowsHandler, readRows, ReadModelHandler } from '../core';
import { UserNotFound } from './user.decider';
import { UserCredentialRow, UserRow, UserTokenRow } from './projections/user.projection';

/** The signed-in principal for a token hash, if the token is live and its user active. */
export class FindPrincipalByTokenQuery extends Query<Principal | null> {
  constructor(
    readonly tokenHash: string,
    readonly at: string,
  ) {
    super();
  }
}

export class ListUsersQuery extends Query<UserRow[]> {}

export class GetUserQuery extends Query<UserRow & { tokens: UserTokenRow[] }> {
  constructor(readonly userId: string) {
    super();
  }
}

export class CountUsersQuery extends Query<number> {}

/** Web sign-in: the credential for a username (case-insensitive: usernames are stored lower case). */
export class FindCredentialQuery extends Query<UserCredentialRow | null> {
  constructor(readonly by: { username: string } | { userId: string }) {
    super();
  }
}

/** Active team managers of a team, earliest registered first (then by id, so the order is stable). */
export class FindTeamManagersQuery extends Query<UserRow[]> {
  constructor(readonly teamId: string) {
    super();
  }
}

@QueryHandler(FindPrincipalByTokenQuery)
export class FindPrincipalByTokenHandler extends ReadModelHandler implements IQueryHandler<FindPrincipalByTokenQuery> {
  async execute({ tokenHash, at }: FindPrincipalByTokenQuery): Promise<Principal | null> {
    const token = await this.db
      .getRepository(UserTokenRow)
      .findOneBy({ tokenHash, revokedAt: IsNull(), expiresAt: MoreThan(at) });
    if (!token) return null;
    const user = await this.db.getRepository(UserRow).findOneBy({ userId: token.userId, status: 'active' });
    if (!user) return null;
    return { userId: user.userId, name: user.name, role: user.role, teamIds: user.teamIds, tokenId: token.tokenId };
  }
}

export class ListUsersHandler extends listRowsHandler(ListUsersQuery, UserRow, { name: 'ASC' }) {}

@QueryHandler(GetUserQuery)
export class GetUserHandler extends ReadModelHandler implements IQueryHandler<GetUserQuery> {
  async execute({ userId }: GetUserQuery): Promise<UserRow & { tokens: UserTokenRow[] }> {
    const user = await this.db.getRepository(UserRow).findOneBy({ userId });
    if (!user) throw new UserNotFound(userId);
    // Token hashes stay server-side: a hash is enough to recognise a token, so it is not shown.
    const tokens = await this.db.getRepository(UserTokenRow).find({
      where: { userId },
      order: { issuedAt: 'ASC' },
      select: ['tokenId', 'userId', 'label', 'issuedAt', 'expiresAt', 'revokedAt', 'revokedReason', 'lastUsedOn', 'usedOn'],
    });
    return { ...user, tokens };
  }
}

@QueryHandler(CountUsersQuery)
export class CountUsersHandler extends ReadModelHandler implements IQueryHandler<CountUsersQuery> {
  execute(): Promise<number> {
    return this.db.getRepository(UserRow).count();
  }
}

/** UserRow's columns in its declared order, as TypeORM's find answered them. */
const USER_COLUMNS = ['userId', 'name', 'role', 'teamIds', 'status', 'registeredAt', 'deactivatedAt', 'sessionVersion']
  .map((c) => `"${c}"`)
  .join(', ');
const ACTIVE_TEAM_MANAGERS = `SELECT ${USER_COLUMNS} FROM users WHERE "role" = 'team-manager' AND "status" = 'active' ORDER BY "registeredAt" ASC, "userId" ASC`;

@QueryHandler(FindTeamManagersQuery)
export class FindTeamManagersHandler extends ReadModelHandler implements IQueryHandler<FindTeamManagersQuery> {
  async execute({ teamId }: FindTeamManagersQuery): Promise<UserRow[]> {
    // Every submit, correction and moderation asks this: one prepared statement, not a TypeORM find per command.
    const rows = await readRows<Omit<UserRow, 'teamIds'> & { teamIds: string }>(this.db, ACTIVE_TEAM_MANAGERS);
    // teamIds is a JSON column (simple-json, text on both databases): filtered here rather than with database-specific JSON SQL.
    return rows
      .map((row) => ({ ...row, teamIds: JSON.parse(row.teamIds) as string[] }))
      .filter((user) => user.teamIds.includes(teamId));
  }
}

@QueryHandler(FindCredentialQuery)
export class FindCredentialHandler extends ReadModelHandler implements IQueryHandler<FindCredentialQuery> {
  execute({ by }: FindCredentialQuery): Promise<UserCredentialRow | null> {
    const where = 'username' in by ? { username: by.username.toLowerCase() } : { userId: by.userId };
    return this.db.getRepository(UserCredentialRow).findOneBy(where);
  }
}
