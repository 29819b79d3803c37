import type { Principal } from '../shared';
import type { WebRequest } from './web-request';

/** Small things every page controller needs, kept in one place so the controllers say them the same way. */

/** A request the session middleware has signed in (the policy lets no page through otherwise). */
export type SignedIn = WebRequest & { principal: Principal; teamScope?: string[] | null };

/** A path with the filters as its query string (a list's CSV link keeps the page's filters). */
export const hrefWith = (path: string, filters: Record<string, unknown>): string => {
  const query = new URLSearchParams(filters as Record<string, string>).toString();
  return query ? `${path}?${query}` : path;
};
