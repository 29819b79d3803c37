import { need, words, type EventDescriber } from './words';

/** Stream self-assessment-<service>-<period> (src/self-assessments/self-assessments.events.ts). */
export const SELF_ASSESSMENT_DESCRIBERS: Record<string, EventDescriber> = {
  SelfAssessmentRecorded: (d, c) => {
    if (typeof d.score !== 'number') throw new TypeError('no score');
    return (
      `${c.entity}: ${words(d.service)} recorded its self-assessment for ${words(need(d.period))}, ` +
      `scoring itself ${d.score} out of 10, by ${c.actor}`
    );
  },
};
