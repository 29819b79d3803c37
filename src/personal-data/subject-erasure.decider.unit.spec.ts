import { deciderSpec } from '@casetrail/testing';
import { SubjectAlreadyErased, subjectErasureDecider } from './subject-erasure.decider';

const now = '2026-03-02T10:00:00.000Z';
const erase = (subjectRef: string) =>
  ({ type: 'RecordSubjectErased', now, subjectRef, keyId: 'k-1', reason: 'retention period ended' }) as const;

describe('subject erasure decider', () => {
  it('records an erasure with the day it happened', () => {
    deciderSpec(subjectErasureDecider)
      .given([])
      .when(erase('CASE-1'))
      .then([
        {
          type: 'SubjectErased',
          data: { subjectRef: 'CASE-1', keyId: 'k-1', reason: 'retention period ended', erasedOn: '2026-03-02' },
        },
      ]);
  });

  it('a subject already erased cannot be erased again', () => {
    deciderSpec(subjectErasureDecider)
      .given([{ type: 'SubjectErased', data: { subjectRef: 'CASE-1', keyId: 'k-1', reason: 'r', erasedOn: '2026-01-01' } }])
      .when(erase('CASE-1'))
      .thenThrows(SubjectAlreadyErased);
  });

  it('erasing one subject leaves the others erasable', () => {
    deciderSpec(subjectErasureDecider)
      .given([{ type: 'SubjectErased', data: { subjectRef: 'CASE-1', keyId: 'k-1', reason: 'r', erasedOn: '2026-01-01' } }])
      .when(erase('CASE-2'))
      .then([
        {
          type: 'SubjectErased',
          data: { subjectRef: 'CASE-2', keyId: 'k-1', reason: 'retention period ended', erasedOn: '2026-03-02' },
        },
      ]);
  });
});
