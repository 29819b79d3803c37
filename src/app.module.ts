import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth/auth.guard';
import type { AppConfig } from './config/app-config';
import { CoreModule } from './core/core.module';
import type { AppMode } from './core/tokens';
import { TeamsModule } from './teams/teams.module';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  /** `server` serves HTTP and runs projections; `cli` only sends commands and queries. */
  static forRoot(config: AppConfig, mode: AppMode): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(config, mode), TeamsModule, UsersModule],
      providers: mode === 'server' ? [{ provide: APP_GUARD, useClass: AuthGuard }] : [],
    };
  }
}
