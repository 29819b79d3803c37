import type { DomainEvent } from '@casetrail/kernel';

/** Ofsted's four-point scale, plus not-applicable for a domain that does not apply to the case. */
export const GRADES = ['outstanding', 'good', 'requires-improvement', 'inadequate', 'not-applicable'] as const;
export type Grade = (typeof GRADES)[number];
/** The grades a whole audit can have: an audit is never "not applicable". */
export const OVERALL_GRADES = ['outstanding', 'good', 'requires-improvement', 'inadequate'] as const;
export type OverallGrade = (typeof OVERALL_GRADES)[number];

export const PROGRAMME_KINDS = ['monthly', 'thematic', 'deep-dive', 'multi-agency', 're-audit'] as const;
export type ProgrammeKind = (typeof PROGRAMME_KINDS)[number];

/** A GradeCorrected of the whole audit names this instead of a domain key (so no domain may use it). */
export const OVERALL = 'overall';

export interface FrameworkDomain {
  key: string;
  title: string;
  guidance: string;
  /** A limiting domain: graded inadequate, the case is inadequate overall unless a reason is recorded. Absent = not limiting. */
  limiting?: boolean;
}

// ---- Stream auditframework-<frameworkId> ----------------------------------------------------------
export type AuditFrameworkPublished = DomainEvent<
  'AuditFrameworkPublished',
  { frameworkId: string; version: number; domains: FrameworkDomain[] }
>;
export type AuditFrameworkEvent = AuditFrameworkPublished;
export const AUDIT_FRAMEWORK_EVENT_SCHEMA_VERSIONS: Record<AuditFrameworkEvent['type'], number> = {
  AuditFrameworkPublished: 1,
};
export const auditFrameworkStreamId = (frameworkId: string): string => `auditframework-${frameworkId}`;

// ---- Stream auditprogramme-<programmeId> ----------------------------------------------------------
export type AuditProgrammeCreated = DomainEvent<
  'AuditProgrammeCreated',
  {
    programmeId: string;
    title: string;
    kind: ProgrammeKind;
    theme?: string;
    from: string;
    to: string;
    teamIds: string[];
    reAuditOf?: string;
  }
>;
export type AuditProgrammeEvent = AuditProgrammeCreated;
export const AUDIT_PROGRAMME_EVENT_SCHEMA_VERSIONS: Record<AuditProgrammeEvent['type'], number> = {
  AuditProgrammeCreated: 1,
};
export const auditProgrammeStreamId = (programmeId: string): string => `auditprogramme-${programmeId}`;

// ---- Stream audit-<auditId>: the audit and its actions --------------------------------------------
export type CaseAuditStarted = DomainEvent<
  'CaseAuditStarted',
  {
    auditId: string;
    caseRef: string;
    teamId: string;
    auditorId: string;
    auditedOn: string;
    programmeId?: string;
    frameworkId: string;
    frameworkVersion: number;
    /** The domain keys of that framework version: what this audit is graded against, for ever. */
    domains: string[];
    /** Those of them that are limiting in that version (absent on older events and frameworks: none). */
    limitingDomains?: string[];
  }
>;
export type DomainGraded = DomainEvent<'DomainGraded', { auditId: string; domain: string; grade: Grade; evidence: string }>;
export type AuditSubmitted = DomainEvent<
  'AuditSubmitted',
  {
    auditId: string;
    submittedOn: string;
    overallGrade: OverallGrade;
    strengths: string[];
    areasForDevelopment: string[];
    childAndFamilyFeedback?: string;
    /** Why the overall grade is better than an inadequate limiting domain, or than the domains support. */
    overallGradeReason?: string;
  }
>;
export type GradeCorrected = DomainEvent<
  'GradeCorrected',
  { auditId: string; domain: string; from: Grade | null; to: Grade; reason: string }
>;
export type ModerationRequested = DomainEvent<'ModerationRequested', { auditId: string; moderatorId: string }>;
export type AuditModerated = DomainEvent<
  'AuditModerated',
  {
    auditId: string;
    moderatorId: string;
    overallGrade: OverallGrade;
    domainGrades?: Record<string, Grade>;
    agreed: boolean;
    rationale: string;
    /** The auditor's effective overall grade when the moderator recorded theirs (for agreement figures). */
    auditorOverallGrade: OverallGrade;
  }
>;
export type AuditActionRaised = DomainEvent<
  'AuditActionRaised',
  {
    auditId: string;
    actionId: string;
    description: string;
    ownerId: string;
    teamId: string;
    raisedOn: string;
    dueOn: string;
    /** Raised automatically because the audit's effective grade became inadequate (submission, moderation, correction or resolution). */
    immediateReview?: boolean;
  }
>;
export type AuditActionCompleted = DomainEvent<
  'AuditActionCompleted',
  {
    auditId: string;
    actionId: string;
    completedOn: string;
    evidence: string;
    /** An immediate review's answer: was immediate safeguarding action needed? (absent on ordinary actions and old events) */
    safeguardingActionNeeded?: boolean;
  }
>;
/** A third person's decision where the moderator's overall grade differs from the auditor's: it becomes the effective grade. */
export type ModerationDisagreementResolved = DomainEvent<
  'ModerationDisagreementResolved',
  {
    auditId: string;
    resolvedBy: string;
    overallGrade: OverallGrade;
    rationale: string;
    auditorOverallGrade: OverallGrade;
    moderatorOverallGrade: OverallGrade;
  }
>;
export type AuditActionCancelled = DomainEvent<
  'AuditActionCancelled',
  { auditId: string; actionId: string; cancelledOn: string; reason: string }
>;

export type AuditEvent =
  | CaseAuditStarted
  | DomainGraded
  | AuditSubmitted
  | GradeCorrected
  | ModerationRequested
  | AuditModerated
  | AuditActionRaised
  | AuditActionCompleted
  | AuditActionCancelled
  | ModerationDisagreementResolved;

export const AUDIT_EVENT_SCHEMA_VERSIONS: Record<AuditEvent['type'], number> = {
  CaseAuditStarted: 1,
  DomainGraded: 1,
  AuditSubmitted: 1,
  GradeCorrected: 1,
  ModerationRequested: 1,
  AuditModerated: 1,
  AuditActionRaised: 1,
  AuditActionCompleted: 1,
  AuditActionCancelled: 1,
  ModerationDisagreementResolved: 1,
};
export const auditStreamId = (auditId: string): string => `audit-${auditId}`;

/** The description of the action every inadequate audit raises. */
export const IMMEDIATE_REVIEW = 'Immediate review: is immediate safeguarding action needed?';
/** Working days: an ordinary audit action is due in 20, the immediate review in 1. */
export const ACTION_DUE_WORKING_DAYS = 20;
export const IMMEDIATE_REVIEW_DUE_WORKING_DAYS = 1;
