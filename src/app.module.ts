import { Module, type DynamicModule } from '@nestjs/common';
import { AccessRegistrationsModule, AuthModule } from './auth/auth.module';
import type { AppConfig } from './config/app-config';
import { AuditsModule } from './audits/audits.module';
import { CoreModule } from './core/core.module';
import { configureReferencePattern } from './core/dto';
import type { AppMode } from './core/tokens';
import { CalendarModule } from './calendar/calendar.module';
import { CONTEXTS, PLATFORM_OPTIONS } from './contexts';
import { DisputesModule } from './disputes/disputes.module';
import { PlansModule } from './plans/plans.module';
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
        CoreModule.forRoot(config, mode, PLATFORM_OPTIONS),
        TeamsModule,
        UsersModule,
        AuditsModule,
        CalendarModule,
        DisputesModule,
        PlansModule,
        TrailModule,
        ...(mode === 'server' ? [AccessRegistrationsModule.forRoot(CONTEXTS), AuthModule] : []),
        // Last: its page fallback answers any GET no other route took.
        ...(mode === 'server' ? [WebModule] : []),
      ],
    };
  }
}
