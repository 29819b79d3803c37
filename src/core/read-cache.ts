import { Inject, Injectable } from '@nestjs/common';
import type { ProjectionRunner, RowVersion } from '@casetrail/projections';
import { currentAsAt } from './as-at-scope';
import { PROJECTION_RUNNER } from './tokens';

interface Entry {
  epoch: number;
  /** Per projection read, in the order named: its position when the answer was read. */
  readAt: bigint[];
  value: unknown;
}

/** Enough for every team view and filter in use at once; past it the cache starts again rather than grow. */
export const READ_CACHE_MAX_ENTRIES = 2_000;

/** Freezes an answer and everything in it, so that no caller can change what the next one is given. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value as Record<string, unknown>)) deepFreeze(inner);
  }
  return value;
}

/** Every answer ReadCache gave (deep-frozen), with its JSON once an HTTP response asked for it (null until then). */
const answers = new WeakMap<object, Buffer | null>();

/**
 * The JSON of an answer ReadCache gave, serialised once per answer (so once per change of the
 * projections it read), not once per request: undefined for any other value. The answer is
 * deep-frozen, so its JSON cannot change; it lives as long as the answer does.
 */
export function cachedJson(value: unknown): Buffer | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const json = answers.get(value);
  if (json !== null) return json; // undefined: not an answer of ReadCache
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  answers.set(value, body);
  return body;
}

/**
 * Answers of hot read queries (a team, the team list, a team's ratings), kept in memory and given
 * again while none of the projections they read has moved: no work per request that could be done
 * once. The same rule as TokenCache (ProjectionRunner.rowVersion): an answer read when projection X
 * had applied the log up to P (`position` read before the query) stays current while X's
 * `changedAt <= P` and the runner's epoch is the same; `changedAt` moves before a batch's rows are
 * written, so an answer never outlives a change. A read-your-writes request waits for its position
 * first (ConsistencyMiddleware), so it finds the cached answer stale or current, never too old.
 *
 * Nothing is cached inside an as-at scope (its answers come from the history views), nor in an
 * instance that does not run the projections (rowVersion is null there: the rows change unseen).
 * Answers are frozen: a caller that tried to change one would throw instead of changing the next
 * caller's answer.
 */
@Injectable()
export class ReadCache {
  private readonly entries = new Map<string, Entry>();

  constructor(@Inject(PROJECTION_RUNNER) private readonly projections: ProjectionRunner) {}

  /**
   * The answer of `load` for `key`, which must name everything the answer depends on (the query and
   * its parameters, the viewer when the answer depends on who asks); `projections` names every
   * projection whose rows `load` reads.
   */
  async read<T>(projections: readonly string[], key: string, load: () => Promise<T>): Promise<T> {
    if (currentAsAt()) return load();
    const versions: RowVersion[] = [];
    for (const name of projections) {
      const version = this.projections.rowVersion(name);
      if (!version) return load();
      versions.push(version);
    }
    const epoch = versions[0]?.epoch ?? -1;
    const hit = this.entries.get(key);
    if (hit && hit.epoch === epoch && versions.every((v, i) => v.epoch === epoch && v.changedAt <= hit.readAt[i])) {
      return hit.value as T;
    }
    const value = deepFreeze(await load());
    if (value !== null && typeof value === 'object' && !answers.has(value)) answers.set(value, null);
    if (versions.every((v) => v.epoch === epoch)) {
      if (this.entries.size >= READ_CACHE_MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, { epoch, readAt: versions.map((v) => v.position), value });
    }
    return value;
  }
}
