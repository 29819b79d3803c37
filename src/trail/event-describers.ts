/**
 * Plain-words sentences for GET /api/v1/trail/changes and the trail pages. Each context's
 * event types have a describer in describers/<context>.ts (sentences a QA officer or inspector
 * would write; days as "20 November 2026"; personal free text never quoted at length, see
 * describers/words.ts). Any other event gets the generic sentence "<Type> on <stream> by
 * <actor>", enriched with "<field> changed from <old> to <new>" for each previous<Field>/<field>
 * pair and ": reason ..." when the event has a reason. event-describers.spec.ts fails when an
 * event type declared in src/ has no describer.
 */
import type { RecordedEvent } from '@casetrail/event-store';
import { AUDIT_DESCRIBERS } from './describers/audits';
import { DISPUTE_DESCRIBERS } from './describers/disputes';
import { INDICATOR_DESCRIBERS } from './describers/indicators';
import { PERSONAL_DATA_DESCRIBERS } from './describers/personal-data';
import { PLAN_DESCRIBERS } from './describers/plans';
import { REPORT_DESCRIBERS } from './describers/reports';
import { SAMPLING_DESCRIBERS } from './describers/sampling';
import { SELF_ASSESSMENT_DESCRIBERS } from './describers/self-assessments';
import { TEAM_DESCRIBERS } from './describers/teams';
import { USER_DESCRIBERS } from './describers/users';
import { fieldWords, reason, words, type DescribeContext, type EventDescriber } from './describers/words';

export { fieldWords, words, type DescribeContext, type EventDescriber };

export const EVENT_DESCRIBERS: Readonly<Record<string, EventDescriber>> = {
  ...TEAM_DESCRIBERS,
  ...USER_DESCRIBERS,
  ...AUDIT_DESCRIBERS,
  ...DISPUTE_DESCRIBERS,
  ...PLAN_DESCRIBERS,
  ...INDICATOR_DESCRIBERS,
  ...SELF_ASSESSMENT_DESCRIBERS,
  ...REPORT_DESCRIBERS,
  ...SAMPLING_DESCRIBERS,
  ...PERSONAL_DATA_DESCRIBERS,
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
    try {
      return genericDescription(data, context, event);
    } catch {
      return `${context.entity}: ${event.type} on ${event.streamId} by ${context.actor}`;
    }
  }
}

/** Event types whose words are not simply their name split ("CaseAuditStarted" is an audit, not a case, starting). */
const TYPE_WORDS: Readonly<Record<string, string>> = {
  CaseAuditStarted: 'Audit started',
  CaseDataRead: 'Case data read',
  PlanRagSettingsChanged: 'Plan RAG settings changed',
  DisputeReferredToCafcass: 'Dispute referred to Cafcass',
};

/** An event type in words: "AuditSubmitted" -> "Audit submitted", "CaseAuditStarted" -> "Audit started". */
export function eventTypeWords(type: string): string {
  const known = TYPE_WORDS[type];
  if (known) return known;
  const text = fieldWords(type);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Stream categories of more than one word (the category alone is the text before the first dash). */
const LABELS: ReadonlyArray<readonly [prefix: string, label: string]> = [
  ['auditframework-', 'Audit framework'],
  ['auditprogramme-', 'Audit programme'],
  ['good-practice-alert-', 'Good practice alert'],
  ['self-assessment-', 'Self-assessment'],
  ['dispute-protocol', 'Dispute protocol'],
];

/** What kind of record a stream (or a stream prefix) is: "audit-A-17" -> "Audit", "auditframework-" -> "Audit framework". */
export function entityKind(streamIdOrPrefix: string): string {
  const known = LABELS.find(([prefix]) => streamIdOrPrefix.startsWith(prefix));
  if (known) return known[1];
  const dash = streamIdOrPrefix.indexOf('-');
  const category = dash < 0 ? streamIdOrPrefix : streamIdOrPrefix.slice(0, dash);
  return category ? `${category[0].toUpperCase()}${category.slice(1)}` : streamIdOrPrefix;
}

/** "audit-A-17" -> "Audit A-17"; "auditprogramme-pb" -> "Audit programme pb": a record by its id, when it has no name. */
export function entityLabel(streamId: string): string {
  const whole = LABELS.find(([prefix]) => streamId === prefix);
  if (whole) return whole[1];
  const known = LABELS.find(([prefix]) => streamId.startsWith(prefix) && streamId.length > prefix.length);
  if (known) return `${known[1]} ${streamId.slice(known[0].length)}`;
  const dash = streamId.indexOf('-');
  if (dash < 0) return streamId;
  return `${entityKind(streamId)} ${streamId.slice(dash + 1)}`;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

/**
 * A record by the name people know it by, from the event that created it (its stream's first event):
 * "Audit of CASE-2001" (case reference), "Dispute for child C-1001" (child reference), "Improvement plan:
 * Safeguarding plan" (title), "Team North Assessment" (name). Null when that event names nothing
 * (then the record is shown by its id, entityLabel). Only fields stored in the clear are used.
 */
export function entityName(streamId: string, first: unknown): string | null {
  if (typeof first !== 'object' || first === null) return null;
  const data = first as Record<string, unknown>;
  const kind = entityKind(streamId);
  const caseRef = text(data.caseRef);
  if (caseRef) return `${kind} of ${caseRef}`;
  const childRef = text(data.childRef);
  if (childRef) return `${kind} for child ${childRef}`;
  const title = text(data.title);
  if (title) return `${kind}: ${title}`;
  const name = text(data.name);
  if (name) return name.toLowerCase().startsWith(`${kind.toLowerCase()} `) ? name : `${kind} ${name}`;
  return null;
}
