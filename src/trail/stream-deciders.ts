import type { Decider, DomainEvent } from '@casetrail/kernel';
import { auditFrameworkDecider, auditProgrammeDecider, auditDecider } from '../audits';
import { calendarDecider } from '../calendar';
import { disputeProtocolDecider, disputeDecider, goodPracticeAlertDecider } from '../disputes';
import { indicatorDecider } from '../indicators';
import { actionDecider, planDecider } from '../plans';
import { selfAssessmentDecider } from '../self-assessments';
import { teamDecider } from '../teams';
import { oidcSessionDecider, userDecider } from '../users';

/** What GET /api/v1/streams/:streamId needs of a decider to show the state after each event. */
export type StateFolder = Pick<Decider<never, DomainEvent, unknown>, 'name' | 'initialState' | 'evolve'>;

const folder = (decider: unknown): StateFolder => decider as StateFolder;

/**
 * Stream id prefix -> the decider that owns those streams. Every context adds its decider here
 * when it adds a kind of stream. Prefixes, not categories: `dispute-protocol` and
 * `dispute-<id>` share the category "dispute" but not the decider; the longest prefix wins.
 */
export const STREAM_DECIDERS: Record<string, StateFolder> = {
  'calendar-': folder(calendarDecider),
  'team-': folder(teamDecider),
  'user-': folder(userDecider),
  'oidc-session-': folder(oidcSessionDecider),
  'audit-': folder(auditDecider),
  'auditframework-': folder(auditFrameworkDecider),
  'auditprogramme-': folder(auditProgrammeDecider),
  'dispute-': folder(disputeDecider),
  'dispute-protocol': folder(disputeProtocolDecider),
  'good-practice-alert-': folder(goodPracticeAlertDecider),
  'plan-': folder(planDecider),
  'action-': folder(actionDecider),
  'indicator-': folder(indicatorDecider),
  'self-assessment-': folder(selfAssessmentDecider),
};

/** The decider owning a stream (longest matching prefix), if any. */
export function deciderForStream(streamId: string): StateFolder | undefined {
  const prefix = Object.keys(STREAM_DECIDERS)
    .filter((p) => streamId.startsWith(p))
    .sort((a, b) => b.length - a.length)[0];
  return prefix === undefined ? undefined : STREAM_DECIDERS[prefix];
}

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
