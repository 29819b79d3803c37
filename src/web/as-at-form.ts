import type { AsAtRequest } from '../core/as-at-reader';

/** The field of "Show this page as at" on every page: a UTC date and time, as a datetime-local input gives it. */
export const AS_AT_FIELD = 'asAtLocal';
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:\d{2})?$/;

/** The query of a page URL without the as-at parameters, as name/value pairs (hidden fields of the as-at form). */
export function keptQuery(originalUrl: string): { name: string; value: string }[] {
  const params = new URL(originalUrl, 'http://casetrail.invalid').searchParams;
  return [...params.entries()]
    .filter(([name]) => name !== 'asAt' && name !== AS_AT_FIELD)
    .map(([name, value]) => ({ name, value }));
}

/** The same page now: its URL without asAt. */
export function pageNow(originalUrl: string): string {
  const url = new URL(originalUrl, 'http://casetrail.invalid');
  url.searchParams.delete('asAt');
  url.searchParams.delete(AS_AT_FIELD);
  return url.pathname + url.search;
}

/**
 * "Show this page as at" works without JavaScript: the form GETs the page itself with
 * `asAtLocal=2026-11-20T17:00`; this turns that into the API's `asAt=2026-11-20T17:00:00Z` on the
 * same page (a redirect), or into the words of what is wrong with it. Nothing else about as-at is
 * the pages' own: AsAtMiddleware and its interceptor answer the page exactly as the API would.
 */
export function asAtFromForm(
  request: Pick<AsAtRequest, 'originalUrl'>,
  now = new Date(),
): { redirect: string } | { problem: string } | null {
  const url = new URL(request.originalUrl, 'http://casetrail.invalid');
  const value = url.searchParams.get(AS_AT_FIELD);
  if (value === null) return null;
  const match = LOCAL.exec(value.trim());
  if (!match) return { problem: 'Enter a date and time, for example 2026-11-20T17:00' };
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number);
  const instant = new Date(Date.UTC(year, month - 1, day, hour, minute));
  if (instant.getUTCMonth() !== month - 1 || instant.getUTCDate() !== day || hour > 23 || minute > 59)
    return { problem: 'Enter a real date and time, for example 2026-11-20T17:00' };
  if (instant.getTime() > now.getTime()) return { problem: 'The date and time must be in the past: nothing later is known yet' };
  url.searchParams.delete(AS_AT_FIELD);
  url.searchParams.delete('asAt');
  url.searchParams.set('asAt', `${value.trim().slice(0, 16)}:00Z`);
  return { redirect: url.pathname + url.search };
}
