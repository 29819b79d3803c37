import { entityKind, entityLabel, entityName, eventTypeWords } from './event-describers';

/** Streams or prefixes, and event types (the keys), in words. */
const KINDS = {
  'auditframework-': 'Audit framework',
  'audit-': 'Audit',
  'dispute-protocol': 'Dispute protocol',
};
const EVENT_TYPES = {
  CaseAuditStarted: 'Audit started',
  AuditSubmitted: 'Audit submitted',
  DisputeReferredToCafcass: 'Dispute referred to Cafcass',
};

describe('records and events on the trail in the words people use', () => {
  it('names a record from the event that created it: case reference, child reference, title or name', () => {
    expect(entityName('audit-be7dbdc7', { auditId: 'be7dbdc7', caseRef: 'CASE-2001', teamId: 'north' })).toBe(
      'Audit of CASE-2001',
    );
    expect(entityName('dispute-d1', { childRef: 'C-1001', category: 'cp-plan' })).toBe('Dispute for child C-1001');
    expect(entityName('plan-sip', { planId: 'sip', title: 'Safeguarding plan' })).toBe('Plan: Safeguarding plan');
    expect(entityName('team-north', { teamId: 'north', name: 'North Assessment' })).toBe('Team North Assessment');
    // A name that says what it is already is not prefixed again.
    expect(entityName('team-south', { teamId: 'south', name: 'Team south' })).toBe('Team south');
    // Nothing to name it by (or encrypted text): null, and the record is shown by its kind and id.
    expect(entityName('review-R1', { note: 'x' })).toBeNull();
    expect(entityName('audit-a1', { caseRef: { ciphertext: 'x' } })).toBeNull();
  });

  it('says what kind of record a stream or a prefix is, never a code run together', () => {
    expect(Object.keys(KINDS).map(entityKind)).toEqual(Object.values(KINDS));
    expect(entityLabel('dispute-protocol')).toBe('Dispute protocol');
    expect(entityLabel('auditprogramme-pb')).toBe('Audit programme pb');
  });

  it('writes event types in words', () => {
    expect(Object.keys(EVENT_TYPES).map(eventTypeWords)).toEqual(Object.values(EVENT_TYPES));
  });
});
