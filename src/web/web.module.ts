import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { AuthModule } from '../auth';
import { AppConfig } from '../config';
import { UsersModule } from '../users';
import { ApiControllers } from './api-controllers';
import { AccountPagesController } from './pages/account.controller';
import { AdminPagesController } from './pages/admin.controller';
import { CalendarPagesController } from './pages/calendar.controller';
import { AssetsController } from './pages/assets.controller';
import { AuditPagesController, AuditReportPagesController, AuditsCsvController } from './pages/audits.controller';
import { DashboardController } from './pages/dashboard.controller';
import { DisputePagesController, DisputesCsvController } from './pages/disputes.controller';
import { FallbackController } from './pages/fallback.controller';
import { OutstandingActionsPagesController, PlanPagesController, SelfAssessmentPagesController } from './pages/plans.controller';
import { ScorecardPagesController } from './pages/scorecard.controller';
import { SignInController } from './pages/sign-in.controller';
import { TrailPagesController } from './pages/trail.controller';
import { SessionCodec, loadSessionSecret } from './session';
import { UserSessions } from './user-sessions';
import { WebErrorFilter } from './web-errors.filter';
import { WebSessionMiddleware } from './web-session.middleware';
import { WebViews } from './web-views';

const PAGES = [
  SignInController,
  DashboardController,
  // Before AuditPagesController: its /audits/:id would otherwise take /audits/programmes.
  AuditReportPagesController,
  AuditPagesController,
  AuditsCsvController,
  DisputePagesController,
  DisputesCsvController,
  PlanPagesController,
  OutstandingActionsPagesController,
  SelfAssessmentPagesController,
  ScorecardPagesController,
  AdminPagesController,
  CalendarPagesController,
  AccountPagesController,
  TrailPagesController,
];

/**
 * Server-rendered pages (GOV.UK Frontend components, Nunjucks) over the same controllers,
 * commands and queries as the API. Import it last: its fallback answers every other GET.
 */
@Module({
  imports: [UsersModule, AuthModule],
  controllers: [AssetsController, ...PAGES, FallbackController],
  providers: [
    WebViews,
    WebErrorFilter,
    UserSessions,
    ApiControllers,
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
    consumer.apply(WebSessionMiddleware).forRoutes(...PAGES);
  }
}
