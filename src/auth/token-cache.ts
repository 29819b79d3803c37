import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { ProjectionRunner } from '@casetrail/projections';
import { PROJECTION_RUNNER, READ_DB } from '../core';
import { ACCESS_REGISTRATIONS, type AccessRegistration, type TokenHolder, type TokenHolders } from './access-registration';

export type { TokenHolder } from './access-registration';

/** The token holders the contexts register: exactly one context (users) issues tokens. */
export function tokenHoldersOf(registrations: readonly AccessRegistration[]): TokenHolders {
  const holders = registrations.flatMap((r) => (r.tokens ? [r.tokens] : []));
  if (holders.length !== 1)
    throw new Error(`Exactly one context must register personal access tokens (found ${holders.length}).`);
  return holders[0];
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
  private readonly holders: TokenHolders;

  constructor(
    @Inject(READ_DB) private readonly db: DataSource,
    @Inject(PROJECTION_RUNNER) private readonly projections: ProjectionRunner,
    @Inject(ACCESS_REGISTRATIONS) registrations: readonly AccessRegistration[],
  ) {
    this.holders = tokenHoldersOf(registrations);
  }

  /**
   * The token's holder, if the token is live at `now`. `current` says whether the users
   * projection has read the log up to its head: when it has not, the cache is not trusted.
   */
  async find(tokenHash: string, now: string, current: boolean): Promise<TokenHolder | null> {
    const version = current ? this.projections.rowVersion(this.holders.projection) : null;
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

  private load(tokenHash: string, now: string): Promise<TokenHolder | null> {
    return this.holders.holder(tokenHash, now, this.db);
  }
}
