import { Module } from '@nestjs/common';
import { IndicatorsController } from './indicators.http';
import { INDICATOR_QUERY_HANDLERS } from './indicators.queries';
import { IndicatorUseCases } from './indicators.use-cases';

@Module({
  controllers: [IndicatorsController],
  providers: [IndicatorUseCases, ...INDICATOR_QUERY_HANDLERS],
  exports: [IndicatorUseCases],
})
export class IndicatorsModule {}
