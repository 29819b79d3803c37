/**
 * The decider pattern: one per aggregate. All three functions are pure: no I/O, no clock
 * (time arrives in the command as `now`), so a decision replays identically forever.
 */
export interface DomainEvent<T extends string = string, D = unknown> {
  type: T;
  data: D;
}

export interface Decider<C extends { type: string; now: string }, E extends DomainEvent, S> {
  /** Names the aggregate in messages, e.g. "team". */
  name: string;
  initialState: S;
  /** Total and side-effect free: unknown or irrelevant events leave the state unchanged. */
  evolve(state: S, event: E): S;
  /** Returns the events that record the decision, or throws a DomainError. Never both. */
  decide(command: C, state: S): E[];
  /** The current schema version of each event type this aggregate records. */
  schemaVersions: Record<E['type'], number>;
}

/** Folds a history into a state. */
export const fold = <E extends DomainEvent, S>(decider: Pick<Decider<never, E, S>, 'evolve' | 'initialState'>, events: E[]): S =>
  events.reduce(decider.evolve, decider.initialState);

/** For the exhaustive `switch` in decide/evolve: compiling fails when a case is missing. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}

/** One rule per command type: the events that record the decision, or a thrown DomainError. */
export type DecideRules<C extends { type: string }, E, S> = {
  [T in C['type']]: (command: Extract<C, { type: T }>, state: S) => E[];
};

/** What each event type does to the state; an event type left out leaves the state as it is. */
export type EvolveRules<E extends DomainEvent, S> = {
  [T in E['type']]?: (state: S, event: Extract<E, { type: T }>) => S;
};

/** A decider as tables: its name, first state and schema versions, then its rules. */
export interface DeciderRules<C extends { type: string; now: string }, E extends DomainEvent, S> extends Omit<
  Decider<C, E, S>,
  'decide' | 'evolve'
> {
  decide: DecideRules<C, E, S>;
  evolve: EvolveRules<E, S>;
}

const own = <T extends object>(table: T, key: string): T[keyof T] | undefined =>
  Object.prototype.hasOwnProperty.call(table, key) ? table[key as keyof T] : undefined;

/**
 * Builds a decider from its tables, so that each decider states only its rules: `decide` has one rule
 * per command type (compiling fails when one is missing, as the exhaustive `switch` did), `evolve` one
 * change per event type that changes the state. The dispatch is written here once.
 */
export function deciderOf<C extends { type: string; now: string }, E extends DomainEvent, S>(
  rules: DeciderRules<C, E, S>,
): Decider<C, E, S> {
  const { name, initialState, schemaVersions, decide, evolve } = rules;
  return {
    name,
    initialState,
    schemaVersions,
    decide(command, state) {
      const rule = own(decide, command.type) as ((command: C, state: S) => E[]) | undefined;
      return rule ? rule(command, state) : assertNever(command as never);
    },
    evolve(state, event) {
      const change = own(evolve, event.type) as ((state: S, event: E) => S) | undefined;
      return change ? change(state, event) : state;
    },
  };
}

/**
 * For an evolve table whose changes apply only once the record exists (after its first event):
 * `const existing = onlyWhen((s: AuditState): s is StartedAudit => s.status !== 'none')`, then
 * `DomainGraded: existing((state, event) => …)`; before that the state stays as it is.
 */
export const onlyWhen =
  <S, X extends S>(exists: (state: S) => state is X) =>
  <Ev>(change: (state: X, event: Ev) => S) =>
  (state: S, event: Ev): S =>
    exists(state) ? change(state, event) : state;

/** A record decider's rules: `decide` and `evolve` as in deciderOf, and how its creating command is refused. */
export interface RecordDeciderRules<C extends { type: string; now: string }, E extends DomainEvent, S> extends Pick<
  DeciderRules<C, E, S>,
  'decide' | 'evolve'
> {
  /** For each command that creates the record, the error that refuses it once the record exists. */
  alreadyExists: { [T in C['type']]?: (command: Extract<C, { type: T }>) => Error };
}

/**
 * Builds the decider of a stream that holds one record (a team, a plan, a dispute…). The rule all such
 * streams share is written here once: the stream starts with no record (`{ status: 'none' }`), and a
 * command that creates the record is refused with its `alreadyExists` error once the record exists,
 * before its own rule runs; that rule then states only what is particular to the record.
 */
export function recordDeciderOf<C extends { type: string; now: string }, E extends DomainEvent, S extends { status: string }>(
  name: string,
  schemaVersions: Record<E['type'], number>,
  { alreadyExists, decide, evolve }: RecordDeciderRules<C, E, S>,
): Decider<C, E, S> {
  // Every record state type starts with `{ status: 'none' }`; the cast says so where S cannot.
  const decider = deciderOf<C, E, S>({ name, initialState: { status: 'none' } as S, schemaVersions, decide, evolve });
  return {
    ...decider,
    decide(command, state) {
      const refuse = own(alreadyExists, command.type) as ((command: C) => Error) | undefined;
      if (refuse && state.status !== 'none') throw refuse(command);
      return decider.decide(command, state);
    },
  };
}

/** The record a command acts on; while its stream holds none, the command is refused with `notFound()`. */
export function existingRecord<S extends { status: string }>(state: S, notFound: () => Error): Exclude<S, { status: 'none' }> {
  if (state.status === 'none') throw notFound();
  return state as Exclude<S, { status: 'none' }>;
}

/** What a command records as it stands: the command without its type and the time it was given. */
export const dataOf = <C extends { type: string; now: string }>({
  type: _type,
  now: _now,
  ...data
}: C): Omit<C, 'type' | 'now'> => data;
