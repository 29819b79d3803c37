import type { Confidence, DomainEvent, RagSettings } from '@casetrail/kernel';

export const TRIGGER_KINDS = [
  'ofsted-inspection',
  'focused-visit',
  'monitoring-visit',
  'improvement-notice',
  'peer-review',
  'dfe-review',
  'self-assessment',
] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];
/** What triggered a plan, in words. */
export const TRIGGER_TEXT: Record<TriggerKind, string> = {
  'ofsted-inspection': 'Ofsted inspection (ILACS)',
  'focused-visit': 'Ofsted focused visit',
  'monitoring-visit': 'Ofsted monitoring visit',
  'improvement-notice': 'DfE improvement notice',
  'peer-review': 'peer review',
  'dfe-review': 'DfE review',
  'self-assessment': 'self-assessment',
};
export const JUDGEMENTS = ['outstanding', 'good', 'requires-improvement', 'inadequate'] as const;
export type Judgement = (typeof JUDGEMENTS)[number];
/** Ofsted's ILACS judgement areas beside overall effectiveness (`judgement`). */
export const INSPECTION_AREAS = ['impactOfLeaders', 'helpAndProtection', 'childrenInCare', 'careLeavers'] as const;
export type InspectionArea = (typeof INSPECTION_AREAS)[number];
export const INSPECTION_AREA_TEXT: Record<InspectionArea, string> = {
  impactOfLeaders: 'the impact of leaders on social work practice with children and families',
  helpAndProtection: 'the experiences and progress of children who need help and protection',
  childrenInCare: 'the experiences and progress of children in care',
  careLeavers: 'the experiences and progress of care leavers',
};
/** Working days after the inspection report is published within which the action plan is due (ILACS). */
export const ACTION_PLAN_DUE_WORKING_DAYS = 70;

/** A named partner agency (not a Casetrail user) that owns a recommendation or an action. */
export const PARTNER_AGENCY_EXAMPLES = [
  'Health trust',
  'Police',
  'Safeguarding children partnership',
  'Clinical commissioning group',
  'Education',
  'Probation',
];
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
  /** Overall effectiveness (an Ofsted inspection only). */
  judgement?: Judgement;
  /** An inspection's first and last days on site, and the day its report was published. */
  startOn?: string;
  endOn?: string;
  publishedOn?: string;
  /** The judgement of each area an inspection judged (leadership, help and protection...). */
  areaJudgements?: Partial<Record<InspectionArea, Judgement>>;
}

/** Stream: plan-<planId>: the plan, its priorities and its recommendations. */
export type ImprovementPlanCreated = DomainEvent<
  'ImprovementPlanCreated',
  { planId: string; title: string; trigger: PlanTrigger; ownerId: string }
>;
export type PriorityAdded = DomainEvent<'PriorityAdded', { planId: string; priorityId: string; title: string }>;
export type RecommendationAdded = DomainEvent<
  'RecommendationAdded',
  {
    planId: string;
    recommendationId: string;
    text: string;
    timescale: Timescale;
    dueOn: string;
    /** Who leads on it: a user, or a named partner agency (absent when none was named, and on older events). */
    ownerId?: string;
    ownerAgency?: string;
  }
>;
/** The board changed the plan's RAG thresholds; they apply from `changedOn`. */
export type PlanRagSettingsChanged = DomainEvent<
  'PlanRagSettingsChanged',
  { planId: string; settings: RagSettings; changedOn: string; reason: string }
>;
/** The action plan answering an inspection was sent to Ofsted. */
export type ActionPlanSubmitted = DomainEvent<'ActionPlanSubmitted', { planId: string; submittedOn: string }>;
/** The report of the inspection the plan answers was published (when the plan was made before it). */
export type InspectionReportPublished = DomainEvent<'InspectionReportPublished', { planId: string; publishedOn: string }>;

export type PlanEvent =
  | ImprovementPlanCreated
  | PriorityAdded
  | RecommendationAdded
  | PlanRagSettingsChanged
  | ActionPlanSubmitted
  | InspectionReportPublished;

export const PLAN_EVENT_SCHEMA_VERSIONS: Record<PlanEvent['type'], number> = {
  ImprovementPlanCreated: 1,
  PriorityAdded: 1,
  RecommendationAdded: 1,
  PlanRagSettingsChanged: 1,
  ActionPlanSubmitted: 1,
  InspectionReportPublished: 1,
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
    /** The owner: a user (ownerId) or a named partner agency (ownerAgency), never both. */
    ownerId?: string;
    ownerAgency?: string;
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
    /**
     * The audit finding this action answers: a domain of an audit graded requires improvement or
     * inadequate, or an audit with areas for development (absent when raised from no finding, and on
     * older events: an optional field, so the schema version stays 1 and no upcaster is needed).
     */
    finding?: AuditFinding;
  }
>;
/** An audit and one domain of its framework: the finding an improvement action answers. */
export interface AuditFinding {
  auditId: string;
  domain: string;
}
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
/**
 * An existing action was linked to one more audit finding it answers (an action may answer several
 * findings: the one it was raised from, if any, and those linked to it later).
 */
export type ActionLinkedToFinding = DomainEvent<
  'ActionLinkedToFinding',
  { actionId: string; planId: string; finding: AuditFinding }
>;

export type ActionEvent =
  | ActionAdded
  | ActionProgressReported
  | ActionDueDateRevised
  | ActionCompleted
  | ActionCompletionVerified
  | ActionReopened
  | ActionLinkedToFinding;

export const ACTION_EVENT_SCHEMA_VERSIONS: Record<ActionEvent['type'], number> = {
  ActionAdded: 1,
  ActionProgressReported: 1,
  ActionDueDateRevised: 1,
  ActionCompleted: 1,
  ActionCompletionVerified: 1,
  ActionReopened: 1,
  ActionLinkedToFinding: 1,
};

export const planStreamId = (planId: string): string => `plan-${planId}`;
export const actionStreamId = (actionId: string): string => `action-${actionId}`;
