/**
 * Run as a separate OS process by the contract suite: opens the store named in the
 * environment and appends COUNT events to STREAM_ID, proving that subscriptions and
 * concurrency control work across processes, not only inside one.
 */
import { KurrentDbEventStore, PostgresEventStore, SqliteEventStore, type EventStore } from '@casetrail/event-store';
import { newEvent } from '@casetrail/testing';

async function main(): Promise<void> {
  const env = process.env;
  const store: EventStore =
    env.STORE_ADAPTER === 'postgres'
      ? await PostgresEventStore.connect({ connectionString: env.STORE_URL!, schema: env.STORE_SCHEMA })
      : env.STORE_ADAPTER === 'kurrentdb'
        ? await KurrentDbEventStore.connect({ connectionString: env.STORE_URL! })
        : new SqliteEventStore({ file: env.STORE_FILE! });
  const count = Number(env.COUNT ?? '1');
  for (let i = 0; i < count; i++) {
    await store.appendToStream(env.STREAM_ID!, [newEvent('ChildAppended', { i, pid: process.pid })]);
  }
  await store.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
