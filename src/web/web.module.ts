import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { AuthModule } from '../auth';
import { AppConfig } from '../config';
import { UsersModule } from '../users';
import { TeamsModule } from '../teams';
import { AuditsModule } from '../audits';
import { DisputesModule } from '../disputes';
import { PlansModule, IndicatorsModule, SelfAssessmentsModule } from '../improvement';
import { SamplingModule } from '../sampling';
import { PageUseCases } from './use-cases';
import { Names } from './kit';
import { AccountPagesController } from './pages/account.page';
import { AdminFrameworksPage } from './pages/admin/frameworks.page';
import { AdminTeamsPage } from './pages/admin/teams.page';
import { AdminUsersPage } from './pages/admin/users.page';
import { BankHolidaysPage } from './pages/calendar/bank-holidays.page';
import { AssetsController } from './pages/assets.page';
import { AuditListPage } from './pages/audits/audit-list.page';
import { AuditPage } from './pages/audits/audit.page';
import { AuditReportsPage } from './pages/audits/audit-reports.page';
import { ProgrammesPage } from './pages/audits/programmes.page';
import { SamplePage } from './pages/audits/sample.page';
import { CaseListsPage } from './pages/case-lists.page';
import { DashboardController } from './pages/dashboard.page';
import { AlertsPage } from './pages/disputes/alerts.page';
import { DisputeListPage } from './pages/disputes/dispute-list.page';
import { DisputeStatsPage } from './pages/disputes/dispute-stats.page';
import { DisputePage } from './pages/disputes/dispute.page';
import { FallbackController } from './pages/fallback.page';
import { ImpactPagesController } from './pages/impact.page';
import { ReportPagesController } from './pages/reports.page';
import { ActionPage } from './pages/plans/action.page';
import { OutstandingActionsPage } from './pages/plans/outstanding.page';
import { PlanListPage } from './pages/plans/plan-list.page';
import { PlanPage } from './pages/plans/plan.page';
import { SelfAssessmentDraftPage } from './pages/plans/self-assessment-draft.page';
import { SelfAssessmentsPage } from './pages/plans/self-assessments.page';
import { IndicatorPage } from './pages/scorecard/indicator.page';
import { ScorecardPage } from './pages/scorecard/scorecard.page';
import { ImportPagesController } from './pages/imports.page';
import { SignInController } from './pages/sign-in.page';
import { TrailInspectionPage } from './pages/trail/inspection.page';
import { TrailPage } from './pages/trail/trail.page';
import { SessionCodec, loadSessionSecret } from './session';
import { UserSessions } from './user-sessions';
import { WebErrorFilter } from './web-errors.filter';
import { WebSessionMiddleware } from './web-session.middleware';
import { PrintFooterMiddleware } from './print-footer.middleware';
import { WebViews } from './web-views';

const PAGES = [
  SignInController,
  DashboardController,
  // Its /audits/programmes/:id/comparison sits beside the programme pages.
  ImpactPagesController,
  // Before AuditPage: its /audits/:id would otherwise take /audits/programmes, /audits/start and the rest.
  AuditListPage,
  ProgrammesPage,
  SamplePage,
  AuditReportsPage,
  AuditPage,
  // Before DisputePage: its /disputes/:id would otherwise take /disputes/stats and the rest.
  DisputeListPage,
  DisputeStatsPage,
  AlertsPage,
  DisputePage,
  PlanListPage,
  PlanPage,
  ActionPage,
  OutstandingActionsPage,
  SelfAssessmentsPage,
  SelfAssessmentDraftPage,
  ScorecardPage,
  ReportPagesController,
  IndicatorPage,
  AdminTeamsPage,
  AdminUsersPage,
  AdminFrameworksPage,
  BankHolidaysPage,
  AccountPagesController,
  TrailPage,
  TrailInspectionPage,
  ImportPagesController,
  CaseListsPage,
];

/**
 * Server-rendered pages (GOV.UK Frontend components, Nunjucks) over the same controllers,
 * commands and queries as the API. Import it last: its fallback answers every other GET.
 */
@Module({
  // The contexts whose use cases the pages call (src/web/use-cases.ts); calendar and trail are global.
  imports: [
    UsersModule,
    AuthModule,
    TeamsModule,
    AuditsModule,
    DisputesModule,
    PlansModule,
    IndicatorsModule,
    SelfAssessmentsModule,
    SamplingModule,
  ],
  controllers: [AssetsController, ...PAGES, FallbackController],
  providers: [
    WebViews,
    WebErrorFilter,
    UserSessions,
    PageUseCases,
    Names,
    {
      provide: SessionCodec,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new SessionCodec(loadSessionSecret(config.dataDir)),
    },
  ],
})
export class WebModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Page routes only: the fallback's GET /*path would match every API route too.
    // The print footer's facts after the session (it needs the principal and the as-at position).
    consumer.apply(WebSessionMiddleware, PrintFooterMiddleware).forRoutes(...PAGES);
  }
}
