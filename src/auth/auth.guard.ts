import {
  ForbiddenException,
  Inject,
  Injectable,
  InternalServerErrorException,
  Logger,
  NotFoundException,
  Optional,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { Request, Response } from 'express';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import type { ProjectionRunner } from '@casetrail/projections';
import { RateLimiter, TooManyRequests, PROJECTION_RUNNER } from '../core';
import { OidcVerifier } from './oidc';
import { hashToken } from './personal-access-token';
import {
  isPublic,
  POLICY,
  recordIsTheirs,
  routeKey,
  routesWithoutRule,
  type Limit,
  type RouteRule,
  type TeamSource,
} from './policy';
import type { Principal } from '../shared';
import { registeredRoutes } from './registered-routes';
import { TeamResolver } from './team-resolver';
import { ACCESS_REGISTRATIONS, type AccessRegistration, type TokenHolder } from './access-registration';
import { TokenCache, tokenHoldersOf } from './token-cache';
import { TokenUsage } from './token-usage';

const notYours = (principal: Principal): string =>
  `You may do this for your own teams only (${principal.teamIds.join(', ') || 'none'}), and this is not one of them.`;

/** The answer when a route or filter names a team that is not the caller's (a missing team gets the same). */
export const NOT_AMONG_YOUR_TEAMS = 'Not found: there is no such record among your teams.';

const BEARER = /^Bearer (\S{10,4096})$/;
const PERSONAL_ACCESS_TOKEN = /^ct_[A-Za-z0-9_-]{10,200}$/;
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

type GuardedRequest = Request & { principal?: Principal; teamScope?: string[] | null; ownerScope?: string };

/**
 * Global guard enforcing the access policy (policy.ts) on every route:
 * 401 without a valid principal (a live personal access token, an OIDC token, or a principal an
 * earlier middleware placed on request.principal); 403 when the caller's role is not in the rule;
 * the rule's limit (own teams, owner, self) answered with 404 or 403 as the rule says.
 */
@Injectable()
export class AuthGuard implements CanActivate, OnApplicationBootstrap {
  private readonly logger = new Logger('Access');
  /** What sign-in waits for: the users projection alone (worked out on first use, not on every request). */
  private usersProjectionOnly?: { only: readonly string[] };

  constructor(
    private readonly modules: ModulesContainer,
    private readonly teams: TeamResolver,
    private readonly oidc: OidcVerifier,
    private readonly usage: TokenUsage,
    private readonly tokens: TokenCache,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly projections: ProjectionRunner,
    @Inject(ACCESS_REGISTRATIONS) private readonly registrations: readonly AccessRegistration[],
    // Always there in the application (CoreModule); optional for unit tests of route discovery.
    @Optional() private readonly limiter?: RateLimiter,
  ) {}

  /** A route without a rule must not exist: the API refuses to start and lists them. */
  onApplicationBootstrap(): void {
    const missing = routesWithoutRule(registeredRoutes(this.modules));
    const api = missing.filter((key) => key.split(' ')[1].startsWith('/api/'));
    if (api.length) {
      throw new Error(`These routes have no entry in the access policy (src/auth/policy.ts):\n- ${api.join('\n- ')}`);
    }
    // Page routes are being added by another part of the app: refused (500) until they have a rule.
    if (missing.length) this.logger.error(`Routes without an access rule (refused until added): ${missing.join(', ')}`);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    // HEAD is answered by the GET route (Express sends its headers without the body): the GET rule applies.
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const key = routeKey(method, (request.route as { path?: string } | undefined)?.path ?? '');
    const rule: RouteRule | undefined = POLICY[key];
    if (!rule) throw new InternalServerErrorException(`No access rule for ${key}.`);
    const response = context.switchToHttp().getResponse<Response>();
    // Every request counts against who made it: the verified principal, else the client address.
    if (isPublic(rule)) {
      this.count(response, request.principal ? `user:${request.principal.userId}` : `ip:${request.ip ?? 'unknown'}`);
      return true;
    }

    let principal = request.principal;
    if (!principal) {
      try {
        principal = await this.authenticate(request);
      } catch (problem) {
        // A missing, unknown or made-up token counts against the address it came from.
        this.count(response, `ip:${request.ip ?? 'unknown'}`);
        throw problem;
      }
    }
    this.count(response, `user:${principal.userId}`);
    request.principal = principal;
    if (!rule.roles.includes(principal.role)) {
      throw new ForbiddenException(`Your role (${principal.role}) may not do this. It needs: ${rule.roles.join(', ')}.`);
    }
    request.teamScope = null;
    if (rule.limit && rule.limit.for.includes(principal.role)) await this.enforce(rule.limit, principal, request);
    return true;
  }

  private count(response: Response, key: string): void {
    const wait = this.limiter?.hit(key) ?? 0;
    if (wait > 0) throw TooManyRequests.on(response, wait);
  }

  private async authenticate(request: GuardedRequest): Promise<Principal> {
    const match = BEARER.exec(request.header('authorization') ?? '');
    if (!match) throw new UnauthorizedException('Sign in first: send "Authorization: Bearer <your token>".');
    const token = match[1];
    if (PERSONAL_ACCESS_TOKEN.test(token)) {
      const now = new Date().toISOString();
      const holder = await this.findHolder(hashToken(token), now);
      if (!holder) throw new UnauthorizedException('This token is not valid: it is unknown, expired or revoked.');
      await this.usage.noteUse(holder.principal, now, holder.lastUsedOn);
      return holder.principal;
    }
    if (JWT.test(token) && this.oidc.enabled) return this.oidc.verify(token);
    throw new UnauthorizedException('This token is not valid: it is unknown, expired or revoked.');
  }

  private async findHolder(tokenHash: string, now: string): Promise<TokenHolder | null> {
    // Tokens issued or revoked by another process (the CLI) count from the moment they are
    // recorded: the users projection reads the log up to its head first. When it is there
    // already, as nearly always, that costs one look-up of the head, and the token comes from
    // memory (TokenCache, kept current by the users projection), not from the read database.
    // Only the users projection answers this: another projection's trouble must not hold up sign-in.
    this.usersProjectionOnly ??= { only: [tokenHoldersOf(this.registrations).projection] };
    const current = await this.projections.waitFor(await this.store.headPosition(), 2000, this.usersProjectionOnly);
    return this.tokens.find(tokenHash, now, current);
  }

  private async enforce(limit: Limit, principal: Principal, request: GuardedRequest): Promise<void> {
    const refuse = (status: 403 | 404, why: string): never => {
      throw status === 404 ? new NotFoundException(NOT_AMONG_YOUR_TEAMS) : new ForbiddenException(why);
    };
    switch (limit.to) {
      case 'self':
        if (request.params[limit.param] !== principal.userId) refuse(403, 'You may do this for yourself only.');
        return;
      case 'owner': {
        const facts = await this.teams.facts(limit.record.resource, String(request.params[limit.record.param]));
        if (facts && !facts.ownerIds.includes(principal.userId)) {
          refuse(limit.otherwise, `Only its owner may do this (your role, ${principal.role}, does not allow it otherwise).`);
        }
        return;
      }
      case 'own-teams': {
        request.teamScope = principal.teamIds;
        if (limit.orOwn) request.ownerScope = principal.userId;
        const source = limit.team;
        if ('resource' in source) {
          const facts = await this.teams.facts(source.resource, String(request.params[source.param]));
          const mine = facts !== null && recordIsTheirs(limit, principal, facts);
          // A missing record is the handler's to answer (400 for a malformed id, else its 404). Another
          // team's record gets that same 404, so the answer never tells whether it exists elsewhere.
          if (facts !== null && !mine) {
            if (limit.otherwise === 404) throw this.teams.notFound(source.resource, String(request.params[source.param]));
            refuse(403, notYours(principal));
          }
          return;
        }
        if ('service' in source) {
          // A service is managed by the managers of its teams; a missing or unknown service by none.
          const value = (request.body as Record<string, unknown> | undefined)?.[source.service];
          const teams = typeof value === 'string' ? await this.teams.teamsOfService(value) : [];
          if (!teams.some((team) => principal.teamIds.includes(team))) {
            refuse(
              403,
              `You may do this only for the services your teams belong to, and ${typeof value === 'string' ? `"${value}"` : 'this'} is not one of them.`,
            );
          }
          return;
        }
        const team = this.teamNamed(source, request);
        // A list of another team holds nothing of theirs, except (orOwn) records they own: narrowed, not refused.
        if (team !== undefined && !principal.teamIds.includes(team) && !limit.orOwn) {
          refuse(limit.otherwise, notYours(principal));
        }
        return;
      }
    }
  }

  /** The team a parameter, query or body names; undefined for an unfiltered list (no ?teamId). */
  private teamNamed(
    source: Exclude<TeamSource, { resource: unknown } | { service: unknown }>,
    request: GuardedRequest,
  ): string | undefined {
    if ('param' in source) return String(request.params[source.param]);
    if ('query' in source) {
      const value = (request.query as Record<string, unknown>)[source.query];
      return typeof value === 'string' && value !== '' ? value : undefined;
    }
    // A missing or malformed team field counts as "not one of yours".
    const value = (request.body as Record<string, unknown> | undefined)?.[source.body];
    return typeof value === 'string' ? value : '';
  }
}
