/**
 * Plain-words sentences for GET /api/v1/trail/changes. A context may add a describer for its
 * event types here; any other event gets the generic sentence "<Type> on <stream> by <actor>",
 * enriched with "<field> changed from <old> to <new>" for each previous<Field>/<field> pair
 * and ": reason ..." when the event has a reason.
 */
import type { RecordedEvent } from '@casetrail/event-store';

export interface DescribeContext {
  /** Display name of the actor, or their id when unknown. */
  actor: string;
  /** "Team cin-north", "Audit A-17": what the stream is, for the reader. */
  entity: string;
}

export type EventDescriber = (data: Record<string, unknown>, context: DescribeContext, event: RecordedEvent) => string;

/** "requires-improvement" -> "requires improvement"; ids and free text are left as they are. */
export const words = (value: unknown): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /^[a-z]+(-[a-z]+)+$/.test(text) ? text.replace(/-/g, ' ') : text;
};

/** "managementOversight" -> "management oversight"; "TeamRenamed" -> "team renamed". */
export const fieldWords = (name: string): string =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();

const reason = (data: Record<string, unknown>): string =>
  typeof data.reason === 'string' && data.reason ? `: reason "${data.reason}"` : '';

export const EVENT_DESCRIBERS: Record<string, EventDescriber> = {
  TeamRegistered: (d, c) => `${c.entity}: registered as "${words(d.name)}" (${words(d.service)}) by ${c.actor}`,
  TeamRenamed: (d, c) => `${c.entity}: renamed from "${words(d.previousName)}" to "${words(d.name)}" by ${c.actor}`,
  TeamClosed: (d, c) => `${c.entity}: closed on ${words(d.closedOn)} by ${c.actor}${reason(d)}`,
  UserRegistered: (d, c) =>
    `${c.entity}: registered as ${words(d.role)}${Array.isArray(d.teamIds) && d.teamIds.length ? ` in ${d.teamIds.join(', ')}` : ''} by ${c.actor}`,
  UserTeamsChanged: (d, c) =>
    `${c.entity}: teams changed from ${(d.previousTeamIds as string[]).join(', ') || 'none'} to ${(d.teamIds as string[]).join(', ') || 'none'} by ${c.actor}`,
  UserTokenIssued: (d, c) =>
    `${c.entity}: access token "${words(d.label)}" issued by ${c.actor}, valid until ${words(d.expiresAt)}`,
  PersonalAccessTokenUsed: (d, c) => `${c.entity}: an access token was used on ${String(d.on)}`,
  UserTokenRevoked: (d, c) => `${c.entity}: an access token was revoked by ${c.actor}${reason(d)}`,
  UserDeactivated: (d, c) => `${c.entity}: deactivated by ${c.actor}${reason(d)}`,
};

export const genericDescription: EventDescriber = (data, context, event) => {
  const changes = Object.keys(data)
    .filter((key) => /^previous[A-Z]/.test(key))
    .map((key) => {
      const field = key[8].toLowerCase() + key.slice(9);
      return field in data ? `${fieldWords(field)} changed from ${words(data[key])} to ${words(data[field])}` : null;
    })
    .filter((s): s is string => s !== null);
  const what = changes.length ? changes.join(', ') : `${event.type} on ${event.streamId}`;
  return `${context.entity}: ${what} by ${context.actor}${reason(data)}`;
};

export function describeEvent(event: RecordedEvent, context: DescribeContext): string {
  const data = typeof event.data === 'object' && event.data !== null ? (event.data as Record<string, unknown>) : {};
  const describer = EVENT_DESCRIBERS[event.type] ?? genericDescription;
  try {
    return describer(data, context, event);
  } catch {
    // An older or unexpected shape must not hide the change: fall back to the generic words.
    return genericDescription(data, context, event);
  }
}

/** "audit-A-17" -> "Audit A-17". */
export function entityLabel(streamId: string): string {
  const dash = streamId.indexOf('-');
  if (dash < 0) return streamId;
  const category = streamId.slice(0, dash);
  return `${category[0].toUpperCase()}${category.slice(1)} ${streamId.slice(dash + 1)}`;
}
