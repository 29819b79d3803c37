import type { CommandBus } from '@nestjs/cqrs';
import {
  SqliteEventStore,
  WrongExpectedRevisionError,
  type AppendOptions,
  type EventStore,
  type NewEvent,
  type ReadStreamOptions,
} from '@casetrail/event-store';
import { ruleBroken, type Decider, type DomainEvent } from '@casetrail/kernel';
import type { ProjectionRunner } from '@casetrail/projections';
import { collect } from '@casetrail/testing';
import type { DataSource } from 'typeorm';
import { systemContext, type CommandContext } from './command-context';
import { commandHandlerFor } from './command-handler-for';
import { DecideCommandHandler, StreamStates, type DecideCommand } from './decide.command';

/**
 * A ledger: each entry records how many entries came before it (so a decision made on a stale
 * state shows in the stream), and a closed ledger refuses entries until reopened.
 */
type LedgerCommand = { type: 'Write' | 'Close' | 'Reopen'; now: string; ledgerId: string };
type LedgerEvent = DomainEvent<'Written', { n: number }> | DomainEvent<'Closed', object> | DomainEvent<'Reopened', object>;
type Ledger = { entries: number; closed: boolean };
class LedgerClosed extends ruleBroken('LEDGER_CLOSED', () => 'The ledger is closed.') {}

const ledgerDecider: Decider<LedgerCommand, LedgerEvent, Ledger> = {
  name: 'ledger',
  initialState: { entries: 0, closed: false },
  evolve: (state, event) => {
    if (event.type === 'Written') return { ...state, entries: state.entries + 1 };
    if (event.type === 'Closed') return { ...state, closed: true };
    return { ...state, closed: false };
  },
  decide: (command, state) => {
    if (command.type === 'Close') return [{ type: 'Closed', data: {} }];
    if (command.type === 'Reopen') return [{ type: 'Reopened', data: {} }];
    if (state.closed) throw new LedgerClosed();
    return [{ type: 'Written', data: { n: state.entries + 1 } }];
  },
  schemaVersions: { Written: 1, Closed: 1, Reopened: 1 },
};
const ledgers = commandHandlerFor(ledgerDecider, (c) => `ledger-${c.ledgerId}`);
const STREAM = 'ledger-l1';

/** The store as a handler sees it, counting the stream reads and the appends refused for their revision. */
function counted(inner: EventStore): { store: EventStore; reads: number; refused: number } {
  const counts = { reads: 0, refused: 0 };
  const store = Object.create(inner, {
    readStream: {
      value(streamId: string, options?: ReadStreamOptions) {
        counts.reads++;
        return inner.readStream(streamId, options);
      },
    },
    appendToStream: {
      async value(streamId: string, events: NewEvent[], options?: AppendOptions) {
        try {
          return await inner.appendToStream(streamId, events, options);
        } catch (error) {
          if (error instanceof WrongExpectedRevisionError) counts.refused++;
          throw error;
        }
      },
    },
  }) as EventStore;
  return Object.assign(counts, { store });
}

/** One instance: its own handler (and so its own known stream states) on the shared log. */
function instance(log: EventStore) {
  const counts = counted(log);
  const projections = { waitFor: () => Promise.resolve(true) } as unknown as ProjectionRunner;
  const handler = new DecideCommandHandler(counts.store, projections, {} as DataSource);
  const bus = { execute: (command: DecideCommand) => handler.execute(command) } as unknown as CommandBus;
  const send = (type: LedgerCommand['type'], context: CommandContext = systemContext('clerk')) =>
    ledgers.send(bus, { type, now: context.now, ledgerId: 'l1' }, context);
  return { counted: counts, handler, send };
}

describe('known stream states (the command handler does not read a stream it has just written)', () => {
  let log: SqliteEventStore;
  beforeEach(() => {
    log = new SqliteEventStore({ file: ':memory:' });
  });
  afterEach(() => log.close());

  const written = async (): Promise<unknown[]> =>
    (await collect(log.readStream(STREAM))).map((e) => (e.type === 'Written' ? (e.data as { n: number }).n : e.type));

  it('decides the next command on the state its own append left, without reading the stream', async () => {
    const a = instance(log);
    await a.send('Write');
    const reads = a.counted.reads;
    await a.send('Write');
    await a.send('Write');
    expect(a.counted.reads).toBe(reads);
    expect(await written()).toEqual([1, 2, 3]);
  });

  it('after another writer appended, the append on the known state is refused and nothing of it is written: the command is decided again on the stream as it is', async () => {
    const a = instance(log);
    const b = instance(log);
    await a.send('Write'); // a knows the ledger at revision 0
    await b.send('Write'); // b appends revision 1
    const result = await a.send('Write');
    expect(a.counted.refused).toBe(1); // the known state's append (n = 2 at revision 1) was refused
    expect(await written()).toEqual([1, 2, 3]);
    expect(result.revision).toBe('2');
  });

  it('a command refused on a known state is decided again on the stream as it is', async () => {
    const a = instance(log);
    const b = instance(log);
    await a.send('Close'); // a knows the ledger closed
    await b.send('Reopen');
    await expect(a.send('Write')).resolves.toMatchObject({ revision: '2' });
    expect(await written()).toEqual(['Closed', 'Reopened', 1]);
    // Refused on the stream as it is: still the typed error, nothing appended.
    await b.send('Close');
    await expect(a.send('Write')).rejects.toBeInstanceOf(LedgerClosed);
    expect(await written()).toEqual(['Closed', 'Reopened', 1, 'Closed']);
  });

  it('a retry of a recorded command answers the recorded events and appends nothing', async () => {
    const a = instance(log);
    const context = systemContext('clerk');
    const first = await a.send('Write', context);
    const again = await a.send('Write', { ...context, now: new Date(Date.parse(context.now) + 1000).toISOString() });
    expect(again).toMatchObject({ replayed: true, revision: first.revision, position: first.position });
    expect(await written()).toEqual([1]);
  });

  it('keeps no state after a command whose id another writer could also record (an Idempotency-Key): the next command reads the stream', async () => {
    const a = instance(log);
    await a.send('Write', { ...systemContext('clerk'), commandId: 'clerk:key-1' });
    const reads = a.counted.reads;
    await a.send('Write');
    expect(a.counted.reads).toBe(reads + 1);
    expect(await written()).toEqual([1, 2]);
  });
});

describe('known stream states and the key store generation (a destroyed key drops decrypted text)', () => {
  const decider = ledgerDecider as Decider<never, DomainEvent, unknown>;
  const state = (revision: bigint, keys: number) => ({
    decider,
    revision,
    state: { entries: 1 },
    commandIds: new Set<string>(),
    keys,
  });

  it('a state kept under the generation seen now is used', () => {
    const states = new StreamStates();
    states.keysAt(1);
    states.set(STREAM, state(0n, 1));
    expect(states.get(STREAM, decider)?.revision).toBe(0n);
  });

  it('a state kept under an earlier generation (its stream read before a key was destroyed) is not used', () => {
    const states = new StreamStates();
    states.keysAt(2);
    states.set(STREAM, state(0n, 1));
    expect(states.get(STREAM, decider)).toBeUndefined();
  });

  it('when the generation moves, every kept state is dropped', () => {
    const states = new StreamStates();
    states.keysAt(1);
    states.set(STREAM, state(0n, 1));
    states.set('ledger-l2', state(3n, 1));
    states.keysAt(2);
    expect(states.size).toBe(0);
  });
});

describe('StreamStates sweep: kept states do not outlive their time or an erasure while no command comes', () => {
  const decider = ledgerDecider as Decider<never, DomainEvent, unknown>;
  const state = (keys: number) => ({ decider, revision: 0n, state: { entries: 1 }, commandIds: new Set<string>(), keys });

  it('a sweep drops the states older than their time and keeps the others', async () => {
    const states = new StreamStates(10, 60_000);
    states.set(STREAM, state(1));
    await states.sweep(Date.now() + 30_000);
    expect(states.size).toBe(1);
    await states.sweep(Date.now() + 61_000);
    expect(states.size).toBe(0);
    states.close();
  });

  it('a sweep drops every state when the key generation moved since they were kept', async () => {
    let generation = 1;
    const states = new StreamStates(10, 60_000, () => Promise.resolve(generation));
    states.keysAt(1);
    states.set(STREAM, state(1));
    states.set('ledger-l2', state(1));
    await states.sweep();
    expect(states.size).toBe(2);
    generation = 2; // an erasure by another process
    await states.sweep();
    expect(states.size).toBe(0);
    states.close();
  });

  it('a sweep that cannot read the key generation drops every state', async () => {
    const states = new StreamStates(10, 60_000, () => Promise.reject(new Error('key store unreachable')));
    states.set(STREAM, state(1));
    await states.sweep();
    expect(states.size).toBe(0);
  });

  it('the sweep runs by itself while states are kept', async () => {
    jest.useFakeTimers({ now: Date.now() });
    try {
      let generation = 1;
      const states = new StreamStates(10, 60_000, () => generation, 5_000);
      states.keysAt(1);
      states.set(STREAM, state(1));
      generation = 2;
      await jest.advanceTimersByTimeAsync(5_000);
      expect(states.size).toBe(0);
      states.close();
    } finally {
      jest.useRealTimers();
    }
  });
});
