import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { AppConfig } from '../config/app-config';

/**
 * Who a request counts against: the personal access token it carries (as a hash, so the
 * token itself is never kept in memory as a key), or the client address when there is none.
 * Token guessing without a valid token is therefore limited per address.
 */
export function rateLimitTracker(request: Pick<Request, 'headers' | 'ip'>): string {
  const authorization = request.headers.authorization;
  const bearer = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : undefined;
  if (bearer) return `token:${createHash('sha256').update(bearer).digest('hex').slice(0, 32)}`;
  return `ip:${request.ip ?? 'unknown'}`;
}

export const RATE_LIMIT_MESSAGE = 'Too many requests from this token. Please wait a minute and try again.';

/**
 * RATE_LIMIT_PER_MINUTE requests per token over all routes together (one bucket per token,
 * not per route). Counters live in this instance's memory: behind N instances the effective
 * limit is up to N times the setting.
 */
@Module({})
export class RateLimitModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'per-token', ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE }],
          getTracker: (request) => rateLimitTracker(request as Request),
          generateKey: (_context, tracker, name) => `${name}:${tracker}`,
          errorMessage: RATE_LIMIT_MESSAGE,
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
    };
  }
}
