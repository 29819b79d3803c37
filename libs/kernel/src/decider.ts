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
