import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { QueryBus } from '@nestjs/cqrs';
import type { Request } from 'express';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import type { ProjectionRunner } from '@casetrail/projections';
import { PROJECTION_RUNNER } from '../core/tokens';
import { FindPrincipalByTokenQuery } from '../users/users.queries';
import { ALLOWED_ROLES, IS_PUBLIC } from './auth.decorators';
import { hashToken } from './personal-access-token';
import type { Principal, Role } from './principal';

const BEARER = /^Bearer ([A-Za-z0-9_-]{10,200})$/;

/**
 * Global guard: 401 without a valid, unexpired, unrevoked token of an active user;
 * 403 when the route's roles do not include the caller's.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly queries: QueryBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly projections: ProjectionRunner,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const match = BEARER.exec(request.header('authorization') ?? '');
    if (!match) throw new UnauthorizedException('Sign in first: send "Authorization: Bearer <your personal access token>".');
    const principal = await this.findPrincipal(hashToken(match[1]));
    if (!principal) throw new UnauthorizedException('This token is not valid: it is unknown, expired or revoked.');
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new ForbiddenException(`Your role (${principal.role}) may not do this. It needs: ${roles.join(', ')}.`);
    }
    request.principal = principal;
    return true;
  }

  private async findPrincipal(tokenHash: string): Promise<Principal | null> {
    // Tokens issued or revoked by another process (the CLI) count from the moment they are
    // recorded: read the users projection up to the head of the log first. When it is already
    // there, as nearly always, this costs one cheap query.
    await this.projections.waitFor(await this.store.headPosition(), 2000);
    return this.queries.execute<FindPrincipalByTokenQuery, Principal | null>(
      new FindPrincipalByTokenQuery(tokenHash, new Date().toISOString()),
    );
  }
}
