import { Module } from '@nestjs/common';
import { SelfAssessmentsController } from './self-assessments.http';
import { ListSelfAssessmentsHandler } from './self-assessments.queries';
import { SelfAssessmentUseCases } from './self-assessments.use-cases';

@Module({
  controllers: [SelfAssessmentsController],
  providers: [SelfAssessmentUseCases, ListSelfAssessmentsHandler],
  exports: [SelfAssessmentUseCases],
})
export class SelfAssessmentsModule {}
