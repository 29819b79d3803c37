import { Module } from '@nestjs/common';
import { IndicatorsModule } from '../indicators';
import { SelfAssessmentsModule } from '../self-assessments';
import { PlansController } from './plans.http';
import { PLAN_QUERY_HANDLERS } from './plans.queries';
import { PlanUseCases } from './plans.use-cases';

/** Improvement plans and actions, with the indicators and self-assessments that show their impact. */
@Module({
  imports: [IndicatorsModule, SelfAssessmentsModule],
  controllers: [PlansController],
  providers: [PlanUseCases, ...PLAN_QUERY_HANDLERS],
  exports: [PlanUseCases],
})
export class PlansModule {}
