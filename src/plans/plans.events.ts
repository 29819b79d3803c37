import type { Confidence, DomainEvent } from '@casetrail/kernel';

export const TRIGGER_KINDS = ['ofsted-inspection', 'monitoring-visit', 'peer-review', 'dfe-review', 'self-assessment'] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];
export const JUDGEMENTS = ['outstanding', 'good', 'requires-improvement', 'inadequate'] as const;
export type Judgement = (typeof JUDGEMENTS)[number];
export const TIMESCALES = ['immediately', 'within-3-months', 'within-6-months', 'date'] as const;
export type Timescale = (typeof TIMESCALES)[number];
/** A timescale in words, as the inspection report gives it. */
export const TIMESCALE_TEXT: Record<Timescale, string> = {
  immediately: 'immediately',
  'within-3-months': 'within 3 months',
  'within-6-months': 'within 6 months',
  date: 'by a date',
};

export interface PlanTrigger {
  kind: TriggerKind;
  /** Day of the inspection, visit or review (recommendation timescales count from it). */
  date: string;
  judgement?: Judgement;
}

/** Stream: plan-<planId>: the plan, its priorities and its recommendations. */
export type ImprovementPlanCreated = DomainEvent<
  'ImprovementPlanCreated',
  { planId: string; title: string; trigger: PlanTrigger; ownerId: string }
>;
export type PriorityAdded = DomainEvent<'PriorityAdded', { planId: string; priorityId: string; title: string }>;
export type RecommendationAdded = DomainEvent<
  'RecommendationAdded',
  { planId: string; recommendationId: string; text: string; timescale: Timescale; dueOn: string }
>;

export type PlanEvent = ImprovementPlanCreated | PriorityAdded | RecommendationAdded;

export const PLAN_EVENT_SCHEMA_VERSIONS: Record<PlanEvent['type'], number> = {
  ImprovementPlanCreated: 1,
  PriorityAdded: 1,
  RecommendationAdded: 1,
};

/** Stream: action-<actionId>: one improvement action, from being added to verified completion. */
export type ActionAdded = DomainEvent<
  'ActionAdded',
  {
    actionId: string;
    planId: string;
    priorityId: string;
    recommendationIds: string[];
    title: string;
    ownerId: string;
    teamIds: string[];
    startOn: string;
    dueOn: string;
    successMeasure: string;
    indicatorCode?: string;
    /**
     * Recommendations this action answers that are to be met before the action is due: a
     * warning the board accepted when adding it (absent when there was none, and on older events).
     */
    dueAfterRecommendations?: string[];
  }
>;
export type ActionProgressReported = DomainEvent<
  'ActionProgressReported',
  { actionId: string; reportedOn: string; note: string; confidence: Confidence; evidence?: string }
>;
export type ActionDueDateRevised = DomainEvent<
  'ActionDueDateRevised',
  { actionId: string; newDueOn: string; previousDueOn: string; reason: string; approvedBy: string; revisedOn: string }
>;
export type ActionCompleted = DomainEvent<
  'ActionCompleted',
  {
    actionId: string;
    completedOn: string;
    evidence: string;
    /** User who recorded the completion; absent on events recorded before it was kept. */
    completedBy?: string;
  }
>;
export type ActionCompletionVerified = DomainEvent<
  'ActionCompletionVerified',
  { actionId: string; verifiedBy: string; verifiedOn: string }
>;
export type ActionReopened = DomainEvent<'ActionReopened', { actionId: string; reason: string; reopenedOn: string }>;

export type ActionEvent =
  ActionAdded | ActionProgressReported | ActionDueDateRevised | ActionCompleted | ActionCompletionVerified | ActionReopened;

export const ACTION_EVENT_SCHEMA_VERSIONS: Record<ActionEvent['type'], number> = {
  ActionAdded: 1,
  ActionProgressReported: 1,
  ActionDueDateRevised: 1,
  ActionCompleted: 1,
  ActionCompletionVerified: 1,
  ActionReopened: 1,
};

export const planStreamId = (planId: string): string => `plan-${planId}`;
export const actionStreamId = (actionId: string): string => `action-${actionId}`;
