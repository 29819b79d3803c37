/**
 * The helpers every describer uses. They are strict on purpose: a missing or mistyped field
 * (an older event shape) throws, and describeEvent then falls back to the generic sentence
 * rather than printing "undefined".
 */
import type { RecordedEvent } from '@casetrail/event-store';
import { MONTH_NAMES } from '@casetrail/kernel';
import { ERASED, isEnvelope } from '../../personal-data';

export interface DescribeContext {
  /** Display name of the actor, or their id when unknown. */
  actor: string;
  /** "Team cin-north", "Audit A-17": what the stream is, for the reader. */
  entity: string;
  /** Display name of another user named in the event (owner, moderator, ...); undefined when unknown. */
  nameOf?: (userId: string) => string | undefined;
}

export type EventDescriber = (data: Record<string, unknown>, context: DescribeContext, event: RecordedEvent) => string;

class MissingField extends Error {}

/** The value, or a throw (so the generic sentence is used) when the event does not have it. */
export const need = <T>(value: T | undefined | null): T => {
  if (value === undefined || value === null) throw new MissingField('missing field');
  return value;
};

/** "requires-improvement" -> "requires improvement"; ids and free text are left as they are. */
export const words = (value: unknown): string => {
  if (value === undefined) throw new MissingField('missing field');
  const text = typeof value === 'string' ? value : String(JSON.stringify(value));
  return /^[a-z]+(-[a-z]+)+$/.test(text) ? text.replace(/-/g, ' ') : text;
};

/** "managementOversight" -> "management oversight"; "TeamRenamed" -> "team renamed". */
export const fieldWords = (name: string): string =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();

/**
 * Days are written the British way, "20 November 2026", everywhere in the sentences. An instant
 * ("2026-11-20T09:00:00Z") is written as its day (UTC); anything else is shown as it is.
 */
export const day = (value: unknown): string => {
  const text = String(need(value));
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T|$)/.exec(text);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return text;
  return `${Number(m[3])} ${MONTH_NAMES[Number(m[2]) - 1]} ${m[1]}`;
};

/** "a, b and c" (an empty list is "none"). */
export const list = (values: unknown): string => {
  if (!Array.isArray(values)) throw new MissingField('not a list');
  const items = values.map((v) => words(v));
  if (items.length === 0) return 'none';
  return items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
};

/** "1 domain", "3 domains". */
export const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The display name of a user named in the event, or their id. */
export const person = (userId: unknown, c: DescribeContext): string => {
  const id = String(need(userId));
  return c.nameOf?.(id) ?? id;
};

/** ", approved by X" when X is not the actor (the sentence already ends "by <actor>"). */
export const besidesActor = (label: string, userId: unknown, c: DescribeContext): string => {
  if (typeof userId !== 'string' || !userId) return '';
  const name = person(userId, c);
  return name === c.actor ? '' : `, ${label} ${name}`;
};

const MAX_QUOTE = 80;

/**
 * Short free text, quoted; long text is cut. Personal text may be stored encrypted (the trail
 * list reads the stored shape) or erased: then the fact is said, never the ciphertext.
 */
export const quoted = (value: unknown): string => {
  const text = String(need(value)).trim();
  if (isEnvelope(text as unknown)) return '(encrypted)';
  if (text === ERASED) return '(erased)';
  if (text.length <= MAX_QUOTE) return `"${text}"`;
  // Cut at a word: "no response from the head of service…".
  const cut = text.slice(0, MAX_QUOTE);
  return `"${(/\s/.test(text[MAX_QUOTE]) ? cut : cut.replace(/\s+\S*$/, '')).trimEnd()}…"`;
};

/** ': reason "..."' when the event has a reason, '' otherwise. */
export const reason = (data: Record<string, unknown>): string =>
  typeof data.reason === 'string' && data.reason ? `: reason ${quoted(data.reason)}` : '';

/** True when free text was recorded (in the clear, encrypted or since erased). */
export const recorded = (value: unknown): boolean =>
  (typeof value === 'string' && value.trim() !== '') || (Array.isArray(value) && value.length > 0);

/** "Mo Moderator", or "Mo Moderator (recorded by A. Admin)" when someone else recorded it. */
export const byWho = (userId: unknown, c: DescribeContext): string => {
  const name = person(userId, c);
  return name === c.actor ? name : `${name} (recorded by ${c.actor})`;
};
