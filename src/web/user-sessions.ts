import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { QueryBus } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import type { ProjectionRunner } from '@casetrail/projections';
import { PROJECTION_RUNNER } from '../core';
import { usersProjection, oidcSessionStreamId, GetUserQuery } from '../users';
import { SessionCodec, type WebSession } from './session';

/**
 * Starts a local account's web session under the user's current session version, and tells
 * whether a session's version is still the user's. The users view is first brought up to the
 * head of the log (one cheap query when it is there already), so a sign-out, a new password or a
 * deactivation recorded a moment ago, by this process or another, already counts.
 */
@Injectable()
export class UserSessions {
  constructor(
    private readonly queries: QueryBus,
    private readonly codec: SessionCodec,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly projections: ProjectionRunner,
  ) {}

  async caughtUp(): Promise<void> {
    await this.projections.waitFor(await this.store.headPosition(), 2000, { only: [usersProjection.name] });
  }

  /**
   * Whether a session signed in through the identity provider has ended (its person signed out,
   * here or on another instance): one read of its own short stream in the log.
   */
  async oidcSessionEnded(session: WebSession): Promise<boolean> {
    for await (const _ended of this.store.readStream(oidcSessionStreamId(oidcSessionId(session)), {
      maxCount: 1,
      upcast: false,
    })) {
      return true;
    }
    return false;
  }

  /** A new session (new nonce, so a new CSRF token) for the user, at their current session version: give it to setSessionCookie. */
  async fresh(userId: string): Promise<WebSession> {
    await this.caughtUp();
    const user = await this.queries.execute(new GetUserQuery(userId));
    return this.codec.fresh(userId, Date.now(), { sv: user.sessionVersion });
  }
}

/** A session's id in the log: a digest of its random nonce, so the log never holds what a cookie carries. */
export const oidcSessionId = (session: Pick<WebSession, 'nonce'>): string =>
  createHash('sha256').update(`oidc-session:${session.nonce}`).digest('hex').slice(0, 32);
