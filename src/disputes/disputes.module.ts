import { Module } from '@nestjs/common';
import {
  DisputeProtocolsController,
  DisputesController,
  GoodPracticeAlertsController,
  TeamDisputesController,
} from './disputes.http';
import {
  DisputeStatsHandler,
  GetDisputeHandler,
  ListDisputeProtocolsHandler,
  ListDisputesHandler,
  ListGoodPracticeAlertsHandler,
} from './disputes.queries';
import { defaultProtocolAtStartUp } from './default-protocol';
import { DisputeProtocolUseCases, DisputeUseCases, GoodPracticeAlertUseCases } from './disputes.use-cases';

@Module({
  controllers: [DisputesController, TeamDisputesController, DisputeProtocolsController, GoodPracticeAlertsController],
  providers: [
    DisputeUseCases,
    DisputeProtocolUseCases,
    GoodPracticeAlertUseCases,
    defaultProtocolAtStartUp,
    GetDisputeHandler,
    ListDisputesHandler,
    DisputeStatsHandler,
    ListDisputeProtocolsHandler,
    ListGoodPracticeAlertsHandler,
  ],
  exports: [DisputeUseCases, DisputeProtocolUseCases, GoodPracticeAlertUseCases],
})
export class DisputesModule {}
