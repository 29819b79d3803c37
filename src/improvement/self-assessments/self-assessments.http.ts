import { ApiController, commandRoute, queryRoute, forwardTo } from '../../core';
import { ListSelfAssessmentsParams, RecordSelfAssessmentDto } from './self-assessments.dto';
import { SelfAssessmentRow } from './projections/self-assessment.projection';
import { SelfAssessmentUseCases } from './self-assessments.use-cases';

@ApiController('self-assessments', 'api/v1/self-assessments')
export class SelfAssessmentsController extends forwardTo(SelfAssessmentUseCases, {
  record: commandRoute({
    body: RecordSelfAssessmentDto,
    conflict: 'This service has already assessed this quarter.',
    unprocessable: 'Not a real quarter, or one that has not begun.',
  }),
  list: queryRoute({ query: ListSelfAssessmentsParams, type: [SelfAssessmentRow] }),
}) {}
