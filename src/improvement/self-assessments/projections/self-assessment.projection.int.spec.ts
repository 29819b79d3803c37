import { ProjectionHarness } from '@casetrail/testing';
import type { SelfAssessmentEvent } from '../self-assessments.events';
import { SelfAssessmentRow, selfAssessmentsProjection } from './self-assessment.projection';

describe('self-assessments projection', () => {
  const h = ProjectionHarness.perTest(selfAssessmentsProjection);

  const answers = { whatWeKnow: 'Know', howWeKnow: 'Audits', whatNext: 'Next' };

  it('keeps a decimal score (6.5) as given, and a blank score as blank (null), not 0', async () => {
    const decimal: SelfAssessmentEvent = {
      type: 'SelfAssessmentRecorded',
      data: { service: 'cwd', period: '2020/21 Q1', score: 6.5, ...answers },
    };
    const blank: SelfAssessmentEvent = {
      type: 'SelfAssessmentRecorded',
      data: { service: 'cwd', period: '2020/21 Q2', ...answers },
    };
    await h.record('self-assessment-cwd-2020-21-Q1', [decimal]);
    await h.record('self-assessment-cwd-2020-21-Q2', [blank]);
    await h.project();
    const rows = await h.rows(SelfAssessmentRow, 'period');
    expect(rows.map((r) => [r.period, r.score])).toEqual([
      ['2020/21 Q1', 6.5],
      ['2020/21 Q2', null],
    ]);
  });
});
