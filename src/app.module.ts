import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import type { AppConfig } from './config/app-config';
import { AuditsModule } from './audits/audits.module';
import { CoreModule } from './core/core.module';
import { configureReferencePattern } from './core/dto';
import type { AppMode } from './core/tokens';
import { CalendarModule } from './calendar/calendar.module';
import { DisputesModule } from './disputes/disputes.module';
import { ImpactModule } from './impact/impact.module';
import { PlansModule } from './plans/plans.module';
import { ReportsModule } from './reports/reports.module';
import { ImportsModule } from './imports/imports.module';
import { SamplingModule } from './sampling/sampling.module';
import { TeamsModule } from './teams/teams.module';
import { TrailModule } from './trail/trail.module';
import { UsersModule } from './users/users.module';
import { WebModule } from './web/web.module';

@Module({})
export class AppModule {
  /** `server` serves HTTP and runs projections; `cli` only sends commands and queries. */
  static forRoot(config: AppConfig, mode: AppMode): DynamicModule {
    configureReferencePattern(config.REFERENCE_PATTERN);
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, mode),
        TeamsModule,
        UsersModule,
        AuditsModule,
        CalendarModule,
        DisputesModule,
        PlansModule,
        ImpactModule,
        TrailModule,
        ReportsModule,
        ImportsModule,
        SamplingModule,
        ...(mode === 'server' ? [AuthModule] : []),
        // Last: its page fallback answers any GET no other route took.
        ...(mode === 'server' ? [WebModule] : []),
      ],
    };
  }
}
