/**
 * Run as a separate OS process with a small heap by shared-log-reader-memory.int.spec.ts: two
 * live subscribers of one SharedLogReader read nothing while far more event data than the heap
 * holds is appended, then read it all. A reader that buffers for them runs out of heap; one
 * that waits for them (back-pressure) hands every event over, in order. Prints one JSON line.
 */
import { SqliteEventStore, type SubscriptionMessage } from '@casetrail/event-store';
import { SharedLogReader } from '@casetrail/projections';
import { newEvent } from '@casetrail/testing';

const EVENTS = Number(process.env.EVENTS);
const EVENT_BYTES = Number(process.env.EVENT_BYTES);
const PER_APPEND = 50;

/** Reads a subscription up to `head`: how many events, and whether their positions only ever rose. */
async function readUpTo(
  messages: AsyncIterator<SubscriptionMessage>,
  head: bigint,
): Promise<{ events: number; ordered: boolean }> {
  let events = 0;
  let ordered = true;
  let last = 0n;
  for (;;) {
    const { value, done } = await messages.next();
    if (done) return { events, ordered: false }; // ended early
    if (value.kind === 'caught-up') {
      if (value.position >= head) return { events, ordered };
      continue;
    }
    if (value.event.position <= last) ordered = false;
    last = value.event.position;
    events++;
  }
}

async function main(): Promise<void> {
  const store = new SqliteEventStore({ file: process.env.EVENTS_FILE! });
  const reader = await SharedLogReader.open(store);
  const all = reader.subscribe({ fromPosition: 0n, filter: {} })[Symbol.asyncIterator]();
  const half = reader.subscribe({ fromPosition: 0n, filter: { streamPrefixes: ['half-'] } })[Symbol.asyncIterator]();
  // Each says it is caught up (the log is empty): from here on both are live, fed by the reader.
  await all.next();
  await half.next();

  const note = 'x'.repeat(EVENT_BYTES);
  for (let i = 0; i < EVENTS / PER_APPEND; i++) {
    const events = Array.from({ length: PER_APPEND }, (_, n) => newEvent('Noted', { note, n }));
    await store.appendToStream(`${i % 2 ? 'rest' : 'half'}-${i}`, events);
  }
  const head = await store.headPosition();

  const [seenByAll, seenByHalf] = await Promise.all([readUpTo(all, head), readUpTo(half, head)]);
  process.stdout.write(`${JSON.stringify({ head: Number(head), all: seenByAll, half: seenByHalf })}\n`);
  await reader.close();
  await store.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
