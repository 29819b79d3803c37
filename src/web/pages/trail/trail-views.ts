import { DATE_TIME_PARTS, filterInstant, filterLocal, localFromParts, partsOfLocal, ukWhen } from '../../as-at-form';
import { filled } from '../../forms';
import { entityLabel, eventTypeWords, fieldWords, type TrailEventView } from '../../../trail';
import type { Lookup } from '../../kit';

/** What the trail pages show alike: UK times, paging addresses, records and events in words. */
/** Events on one trail page, unless the address asks for another number (1-1000, the API's limit). */
export const PAGE_SIZE = 50;
/** A CSV of a filtered list holds at most this many rows; the export has no such limit. */
export const CSV_MAX_ROWS = 5_000;
export const TRAIL_FILTERS = ['streamPrefix', 'type', 'teamId', 'actorId', 'from', 'to', 'order', 'by', 'limit'] as const;
export const TRAIL_LABELS = {
  streamPrefix: 'Kind of record',
  type: 'Event type',
  teamId: 'Team',
  actorId: 'Who',
  from: 'Recorded after',
  to: 'Recorded up to',
  order: 'Order',
  by: 'Whose events',
  limit: 'Events per page',
  after: 'Page',
};
export const ACCESS_FILTERS = ['subject', 'actorId', 'from', 'to'] as const;
export const ACCESS_LABELS = { subject: 'What was read', actorId: 'Who', from: 'Read from', to: 'Read up to', after: 'Page' };
export const EXPORT_LABELS = { format: 'Format', teamId: 'Team', from: 'Recorded after', to: 'Recorded up to' };

/** The "from" and "to" filters of the trail, access log and export pages. */
const TIME_FILTERS = ['from', 'to'] as const;

/**
 * A page's filters, with "from" and "to" typed in GOV.UK date boxes (`from-day` ... `from-minute`)
 * read as "2026-11-20T17:00" (UK time; an empty hour and minute mean midnight). A single `from=` or
 * `to=` in an address (a paging or CSV link, an old bookmark) is read as before.
 */
export function filledWithTimes(query: Record<string, unknown> | undefined, fields: readonly string[]): Record<string, unknown> {
  const values = filled(query, fields);
  for (const name of TIME_FILTERS) {
    const box = (part: string): unknown => query?.[`${name}-${part}`];
    const typed = localFromParts((field) => {
      const value = query?.[field];
      const isTime = field.endsWith('-hour') || field.endsWith('-minute');
      const dateTyped = [box('day'), box('month'), box('year')].some((v) => typeof v === 'string' && v.trim() !== '');
      return isTime && dateTyped && (typeof value !== 'string' || value.trim() === '') ? '00' : value;
    }, name);
    if (typed !== undefined) values[name] = typed;
  }
  return values;
}

/** The boxes of a "from" or "to" filter: what was typed after a problem, else the time it filters on. */
export function timeBoxes(
  query: Record<string, unknown> | undefined,
  name: (typeof TIME_FILTERS)[number],
  value: unknown,
  problem: boolean,
) {
  const typed = DATE_TIME_PARTS.some((part) => typeof query?.[`${name}-${part}`] === 'string');
  const shown = partsOfLocal(String(filterLocal(value) ?? ''));
  return DATE_TIME_PARTS.map((part) => {
    const raw = query?.[`${name}-${part}`];
    return {
      name: part,
      label: part[0].toUpperCase() + part.slice(1),
      value: problem && typed ? (typeof raw === 'string' ? raw : '') : shown[part],
      classes: `govuk-input--width-${part === 'year' ? 4 : 2}${problem ? ' govuk-input--error' : ''}`,
    };
  });
}

/** An error of a time filter links to its first box. */
export const boxIdOf = (field: string): string => ((TIME_FILTERS as readonly string[]).includes(field) ? `${field}-day` : field);

/** The trail's date and time filters are UK times (one reading for every page: src/web/as-at-form.ts). */
export const withInstants = (values: Record<string, unknown>): Record<string, unknown> => ({
  ...values,
  ...('from' in values ? { from: filterInstant(values.from) } : {}),
  ...('to' in values ? { to: filterInstant(values.to) } : {}),
});
export const queryString = (values: Record<string, unknown>): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (typeof value === 'string' && value !== '') params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
};

/** "2026-07-22T04:10:33.120Z" -> "22 July 2026 at 05:10": UK time, as the filters read it. */
export function when(instant: unknown): string {
  if (typeof instant !== 'string' || Number.isNaN(Date.parse(instant))) return String(instant ?? '');
  return ukWhen(instant);
}

export interface SummaryRow {
  key: string;
  value: string;
  changed?: boolean;
}

const scalar = (value: unknown): string =>
  value === null || value === undefined || value === ''
    ? 'None'
    : typeof value === 'boolean'
      ? value
        ? 'Yes'
        : 'No'
      : typeof value === 'string'
        ? value
        : typeof value === 'number' || typeof value === 'bigint'
          ? String(value)
          : JSON.stringify(value);
const label = (key: string): string => {
  const text = fieldWords(key);
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/**
 * A state or event data as rows a person reads ("Grades › Voice of child: requires-improvement"),
 * not a JSON dump: nested objects become paths, lists of plain values one comma-separated value.
 */
export function summaryRows(value: unknown, prefix = ''): SummaryRow[] {
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (Array.isArray(value)) {
    if (value.every((item) => !isObject(item) && !Array.isArray(item))) {
      return [{ key: prefix || 'Value', value: value.length ? value.map(scalar).join(', ') : 'None' }];
    }
    return value.flatMap((item, i) => summaryRows(item, `${prefix || 'Item'} ${i + 1}`));
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [{ key: prefix || 'Value', value: 'None' }];
    return entries.flatMap(([k, v]) => summaryRows(v, prefix ? `${prefix} › ${label(k)}` : label(k)));
  }
  return [{ key: prefix || 'Value', value: scalar(value) }];
}

/** The state rows, each marked when its value differs from the state before (a row that is new counts as changed). */
export function markChanges(rows: SummaryRow[], before: SummaryRow[] | null): SummaryRow[] {
  if (before === null) return rows;
  const previous = new Map(before.map((r) => [r.key, r.value]));
  return rows.map((r) => ({ ...r, changed: previous.get(r.key) !== r.value }));
}

/**
 * One event as the pages show it: who, when, what, and the change in words (the API's, as this reader may
 * read it); the record by its name (the API's `entity`: "Audit of CASE-2001"), the event type in words.
 */
export function eventRow(e: TrailEventView, name: Lookup) {
  const userName = e.streamId.startsWith('user-') ? name.map.get(e.streamId.slice(5)) : undefined;
  return {
    ...e,
    entity: userName ? `User ${userName}` : (e.entity ?? entityLabel(e.streamId)),
    typeWords: eventTypeWords(e.type),
    actorName: name(e.actorId),
    recordedWhen: when(e.recordedAt),
    occurredWhen: when(e.occurredAt),
    historyHref: `/trail/streams/${encodeURIComponent(e.streamId)}`,
    // The same sentence as GET /api/v1/trail and /trail/changes: one rule decides what is readable (src/trail/trail-reading.ts).
    text: e.text ?? '',
  };
}
