import { Module } from '@nestjs/common';
import { IndicatorsController } from './indicators.controller';
import { INDICATOR_QUERY_HANDLERS } from './indicators.queries';

@Module({
  controllers: [IndicatorsController],
  providers: [...INDICATOR_QUERY_HANDLERS],
})
export class IndicatorsModule {}
