import { Module, type DynamicModule } from '@nestjs/common';
import { AccessRegistrationsModule, AuthModule } from './auth';
import type { AppConfig } from './config';
import { AuditsModule } from './audits';
import { CoreModule, configureReferencePattern, type AppMode } from './core';
import { CalendarModule } from './calendar';
import { CONTEXTS, PLATFORM_OPTIONS } from './contexts';
import { DisputesModule } from './disputes';
import { PlansModule } from './improvement';
import { TeamsModule } from './teams';
import { TrailModule } from './trail';
import { UsersModule } from './users';
import { WebModule } from './web';
import { ImpactModule } from './impact';
import { ImportsModule } from './imports';
import { ReportsModule } from './reports';
import { SamplingModule } from './sampling';

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
        ImpactModule,
        TrailModule,
        ReportsModule,
        ImportsModule,
        SamplingModule,
        ...(mode === 'server' ? [AccessRegistrationsModule.forRoot(CONTEXTS), AuthModule] : []),
        // Last: its page fallback answers any GET no other route took.
        ...(mode === 'server' ? [WebModule] : []),
      ],
    };
  }
}
