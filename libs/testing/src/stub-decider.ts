import type { Decider, DomainEvent } from '@casetrail/kernel';

/**
 * A decider that keeps no state and records one event for every command: for tests of the machinery
 * around deciders (command handlers, streams, late changes), where no domain rule should get in the way.
 */
export function oneEventDecider<C extends { type: string; now: string }, T extends string, D>(
  name: string,
  eventType: T,
  data: (command: C) => D,
): Decider<C, DomainEvent<T, D>, null> {
  return {
    name,
    initialState: null,
    evolve: (state) => state,
    decide: (command) => [{ type: eventType, data: data(command) }],
    schemaVersions: { [eventType]: 1 } as Record<T, number>,
  };
}
