import { besidesActor, byWho, day, list, need, person, quoted, reason, recorded, words, type EventDescriber } from './words';

const TRIGGERS: Record<string, string> = {
  'ofsted-inspection': 'the Ofsted inspection',
  'monitoring-visit': 'the monitoring visit',
  'peer-review': 'the peer review',
  'dfe-review': 'the DfE review',
  'self-assessment': 'the self-assessment',
};
const TIMESCALES: Record<string, string> = {
  immediately: 'immediately',
  'within-3-months': 'within three months',
  'within-6-months': 'within six months',
  date: 'by a set date',
};

/** Streams plan-<id> and action-<id> (src/plans/plans.events.ts): service-level, no child. */
export const PLAN_DESCRIBERS: Record<string, EventDescriber> = {
  ImprovementPlanCreated: (d, c) => {
    const trigger = need(d.trigger) as Record<string, unknown>;
    const judged = trigger.judgement ? ` (judged ${words(trigger.judgement)})` : '';
    return (
      `${c.entity}: improvement plan "${words(d.title)}" created by ${c.actor}, owned by ${person(d.ownerId, c)}, ` +
      `after ${TRIGGERS[String(trigger.kind)] ?? words(trigger.kind)} of ${day(trigger.date)}${judged}`
    );
  },
  PriorityAdded: (d, c) => `${c.entity}: priority "${words(d.title)}" added by ${c.actor}`,
  RecommendationAdded: (d, c) =>
    `${c.entity}: recommendation ${quoted(d.text)} added by ${c.actor}, ` +
    `to be met ${TIMESCALES[String(d.timescale)] ?? words(d.timescale)} (due ${day(d.dueOn)})`,
  ActionAdded: (d, c) =>
    `${c.entity}: "${words(d.title)}" added to plan ${words(d.planId)} by ${c.actor}, owned by ${person(d.ownerId, c)}` +
    ` for ${Array.isArray(d.teamIds) && d.teamIds.length === 1 ? 'team' : 'teams'} ${list(d.teamIds)}, ` +
    `${day(d.startOn)} to ${day(d.dueOn)}${d.indicatorCode ? `, measured by indicator ${words(d.indicatorCode)}` : ''}` +
    (Array.isArray(d.dueAfterRecommendations) && d.dueAfterRecommendations.length
      ? `; warning: due after recommendation ${list(d.dueAfterRecommendations)} is to be met`
      : ''),
  ActionProgressReported: (d, c) =>
    `${c.entity}: progress reported by ${c.actor}, confidence ${words(need(d.confidence))}${recorded(d.evidence) ? ', with evidence' : ''}`,
  ActionDueDateRevised: (d, c) =>
    `${c.entity}: due date moved from ${day(d.previousDueOn)} to ${day(d.newDueOn)} by ${c.actor}` +
    `${besidesActor('approved by', d.approvedBy, c)}${reason(d)}`,
  ActionCompleted: (d, c) =>
    `${c.entity}: completed by ${c.actor}${recorded(d.evidence) ? ', with evidence recorded' : ''}, awaiting verification`,
  ActionCompletionVerified: (d, c) => `${c.entity}: completion verified by ${byWho(d.verifiedBy, c)}`,
  ActionReopened: (d, c) => `${c.entity}: reopened by ${c.actor}${reason(d)}`,
};
