import { deciderSpec } from '@casetrail/testing';
import { OidcSessionAlreadyEnded, oidcSessionDecider } from './oidc-session.decider';
import type { OidcSessionEvent } from './oidc-sessions.events';

const now = '2026-05-11T10:00:00.000Z';
const end = { type: 'EndOidcSession' as const, now, sessionId: 's1', userId: 'sub-1', reason: 'signed out' };
const ended: OidcSessionEvent = { type: 'OidcSessionEnded', data: { sessionId: 's1', userId: 'sub-1', reason: 'signed out' } };
const { given } = deciderSpec(oidcSessionDecider);

describe('identity-provider session decider', () => {
  it('signing out ends a session signed in through the identity provider', () => given([]).when(end).then([ended]));

  it('a session ends once: ending it again is refused and records nothing', () =>
    given([ended]).when(end).thenThrows(OidcSessionAlreadyEnded));
});
