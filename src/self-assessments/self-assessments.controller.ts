import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ApiCommand, ApiSignedIn, Ctx, type CommandContext, DecideCommand, type DecideResult, DecideResultView } from '../core';
import { selfAssessmentDecider } from './self-assessment.decider';
import { selfAssessmentStreamId } from './self-assessments.events';
import { ListSelfAssessmentsParams, RecordSelfAssessmentDto } from './self-assessments.commands';
import { ListSelfAssessmentsQuery } from './self-assessments.queries';
import { SelfAssessmentRow } from './projections/self-assessment.projection';

@ApiTags('self-assessments')
@ApiSignedIn()
@Controller('api/v1/self-assessments')
export class SelfAssessmentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiConflictResponse({ description: 'This service has already assessed this quarter.' })
  @ApiUnprocessableEntityResponse({ description: 'Not a real quarter, or one that has not begun.' })
  record(@Body() body: RecordSelfAssessmentDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.commands.execute(
      new DecideCommand(
        selfAssessmentDecider,
        selfAssessmentStreamId(body.service, body.period),
        { type: 'RecordSelfAssessment', now: context.now, ...body },
        context,
      ),
    );
  }

  @Get()
  @ApiOkResponse({ type: [SelfAssessmentRow] })
  list(@Query() { service }: ListSelfAssessmentsParams): Promise<SelfAssessmentRow[]> {
    return this.queries.execute(new ListSelfAssessmentsQuery(service));
  }
}
