/** Streams' deciders are registered by their contexts (ContextRegistration.streams, Platform.deciderForStream). */

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
