import { Module } from '@nestjs/common';
import { ImpactController } from './impact.http';
import { IMPACT_QUERY_HANDLERS } from './impact.queries';

/** From finding to impact: read-only views across audits, plans, indicators, disputes and self-assessments. */
@Module({
  controllers: [ImpactController],
  providers: [...IMPACT_QUERY_HANDLERS],
})
export class ImpactModule {}
