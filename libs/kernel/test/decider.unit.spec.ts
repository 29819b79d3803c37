import { conflict, dataOf, deciderOf, existingRecord, fold, onlyWhen, recordDeciderOf, type DomainEvent } from '../src';

type CounterCommand = { type: 'Open'; now: string; id: string } | { type: 'Add'; now: string; by: number };
type CounterEvent = DomainEvent<'Opened', { id: string }> | DomainEvent<'Added', { by: number }> | DomainEvent<'Noted', object>;
type CounterState = { status: 'none' } | { status: 'open'; id: string; total: number };

class AlreadyOpen extends conflict('ALREADY_OPEN', () => 'The counter is already open.') {}

const onceOpen = onlyWhen((state: CounterState): state is Extract<CounterState, { status: 'open' }> => state.status === 'open');

const counter = deciderOf<CounterCommand, CounterEvent, CounterState>({
  name: 'counter',
  initialState: { status: 'none' },
  schemaVersions: { Opened: 1, Added: 1, Noted: 1 },
  decide: {
    Open(command, state) {
      if (state.status !== 'none') throw new AlreadyOpen();
      return [{ type: 'Opened', data: { id: command.id } }];
    },
    Add: (command) => [{ type: 'Added', data: { by: command.by } }],
  },
  evolve: {
    Opened: (_state, event) => ({ status: 'open', id: event.data.id, total: 0 }),
    Added: onceOpen((state, event) => ({ ...state, total: state.total + event.data.by })),
  },
});

describe('deciderOf: a decider written as tables', () => {
  it('keeps the name, the first state and the schema versions', () => {
    expect(counter.name).toBe('counter');
    expect(counter.initialState).toEqual({ status: 'none' });
    expect(counter.schemaVersions).toEqual({ Opened: 1, Added: 1, Noted: 1 });
  });

  it("sends each command to its own type's rule", () => {
    expect(counter.decide({ type: 'Open', now: '2026-12-05T00:00:00Z', id: 'c1' }, counter.initialState)).toEqual([
      { type: 'Opened', data: { id: 'c1' } },
    ]);
    expect(counter.decide({ type: 'Add', now: '2026-12-05T00:00:00Z', by: 2 }, counter.initialState)).toEqual([
      { type: 'Added', data: { by: 2 } },
    ]);
  });

  it("lets a rule's typed error through", () => {
    const open = fold(counter, [{ type: 'Opened', data: { id: 'c1' } }]);
    expect(() => counter.decide({ type: 'Open', now: '2026-12-05T00:00:00Z', id: 'c1' }, open)).toThrow(AlreadyOpen);
  });

  it('refuses a command type that has no rule, as the exhaustive switch did', () => {
    const unknown = { type: 'Close', now: '2026-12-05T00:00:00Z' } as unknown as CounterCommand;
    expect(() => counter.decide(unknown, counter.initialState)).toThrow('Unexpected value');
    const inherited = { type: 'toString', now: '2026-12-05T00:00:00Z' } as unknown as CounterCommand;
    expect(() => counter.decide(inherited, counter.initialState)).toThrow('Unexpected value');
  });

  it('folds each event through its change, and leaves the state as it is for an event type with none', () => {
    const events: CounterEvent[] = [
      { type: 'Opened', data: { id: 'c1' } },
      { type: 'Added', data: { by: 2 } },
      { type: 'Noted', data: {} },
      { type: 'Added', data: { by: 3 } },
    ];
    expect(fold(counter, events)).toEqual({ status: 'open', id: 'c1', total: 5 });
  });

  it('onlyWhen: a change before the record exists leaves the state as it is', () => {
    expect(fold(counter, [{ type: 'Added', data: { by: 2 } }])).toEqual({ status: 'none' });
  });
});

describe('recordDeciderOf: the decider of a stream that holds one record', () => {
  const now = '2026-12-05T00:00:00Z';
  const opened: CounterEvent[] = [{ type: 'Opened', data: { id: 'c1' } }];
  const record = recordDeciderOf<CounterCommand, CounterEvent, CounterState>(
    'counter',
    { Opened: 1, Added: 1, Noted: 1 },
    {
      alreadyExists: { Open: () => new AlreadyOpen() },
      decide: {
        Open: (command) => [{ type: 'Opened', data: { id: command.id } }],
        Add: (command) => [{ type: 'Added', data: { by: command.by } }],
      },
      evolve: { Opened: (_state, event) => ({ status: 'open', id: event.data.id, total: 0 }) },
    },
  );

  it('starts with no record', () => {
    expect(record.initialState).toEqual({ status: 'none' });
    expect(record.name).toBe('counter');
  });

  it('creates the record while there is none', () => {
    expect(record.decide({ type: 'Open', now, id: 'c1' }, record.initialState)).toEqual(opened);
  });

  it('refuses the creating command once the record exists, with its alreadyExists error', () => {
    expect(() => record.decide({ type: 'Open', now, id: 'c1' }, fold(record, opened))).toThrow(AlreadyOpen);
  });

  it('leaves the other commands to their rules', () => {
    expect(record.decide({ type: 'Add', now, by: 2 }, fold(record, opened))).toEqual([{ type: 'Added', data: { by: 2 } }]);
  });
});

describe('dataOf', () => {
  it('is the command without its type and the time it was given', () => {
    expect(dataOf({ type: 'Open', now: '2026-12-05T00:00:00Z', id: 'c1' })).toEqual({ id: 'c1' });
  });
});

describe('existingRecord', () => {
  const notFound = () => new Error('There is no counter.');

  it('is the record once it exists', () => {
    expect(existingRecord(fold(counter, [{ type: 'Opened', data: { id: 'c1' } }]), notFound)).toEqual({
      status: 'open',
      id: 'c1',
      total: 0,
    });
  });

  it('refuses with notFound while the stream holds no record', () => {
    expect(() => existingRecord(counter.initialState, notFound)).toThrow('There is no counter.');
  });
});
