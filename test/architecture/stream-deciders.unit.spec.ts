import { auditDecider, auditFrameworkDecider } from '../../src/audits';
import { PLATFORM } from '../../src/contexts';
import { disputeDecider, disputeProtocolDecider } from '../../src/disputes';

/** Each context registers the deciders of its streams (ContextRegistration.streams); the trail asks the platform. */
describe('the decider that owns a stream', () => {
  it('is found by the longest matching prefix, so streams sharing a category are told apart', () => {
    expect(PLATFORM.deciderForStream('dispute-protocol')?.name).toBe(disputeProtocolDecider.name);
    expect(PLATFORM.deciderForStream('dispute-6f1c2a9e-0000-4000-8000-000000000001')?.name).toBe(disputeDecider.name);
    expect(PLATFORM.deciderForStream('audit-a-17')?.name).toBe(auditDecider.name);
    expect(PLATFORM.deciderForStream('auditframework-default')?.name).toBe(auditFrameworkDecider.name);
  });

  it('is registered for the streams of every context, the newer ones too', () => {
    for (const stream of ['period-2020-21-q1', 'caselist-1', 'sample-1', 'indicator-x', 'self-assessment-x', 'oidc-session-1']) {
      expect(PLATFORM.deciderForStream(stream)).toBeDefined();
    }
  });

  it('is absent for a stream no context owns', () => {
    expect(PLATFORM.deciderForStream('review-1')).toBeUndefined();
  });
});
