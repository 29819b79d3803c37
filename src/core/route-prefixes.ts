/** What checkRoutePrefixes needs of a layer of the Express router (router 2). */
export interface RouterLayer {
  route?: unknown;
  rawPath?: unknown;
  match: (path: string) => unknown;
}

/** Characters that are only themselves in a route path (path-to-regexp 8): anything else may be syntax. */
const LITERAL = /^[A-Za-z0-9/_.~-]*/;

/** Layers already given their check (app.init may run again). */
const CHECKED = new WeakSet<RouterLayer>();

/**
 * The Express router tries a request against its layers one by one, a regular expression each,
 * until one matches: with about 600 routes, a request to /api/v1/teams tried some 350 first. Each
 * route's layer is given a check of the literal text its path starts with (`/api/v1/teams/` for
 * `/api/v1/teams/:teamId/ratings`), compared as the route's case-insensitive expression would, so
 * the expression runs only where it could match. A path the check lets through is matched exactly
 * as before, and one it stops could not have matched: routing, order and answers are unchanged.
 */
export function checkRoutePrefixes(stack: readonly RouterLayer[]): number {
  let checked = 0;
  for (const layer of stack) {
    if (!layer.route || typeof layer.rawPath !== 'string' || CHECKED.has(layer)) continue;
    CHECKED.add(layer);
    const prefix = (LITERAL.exec(layer.rawPath)?.[0] ?? '').replace(/\/+$/, '').toLowerCase();
    if (prefix.length < 2) continue;
    const codes = Array.from(prefix, (c) => c.charCodeAt(0));
    const match = layer.match.bind(layer);
    layer.match = (path: string): unknown => {
      if (typeof path !== 'string' || path.length < codes.length) return false;
      // From the end: most routes share "/api/v1/", and differ after it.
      for (let i = codes.length - 1; i >= 0; i--) {
        let c = path.charCodeAt(i);
        if (c >= 65 && c <= 90) c += 32; // A-Z: the route's expression ignores ASCII case
        if (c !== codes[i]) return false;
      }
      return match(path);
    };
    checked++;
  }
  return checked;
}
