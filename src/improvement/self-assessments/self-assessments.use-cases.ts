import { Injectable } from '@nestjs/common';
import { ContextUseCases, type CommandContext, commandHandlerFor, type DecideResult } from '../../core';
import { selfAssessmentDecider } from './self-assessment.decider';
import { selfAssessmentStreamId } from './self-assessments.events';
import { ListSelfAssessmentsParams, RecordSelfAssessmentDto } from './self-assessments.dto';
import { ListSelfAssessmentsQuery } from './self-assessments.queries';
import { SelfAssessmentRow } from './projections/self-assessment.projection';

const selfAssessments = commandHandlerFor(selfAssessmentDecider, (c) => selfAssessmentStreamId(c.service, c.period));

/** Quarterly self-assessments, one per service and quarter. */
@Injectable()
export class SelfAssessmentUseCases extends ContextUseCases {
  record(body: RecordSelfAssessmentDto, context: CommandContext): Promise<DecideResult> {
    return this.send(selfAssessments, { type: 'RecordSelfAssessment', ...body }, context);
  }

  list({ service }: ListSelfAssessmentsParams): Promise<SelfAssessmentRow[]> {
    return this.queries.execute(new ListSelfAssessmentsQuery(service));
  }
}
