import { filterTest } from '@casetrail/projections';

const event = (streamId: string, type = 'CaseAuditStarted') => ({ streamId, type });

describe('filterTest (a projection filter decided once, then per event)', () => {
  it('takes every event when there is no filter', () => {
    expect(filterTest(undefined)(event('audit-1'))).toBe(true);
    expect(filterTest({})(event('x'))).toBe(true);
  });

  it('takes only the named event types', () => {
    const accepts = filterTest({ eventTypes: ['DomainGraded'] });
    expect(accepts(event('audit-1', 'DomainGraded'))).toBe(true);
    expect(accepts(event('audit-1', 'AuditSubmitted'))).toBe(false);
  });

  it('reads "<category>-" as the category before the first dash, the whole id when it has none', () => {
    const accepts = filterTest({ streamPrefixes: ['audit-'] });
    expect(accepts(event('audit-1'))).toBe(true);
    expect(accepts(event('audit-a-b'))).toBe(true);
    expect(accepts(event('audit'))).toBe(true);
    expect(accepts(event('audits-1'))).toBe(false);
    expect(accepts(event('aud'))).toBe(false);
    expect(accepts(event('dispute-1'))).toBe(false);
  });

  it('reads any other prefix as a plain prefix of the stream id', () => {
    const accepts = filterTest({ streamPrefixes: ['team-1-'] });
    expect(accepts(event('team-1-x'))).toBe(true);
    expect(accepts(event('team-2-x'))).toBe(false);
    expect(accepts(event('team-1'))).toBe(false);
  });

  it('wants both the type and one of the prefixes when the filter names both', () => {
    const accepts = filterTest({ eventTypes: ['DomainGraded'], streamPrefixes: ['dispute-', 'audit-'] });
    expect(accepts(event('audit-1', 'DomainGraded'))).toBe(true);
    expect(accepts(event('dispute-1', 'DomainGraded'))).toBe(true);
    expect(accepts(event('audit-1', 'AuditSubmitted'))).toBe(false);
    expect(accepts(event('team-1', 'DomainGraded'))).toBe(false);
  });
});
