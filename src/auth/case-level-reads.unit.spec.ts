import { NotFoundError } from '@casetrail/kernel';
import type { AccessRegistration } from './access-registration';
import { caseLevelRead } from './case-level-reads';
import { POLICY, type RouteRule } from './policy';

class Missing extends NotFoundError {
  readonly code = 'MISSING';
}
const kind = (name: 'audit' | 'dispute' | 'plan', caseLevel?: (id: string) => string) => ({
  kind: name,
  facts: () => Promise.resolve(null),
  notFound: (id: string) => new Missing(`No ${id}`),
  ...(caseLevel ? { caseLevel } : {}),
});
const REGISTRATIONS: AccessRegistration[] = [
  { records: [kind('audit', (id) => `audit-${id}`), kind('dispute', (id) => `dispute-${id}`)] },
  { records: [kind('plan')] },
];

describe('which reads the access log records by the route alone', () => {
  it('a GET of the API or a page whose rule names a case-level record reads that record', () => {
    expect(caseLevelRead(REGISTRATIONS, 'GET', '/api/v1/audits/:id', { id: 'a1' })).toBe('audit-a1');
    expect(caseLevelRead(REGISTRATIONS, 'GET', '/audits/:id', { id: 'a1' })).toBe('audit-a1');
    expect(caseLevelRead(REGISTRATIONS, 'HEAD', '/disputes/:id', { id: 'd1' })).toBe('dispute-d1');
  });

  it('a command, a list or a record kind that is not case-level reads none', () => {
    expect(caseLevelRead(REGISTRATIONS, 'POST', '/api/v1/audits/:id/grades', { id: 'a1' })).toBeNull();
    expect(caseLevelRead(REGISTRATIONS, 'GET', '/api/v1/audits', {})).toBeNull();
    expect(caseLevelRead(REGISTRATIONS, 'GET', '/api/v1/plans/:id/status', { id: 'p1' })).toBeNull();
  });

  it('the record is named by the parameter the rule gives', () => {
    const policy: Record<string, RouteRule> = {
      ...POLICY,
      'GET /odd/:auditId': {
        roles: ['admin'],
        limit: { to: 'owner', for: ['admin'], record: { resource: 'audit', param: 'auditId' }, otherwise: 404 },
      },
    };
    expect(caseLevelRead(REGISTRATIONS, 'GET', '/odd/:auditId', { auditId: 'a2', id: 'x' }, policy)).toBe('audit-a2');
    expect(caseLevelRead(REGISTRATIONS, 'GET', '/odd/:auditId', { id: 'x' }, policy)).toBeNull();
  });
});
