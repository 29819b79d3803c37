import type { DomainEvent, LocalDate } from '@casetrail/kernel';

/** One step of a dispute-resolution protocol, e.g. stage-1: team manager, 5 working days. */
export interface DisputeStage {
  key: string;
  title: string;
  /** Who answers at this stage, in the council's words ("head of service"). */
  respondentRole: string;
  responseWorkingDays: number;
}

/** A published protocol. stages[0] is always the informal stage; the rest are formal. */
export interface DisputeProtocol {
  version: number;
  stages: DisputeStage[];
  formalTargetWorkingDays: number;
}

export const DISPUTE_CATEGORIES = [
  'care-plan',
  'pathway-plan',
  'delegated-authority',
  'matching',
  'placement',
  'health-assessment',
  'education',
  'permanence',
  'cp-plan',
  'other',
] as const;
export type DisputeCategory = (typeof DISPUTE_CATEGORIES)[number];

/**
 * How the local process ended. `unresolved`: it ended without agreement; `referred-to-cafcass`:
 * it ended with the IRO referring the child's case to Cafcass (recorded as a referral too).
 */
export const DISPUTE_OUTCOMES = ['resolved', 'partly-resolved', 'withdrawn', 'unresolved', 'referred-to-cafcass'] as const;
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number];

/** Stream: dispute-protocol (one stream, one event per version). */
export type DisputeProtocolPublished = DomainEvent<'DisputeProtocolPublished', DisputeProtocol>;

/** Stream: dispute-<disputeId>. Event type names are stable: never rename one. */
export type DisputeRaised = DomainEvent<
  'DisputeRaised',
  {
    disputeId: string;
    childRef: string;
    teamId: string;
    raisedBy: string;
    raisedOn: LocalDate;
    category: DisputeCategory;
    summary: string;
    desiredOutcome: string;
    /** The stage it starts at: the informal stage, or directly a formal one. */
    stage: string;
    /** The protocol it started under: it keeps it, whatever is published later. */
    protocol: DisputeProtocol;
  }
>;
export type DisputeEscalated = DomainEvent<
  'DisputeEscalated',
  { disputeId: string; fromStage: string; toStage: string; escalatedOn: LocalDate; reason: string; bypassed: string[] }
>;
export type DisputeResponseRecorded = DomainEvent<
  'DisputeResponseRecorded',
  {
    disputeId: string;
    stage: string;
    /** The user who recorded it (from the token). */
    respondentId: string;
    /** Who answered, in words ("J. Patel, Head of Service"), when not the recorder. */
    respondentName?: string;
    respondedOn: LocalDate;
    response: string;
    satisfactory?: boolean;
  }
>;
export type DisputeResolved = DomainEvent<
  'DisputeResolved',
  { disputeId: string; resolvedOn: LocalDate; outcome: DisputeOutcome; note: string }
>;
export type DisputeReopened = DomainEvent<'DisputeReopened', { disputeId: string; reopenedOn: LocalDate; reason: string }>;
export type DisputeReferredToCafcass = DomainEvent<
  'DisputeReferredToCafcass',
  {
    disputeId: string;
    referredOn: LocalDate;
    reason: string;
    /** Referred on or after the DR was resolved: the referral ends the local process. Absent (false) in older events. */
    afterLocalProcess?: boolean;
  }
>;

export type DisputeEvent =
  DisputeRaised | DisputeEscalated | DisputeResponseRecorded | DisputeResolved | DisputeReopened | DisputeReferredToCafcass;

/** Stream: good-practice-alert-<alertId>. A positive alert: counted in the statistics too. */
export type GoodPracticeAlertRaised = DomainEvent<
  'GoodPracticeAlertRaised',
  { alertId: string; childRef: string; teamId: string; raisedBy: string; raisedOn: LocalDate; summary: string }
>;

export const DISPUTE_EVENT_SCHEMA_VERSIONS: Record<DisputeEvent['type'], number> = {
  DisputeRaised: 1,
  DisputeEscalated: 1,
  DisputeResponseRecorded: 1,
  DisputeResolved: 1,
  DisputeReopened: 1,
  DisputeReferredToCafcass: 1,
};
export const DISPUTE_PROTOCOL_EVENT_SCHEMA_VERSIONS: Record<DisputeProtocolPublished['type'], number> = {
  DisputeProtocolPublished: 1,
};
export const GOOD_PRACTICE_ALERT_EVENT_SCHEMA_VERSIONS: Record<GoodPracticeAlertRaised['type'], number> = {
  GoodPracticeAlertRaised: 1,
};

export const DISPUTE_PROTOCOL_STREAM = 'dispute-protocol';
export const disputeStreamId = (disputeId: string): string => `dispute-${disputeId}`;
export const goodPracticeAlertStreamId = (alertId: string): string => `good-practice-alert-${alertId}`;
/** Dispute streams are dispute-<uuid>; the protocol stream shares the prefix, so filter on event types. */
export const DISPUTE_EVENT_TYPES = Object.keys(DISPUTE_EVENT_SCHEMA_VERSIONS);
