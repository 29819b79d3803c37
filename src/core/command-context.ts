import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import canonicalize from 'canonicalize';
import { createHash, randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { Principal } from '../shared';
import { LATE_CHANGE_REASON_HEADER } from './late-change-check';

/** Who is acting, and which request this is: becomes every event's metadata. */
export interface CommandContext {
  actorId: string;
  actorRole: string;
  /** Idempotency key: a retried command with the same id appends nothing new. */
  commandId: string;
  correlationId: string;
  causationId: string;
  /** The instant the command was issued: the decider's `now` and the events' occurredAt. */
  now: string;
  /**
   * Fingerprint of the HTTP request behind an Idempotency-Key (method, path, canonical JSON
   * body): a retry must match it, a different request under the same key is refused.
   */
  requestHash?: string;
  /** Why a change into a closed quarter is recorded late (the Late-Change-Reason header). */
  lateChangeReason?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY = /^[A-Za-z0-9_.:-]{1,100}$/;

/** Builds a context for an actor outside HTTP (the CLI). */
export const systemContext = (actorId: string, actorRole = 'system'): CommandContext => {
  const id = randomUUID();
  return { actorId, actorRole, commandId: id, correlationId: id, causationId: id, now: new Date().toISOString() };
};

/**
 * The actor always comes from the authenticated principal, never from the body. The
 * Idempotency-Key and X-Correlation-Id headers are honoured when well formed.
 */
export function contextFromRequest(request: Request & { principal?: Principal }): CommandContext {
  const principal = request.principal;
  if (!principal) throw new Error('No principal on a command route: is the route missing its guard?');
  const key = request.header('idempotency-key');
  if (key !== undefined && !KEY.test(key)) {
    throw new BadRequestException('Idempotency-Key must be 1-100 letters, digits or the characters _ . : -');
  }
  const correlation = request.header('x-correlation-id');
  // Keys are scoped to the caller: two people choosing the same key never see each other's result.
  const commandId = key ? `${principal.userId}:${key}` : randomUUID();
  const correlationId = correlation && UUID.test(correlation) ? correlation.toLowerCase() : randomUUID();
  const lateChangeReason = request.header(LATE_CHANGE_REASON_HEADER);
  return {
    ...(key ? { requestHash: requestFingerprint(request) } : {}),
    ...(lateChangeReason ? { lateChangeReason } : {}),
    actorId: principal.userId,
    actorRole: principal.role,
    commandId,
    correlationId,
    causationId: correlationId,
    now: new Date().toISOString(),
  };
}

/**
 * SHA-256 over method, path (without the query) and the body as RFC 8785 canonical JSON, so
 * key order and spacing do not count but any change of value does. 32 hex characters.
 */
export function requestFingerprint(request: Pick<Request, 'method' | 'originalUrl' | 'body'>): string {
  const path = request.originalUrl.split('?')[0];
  let body: string;
  try {
    body = canonicalize(request.body ?? null) ?? 'null';
  } catch {
    // Not representable canonically (a non-finite number): still a stable fingerprint.
    body = JSON.stringify(request.body ?? null);
  }
  return createHash('sha256').update(`${request.method}\u0000${path}\u0000${body}`).digest('hex').slice(0, 32);
}

/** Controller parameter: `@Ctx() context: CommandContext`. */
export const Ctx = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  contextFromRequest(ctx.switchToHttp().getRequest()),
);

/** Controller parameter: `@Caller() principal: Principal`, the signed-in caller (set by the global AuthGuard). */
export const Caller = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest<{ principal: Principal }>().principal,
);
