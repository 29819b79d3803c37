import { UpcasterRegistry } from '@casetrail/event-store';

/**
 * Every event shape change ever made, as an upcaster from the old version to the next.
 * Example, when TeamRegistered v2 adds `service`:
 *   registry.register('TeamRegistered', 1, (data) => ({ ...(data as object), service: 'unknown' }));
 */
export function createUpcasters(): UpcasterRegistry {
  return new UpcasterRegistry();
}
