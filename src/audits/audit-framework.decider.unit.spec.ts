import { deciderSpec } from '@casetrail/testing';
import {
  auditFrameworkDecider,
  DuplicateDomainKey,
  FrameworkNeedsDomains,
  FrameworkUnchanged,
  ReservedDomainKey,
} from './audit-framework.decider';
import type { AuditFrameworkEvent, FrameworkDomain } from './audits.events';

const now = '2026-05-11T10:00:00.000Z';
const { given } = deciderSpec(auditFrameworkDecider);
const domains: FrameworkDomain[] = [
  { key: 'voice-of-child', title: 'Voice of the child', guidance: 'Is the child seen and heard?' },
  { key: 'planning', title: 'Planning', guidance: 'Is the plan SMART?' },
];
const v1: AuditFrameworkEvent = { type: 'AuditFrameworkPublished', data: { frameworkId: 'default', version: 1, domains } };
const publish = (d: FrameworkDomain[]) => ({ type: 'PublishAuditFramework' as const, now, frameworkId: 'default', domains: d });

describe('audit framework decider', () => {
  it('the first publication is version 1', () => given([]).when(publish(domains)).then([v1]));

  it('each new publication is the next version; earlier versions stay as they were', () =>
    given([v1])
      .when(publish(domains.slice(0, 1)))
      .then([{ type: 'AuditFrameworkPublished', data: { frameworkId: 'default', version: 2, domains: domains.slice(0, 1) } }]));

  it('a framework needs at least one domain', () => given([]).when(publish([])).thenThrows(FrameworkNeedsDomains));

  it('domain keys are unique', () =>
    given([])
      .when(publish([domains[0], domains[0]]))
      .thenThrows(DuplicateDomainKey));

  it('"overall" is not a domain key (it names the overall grade in corrections)', () =>
    given([])
      .when(publish([{ key: 'overall', title: 'Overall', guidance: '' }]))
      .thenThrows(ReservedDomainKey));

  it('publishing the same domains again is refused', () => given([v1]).when(publish(domains)).thenThrows(FrameworkUnchanged));
});
