/**
 * What the shared contract cannot see about the KurrentDB adapter: how it uses the protocol
 * (server-side filters, BatchAppend with exact revisions), resubscription after the server
 * drops a subscription, and the pure envelope mapping. Runs against the protocol test server.
 */
import { WrongExpectedVersionError as KurrentWrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import {
  eventHash,
  KurrentDbEventStore,
  WrongExpectedRevisionError,
  type RecordedEvent,
  type SubscriptionMessage,
} from '@casetrail/event-store';
import {
  actualRevisionOf,
  decodeMetadata,
  decodeRecordedEvent,
  encodeMetadata,
  eventTypesRegex,
} from '@casetrail/event-store/kurrentdb-mapping';
import { collect, newEvent } from '@casetrail/testing';
import { KurrentProtocolTestServer } from '../../../test/kurrentdb/protocol-test-server';

describe('KurrentDB adapter against the protocol test server', () => {
  let server: KurrentProtocolTestServer;
  let store: KurrentDbEventStore;

  beforeEach(async () => {
    server = await KurrentProtocolTestServer.start();
    store = await KurrentDbEventStore.connect({
      connectionString: server.connectionString,
      resubscribeBackoffMs: { initial: 10, max: 50 },
    });
  });
  afterEach(async () => {
    await store.close();
    await server.stop();
  });

  it('appends through BatchAppend with the exact revision the chain was sealed on', async () => {
    await store.appendToStream('team-1', [newEvent('A', {})]);
    await store.appendToStream('team-1', [newEvent('B', {})], { expectedRevision: 'any' });
    expect(server.callCount('Streams/BatchAppend')).toBeGreaterThan(0);
    expect(server.callCount('Streams/Append')).toBe(0);
    const stored = server.log.filter((r) => r.streamId === 'team-1');
    expect(stored.map((r) => r.revision)).toEqual([0n, 1n]);
    // Custom metadata is a JSON object of strings, with the schema version in it.
    const metadata = JSON.parse(Buffer.from(stored[1].customMetadata).toString('utf8')) as Record<string, unknown>;
    expect(Object.values(metadata).every((v) => typeof v === 'string')).toBe(true);
    expect(metadata).toMatchObject({ schemaVersion: '1', prevHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('filters $all on the server and skips system events', async () => {
    await store.appendToStream('team-1', [newEvent('A', {})]);
    await store.appendToStream('user-1', [newEvent('B', {})]);
    const teams = await collect(store.readAll({ filter: { streamPrefixes: ['team-'] } }));
    expect(teams.map((e) => e.streamId)).toEqual(['team-1']);
    expect(server.callCount('Streams/Read($all, filtered)')).toBeGreaterThan(0);
    // The log starts with a $settings record that no read returns.
    expect(server.log[0].streamId).toBe('$settings');
    expect((await collect(store.readAll())).map((e) => e.streamId)).toEqual(['team-1', 'user-1']);
  });

  it('resubscribes after the server drops the subscription, without losing or repeating events', async () => {
    await store.appendToStream('team-1', [newEvent('Before', {})]);
    const subscription = store.subscribeToAll({ filter: { streamPrefixes: ['team-'] } });
    const iterator = subscription[Symbol.asyncIterator]();
    const seen: SubscriptionMessage[] = [];
    const until = async (done: () => boolean): Promise<void> => {
      while (!done()) {
        const next = await iterator.next();
        if (next.done) throw new Error('subscription ended');
        seen.push(next.value);
      }
    };
    const types = (): string[] => seen.flatMap((m) => (m.kind === 'event' ? [m.event.type] : []));
    await until(() => seen.some((m) => m.kind === 'caught-up'));

    expect(server.dropSubscriptions()).toBe(1); // "consumer too slow"
    await store.appendToStream('team-1', [newEvent('WhileDropped', {})]);
    await until(() => types().includes('WhileDropped'));
    await store.appendToStream('team-2', [newEvent('AfterResubscribe', {})]);
    await until(() => types().includes('AfterResubscribe'));

    expect(types()).toEqual(['Before', 'WhileDropped', 'AfterResubscribe']);
    expect(server.callCount('Streams/Read($all subscription)')).toBe(2);
    await subscription.close();
  });

  it('reports a concurrent writer as WrongExpectedRevisionError when the caller expected a revision', async () => {
    await store.appendToStream('team-1', [newEvent('A', {})]);
    const other = await KurrentDbEventStore.connect({ connectionString: server.connectionString });
    try {
      await other.appendToStream('team-1', [newEvent('B', {})], { expectedRevision: 0n });
      await expect(store.appendToStream('team-1', [newEvent('C', {})], { expectedRevision: 0n })).rejects.toMatchObject({
        name: 'WrongExpectedRevisionError',
        expected: 0n,
        actual: 1n,
      });
    } finally {
      await other.close();
    }
  });

  it('recordedUntil cuts on the store time the hash covers', async () => {
    await store.appendToStream('team-1', [newEvent('A', {})]);
    const [event] = await collect(store.readStream('team-1'));
    const created = server.log.find((r) => r.eventId === event.eventId)!.createdTicks / 10_000n;
    // The server's commit time comes after the adapter sealed the event (see docs/operations.md, recordedAt).
    expect(BigInt(Date.parse(event.metadata.recordedAt))).toBeLessThanOrEqual(created);
    expect(await collect(store.readAll({ recordedUntil: event.metadata.recordedAt }))).toHaveLength(1);
  });
});

describe('KurrentDB envelope mapping', () => {
  const sealedMetadata = {
    actorId: 'u1',
    actorRole: 'admin',
    correlationId: 'c1',
    causationId: 'k1',
    commandId: 'k1',
    occurredAt: '2024-01-02T03:04:05.000Z',
    recordedAt: '2024-01-02T03:04:06.007Z',
    prevHash: null,
  };
  const hash = eventHash({
    streamId: 'team-1',
    revision: 0n,
    type: 'A',
    schemaVersion: 2,
    data: { a: 1 },
    metadata: sealedMetadata,
  });

  it('stores metadata as strings and reads back exactly what was hashed', () => {
    const stored = encodeMetadata(JSON.stringify({ ...sealedMetadata, hash }), 2);
    expect(stored).toMatchObject({ prevHash: '', schemaVersion: '2', $correlationId: 'c1', $causationId: 'k1' });
    const decoded = decodeMetadata(JSON.parse(JSON.stringify(stored)));
    expect(decoded).toEqual({ schemaVersion: 2, metadata: { ...sealedMetadata, hash } });
    const { hash: _h, ...withoutHash } = decoded!.metadata;
    expect(
      eventHash({ streamId: 'team-1', revision: 0n, type: 'A', schemaVersion: 2, data: { a: 1 }, metadata: withoutHash }),
    ).toBe(hash);
  });

  it('ignores events Casetrail did not write and system events', () => {
    expect(decodeMetadata({ some: 'thing' })).toBeNull();
    expect(decodeMetadata({ hash: 'h', schemaVersion: '0' })).toBeNull();
    const event = {
      streamId: '$stats-127.0.0.1:2113',
      id: '00000000-0000-4000-8000-000000000000',
      revision: 0n,
      type: '$statsCollected',
      data: {},
      metadata: encodeMetadata(JSON.stringify({ ...sealedMetadata, hash }), 1),
      isJson: true as const,
      created: new Date(),
      position: { commit: 10n, prepare: 10n },
    };
    expect(decodeRecordedEvent({ event })).toBeNull();
    const decoded: RecordedEvent | null = decodeRecordedEvent({ event: { ...event, streamId: 'team-1', type: 'A' } });
    expect(decoded).toMatchObject({ streamId: 'team-1', position: 10n, schemaVersion: 1 });
  });

  it("maps the client's wrong-expected-version state to the port's actual revision", () => {
    expect(actualRevisionOf(3n)).toBe(3n);
    expect(actualRevisionOf('no_stream')).toBeNull();
    const error = new KurrentWrongExpectedVersionError(undefined, { streamName: 's', current: 'no_stream', expected: 0n });
    expect(new WrongExpectedRevisionError('s', 0n, actualRevisionOf(error.actualState)).actual).toBeNull();
  });

  it('matches event types exactly in the server regex', () => {
    const regex = new RegExp(eventTypesRegex(['Kept', 'a.b']));
    expect(['Kept', 'a.b'].every((t) => regex.test(t))).toBe(true);
    expect(['KeptX', 'aXb', 'xKept'].some((t) => regex.test(t))).toBe(false);
  });
});
