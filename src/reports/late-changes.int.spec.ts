import type { CommandBus } from '@nestjs/cqrs';
import {
  SqliteEventStore,
  type EventStore,
  type EventSubscription,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type SubscriptionMessage,
} from '@casetrail/event-store';
import { financialQuarter } from '@casetrail/kernel';
import type { ProjectionRunner } from '@casetrail/projections';
import { collect, oneEventDecider } from '@casetrail/testing';
import type { DataSource } from 'typeorm';
import { type CommandContext, commandHandlerFor, DecideCommandHandler, type DecideCommand, systemContext } from '../core';
import { ClosedQuarterCheck, lateChangeContext } from './late-changes';
import { LateChangeNeedsReason } from './period.decider';
import { periodCommands } from './periods.service';
import { periodStreamId } from './quarters';

/** A dated command on a stream of its own: what a late change is about. */
type RaiseThing = { type: 'RaiseThing'; now: string; thingId: string; raisedOn: string };
const thingDecider = oneEventDecider('thing', 'ThingRaised', ({ thingId, raisedOn }: RaiseThing) => ({ thingId, raisedOn }));
const things = commandHandlerFor(thingDecider, (c) => `thing-${c.thingId}`);

const Q1 = financialQuarter('2020-04-01');
const Q1_STREAM = periodStreamId(Q1);
const NOW = '2020-07-10T09:00:00.000Z';

/** A subscription that delivers nothing until closed: the log's news arriving late. */
const silent = (): EventSubscription => {
  let stop = (): void => undefined;
  const closed = new Promise<void>((resolve) => (stop = resolve));
  return {
    close: () => Promise.resolve(stop()),
    [Symbol.asyncIterator]: () => ({
      next: async (): Promise<IteratorResult<SubscriptionMessage>> => {
        await closed;
        return { done: true, value: undefined };
      },
    }),
  };
};

/**
 * One instance: the generic handler with the check, on a shared store (reads of the period streams
 * counted). `follows: false`: its subscription to the log delivers nothing.
 */
function instance(store: EventStore, { follows = true } = {}) {
  const periodReads: string[] = [];
  const counted: EventStore = Object.create(store, {
    readStream: {
      value: (streamId: string, options?: ReadStreamOptions) => {
        if (streamId.startsWith('period-')) periodReads.push(streamId);
        return store.readStream(streamId, options);
      },
    },
    subscribeToAll: { value: (options?: SubscribeOptions) => (follows ? store.subscribeToAll(options) : silent()) },
  }) as EventStore;
  const bus = { execute: (command: DecideCommand) => handler.execute(command) } as unknown as CommandBus;
  const projections = { waitFor: () => Promise.resolve(true) } as unknown as ProjectionRunner;
  const check = new ClosedQuarterCheck(counted, bus, 'server');
  const handler = new DecideCommandHandler(counted, projections, {} as DataSource, undefined, check);
  const context = (key: string, reason?: string): CommandContext => ({
    ...systemContext('iro-1', 'iro'),
    now: NOW,
    commandId: `iro-1:${key}`,
    ...(reason ? { lateChangeReason: reason } : {}),
  });
  return {
    check,
    periodReads,
    close: (key = 'close-q1') => periodCommands.send(bus, { type: 'CloseQuarter', now: NOW, quarter: Q1 }, context(key)),
    raise: (key: string, raisedOn: string, reason?: string) =>
      things.send(bus, { type: 'RaiseThing', now: NOW, thingId: key, raisedOn }, context(key, reason)),
  };
}

describe('late changes into a closed quarter', () => {
  let store: SqliteEventStore;
  let checks: ClosedQuarterCheck[];
  const started = (s: EventStore, options?: { follows: boolean }) => {
    const one = instance(s, options);
    checks.push(one.check);
    return one;
  };
  const lateChanges = async (): Promise<RecordedEvent[]> =>
    (await collect(store.readStream(Q1_STREAM))).filter((e) => e.type === 'LateChangeRecorded');

  beforeEach(() => {
    store = new SqliteEventStore({ file: ':memory:' });
    checks = [];
  });
  afterEach(async () => {
    for (const check of checks) await check.onModuleDestroy();
    await store.close();
  });

  it('without a reason the change is refused and nothing is appended; with one it is recorded on the quarter, through the period decider', async () => {
    const app = started(store);
    await app.close();
    const head = await store.headPosition();

    await expect(app.raise('late-1', '2020-06-20')).rejects.toThrow(LateChangeNeedsReason);
    expect(await store.headPosition()).toBe(head);

    const result = await app.raise('late-1', '2020-06-20', 'Paper referral found in July');
    expect(result.replayed).toBe(false);
    const [recorded] = await lateChanges();
    expect(recorded.data).toEqual({
      quarter: '2020/21 Q1',
      businessDate: '2020-06-20',
      commandType: 'RaiseThing',
      streamId: 'thing-late-1',
      reason: 'Paper referral found in July',
      changeCommandId: 'iro-1:late-1',
    });
    expect(recorded.metadata.commandId).toBe('iro-1:late-1:late-change');
  });

  it('a retry of a change whose late-change record was never written (the first attempt stopped between the two appends) writes it once', async () => {
    const app = started(store);
    await app.close();
    // The first attempt: the change's own events are in, its late-change record is not.
    const context = { ...systemContext('iro-1', 'iro'), now: NOW, commandId: 'iro-1:late-2' };
    await store.appendToStream('thing-late-2', [
      {
        eventId: '00000000-0000-5000-8000-000000000002',
        type: 'ThingRaised',
        schemaVersion: 1,
        data: { thingId: 'late-2', raisedOn: '2020-06-21' },
        metadata: { ...context, occurredAt: NOW },
      },
    ]);
    expect(await lateChanges()).toEqual([]);

    const retried = await app.raise('late-2', '2020-06-21', 'Found in a drawer');
    expect(retried.replayed).toBe(true);
    expect((await lateChanges()).map((e) => e.metadata.commandId)).toEqual([lateChangeContext(context).commandId]);

    const again = await app.raise('late-2', '2020-06-21', 'Found in a drawer');
    expect(again.replayed).toBe(true);
    expect(await lateChanges()).toHaveLength(1);
  });

  it('reads a quarter once while nothing changes it, and again once it is closed here (before the log says so)', async () => {
    const app = started(store, { follows: false });
    await app.raise('open-1', '2020-06-01');
    await app.raise('open-2', '2020-06-02');
    expect(app.periodReads).toEqual([Q1_STREAM]);

    await app.close();
    await expect(app.raise('late-3', '2020-06-03')).rejects.toThrow(LateChangeNeedsReason);
  });

  it('a quarter closed by another instance is read again once its closing reaches this one', async () => {
    const here = started(store);
    const there = started(store);
    await here.raise('open-3', '2020-06-04');
    await there.close();

    // The closing arrives through this instance's subscription to the period streams.
    let refused: unknown = null;
    for (let attempt = 0; attempt < 200 && !refused; attempt++) {
      refused = await here.raise(`try-${attempt}`, '2020-06-05').then(
        () => null,
        (error: unknown) => error,
      );
      if (!refused) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(refused).toBeInstanceOf(LateChangeNeedsReason);
  });
});
