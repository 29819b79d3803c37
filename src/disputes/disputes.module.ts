import { Module } from '@nestjs/common';
import {
  DisputeProtocolsController,
  DisputesController,
  GoodPracticeAlertsController,
  TeamDisputesController,
} from './disputes.controller';
import {
  DisputeStatsHandler,
  GetDisputeHandler,
  ListDisputeProtocolsHandler,
  ListDisputesHandler,
  ListGoodPracticeAlertsHandler,
} from './disputes.queries';
import { DisputesService } from './disputes.service';

@Module({
  controllers: [DisputesController, TeamDisputesController, DisputeProtocolsController, GoodPracticeAlertsController],
  providers: [
    DisputesService,
    GetDisputeHandler,
    ListDisputesHandler,
    DisputeStatsHandler,
    ListDisputeProtocolsHandler,
    ListGoodPracticeAlertsHandler,
  ],
})
export class DisputesModule {}
