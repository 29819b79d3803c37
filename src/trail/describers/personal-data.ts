import { reason, words, type EventDescriber } from './words';

/** Stream subject-erasures (src/personal-data/subject-erasure.decider.ts). The key id is not shown. */
export const PERSONAL_DATA_DESCRIBERS: Record<string, EventDescriber> = {
  SubjectErased: (d, c) =>
    `${c.entity}: the records about ${words(d.subjectRef)} were erased (their key destroyed) by ${c.actor}${reason(d)}`,
};
