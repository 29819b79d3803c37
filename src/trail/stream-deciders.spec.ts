import { disputeProtocolDecider, disputeDecider } from '../disputes';
import { auditDecider, auditFrameworkDecider } from '../audits';
import { deciderForStream } from './stream-deciders';

describe('the decider that owns a stream', () => {
  it('is found by the longest matching prefix, so streams sharing a category are told apart', () => {
    expect(deciderForStream('dispute-protocol')?.name).toBe(disputeProtocolDecider.name);
    expect(deciderForStream('dispute-6f1c2a9e-0000-4000-8000-000000000001')?.name).toBe(disputeDecider.name);
    expect(deciderForStream('audit-a-17')?.name).toBe(auditDecider.name);
    expect(deciderForStream('auditframework-default')?.name).toBe(auditFrameworkDecider.name);
  });

  it('is absent for a stream no context owns', () => {
    expect(deciderForStream('review-1')).toBeUndefined();
  });
});
