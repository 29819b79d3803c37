import { Body, Query } from '@nestjs/common';
import { ApiController, Ctx, type CommandContext, type DecideResult, CommandRoute, QueryRoute } from '../../core';
import { ListSelfAssessmentsParams, RecordSelfAssessmentDto } from './self-assessments.dto';
import { SelfAssessmentRow } from './projections/self-assessment.projection';
import { SelfAssessmentUseCases } from './self-assessments.use-cases';

@ApiController('self-assessments', 'api/v1/self-assessments')
export class SelfAssessmentsController {
  constructor(private readonly selfAssessments: SelfAssessmentUseCases) {}

  @CommandRoute({
    conflict: 'This service has already assessed this quarter.',
    unprocessable: 'Not a real quarter, or one that has not begun.',
  })
  record(@Body() body: RecordSelfAssessmentDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.selfAssessments.record(body, context);
  }

  @QueryRoute({ type: [SelfAssessmentRow] })
  list(@Query() query: ListSelfAssessmentsParams): Promise<SelfAssessmentRow[]> {
    return this.selfAssessments.list(query);
  }
}
