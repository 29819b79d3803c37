import { deciderOf, conflict } from '@casetrail/kernel';
import { OIDC_SESSION_EVENT_SCHEMA_VERSIONS, type OidcSessionEvent } from './oidc-sessions.events';

export type OidcSessionCommand = { type: 'EndOidcSession'; now: string; sessionId: string; userId: string; reason: string };

export type OidcSessionState = { status: 'live' } | { status: 'ended' };

export class OidcSessionAlreadyEnded extends conflict(
  'OIDC_SESSION_ALREADY_ENDED',
  () => 'This session has already ended. Sign in again.',
) {}

/** A web session signed in through the identity provider: it ends once, for good. */
export const oidcSessionDecider = deciderOf<OidcSessionCommand, OidcSessionEvent, OidcSessionState>({
  name: 'oidc-session',
  initialState: { status: 'live' },
  schemaVersions: OIDC_SESSION_EVENT_SCHEMA_VERSIONS,

  decide: {
    EndOidcSession(command, state) {
      if (state.status === 'ended') throw new OidcSessionAlreadyEnded();
      const { sessionId, userId, reason } = command;
      return [{ type: 'OidcSessionEnded', data: { sessionId, userId, reason } }];
    },
  },

  evolve: {
    OidcSessionEnded: () => ({ status: 'ended' }),
  },
});
