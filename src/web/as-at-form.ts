import { dayInWords, instantsAtLondonTime, londonClockAt } from '@casetrail/kernel';
import type { AsAtRequest } from '../core';

/**
 * The field of "Show this page as at" on every page: a date and time on the clocks in England (GMT
 * in winter, BST in summer), as a datetime-local input gives it.
 */
export const AS_AT_FIELD = 'asAtLocal';
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:\d{2})?$/;
/** What a datetime-local field sends: a date and time to the minute, without a zone. */
const LOCAL_MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

const ukDay = (local: string): string => dayInWords(local.slice(0, 10));

/**
 * THE reading of a date and time typed on a page (the as-at form, the trail's and the access log's
 * "from" and "to"): a time on the clocks in England, turned into the instant the API wants. In the
 * hour the clocks go back (01:00-01:59 on the last Sunday in October, which happens twice) the
 * first, BST, one is meant. Null for a time the clocks never showed (the hour they go forward) or
 * an unreal one.
 */
export function instantOfUkTime(value: string): string | null {
  const [first] = instantsAtLondonTime(value.trim());
  return first ? first.toISOString().replace('.000Z', 'Z') : null;
}

/** The other way: an instant as the UK time a datetime-local field shows ("2020-07-01T00:30"). */
export const ukTimeOf = (instant: string): string => londonClockAt(instant).local.slice(0, 16);

/** An instant in words, on the clocks in England: "1 July 2020 at 00:30:00 BST". */
export function ukWhen(instant: string): string {
  const { local, zone } = londonClockAt(instant);
  return `${ukDay(local)} at ${local.slice(11, 19)} ${zone}`;
}

/** A page's datetime-local filter value as the API's instant; anything else goes to the DTO as it came (and is refused there). */
export const filterInstant = (value: unknown): unknown =>
  typeof value === 'string' && LOCAL_MINUTE.test(value) ? (instantOfUkTime(value) ?? value) : value;

/** The other way, to show an instant again in a datetime-local filter. */
export const filterLocal = (value: unknown): unknown =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{3})?)?Z$/.test(value) ? ukTimeOf(value) : value;

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
 * `asAtLocal=2026-07-20T17:00` (UK time); this turns that into the API's `asAt=2026-07-20T16:00:00Z`
 * on the same page (a redirect), or into the words of what is wrong with it. Nothing else about
 * as-at is the pages' own: AsAtMiddleware and its interceptor answer the page exactly as the API would.
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
  const asAt = instantOfUkTime(value.trim().slice(0, 16));
  if (asAt === null) {
    return {
      problem: `There was no ${value.trim().slice(11, 16)} on ${ukDay(value.trim())} in the UK: the clocks went forward from 1 a.m. to 2 a.m. Enter a time before 1 a.m. or from 2 a.m.`,
    };
  }
  if (Date.parse(asAt) > now.getTime()) return { problem: 'The date and time must be in the past: nothing later is known yet' };
  url.searchParams.delete(AS_AT_FIELD);
  url.searchParams.delete('asAt');
  url.searchParams.set('asAt', asAt);
  return { redirect: url.pathname + url.search };
}
