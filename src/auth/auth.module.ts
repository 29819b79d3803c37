import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { OidcVerifier } from './oidc';
import { RecordAccess } from './record-access';
import { TeamResolver } from './team-resolver';
import { TokenCache } from './token-cache';
import { TokenUsage } from './token-usage';

/** Sign-in and the access policy, for the HTTP server: AuthGuard guards every route. */
@Module({
  providers: [TeamResolver, OidcVerifier, TokenUsage, TokenCache, RecordAccess, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [OidcVerifier, RecordAccess],
})
export class AuthModule {}
