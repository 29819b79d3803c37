import type { DisputeStage } from '../../disputes';
import { byWho, count, list, need, reason, words, type EventDescriber } from './words';

/** A protocol stage key in words: "stage-2" -> "stage 2". */
const stageKey = (key: unknown): string => {
  const text = String(need(key));
  return /^[a-z0-9]+(-[a-z0-9]+)+$/.test(text) ? text.replace(/-/g, ' ') : text;
};
/** "informal" -> "the informal stage"; "stage-2" -> "stage 2". */
const stage = (key: unknown): string => (key === 'informal' ? 'the informal stage' : stageKey(key));

/**
 * Streams dispute-<id>, dispute-protocol and good-practice-alert-<id> (src/disputes/disputes.events.ts).
 * Summaries, desired outcomes, responses and notes are personal text: only their being recorded
 * is said. Reasons are quoted short (see quoted()).
 */
export const DISPUTE_DESCRIBERS: Record<string, EventDescriber> = {
  DisputeProtocolPublished: (d, c) => {
    const stages = need(d.stages) as DisputeStage[];
    const steps = stages.map(
      (s) => `${words(s.title)} (${words(s.respondentRole)}, ${count(need(s.responseWorkingDays), 'working day')})`,
    );
    return (
      `${c.entity}: version ${words(d.version)} published by ${c.actor}: ${count(stages.length, 'stage')}, ${list(steps)}; ` +
      `the formal process within ${count(need(d.formalTargetWorkingDays) as number, 'working day')}`
    );
  },
  DisputeRaised: (d, c) =>
    `${c.entity}: raised at ${stage(d.stage)} about child ${words(d.childRef)} (team ${words(d.teamId)}), ` +
    `category ${words(d.category)}, by ${byWho(d.raisedBy, c)}`,
  DisputeEscalated: (d, c) => {
    const bypassed = Array.isArray(d.bypassed) && d.bypassed.length ? ` (${list(d.bypassed.map(stageKey))} bypassed)` : '';
    return `${c.entity}: escalated from ${stageKey(d.fromStage)} to ${stageKey(d.toStage)}${bypassed} by ${c.actor}${reason(d)}`;
  },
  DisputeResponseRecorded: (d, c) => {
    const from = typeof d.respondentName === 'string' && d.respondentName ? ` (from ${d.respondentName})` : '';
    const judged = d.satisfactory === undefined ? '' : `, judged ${d.satisfactory ? 'satisfactory' : 'unsatisfactory'}`;
    return `${c.entity}: a response at ${stage(d.stage)}${from} was recorded by ${c.actor}${judged}`;
  },
  DisputeResolved: (d, c) => `${c.entity}: closed as ${words(d.outcome)} by ${c.actor}`,
  DisputeReopened: (d, c) => `${c.entity}: reopened by ${c.actor}${reason(d)}`,
  DisputeReferredToCafcass: (d, c) =>
    `${c.entity}: referred to Cafcass${d.afterLocalProcess ? ' after the local process ended' : ''} by ${c.actor}${reason(d)}`,
  BankHolidayAdded: (d, c) =>
    `${c.entity}: ${words(d.date)} recorded as a bank holiday${d.replaces ? ` in place of ${words(d.replaces)}` : ''} by ${c.actor}${reason(d)}`,
  GoodPracticeAlertRaised: (d, c) =>
    `${c.entity}: raised about child ${words(d.childRef)} (team ${words(d.teamId)}) by ${byWho(d.raisedBy, c)}`,
};
