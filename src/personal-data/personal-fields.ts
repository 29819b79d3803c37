/**
 * Which fields of which events are personal free text about a child, and how the child is
 * found. The one list the encrypting store, erasure and retention use. A test
 * (personal-fields.spec.ts) reads every *.events.ts and fails when a text field of any
 * event is in neither list: a new field must be classified before it can be released.
 *
 * Field names are those of the stored schema version (version 1 of every type today): an
 * upcaster that renames a personal field must list both names here.
 */

/** Fields naming the subject (the child, by the case-management system's reference). */
export const SUBJECT_FIELDS = ['caseRef', 'childRef'] as const;

/** Event type -> personal free-text fields (string, or array of strings), encrypted per subject. */
export const PERSONAL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  // audit-<id>: the subject is CaseAuditStarted.caseRef.
  DomainGraded: ['evidence'],
  AuditSubmitted: ['strengths', 'areasForDevelopment', 'childAndFamilyFeedback', 'overallGradeReason'],
  GradeCorrected: ['reason'],
  AuditModerated: ['rationale'],
  AuditActionRaised: ['description'],
  AuditActionCompleted: ['evidence'],
  AuditActionCancelled: ['reason'],
  ModerationDisagreementResolved: ['rationale'],
  // dispute-<id>: the subject is DisputeRaised.childRef.
  DisputeRaised: ['summary', 'desiredOutcome'],
  DisputeEscalated: ['reason'],
  DisputeResponseRecorded: ['response'],
  DisputeResolved: ['note'],
  DisputeReopened: ['reason'],
  DisputeReferredToCafcass: ['reason'],
  // good-practice-alert-<id>: the subject is GoodPracticeAlertRaised.childRef.
  GoodPracticeAlertRaised: ['summary'],
};

/**
 * Text fields that are not personal data about a child, with the reason. Identifiers, dates
 * and closed enumerations are here too, so that the classification test is complete.
 */
export const NOT_PERSONAL: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  CaseAuditStarted: {
    auditId: 'id',
    caseRef: 'subject reference (a case-management id, not a name): needed in the clear to find the key',
    teamId: 'id',
    auditorId: 'id',
    auditedOn: 'date',
    programmeId: 'id',
    frameworkId: 'id',
    domains: 'framework domain keys',
    limitingDomains: 'framework domain keys',
  },
  DomainGraded: { auditId: 'id', domain: 'framework domain key', grade: 'enumeration' },
  AuditSubmitted: { auditId: 'id', submittedOn: 'date', overallGrade: 'enumeration' },
  GradeCorrected: { auditId: 'id', domain: 'framework domain key', from: 'enumeration', to: 'enumeration' },
  ModerationRequested: { auditId: 'id', moderatorId: 'id' },
  AuditModerated: {
    auditId: 'id',
    moderatorId: 'id',
    overallGrade: 'enumeration',
    domainGrades: 'enumerations by domain key',
    auditorOverallGrade: 'enumeration',
  },
  AuditActionRaised: { auditId: 'id', actionId: 'id', ownerId: 'id', teamId: 'id', raisedOn: 'date', dueOn: 'date' },
  AuditActionCompleted: { auditId: 'id', actionId: 'id', completedOn: 'date' },
  AuditActionCancelled: { auditId: 'id', actionId: 'id', cancelledOn: 'date' },
  ModerationDisagreementResolved: {
    auditId: 'id',
    resolvedBy: 'id',
    overallGrade: 'enumeration',
    auditorOverallGrade: 'enumeration',
    moderatorOverallGrade: 'enumeration',
  },
  AuditFrameworkPublished: { frameworkId: 'id', domains: 'framework wording, no case' },
  AuditProgrammeCreated: {
    programmeId: 'id',
    title: 'programme wording, no case',
    kind: 'enumeration',
    theme: 'programme wording, no case',
    from: 'date',
    to: 'date',
    teamIds: 'ids',
    reAuditOf: 'id',
  },
  DisputeProtocolPublished: { stages: 'protocol wording, no child' },
  BankHolidayAdded: { date: 'date', reason: 'calendar wording, no child', replaces: 'date' },
  DisputeRaised: {
    disputeId: 'id',
    childRef: 'subject reference (a case-management id, not a name): needed in the clear to find the key',
    teamId: 'id',
    raisedBy: 'id',
    raisedOn: 'date',
    category: 'enumeration',
    stage: 'protocol stage key',
    protocol: 'protocol wording, no child',
  },
  DisputeEscalated: {
    disputeId: 'id',
    fromStage: 'stage key',
    toStage: 'stage key',
    escalatedOn: 'date',
    bypassed: 'stage keys',
  },
  DisputeResponseRecorded: {
    disputeId: 'id',
    stage: 'stage key',
    respondentId: 'id',
    respondentName: "a member of staff's name and title, not the child's data",
    respondedOn: 'date',
  },
  DisputeResolved: { disputeId: 'id', resolvedOn: 'date', outcome: 'enumeration' },
  DisputeReopened: { disputeId: 'id', reopenedOn: 'date' },
  DisputeReferredToCafcass: { disputeId: 'id', referredOn: 'date' },
  GoodPracticeAlertRaised: {
    alertId: 'id',
    childRef: 'subject reference (a case-management id, not a name): needed in the clear to find the key',
    teamId: 'id',
    raisedBy: 'id',
    raisedOn: 'date',
  },
  // Plans, indicators, self-assessments, teams and users are service-level records with no
  // child: their streams have no subject, so there is no key to shred. Their wording must not
  // name children (see docs/data-protection.md).
  IndicatorDefined: {
    code: 'id',
    name: 'indicator wording',
    unit: 'enumeration',
    polarity: 'enumeration',
    frequency: 'enumeration',
    aggregation: 'enumeration',
  },
  IndicatorTargetChanged: { code: 'id', from: 'date' },
  IndicatorAggregationChanged: { code: 'id', aggregation: 'enumeration' },
  TeamTargetSet: { code: 'id', teamId: 'id', from: 'date' },
  ComparatorRecorded: { code: 'id', comparator: 'enumeration', year: 'period', source: 'name of a publication' },
  MeasurementRecorded: { code: 'id', teamId: 'id', period: 'period', note: 'service-level note, no subject' },
  QuarterClosed: { quarter: 'period', from: 'date', to: 'date', closedOn: 'date' },
  LateChangeRecorded: {
    quarter: 'period',
    businessDate: 'date',
    commandType: 'enumeration',
    streamId: 'id',
    reason: 'why a change to a closed period is late: service-level, the header asks for no case detail',
    changeCommandId: 'id',
  },
  BoardNotesRecorded: { quarter: 'period', teamId: 'id', notes: 'what the board is asked to note or decide: service-level' },
  MeasurementCorrected: { code: 'id', period: 'period', teamId: 'id', reason: 'service-level note, no subject' },
  ImprovementPlanCreated: {
    planId: 'id',
    title: 'plan wording',
    trigger: 'inspection kind, dates, judgements per area',
    ownerId: 'id',
  },
  PlanRagSettingsChanged: { planId: 'id', settings: 'numbers', changedOn: 'date', reason: 'service-level note, no subject' },
  ActionPlanSubmitted: { planId: 'id', submittedOn: 'date' },
  InspectionReportPublished: { planId: 'id', publishedOn: 'date' },
  PriorityAdded: { planId: 'id', priorityId: 'id', title: 'plan wording' },
  RecommendationAdded: {
    planId: 'id',
    recommendationId: 'id',
    text: 'inspection recommendation',
    timescale: 'enumeration',
    dueOn: 'date',
    ownerId: 'id',
    ownerAgency: 'name of a partner agency (an organisation, not a person)',
  },
  ActionAdded: {
    actionId: 'id',
    planId: 'id',
    priorityId: 'id',
    recommendationIds: 'ids',
    title: 'plan wording',
    ownerId: 'id',
    ownerAgency: 'name of a partner agency (an organisation, not a person)',
    teamIds: 'ids',
    startOn: 'date',
    dueOn: 'date',
    successMeasure: 'plan wording',
    indicatorCode: 'id',
    dueAfterRecommendations: 'ids',
    finding: 'an audit id and a framework domain key',
  },
  ActionProgressReported: {
    actionId: 'id',
    reportedOn: 'date',
    note: 'service-level note, no subject',
    confidence: 'enumeration',
    evidence: 'service-level note, no subject',
  },
  ActionDueDateRevised: {
    actionId: 'id',
    newDueOn: 'date',
    previousDueOn: 'date',
    reason: 'service-level note, no subject',
    approvedBy: 'id',
    revisedOn: 'date',
  },
  ActionCompleted: { actionId: 'id', completedOn: 'date', evidence: 'service-level note, no subject', completedBy: 'id' },
  ActionCompletionVerified: { actionId: 'id', verifiedBy: 'id', verifiedOn: 'date' },
  ActionReopened: { actionId: 'id', reason: 'service-level note, no subject', reopenedOn: 'date' },
  ActionLinkedToFinding: { actionId: 'id', planId: 'id', finding: 'an audit id and a framework domain key' },
  SelfAssessmentRecorded: {
    service: 'enumeration',
    period: 'period',
    whatWeKnow: 'service-level',
    howWeKnow: 'service-level',
    whatNext: 'service-level',
    sources: 'labels and links of service-level figures (no subject)',
  },
  TeamRegistered: { teamId: 'id', name: 'team name', service: 'enumeration' },
  TeamRenamed: { teamId: 'id', name: 'team name', previousName: 'team name' },
  TeamClosed: { teamId: 'id', closedOn: 'date', reason: 'team administration' },
  UserRegistered: { userId: 'id', name: "a member of staff's name (not a child's)", role: 'enumeration', teamIds: 'ids' },
  UserTeamsChanged: { userId: 'id', teamIds: 'ids', previousTeamIds: 'ids' },
  UserTokenIssued: { userId: 'id', tokenId: 'id', tokenHash: 'hash', label: 'token label', expiresAt: 'instant' },
  UserTokenRevoked: { userId: 'id', tokenId: 'id', reason: 'account administration' },
  UserDeactivated: { userId: 'id', reason: 'account administration' },
  UserPasswordSet: { userId: 'id', username: "a member of staff's sign-in name", passwordHash: 'hash' },
  UserSessionsEnded: { userId: 'id', reason: 'account administration' },
  OidcSessionEnded: { sessionId: 'id (a digest of a session nonce)', userId: 'id', reason: 'account administration' },
  PersonalAccessTokenUsed: { userId: 'id', tokenId: 'id', on: 'date' },
  SubjectErased: {
    subjectRef: 'the erased reference (a case-management id, not a name): the record that erasure happened',
    keyId: 'id',
    reason: 'the legal basis, in words; must not describe the child',
    erasedOn: 'date',
  },
  // caselist-<id> and sample-<programmeId> (src/sampling): case references with team, category, worker id
  // and dates only; the upload refuses columns that look like a child's name or date of birth.
  CaseListRecorded: {
    caseListId: 'id',
    fileSha256: 'hash',
    fileName: "the uploaded file's name, as the uploader's computer called it (a file, not a child)",
    casesSha256: 'hash',
    recordedOn: 'date',
    cases: 'case references (case-management ids, not names), team ids, category codes, worker ids, open-since dates',
  },
  CaseSampleDrawn: {
    programmeId: 'id',
    inputs: 'ids, hash, sizes, seed and the case references and days of recent audits',
    chosen: 'case references, team ids, category codes and generated reasons (no free text from people)',
    excluded: 'case references, team ids, category codes and generated reasons (no free text from people)',
  },
};

export const personalFieldsOf = (type: string): readonly string[] | undefined => PERSONAL_FIELDS[type];

/** The subject an event names itself (CaseAuditStarted, DisputeRaised, GoodPracticeAlertRaised). */
export function subjectNamedIn(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  for (const field of SUBJECT_FIELDS) {
    const value = (data as Record<string, unknown>)[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/**
 * The kind of record a stream holds, for retention rules: disputes and good-practice alerts
 * are raised by IROs, so they are about looked-after children; audits are about any case.
 */
export function recordKindOf(streamId: string): string {
  if (streamId.startsWith('dispute-') || streamId.startsWith('good-practice-alert-')) return 'looked-after-child';
  if (streamId.startsWith('audit-')) return 'case-audit';
  return 'other';
}
