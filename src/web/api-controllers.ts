import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AuditProgrammesController, AuditReportsController, AuditFrameworksController, AuditsController } from '../audits';
import { BankHolidaysController } from '../calendar';
import {
  DisputeProtocolsController,
  DisputesController,
  GoodPracticeAlertsController,
  TeamDisputesController,
} from '../disputes';
import { IndicatorsController } from '../indicators';
import { PlansController } from '../plans';
import { SelfAssessmentsController } from '../self-assessments';
import { TeamsController } from '../teams';
import { AccessLogController, StreamsController, TrailController } from '../trail';
import { UsersController } from '../users';

/**
 * The API's own controllers, called in-process by the pages: the same lookups, the same command
 * through the same decider, the same queries. No HTTP round trip and no second copy of any
 * rule. Access (roles, own teams, owner) is the policy's: each page route has the rule of the API
 * route it stands for (src/auth/policy.ts, PAGE_POLICY).
 */
@Injectable()
export class ApiControllers implements OnModuleInit {
  audits!: AuditsController;
  auditReports!: AuditReportsController;
  auditProgrammes!: AuditProgrammesController;
  auditFrameworks!: AuditFrameworksController;
  bankHolidays!: BankHolidaysController;
  disputes!: DisputesController;
  teamDisputes!: TeamDisputesController;
  disputeProtocols!: DisputeProtocolsController;
  goodPracticeAlerts!: GoodPracticeAlertsController;
  indicators!: IndicatorsController;
  plans!: PlansController;
  selfAssessments!: SelfAssessmentsController;
  teams!: TeamsController;
  trail!: TrailController;
  streams!: StreamsController;
  accessLog!: AccessLogController;
  users!: UsersController;

  constructor(private readonly modules: ModuleRef) {}

  onModuleInit(): void {
    const get = <T>(type: new (...args: never[]) => T): T => this.modules.get(type, { strict: false });
    this.audits = get(AuditsController);
    this.auditReports = get(AuditReportsController);
    this.auditProgrammes = get(AuditProgrammesController);
    this.auditFrameworks = get(AuditFrameworksController);
    this.bankHolidays = get(BankHolidaysController);
    this.disputes = get(DisputesController);
    this.teamDisputes = get(TeamDisputesController);
    this.disputeProtocols = get(DisputeProtocolsController);
    this.goodPracticeAlerts = get(GoodPracticeAlertsController);
    this.indicators = get(IndicatorsController);
    this.plans = get(PlansController);
    this.selfAssessments = get(SelfAssessmentsController);
    this.teams = get(TeamsController);
    this.trail = get(TrailController);
    this.streams = get(StreamsController);
    this.accessLog = get(AccessLogController);
    this.users = get(UsersController);
  }
}
