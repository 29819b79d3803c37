import { Module } from '@nestjs/common';
import { SelfAssessmentsController } from './self-assessments.controller';
import { ListSelfAssessmentsHandler } from './self-assessments.queries';
import { SelfAssessmentUseCases } from './self-assessments.use-cases';

@Module({
  controllers: [SelfAssessmentsController],
  providers: [SelfAssessmentUseCases, ListSelfAssessmentsHandler],
  exports: [SelfAssessmentUseCases],
})
export class SelfAssessmentsModule {}
