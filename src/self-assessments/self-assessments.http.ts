import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ApiCommand, ApiSignedIn, Ctx, type CommandContext, type DecideResult, DecideResultView } from '../core';
import { ListSelfAssessmentsParams, RecordSelfAssessmentDto } from './self-assessments.dto';
import { SelfAssessmentRow } from './projections/self-assessment.projection';
import { SelfAssessmentUseCases } from './self-assessments.use-cases';

@ApiTags('self-assessments')
@ApiSignedIn()
@Controller('api/v1/self-assessments')
export class SelfAssessmentsController {
  constructor(private readonly selfAssessments: SelfAssessmentUseCases) {}

  @Post()
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiConflictResponse({ description: 'This service has already assessed this quarter.' })
  @ApiUnprocessableEntityResponse({ description: 'Not a real quarter, or one that has not begun.' })
  record(@Body() body: RecordSelfAssessmentDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.selfAssessments.record(body, context);
  }

  @Get()
  @ApiOkResponse({ type: [SelfAssessmentRow] })
  list(@Query() query: ListSelfAssessmentsParams): Promise<SelfAssessmentRow[]> {
    return this.selfAssessments.list(query);
  }
}
