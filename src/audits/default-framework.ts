import { startUpRecord } from '../core';
import { DEFAULT_FRAMEWORK_ID, FrameworkUnchanged } from './audit-framework.decider';
import type { FrameworkDomain } from './audits.events';
import { AuditFrameworkUseCases } from './audits.use-cases';

/**
 * The domains every council's case audits grade (DOMAIN.md), with guidance drawn from the
 * audit findings quoted in the seed service plans. Data, not code: admins publish new versions.
 */
export const DEFAULT_FRAMEWORK_DOMAINS: FrameworkDomain[] = [
  {
    key: 'voice-of-child',
    title: 'Voice of the child',
    guidance: "Are the child's views, wishes and lived experience clear in the file and in their reviews and assessments?",
  },
  {
    key: 'assessment',
    title: 'Assessment',
    guidance:
      'Is the assessment timely and analytical, considering relevant history and using the right tools (e.g. Graded Care Profile 2, the pre-birth handbook)?',
  },
  {
    key: 'planning',
    title: 'Planning',
    guidance: 'Is there a clear plan with actions, owners and timescales that progresses without drift, and is it reviewed?',
  },
  {
    key: 'visits',
    title: 'Visits',
    guidance: 'Is the child seen, and seen alone, as regularly as is needed and within timescales?',
  },
  {
    key: 'management-oversight',
    title: 'Management oversight',
    guidance: 'Is management oversight clear and recorded, with decisions signed off in time (e.g. within 24 hours)?',
  },
  {
    key: 'supervision',
    title: 'Supervision',
    guidance: 'Does case supervision discuss the progression of planning, review actions and set new ones?',
  },
  {
    key: 'multi-agency',
    title: 'Multi-agency working',
    guidance: 'Do partner agencies share information and take part in decisions, and are their concerns explored?',
  },
  {
    key: 'chronology',
    title: 'Chronology',
    guidance: 'Is there an up-to-date chronology that shows patterns, including previous referrals of the same nature?',
  },
  {
    key: 'risk-analysis',
    title: 'Risk analysis',
    guidance: 'Are risks (including exploitation and contextual safeguarding) analysed rather than described, and acted on?',
  },
  {
    key: 'impact',
    title: 'Outcomes and impact for the child',
    guidance: "What difference has the work made to the child's circumstances and outcomes?",
  },
];

/** Fixed, so every start and every instance sends the same command: the first one records it, the rest replay it. */
export const DEFAULT_FRAMEWORK_COMMAND_ID = 'casetrail:default-audit-framework:v1';

/** Publishes the default framework when a server starts, unless it was ever published (see recordAtStartUp). */
export const defaultFrameworkAtStartUp = startUpRecord('AuditFrameworks', AuditFrameworkUseCases, (frameworks) => ({
  commandId: DEFAULT_FRAMEWORK_COMMAND_ID,
  record: (context) => frameworks.publish({ frameworkId: DEFAULT_FRAMEWORK_ID, domains: DEFAULT_FRAMEWORK_DOMAINS }, context),
  // The current version already has exactly these domains, published under another command id.
  unchanged: FrameworkUnchanged,
  recorded: `Published the default audit framework (version 1, ${DEFAULT_FRAMEWORK_DOMAINS.length} domains)`,
}));
