import { deciderOf, ruleBroken } from '@casetrail/kernel';
import { AUDIT_FRAMEWORK_EVENT_SCHEMA_VERSIONS, OVERALL, type AuditFrameworkEvent, type FrameworkDomain } from './audits.events';

/** The framework an audit is graded against unless another is named. */
export const DEFAULT_FRAMEWORK_ID = 'default';

export type AuditFrameworkCommand = {
  type: 'PublishAuditFramework';
  now: string;
  frameworkId: string;
  domains: FrameworkDomain[];
};

/** Versions count up from 1; each publication is a new version, old ones stay as they were. */
export type AuditFrameworkState = { version: number; domains: FrameworkDomain[] };

export class FrameworkNeedsDomains extends ruleBroken(
  'FRAMEWORK_NEEDS_DOMAINS',
  () => 'An audit framework needs at least one domain to grade.',
) {}
export class DuplicateDomainKey extends ruleBroken(
  'DUPLICATE_DOMAIN_KEY',
  (key: string) => `The domain "${key}" appears more than once; each domain key must be unique.`,
) {}
export class ReservedDomainKey extends ruleBroken(
  'RESERVED_DOMAIN_KEY',
  () => `"${OVERALL}" cannot be a domain key: it names the audit's overall grade.`,
) {}
export class FrameworkUnchanged extends ruleBroken(
  'FRAMEWORK_UNCHANGED',
  (version: number) => `These domains are exactly those of version ${version}; there is nothing new to publish.`,
) {}

const sameDomains = (a: FrameworkDomain[], b: FrameworkDomain[]): boolean =>
  a.length === b.length &&
  a.every(
    (d, i) => d.key === b[i].key && d.title === b[i].title && d.guidance === b[i].guidance && !d.limiting === !b[i].limiting,
  );

export const auditFrameworkDecider = deciderOf<AuditFrameworkCommand, AuditFrameworkEvent, AuditFrameworkState>({
  name: 'audit framework',
  initialState: { version: 0, domains: [] },
  schemaVersions: AUDIT_FRAMEWORK_EVENT_SCHEMA_VERSIONS,

  decide: {
    PublishAuditFramework(command, state) {
      const { frameworkId, domains } = command;
      if (domains.length === 0) throw new FrameworkNeedsDomains();
      const seen = new Set<string>();
      for (const { key } of domains) {
        if (key === OVERALL) throw new ReservedDomainKey();
        if (seen.has(key)) throw new DuplicateDomainKey(key);
        seen.add(key);
      }
      if (state.version > 0 && sameDomains(domains, state.domains)) throw new FrameworkUnchanged(state.version);
      return [{ type: 'AuditFrameworkPublished', data: { frameworkId, version: state.version + 1, domains } }];
    },
  },

  evolve: {
    AuditFrameworkPublished: (_state, event) => ({ version: event.data.version, domains: event.data.domains }),
  },
});
