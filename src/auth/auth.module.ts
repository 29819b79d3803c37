import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ACCESS_REGISTRATIONS, type AccessRegistration } from './access-registration';
import { AuthGuard } from './auth.guard';
import { OidcVerifier } from './oidc';
import { RecordAccess } from './record-access';
import { TeamResolver } from './team-resolver';
import { TokenCache } from './token-cache';
import { TokenUsage } from './token-usage';

/** Sign-in and the access policy, for the HTTP server: AuthGuard guards every route. */
@Module({
  providers: [TeamResolver, OidcVerifier, TokenUsage, TokenCache, RecordAccess, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [OidcVerifier, RecordAccess, TeamResolver],
})
export class AuthModule {}

/**
 * What the contexts tell the access policy about themselves (their record kinds, their teams'
 * services, personal access tokens), handed over by the composition root: auth imports no context.
 */
@Global()
@Module({})
export class AccessRegistrationsModule {
  static forRoot(registrations: readonly AccessRegistration[]): DynamicModule {
    return {
      module: AccessRegistrationsModule,
      providers: [{ provide: ACCESS_REGISTRATIONS, useValue: registrations }],
      exports: [ACCESS_REGISTRATIONS],
    };
  }
}
