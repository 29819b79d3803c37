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
    /**
     * Where the figures of a drafted assessment came from (POST /api/v1/self-assessments/draft): each
     * with the part it supports, the figure in words and a link to the record. Absent when typed
     * from nothing, and on older events (optional: the schema version stays 1, no upcaster needed).
     */
    sources?: SelfAssessmentSource[];
  }
>;

/** A figure a self-assessment rests on, and the link to the record it came from. */
export interface SelfAssessmentSource {
  part: 'whatWeKnow' | 'howWeKnow' | 'whatNext';
  /** The figure or record in words ("Management oversight: 56.25% good (9 of 16)"). */
  label: string;
  /** A link inside Casetrail (an API or page path), as at the draft's time. */
  href: string;
}

export type SelfAssessmentEvent = SelfAssessmentRecorded;

export const SELF_ASSESSMENT_EVENT_SCHEMA_VERSIONS: Record<SelfAssessmentEvent['type'], number> = {
  SelfAssessmentRecorded: 1,
};

export const selfAssessmentStreamId = (service: string, period: string): string =>
  `self-assessment-${service}-${period.replace('/', '-').replace(' ', '-')}`;
