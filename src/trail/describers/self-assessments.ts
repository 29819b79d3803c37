import { need, words, type EventDescriber } from './words';

/** Stream self-assessment-<service>-<period> (src/self-assessments/self-assessments.events.ts). */
export const SELF_ASSESSMENT_DESCRIBERS: Record<string, EventDescriber> = {
  SelfAssessmentRecorded: (d, c) => {
    // The score may be a decimal (6.5) or left out (a blank score, not zero).
    if (d.score !== undefined && d.score !== null && typeof d.score !== 'number') throw new TypeError('score not a number');
    const score = typeof d.score === 'number' ? `scoring itself ${d.score} out of 10` : 'giving no score';
    return `${c.entity}: ${words(d.service)} recorded its self-assessment for ${words(need(d.period))}, ${score}, by ${c.actor}`;
  },
};
