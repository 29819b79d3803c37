import type { Decider, DomainEvent } from '@casetrail/kernel';
import { teamDecider } from '../teams/teams.decider';
import { userDecider } from '../users/users.decider';

/** What GET /api/v1/streams/:streamId needs of a decider to show the state after each event. */
export type StateFolder = Pick<Decider<never, DomainEvent, unknown>, 'name' | 'initialState' | 'evolve'>;

/**
 * Stream category (the part of the stream id before the first "-") -> the decider that owns
 * those streams. Every context adds its decider here when it adds a stream category.
 */
export const STREAM_DECIDERS: Record<string, StateFolder> = {
  team: teamDecider as unknown as StateFolder,
  user: userDecider as unknown as StateFolder,
};

/** A state as JSON: Maps become objects, Sets arrays, bigints strings. */
export function plainState(value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), plainState(v)]));
  if (value instanceof Set) return [...value].map(plainState);
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(plainState);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainState(v)]));
  }
  return value;
}
