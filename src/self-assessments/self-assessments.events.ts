import type { DomainEvent } from '@casetrail/kernel';

/**
 * Stream: self-assessment-<service>-<period as 2020-21-Q1>: a service's quarterly self-assessment,
 * Ofsted's three questions and the 0-10 scale ("where are you on a scale of 0 - 10?").
 */
export type SelfAssessmentRecorded = DomainEvent<
  'SelfAssessmentRecorded',
  {
    service: string;
    period: string;
    /** 0-10, to one decimal place (a service may say 6.5); absent when the service gave no score. */
    score?: number;
    whatWeKnow: string;
    howWeKnow: string;
    whatNext: string;
  }
>;

export type SelfAssessmentEvent = SelfAssessmentRecorded;

export const SELF_ASSESSMENT_EVENT_SCHEMA_VERSIONS: Record<SelfAssessmentEvent['type'], number> = {
  SelfAssessmentRecorded: 1,
};

export const selfAssessmentStreamId = (service: string, period: string): string =>
  `self-assessment-${service}-${period.replace('/', '-').replace(' ', '-')}`;
