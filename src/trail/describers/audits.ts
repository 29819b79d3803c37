import type { FrameworkDomain } from '../../audits';
import { byWho, count, day, list, need, person, reason, recorded, words, type EventDescriber } from './words';

const PROGRAMME_KINDS: Record<string, string> = {
  monthly: 'monthly audit',
  thematic: 'thematic audit',
  'deep-dive': 'deep dive',
  'multi-agency': 'multi-agency audit',
  're-audit': 're-audit',
};

/** "domain "voice of child"", or "overall" for the whole audit. */
const domain = (key: unknown): string => (key === 'overall' ? 'overall grade' : `domain "${words(key)}"`);
const grade = (value: unknown): string => (value === null ? 'ungraded' : words(value));

/**
 * Streams auditframework-<id>, auditprogramme-<id> and audit-<id> (src/audits/audits.events.ts).
 * Evidence, findings, rationale and action descriptions are personal text: only their being
 * recorded is said. Reasons are quoted short (see quoted()).
 */
export const AUDIT_DESCRIBERS: Record<string, EventDescriber> = {
  AuditFrameworkPublished: (d, c) => {
    const domains = need(d.domains) as FrameworkDomain[];
    return `${c.entity}: version ${words(d.version)} published with ${count(domains.length, 'domain')} (${list(domains.map((x) => need(x.title)))}) by ${c.actor}`;
  },
  AuditProgrammeCreated: (d, c) => {
    const details = [
      PROGRAMME_KINDS[String(d.kind)] ?? words(d.kind),
      d.theme ? `theme "${words(d.theme)}"` : '',
      d.reAuditOf ? `re-auditing programme ${words(d.reAuditOf)}` : '',
    ].filter(Boolean);
    return `${c.entity}: "${words(d.title)}" (${details.join(', ')}) created for teams ${list(d.teamIds)}, ${day(d.from)} to ${day(d.to)}, by ${c.actor}`;
  },
  CaseAuditStarted: (d, c) => {
    const domains = need(d.domains) as unknown[];
    return (
      `${c.entity}: started on case ${words(d.caseRef)} (team ${words(d.teamId)}) by ${byWho(d.auditorId, c)}` +
      `, audited on ${day(d.auditedOn)}` +
      `${d.programmeId ? ` in programme ${words(d.programmeId)}` : ''}` +
      `, against framework ${words(d.frameworkId)} version ${words(d.frameworkVersion)} (${count(domains.length, 'domain')})`
    );
  },
  DomainGraded: (d, c) => `${c.entity}: ${domain(d.domain)} graded ${grade(need(d.grade))} by ${c.actor}`,
  AuditSubmitted: (d, c) => {
    const recordedParts = [
      count((need(d.strengths) as unknown[]).length, 'strength'),
      count((need(d.areasForDevelopment) as unknown[]).length, 'area for development', 'areas for development'),
      ...(recorded(d.childAndFamilyFeedback) ? ['child and family feedback'] : []),
    ];
    return `${c.entity}: submitted with overall grade ${words(d.overallGrade)} by ${c.actor} (${list(recordedParts)} recorded)`;
  },
  GradeCorrected: (d, c) =>
    `${c.entity}: ${domain(d.domain)} corrected from ${grade(d.from)} to ${grade(need(d.to))} by ${c.actor}${reason(d)}`,
  ModerationRequested: (d, c) => `${c.entity}: moderation by ${person(d.moderatorId, c)} requested by ${c.actor}`,
  AuditModerated: (d, c) => {
    const overall = words(d.overallGrade);
    const auditor = words(d.auditorOverallGrade);
    const domainGrades = d.domainGrades ? Object.keys(d.domainGrades).length : 0;
    return (
      `${c.entity}: moderated by ${byWho(d.moderatorId, c)}, who ${need(d.agreed) ? 'agreed' : 'disagreed'}: overall grade ${overall}` +
      `${overall === auditor ? ', as the auditor graded it' : ` where the auditor graded it ${auditor}`}` +
      `${domainGrades ? `, with ${count(domainGrades, 'domain grade')}` : ''}`
    );
  },
  AuditActionRaised: (d, c) =>
    `${c.entity}: ${d.immediateReview ? 'immediate review' : 'action'} ${words(d.actionId)} for ${person(d.ownerId, c)}` +
    ` (team ${words(d.teamId)}), due ${day(d.dueOn)}, raised by ${c.actor}`,
  AuditActionCompleted: (d, c) =>
    `${c.entity}: ${d.safeguardingActionNeeded === undefined ? 'action' : 'immediate review'} ${words(d.actionId)} completed by ${c.actor}` +
    `${d.safeguardingActionNeeded === true ? ': immediate safeguarding action was needed' : ''}` +
    `${d.safeguardingActionNeeded === false ? ': no immediate safeguarding action was needed' : ''}` +
    `${recorded(d.evidence) ? ', with evidence recorded' : ''}`,
  ModerationDisagreementResolved: (d, c) =>
    `${c.entity}: disagreement between auditor (${words(d.auditorOverallGrade)}) and moderator (${words(d.moderatorOverallGrade)})` +
    ` resolved by ${byWho(d.resolvedBy, c)}: overall grade ${words(d.overallGrade)}, with a rationale recorded`,
  AuditActionCancelled: (d, c) => `${c.entity}: action ${words(d.actionId)} cancelled by ${c.actor}${reason(d)}`,
};
