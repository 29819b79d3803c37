import { Module } from '@nestjs/common';
import { SelfAssessmentsController } from './self-assessments.controller';
import { ListSelfAssessmentsHandler } from './self-assessments.queries';

@Module({
  controllers: [SelfAssessmentsController],
  providers: [ListSelfAssessmentsHandler],
})
export class SelfAssessmentsModule {}
