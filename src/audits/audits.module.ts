import { Module } from '@nestjs/common';
import { AuditFrameworksController } from './audit-frameworks.http';
import { AuditProgrammesController } from './audit-programmes.http';
import { AuditReportsController } from './audit-reports.http';
import { AuditsController } from './audits.http';
import {
  AllRatingsHandler,
  FindProgrammeHandler,
  AuditTeamHandler,
  GetAuditHandler,
  GetCurrentFrameworkHandler,
  ListAuditsHandler,
  ListFrameworksHandler,
  ListProgrammesHandler,
  ListTeamAuditActionsHandler,
  AwaitingModerationHandler,
  ModerationAgreementHandler,
  ProgrammeSummaryHandler,
  TeamRatingsHandler,
} from './audits.queries';
import { defaultFrameworkAtStartUp } from './default-framework';
import { AuditFrameworkUseCases, AuditProgrammeUseCases, AuditUseCases } from './audits.use-cases';

@Module({
  controllers: [AuditsController, AuditProgrammesController, AuditFrameworksController, AuditReportsController],
  providers: [
    AuditUseCases,
    AuditProgrammeUseCases,
    AuditFrameworkUseCases,
    defaultFrameworkAtStartUp,
    GetCurrentFrameworkHandler,
    ListFrameworksHandler,
    FindProgrammeHandler,
    ListProgrammesHandler,
    ProgrammeSummaryHandler,
    AuditTeamHandler,
    GetAuditHandler,
    ListAuditsHandler,
    TeamRatingsHandler,
    AllRatingsHandler,
    ModerationAgreementHandler,
    ListTeamAuditActionsHandler,
    AwaitingModerationHandler,
  ],
  exports: [AuditUseCases, AuditProgrammeUseCases, AuditFrameworkUseCases],
})
export class AuditsModule {}
