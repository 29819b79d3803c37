import { randomBytes } from 'node:crypto';
import { SqliteEventStore } from '@casetrail/event-store';
import { newEvent, testMetadata } from '@casetrail/testing';
import { EncryptingEventStore } from './encrypting-event-store';
import {
  addYears,
  DEFAULT_RETENTION_RULES,
  parseRetentionRules,
  retentionOf,
  RetentionRulesError,
  subjectFacts,
} from './retention';
import { SqliteSubjectKeyStore } from './subject-key-store';

describe('retention', () => {
  it('adds whole years, keeping 29 February as 28 February in a common year', () => {
    expect(addYears('1990-06-15', 35)).toBe('2025-06-15');
    expect(addYears('2000-02-29', 1)).toBe('2001-02-28');
    expect(addYears('2000-02-29', 4)).toBe('2004-02-29');
  });

  it('default: 35 years after the last event; due only on the day after', () => {
    const facts = { subjectRef: 'C-1', kinds: ['case-audit'], lastEventOn: '1990-03-01' };
    expect(retentionOf(facts, DEFAULT_RETENTION_RULES, '2025-03-01')).toMatchObject({ retainUntil: '2025-03-01', due: false });
    expect(retentionOf(facts, DEFAULT_RETENTION_RULES, '2025-03-02')).toMatchObject({
      due: true,
      rule: 'case-audit: 35 years after the last event',
    });
  });

  it('looked-after children: until the 75th anniversary of birth when a birth date is recorded, else the default', () => {
    const child = { subjectRef: 'CH-1', kinds: ['looked-after-child'], lastEventOn: '1990-03-01' };
    expect(retentionOf({ ...child, birthDate: '1980-05-05' }, DEFAULT_RETENTION_RULES, '2026-01-01')).toMatchObject({
      retainUntil: '2055-05-05',
      due: false,
    });
    expect(retentionOf(child, DEFAULT_RETENTION_RULES, '2026-01-01')).toMatchObject({ retainUntil: '2025-03-01', due: true });
  });

  it('a subject with records of several kinds is kept as long as the longest rule says', () => {
    const rules = parseRetentionRules('{"case-audit":{"yearsAfterLastEvent":10}}');
    const facts = {
      subjectRef: 'X',
      kinds: ['case-audit', 'looked-after-child'],
      lastEventOn: '2000-01-01',
      birthDate: '1995-01-01',
    };
    expect(retentionOf(facts, rules, '2026-01-01')).toMatchObject({ retainUntil: '2070-01-01', due: false });
  });

  it('configured rules are checked', () => {
    expect(parseRetentionRules(undefined)).toBe(DEFAULT_RETENTION_RULES);
    expect(parseRetentionRules('{"default":{"yearsAfterLastEvent":6}}').default.yearsAfterLastEvent).toBe(6);
    expect(() => parseRetentionRules('{')).toThrow(RetentionRulesError);
    expect(() => parseRetentionRules('{"default":{"yearsAfterLastEvent":-1}}')).toThrow(RetentionRulesError);
    expect(() => parseRetentionRules('{"x":{"yearsAfterLastEvent":5,"untilAgeYears":"75"}}')).toThrow(RetentionRulesError);
  });

  it('reads each subject’s last business date and record kinds from their streams; erased subjects are skipped', async () => {
    const keys = new SqliteSubjectKeyStore(':memory:', randomBytes(32));
    const store = new EncryptingEventStore(new SqliteEventStore({ file: ':memory:' }), keys);
    const at = (occurredAt: string) => ({ metadata: testMetadata({ occurredAt }) });
    await store.appendToStream('audit-1', [
      newEvent('CaseAuditStarted', { caseRef: 'C-OLD' }, at('1985-01-10T10:00:00.000Z')),
      newEvent('DomainGraded', { evidence: 'x' }, at('1986-07-01T10:00:00.000Z')),
    ]);
    await store.appendToStream('dispute-1', [
      newEvent('DisputeRaised', { childRef: 'C-OLD', summary: 's', desiredOutcome: 'o' }, at('1984-01-01T10:00:00.000Z')),
    ]);
    await store.appendToStream('audit-2', [newEvent('CaseAuditStarted', { caseRef: 'C-NEW' }, at('2020-01-01T10:00:00.000Z'))]);
    await store.appendToStream('audit-3', [newEvent('CaseAuditStarted', { caseRef: 'C-GONE' }, at('1970-01-01T10:00:00.000Z'))]);
    await keys.erase('C-GONE', new Date().toISOString());
    const facts = await subjectFacts(store, keys);
    expect(facts).toEqual([
      { subjectRef: 'C-NEW', kinds: ['case-audit'], lastEventOn: '2020-01-01' },
      { subjectRef: 'C-OLD', kinds: ['case-audit', 'looked-after-child'], lastEventOn: '1986-07-01' },
    ]);
    const due = facts.map((f) => retentionOf(f, DEFAULT_RETENTION_RULES, '2026-01-01')).filter((d) => d.due);
    expect(due.map((d) => d.subjectRef)).toEqual(['C-OLD']);
    await store.close();
  });
});
