/**
 * Back-pressure in the shared log reader (see shared-log-reader-memory.int.spec.ts for the memory
 * bound): a subscriber that reads nothing holds the reader back once its queue is full, and lets
 * it go again when it leaves, so the others still get every event, once and in order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type SubscriptionMessage } from '@casetrail/event-store';
import { MAX_QUEUED, SharedLogReader } from '@casetrail/projections';
import { newEvent } from '@casetrail/testing';

let dir: string;
let store: SqliteEventStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ct-reader-'));
  store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The positions of the events a subscription hands over until it says it is caught up at `head`. */
async function positionsUpTo(messages: AsyncIterator<SubscriptionMessage>, head: bigint): Promise<bigint[]> {
  const positions: bigint[] = [];
  for (;;) {
    const { value, done } = await messages.next();
    if (done) throw new Error('The subscription ended early');
    if (value.kind === 'event') positions.push(value.event.position);
    else if (value.position >= head) return positions;
  }
}

it('a subscriber that leaves while the reader waits for it lets the reader go on', async () => {
  const reader = await SharedLogReader.open(store);
  const idle = reader.subscribe({ fromPosition: 0n });
  await idle[Symbol.asyncIterator]().next(); // caught up on the empty log: live, and it reads no further
  const events = 3 * MAX_QUEUED; // far more than its queue holds: the reader stops at its limit
  for (let i = 0; i < events / 50; i++) {
    await store.appendToStream(
      `s-${i}`,
      Array.from({ length: 50 }, (_, n) => newEvent('Noted', { n })),
    );
  }
  await idle.close();

  // A newcomer reads alone up to where the reader stopped, joins it, and gets the rest from it:
  // only if the reader went on when the idle one left (nothing else would wake it).
  const newcomer = reader.subscribe({ fromPosition: 0n });
  const seen = await positionsUpTo(newcomer[Symbol.asyncIterator](), await store.headPosition());
  expect(seen).toEqual(Array.from({ length: events }, (_, i) => BigInt(i + 1)));
  await newcomer.close();
  await reader.close();
});

it('a subscriber that reads nothing for a while then reads gets every event once, in order, like the others', async () => {
  const reader = await SharedLogReader.open(store);
  const late = reader.subscribe({ fromPosition: 0n, filter: { streamPrefixes: ['even-'] } });
  const eager = reader.subscribe({ fromPosition: 0n });
  const lateMessages = late[Symbol.asyncIterator]();
  const eagerMessages = eager[Symbol.asyncIterator]();
  await lateMessages.next();
  await eagerMessages.next();

  const events = 3 * MAX_QUEUED;
  for (let i = 0; i < events / 50; i++) {
    await store.appendToStream(
      `${i % 2 ? 'odd' : 'even'}-${i}`,
      Array.from({ length: 50 }, (_, n) => newEvent('Noted', { n })),
    );
  }
  const head = await store.headPosition();
  const [eagerSaw, lateSaw] = await Promise.all([positionsUpTo(eagerMessages, head), positionsUpTo(lateMessages, head)]);

  expect(eagerSaw).toEqual(Array.from({ length: events }, (_, i) => BigInt(i + 1)));
  // Streams even-0, even-2, ...: positions 1-50, 101-150, ...
  expect(lateSaw).toEqual(Array.from({ length: events }, (_, i) => BigInt(i + 1)).filter((p) => ((p - 1n) / 50n) % 2n === 0n));
  await Promise.all([late.close(), eager.close()]);
  await reader.close();
});
