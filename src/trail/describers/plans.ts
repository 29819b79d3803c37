import { besidesActor, byWho, day, list, need, person, quoted, reason, recorded, words, type EventDescriber } from './words';

const TRIGGERS: Record<string, string> = {
  'ofsted-inspection': 'the Ofsted inspection',
  'focused-visit': 'the Ofsted focused visit',
  'monitoring-visit': 'the monitoring visit',
  'improvement-notice': 'the DfE improvement notice',
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
    const published = trigger.publishedOn ? `, report published ${day(trigger.publishedOn)}` : '';
    return (
      `${c.entity}: improvement plan "${words(d.title)}" created by ${c.actor}, owned by ${person(d.ownerId, c)}, ` +
      `after ${TRIGGERS[String(trigger.kind)] ?? words(trigger.kind)} of ${day(trigger.date)}${judged}${published}`
    );
  },
  PlanRagSettingsChanged: (d, c) => {
    const settings = need(d.settings) as {
      redFromWorkingDaysOverdue: number;
      noUpdateFor: { count: number; unit: string };
      escalateAmberAfterDays: number;
    };
    return (
      `${c.entity}: RAG settings changed by ${c.actor}: red from ${settings.redFromWorkingDaysOverdue} working days overdue, ` +
      `amber after ${settings.noUpdateFor.count} ${settings.noUpdateFor.unit === 'months' ? 'calendar months' : 'days'} without an update, ` +
      `escalation after ${settings.escalateAmberAfterDays} days of amber${reason(d)}`
    );
  },
  InspectionReportPublished: (d, c) =>
    `${c.entity}: inspection report recorded as published on ${day(d.publishedOn)} by ${c.actor}`,
  ActionPlanSubmitted: (d, c) => `${c.entity}: action plan recorded as sent to Ofsted on ${day(d.submittedOn)} by ${c.actor}`,
  PriorityAdded: (d, c) => `${c.entity}: priority "${words(d.title)}" added by ${c.actor}`,
  RecommendationAdded: (d, c) =>
    `${c.entity}: recommendation ${quoted(d.text)} added by ${c.actor}, ` +
    `to be met ${TIMESCALES[String(d.timescale)] ?? words(d.timescale)} (due ${day(d.dueOn)})` +
    (d.ownerAgency ? `, led by the partner agency ${words(d.ownerAgency)}` : d.ownerId ? `, led by ${person(d.ownerId, c)}` : ''),
  ActionAdded: (d, c) =>
    `${c.entity}: "${words(d.title)}" added to plan ${words(d.planId)} by ${c.actor}, owned by ${d.ownerAgency ? `the partner agency ${words(d.ownerAgency)}` : person(d.ownerId, c)}` +
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
  ActionLinkedToFinding: (d, c) => {
    const finding = need(d.finding) as { auditId: string; domain: string };
    return `${c.entity}: linked by ${c.actor} to the finding on ${words(finding.domain)} in audit ${words(finding.auditId)}, which it now answers too`;
  },
};
