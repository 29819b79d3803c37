import { Injectable } from '@nestjs/common';
import { AuditFrameworkUseCases, AuditProgrammeUseCases, AuditUseCases } from '../audits';
import { CalendarUseCases } from '../calendar';
import { DisputeProtocolUseCases, DisputeUseCases, GoodPracticeAlertUseCases } from '../disputes';
import { IndicatorUseCases, PlanUseCases, SelfAssessmentUseCases } from '../improvement';
import { SamplingService } from '../sampling';
import { TeamUseCases } from '../teams';
import { AccessLogService, TrailUseCases } from '../trail';
import { UserUseCases } from '../users';

/**
 * The use cases the pages call: the same ones the API's controllers, the CLI and the importers call
 * (src/<context>/<context>.use-cases.ts), so a page has no rule of its own and no second copy of one.
 * Access (roles, own teams, owner) is the policy's: each page route has the rule of the API route it
 * stands for (src/auth/policy.ts, PAGE_POLICY).
 */
@Injectable()
export class PageUseCases {
  constructor(
    readonly audits: AuditUseCases,
    readonly auditProgrammes: AuditProgrammeUseCases,
    readonly auditFrameworks: AuditFrameworkUseCases,
    readonly bankHolidays: CalendarUseCases,
    readonly disputes: DisputeUseCases,
    readonly disputeProtocols: DisputeProtocolUseCases,
    readonly goodPracticeAlerts: GoodPracticeAlertUseCases,
    readonly indicators: IndicatorUseCases,
    readonly plans: PlanUseCases,
    readonly selfAssessments: SelfAssessmentUseCases,
    readonly sampling: SamplingService,
    readonly teams: TeamUseCases,
    readonly trail: TrailUseCases,
    readonly accessLog: AccessLogService,
    readonly users: UserUseCases,
  ) {}
}
