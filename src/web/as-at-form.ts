import { dayInWords, instantsAtLondonTime, londonClockAt } from '@casetrail/kernel';
import type { AsAtRequest } from '../core';
import { whenText } from './dates';

/**
 * The field of "Show this page as at" on every page: a date and time on the clocks in England (GMT
 * in winter, BST in summer), typed in GOV.UK date boxes with hour and minute (`asAtLocal-day`, ...
 * `asAtLocal-minute`); `asAtLocal=2026-11-20T17:00` in an address is read the same way.
 */
export const AS_AT_FIELD = 'asAtLocal';
/** The boxes of a date and time, in the order shown. */
export const DATE_TIME_PARTS = ['day', 'month', 'year', 'hour', 'minute'] as const;
export type DateTimeParts = Record<(typeof DATE_TIME_PARTS)[number], string>;
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

/** An instant in words, on the clocks in England: "1 July 2020 at 00:30" (the one style: src/web/dates.ts). */
export const ukWhen = (instant: string): string => whenText(instant);

/** A page's datetime-local filter value as the API's instant; anything else goes to the DTO as it came (and is refused there). */
export const filterInstant = (value: unknown): unknown =>
  typeof value === 'string' && LOCAL_MINUTE.test(value) ? (instantOfUkTime(value) ?? value) : value;

/** The other way, to show an instant again in a datetime-local filter. */
export const filterLocal = (value: unknown): unknown =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{3})?)?Z$/.test(value) ? ukTimeOf(value) : value;

/**
 * A date and time typed in GOV.UK boxes (`<name>-day`, `-month`, `-year`, `-hour`, `-minute`) as
 * "2026-11-20T17:00" (UK time); what was typed, joined the same way, when it is not numbers (for the
 * reader to refuse); undefined when every box is empty. The one reading of such boxes on every page.
 */
export function localFromParts(get: (name: string) => unknown, name: string): string | undefined {
  const part = (p: string): string => {
    const value = get(`${name}-${p}`);
    return typeof value === 'string' ? value.trim() : '';
  };
  const [day, month, year, hour, minute] = DATE_TIME_PARTS.map(part);
  if (!day && !month && !year && !hour && !minute) return undefined;
  const two = (v: string) => (/^\d{1,2}$/.test(v) ? v.padStart(2, '0') : v);
  return `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}`;
}

/** "2026-11-20T17:00" -> the five boxes' values ("20", "11", "2026", "17", "00"); empty boxes for anything else. */
export function partsOfLocal(local: string | null | undefined): DateTimeParts {
  const m = LOCAL.exec(local ?? '');
  return m
    ? { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1], hour: m[4], minute: m[5] }
    : { day: '', month: '', year: '', hour: '', minute: '' };
}

const isAsAtParam = (name: string): boolean => name === 'asAt' || name === AS_AT_FIELD || name.startsWith(`${AS_AT_FIELD}-`);

/** The query of a page URL without the as-at parameters, as name/value pairs (hidden fields of the as-at form). */
export function keptQuery(originalUrl: string): { name: string; value: string }[] {
  const params = new URL(originalUrl, 'http://casetrail.invalid').searchParams;
  return [...params.entries()].filter(([name]) => !isAsAtParam(name)).map(([name, value]) => ({ name, value }));
}

/** The same page now: its URL without asAt. */
export function pageNow(originalUrl: string): string {
  const url = new URL(originalUrl, 'http://casetrail.invalid');
  for (const name of [...url.searchParams.keys()]) if (isAsAtParam(name)) url.searchParams.delete(name);
  return url.pathname + url.search;
}

/** What the as-at form was given: its boxes joined, or the single field of an address; null when neither. */
export function typedAsAt(originalUrl: string): string | null {
  const params = new URL(originalUrl, 'http://casetrail.invalid').searchParams;
  return localFromParts((name) => params.get(name) ?? undefined, AS_AT_FIELD) ?? params.get(AS_AT_FIELD);
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
  const value = typedAsAt(request.originalUrl);
  if (value === null) return null;
  const match = LOCAL.exec(value.trim());
  if (!match) return { problem: 'Enter the date and time as numbers, for example 20 11 2026 and 17 00' };
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number);
  const instant = new Date(Date.UTC(year, month - 1, day, hour, minute));
  if (instant.getUTCMonth() !== month - 1 || instant.getUTCDate() !== day || hour > 23 || minute > 59)
    return { problem: 'Enter a real date and time, for example 20 11 2026 and 17 00' };
  const asAt = instantOfUkTime(value.trim().slice(0, 16));
  if (asAt === null) {
    return {
      problem: `There was no ${value.trim().slice(11, 16)} on ${ukDay(value.trim())} in the UK: the clocks went forward from 1 a.m. to 2 a.m. Enter a time before 1 a.m. or from 2 a.m.`,
    };
  }
  if (Date.parse(asAt) > now.getTime()) return { problem: 'The date and time must be in the past: nothing later is known yet' };
  for (const name of [...url.searchParams.keys()]) if (isAsAtParam(name)) url.searchParams.delete(name);
  url.searchParams.set('asAt', asAt);
  return { redirect: url.pathname + url.search };
}
