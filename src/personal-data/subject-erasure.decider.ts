import { dayOf, deciderOf, type DomainEvent, conflict } from '@casetrail/kernel';

/** Stream: subject-erasures: one event per subject whose key was destroyed. */
export const SUBJECT_ERASURES_STREAM = 'subject-erasures';

/**
 * The case-management reference is recorded in the clear: it is an id, not a name, it is
 * already in the clear in the erased subject's own events (it is how their key is found),
 * and an accountable record of what was erased, when and why is the point of this event.
 */
export type SubjectErased = DomainEvent<'SubjectErased', { subjectRef: string; keyId: string; reason: string; erasedOn: string }>;
export type SubjectErasureEvent = SubjectErased;

export type SubjectErasureCommand = {
  type: 'RecordSubjectErased';
  now: string;
  subjectRef: string;
  keyId: string;
  reason: string;
};
export type SubjectErasureState = { erased: ReadonlySet<string> };

export class SubjectAlreadyErased extends conflict(
  'SUBJECT_ALREADY_ERASED',
  (subjectRef: string) => `The records about "${subjectRef}" have already been erased.`,
) {}

export const subjectErasureDecider = deciderOf<SubjectErasureCommand, SubjectErasureEvent, SubjectErasureState>({
  name: 'subject erasure',
  initialState: { erased: new Set() },
  schemaVersions: { SubjectErased: 1 },

  decide: {
    RecordSubjectErased(command, state) {
      if (state.erased.has(command.subjectRef)) throw new SubjectAlreadyErased(command.subjectRef);
      const { subjectRef, keyId, reason } = command;
      return [{ type: 'SubjectErased', data: { subjectRef, keyId, reason, erasedOn: dayOf(command.now) } }];
    },
  },

  evolve: {
    SubjectErased: (state, event) => ({ erased: new Set([...state.erased, event.data.subjectRef]) }),
  },
});
