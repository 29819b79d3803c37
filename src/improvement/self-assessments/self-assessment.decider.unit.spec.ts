import { deciderSpec } from '@casetrail/testing';
import {
  SelfAssessmentAlreadyRecorded,
  SelfAssessmentBeforeQuarterStarts,
  selfAssessmentDecider,
  SelfAssessmentPeriodNotQuarter,
  SelfAssessmentScoreOffScale,
} from './self-assessment.decider';
import type { SelfAssessmentEvent, SelfAssessmentRecorded } from './self-assessments.events';

const now = '2020-07-20T10:00:00.000Z';
const data = {
  service: 'mash-assessment',
  period: '2020/21 Q1',
  score: 6,
  whatWeKnow: 'Contacts completed within 24 hours rose to 68.1% but remain below the 95% target.',
  howWeKnow: 'Monthly performance reports and the MASH audit in June.',
  whatNext: 'Early Help Hub alongside the MASH from 21 September 2020.',
};
const recorded: SelfAssessmentEvent = { type: 'SelfAssessmentRecorded', data };
const record = (changes: Partial<SelfAssessmentRecorded['data']> = {}) => ({
  type: 'RecordSelfAssessment' as const,
  now,
  ...data,
  ...changes,
});
const { given } = deciderSpec(selfAssessmentDecider);

describe('self-assessment decider', () => {
  it("a service records its quarter's self-assessment: the three questions and a score", () =>
    given([]).when(record()).then([recorded]));

  it('a service assesses a quarter once', () =>
    given([recorded])
      .when(record({ score: 7 }))
      .thenThrows(SelfAssessmentAlreadyRecorded));

  it('the period is a financial quarter', () =>
    given([])
      .when(record({ period: '2020-06' }))
      .thenThrows(SelfAssessmentPeriodNotQuarter));

  it('a quarter cannot be assessed before it begins', () =>
    given([])
      .when(record({ period: '2020/21 Q3' }))
      .thenThrows(SelfAssessmentBeforeQuarterStarts));

  it('a score may be a decimal, as services give it (6.5)', () =>
    given([])
      .when(record({ score: 6.5 }))
      .then([{ type: 'SelfAssessmentRecorded', data: { ...data, score: 6.5 } }]));

  it('a score may be left blank', () => {
    const { score: _score, ...unscored } = data;
    given([])
      .when({ type: 'RecordSelfAssessment', now, ...unscored })
      .then([{ type: 'SelfAssessmentRecorded', data: unscored }]);
  });

  it('a score is on the scale of 0 to 10, to one decimal place at most', () => {
    for (const score of [-1, 10.5, 6.25]) {
      given([])
        .when(record({ score }))
        .thenThrows(SelfAssessmentScoreOffScale, /scale of 0 to 10/);
    }
  });

  it('a drafted self-assessment keeps the sources its figures came from', () => {
    const sources = [
      { part: 'whatWeKnow' as const, label: 'Management oversight: 56.25% good (9 of 16)', href: '/api/v1/impact?actionId=a1' },
    ];
    return given([])
      .when(record({ sources }))
      .then([{ type: 'SelfAssessmentRecorded', data: { ...data, sources } }]);
  });
});
