import { ChainVerifier, SqliteEventStore, type EventStore, type RecordedEvent } from '@casetrail/event-store';
import { collect, newEvent } from '@casetrail/testing';

/** A small real log: three streams, interleaved. */
async function sampleLog(): Promise<{ store: EventStore; events: RecordedEvent[] }> {
  const store = new SqliteEventStore({ file: ':memory:' });
  await store.appendToStream('team-a', [newEvent('TeamRegistered', { teamId: 'a' })]);
  await store.appendToStream('audit-1', [newEvent('AuditStarted', { teamId: 'a' }), newEvent('DomainGraded', { grade: 'good' })]);
  await store.appendToStream('team-a', [newEvent('TeamRenamed', { teamId: 'a', name: 'A' })]);
  await store.appendToStream('audit-1', [newEvent('AuditCompleted', { grade: 'good' })]);
  await store.appendToStream('team-b', [newEvent('TeamRegistered', { teamId: 'b' })]);
  return { store, events: await collect(store.readAll({ upcast: false })) };
}

const verify = (events: RecordedEvent[], complete = true) => {
  const verifier = new ChainVerifier({ complete });
  events.forEach((e) => verifier.check(e));
  return verifier;
};

describe('hash chain and global order verification', () => {
  let events: RecordedEvent[];
  let store: EventStore;
  beforeAll(async () => ({ store, events } = await sampleLog()));
  afterAll(() => store.close());

  it('an untouched log verifies: every hash recomputes exactly as the append sealed it', () => {
    const verifier = verify(events);
    expect(verifier.firstInvalid).toBeNull();
    expect(verifier.checkedEvents).toBe(6);
  });

  it('changed data is named at its own position', () => {
    const tampered = events.map((e) => (e.position === 3n ? { ...e, data: { grade: 'inadequate' } } : e));
    expect(verify(tampered).firstInvalid).toMatchObject({
      position: '3',
      streamId: 'audit-1',
      revision: '1',
      problem: expect.stringMatching(/hash/),
    });
  });

  it('a deleted event is named at the next event of its stream', () => {
    const tampered = events.filter((e) => e.position !== 3n);
    expect(verify(tampered).firstInvalid).toMatchObject({
      position: '5',
      streamId: 'audit-1',
      revision: '2',
      problem: expect.stringMatching(/missing/),
    });
  });

  it('swapped events of one stream are named where the order breaks', () => {
    const tampered = [...events];
    [tampered[1], tampered[2]] = [
      { ...events[2], position: events[1].position },
      { ...events[1], position: events[2].position },
    ];
    expect(verify(tampered).firstInvalid).toMatchObject({
      position: '2',
      streamId: 'audit-1',
      revision: '1',
      problem: expect.stringMatching(/missing|order/),
    });
  });

  it('store time going backwards breaks the global order', () => {
    const tampered = events.map((e) =>
      e.position === 4n ? { ...e, metadata: { ...e.metadata, recordedAt: '2000-01-01T00:00:00.000Z' } } : e,
    );
    expect(verify(tampered).firstInvalid).toMatchObject({ position: '4', problem: expect.stringMatching(/global order/) });
  });

  it('a partial export may start a stream late, but adjacent events must still link', () => {
    const partial = events.filter((e) => e.position !== 2n);
    expect(verify(partial, false).firstInvalid).toBeNull();
    expect(verify(partial, true).firstInvalid).toMatchObject({
      position: '3',
      problem: expect.stringMatching(/starts at revision 1/),
    });
    const relinked = partial.map((e) =>
      e.position === 5n ? { ...e, metadata: { ...e.metadata, prevHash: 'f'.repeat(64) } } : e,
    );
    expect(verify(relinked, false).firstInvalid).toMatchObject({
      position: '5',
      problem: expect.stringMatching(/prevHash|hash/),
    });
  });
});
