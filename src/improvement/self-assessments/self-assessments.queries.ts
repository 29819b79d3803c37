import { Query } from '@nestjs/cqrs';
import { listRowsHandler } from '../../core';
import { SelfAssessmentRow } from './projections/self-assessment.projection';

/** Self-assessments, oldest quarter first (one service, or all). */
export class ListSelfAssessmentsQuery extends Query<SelfAssessmentRow[]> {
  constructor(readonly service: string | undefined) {
    super();
  }
}

export class ListSelfAssessmentsHandler extends listRowsHandler(
  ListSelfAssessmentsQuery,
  SelfAssessmentRow,
  { periodFrom: 'ASC', service: 'ASC' },
  ({ service }) => (service ? { service } : {}),
) {}
