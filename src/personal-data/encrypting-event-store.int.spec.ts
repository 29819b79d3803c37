import { randomBytes } from 'node:crypto';
import { ChainVerifier, SqliteEventStore, UpcasterRegistry, type RecordedEvent } from '@casetrail/event-store';
import { collect, newEvent } from '@casetrail/testing';
import { EncryptingEventStore, SubjectErasedError } from './encrypting-event-store';
import { ERASED, isEnvelope } from './field-cipher';
import { SqliteSubjectKeyStore } from './subject-key-store';

const started = (caseRef: string) => newEvent('CaseAuditStarted', { auditId: 'a', caseRef, teamId: 't', domains: ['d'] });
const graded = (evidence: string) => newEvent('DomainGraded', { auditId: 'a', domain: 'd', grade: 'good', evidence });
const submitted = () =>
  newEvent('AuditSubmitted', {
    auditId: 'a',
    overallGrade: 'good',
    strengths: ['Warm visits', 'Sibling contact'],
    areasForDevelopment: [],
  });

describe('encrypting event store', () => {
  let inner: SqliteEventStore;
  let keys: SqliteSubjectKeyStore;
  let store: EncryptingEventStore;
  const raw = async (): Promise<RecordedEvent[]> => collect(store.readAll({ upcast: false }));
  const readable = async (): Promise<RecordedEvent[]> => collect(store.readAll());
  const verifies = async (): Promise<boolean> => {
    const verifier = new ChainVerifier();
    for (const e of await raw()) verifier.check(e);
    return verifier.firstInvalid === null;
  };

  beforeEach(() => {
    inner = new SqliteEventStore({ file: ':memory:' });
    keys = new SqliteSubjectKeyStore(':memory:', randomBytes(32));
    store = new EncryptingEventStore(inner, keys);
  });
  afterEach(() => store.close());

  it('stores personal text encrypted, hashes the ciphertext, and reads it back in the clear', async () => {
    await store.appendToStream('audit-1', [started('C-1'), graded('Saw Sam at school')]);
    await store.appendToStream('audit-1', [submitted()]);
    const stored = await raw();
    expect(JSON.stringify(stored.map((e) => e.data))).not.toContain('Saw Sam');
    expect(JSON.stringify(stored.map((e) => e.data))).not.toContain('Warm visits');
    expect(isEnvelope((stored[1].data as { evidence: string }).evidence)).toBe(true);
    expect((stored[0].data as { caseRef: string }).caseRef).toBe('C-1'); // the subject stays findable
    expect(await verifies()).toBe(true);
    const events = await readable();
    expect(events[1].data).toMatchObject({ evidence: 'Saw Sam at school', grade: 'good' });
    expect(events[2].data).toMatchObject({ strengths: ['Warm visits', 'Sibling contact'], areasForDevelopment: [] });
    expect((await collect(store.readStream('audit-1')))[1].data).toMatchObject({ evidence: 'Saw Sam at school' });
  });

  it('after erasure every read shows "[erased]", the stored log is unchanged and still verifies', async () => {
    await store.appendToStream('audit-1', [started('C-1'), graded('Saw Sam at school'), submitted()]);
    await store.appendToStream('audit-2', [started('C-2'), graded('Met Jo and carer')]);
    const before = await raw();
    await keys.erase('C-1', new Date().toISOString());
    expect(await raw()).toEqual(before);
    expect(await verifies()).toBe(true);
    const events = await readable();
    expect(events[1].data).toMatchObject({ evidence: ERASED, grade: 'good' });
    expect(events[2].data).toMatchObject({ strengths: [ERASED, ERASED] });
    expect(events[4].data).toMatchObject({ evidence: 'Met Jo and carer' }); // the other child is untouched
    const subscription = store.subscribeToAll();
    const seen: RecordedEvent[] = [];
    for await (const m of subscription) {
      if (m.kind === 'caught-up') break;
      seen.push(m.event);
    }
    await subscription.close();
    expect(seen.map((e) => e.data)).toEqual(events.map((e) => e.data));
  });

  it('nothing more can be recorded about an erased subject, and nothing is appended', async () => {
    await store.appendToStream('audit-1', [started('C-1')]);
    await keys.erase('C-1', new Date().toISOString());
    const head = await store.headPosition();
    await expect(store.appendToStream('audit-1', [graded('more')])).rejects.toThrow(SubjectErasedError);
    await expect(store.appendToStream('audit-9', [started('C-1')])).rejects.toThrow(SubjectErasedError);
    expect(await store.headPosition()).toBe(head);
  });

  it('streams about no child are stored as they are', async () => {
    await store.appendToStream('plan-1', [newEvent('ActionProgressReported', { actionId: 'x', note: 'On track' })]);
    await store.appendToStream('dispute-1', [newEvent('DisputeResolved', { disputeId: 'd', note: 'no subject recorded' })]);
    expect((await raw()).map((e) => e.data)).toEqual([
      { actionId: 'x', note: 'On track' },
      { disputeId: 'd', note: 'no subject recorded' },
    ]);
  });

  it('text recorded in the clear before encryption existed is still hidden once the subject is erased', async () => {
    await inner.appendToStream('dispute-1', [
      newEvent('DisputeRaised', { disputeId: 'd', childRef: 'CH-1', summary: 'Old text', desiredOutcome: 'x' }),
    ]);
    await keys.linkStream('dispute-1', 'CH-1');
    await keys.keyForSubject('CH-1');
    expect((await readable())[0].data).toMatchObject({ summary: 'Old text' });
    await keys.erase('CH-1', new Date().toISOString());
    expect((await readable())[0].data).toMatchObject({ summary: ERASED, desiredOutcome: ERASED, childRef: 'CH-1' });
  });

  it('in one read, text in the clear about no child is read as it is and ciphertext after it is still decrypted', async () => {
    await inner.appendToStream('audit-1', [graded('clear 1'), graded('clear 2'), graded('clear 3')]);
    await store.appendToStream('audit-2', [started('C-2'), graded('about a child')]);
    expect((await raw())[4].data).toMatchObject({ evidence: expect.stringMatching(/^enc:v1:/) });
    expect((await readable()).map((e) => (e.data as { evidence?: string }).evidence)).toEqual([
      'clear 1',
      'clear 2',
      'clear 3',
      undefined,
      'about a child',
    ]);
  });

  it('in one read after text in the clear about no child, the clear text of an erased subject is still hidden', async () => {
    await inner.appendToStream('audit-1', [graded('clear 1'), graded('clear 2'), graded('clear 3')]);
    await inner.appendToStream('dispute-1', [
      newEvent('DisputeRaised', { disputeId: 'd', childRef: 'CH-1', summary: 'Old text', desiredOutcome: 'x' }),
    ]);
    await keys.linkStream('dispute-1', 'CH-1');
    await keys.keyForSubject('CH-1');
    await keys.erase('CH-1', new Date().toISOString());
    const read = await readable();
    expect(read[2].data).toMatchObject({ evidence: 'clear 3' });
    expect(read[3].data).toMatchObject({ summary: ERASED, desiredOutcome: ERASED });
  });

  it('upcasters see the decrypted text; stored-shape reads see neither', async () => {
    const upcasters = new UpcasterRegistry().register('DomainGraded', 1, (d) => ({
      ...(d as object),
      evidenceLength: (d as { evidence: string }).evidence.length,
    }));
    store = new EncryptingEventStore(inner, keys, upcasters);
    await store.appendToStream('audit-1', [started('C-1'), graded('abc')]);
    expect((await readable())[1]).toMatchObject({ schemaVersion: 2, data: { evidence: 'abc', evidenceLength: 3 } });
    expect((await raw())[1].schemaVersion).toBe(1);
  });

  it('a ciphertext changed in the log fails to read rather than reading as something else', async () => {
    await store.appendToStream('audit-1', [started('C-1'), graded('first'), graded('second')]);
    const [, first, second] = await raw();
    const moved = { ...second, data: { ...(second.data as object), evidence: (first.data as { evidence: string }).evidence } };
    await expect(store.reveal(moved)).rejects.toThrow(/failed authentication/);
  });
});
