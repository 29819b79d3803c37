import { Inject, Injectable } from '@nestjs/common';
import { IsNull, MoreThan, type DataSource } from 'typeorm';
import type { ProjectionRunner } from '@casetrail/projections';
import { PROJECTION_RUNNER, READ_DB } from '../core/tokens';
import { usersProjection, UserRow, UserTokenRow } from '../users/projections/user.projection';
import type { Principal } from './principal';

/** A live personal access token and what the request needs of it. */
export interface TokenHolder {
  principal: Principal;
  expiresAt: string;
  /** The last day a use of the token was recorded (TokenUsage records the first use each day). */
  lastUsedOn: string | null;
}

interface Entry extends TokenHolder {
  /** The users projection's position when the rows were read. */
  readAt: bigint;
}

/** Enough for every token in use at once; past it the cache starts again rather than grow. */
const MAX_ENTRIES = 10_000;

/**
 * Personal access tokens and their users, kept in memory so that a request does not query the
 * read database to authenticate. Kept current by the users projection: every entry carries the
 * position the projection had reached when it was read, and counts only while no event handed
 * to the projection since then could have changed it (ProjectionRunner.rowVersion), so a
 * revocation, an expiry, a deactivation or a change of role or teams counts at once. In an
 * instance that does not run the projections (another one does), nothing is cached.
 */
@Injectable()
export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private epoch = -1;

  constructor(
    @Inject(READ_DB) private readonly db: DataSource,
    @Inject(PROJECTION_RUNNER) private readonly projections: ProjectionRunner,
  ) {}

  /**
   * The token's holder, if the token is live at `now`. `current` says whether the users
   * projection has read the log up to its head: when it has not, the cache is not trusted.
   */
  async find(tokenHash: string, now: string, current: boolean): Promise<TokenHolder | null> {
    const version = current ? this.projections.rowVersion(usersProjection.name) : null;
    if (version && version.epoch !== this.epoch) {
      this.entries.clear();
      this.epoch = version.epoch;
    }
    if (version) {
      const hit = this.entries.get(tokenHash);
      if (hit && hit.readAt >= version.changedAt && hit.expiresAt > now) {
        return {
          principal: { ...hit.principal, teamIds: [...hit.principal.teamIds] },
          expiresAt: hit.expiresAt,
          lastUsedOn: hit.lastUsedOn,
        };
      }
    }
    const holder = await this.load(tokenHash, now);
    if (version) {
      if (holder) {
        if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
        this.entries.set(tokenHash, { ...holder, readAt: version.position });
      } else {
        this.entries.delete(tokenHash);
      }
    }
    return holder;
  }

  private async load(tokenHash: string, now: string): Promise<TokenHolder | null> {
    const token = await this.db.getRepository(UserTokenRow).findOne({
      where: { tokenHash, revokedAt: IsNull(), expiresAt: MoreThan(now) },
      select: ['tokenId', 'userId', 'expiresAt', 'lastUsedOn'],
    });
    if (!token) return null;
    const user = await this.db.getRepository(UserRow).findOneBy({ userId: token.userId, status: 'active' });
    if (!user) return null;
    return {
      principal: { userId: user.userId, name: user.name, role: user.role, teamIds: user.teamIds, tokenId: token.tokenId },
      expiresAt: token.expiresAt,
      lastUsedOn: token.lastUsedOn,
    };
  }
}
