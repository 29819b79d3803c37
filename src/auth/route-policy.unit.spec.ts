import { Controller, Get, Post } from '@nestjs/common';
import type { ModulesContainer } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { API_POLICY, routesWithoutRule } from './policy';
import { registeredRoutes } from './registered-routes';

@Controller('api/v1/teams')
class KnownController {
  @Get(':id') one(): void {}
  @Post() add(): void {}
}

@Controller('api/v1/forgotten')
class ForgottenController {
  @Get() list(): void {}
  @Post(':id/things') add(): void {}
  helper(): void {} // not a route
}

/** Just enough of Nest's module container for route discovery. */
const modulesWith = (...controllers: (new () => unknown)[]): ModulesContainer =>
  new Map([['m', { controllers: new Map(controllers.map((c) => [c, { metatype: c }])) }]]) as unknown as ModulesContainer;

const guardFor = (modules: ModulesContainer): AuthGuard =>
  new AuthGuard(modules, null as never, null as never, null as never, null as never, null as never, null as never, []);

describe('every route has a rule in the access policy', () => {
  it('routes are found as "<METHOD> <path>", with the controller prefix and no doubled slashes', () => {
    expect(registeredRoutes(modulesWith(KnownController, ForgottenController))).toEqual([
      'GET /api/v1/forgotten',
      'GET /api/v1/teams/:id',
      'POST /api/v1/forgotten/:id/things',
      'POST /api/v1/teams',
    ]);
  });

  it('the application refuses to start while an API route has no rule, and names each one', () => {
    expect(() => guardFor(modulesWith(KnownController, ForgottenController)).onApplicationBootstrap()).toThrow(
      /GET \/api\/v1\/forgotten\n- POST \/api\/v1\/forgotten\/:id\/things/,
    );
    expect(() => guardFor(modulesWith(KnownController)).onApplicationBootstrap()).not.toThrow();
  });

  it('every API rule lets at least one role in or is public, and no limit is dead (it applies to a role the rule allows)', () => {
    for (const [key, rule] of Object.entries(API_POLICY)) {
      if ('public' in rule) continue;
      expect([key, rule.roles.length > 0]).toEqual([key, true]);
      const limit = 'limit' in rule ? rule.limit : undefined;
      if (limit) expect([key, limit.for.some((role) => (rule.roles as readonly string[]).includes(role))]).toEqual([key, true]);
    }
    expect(routesWithoutRule(['GET /api/v1/teams/:id', 'GET /nowhere'])).toEqual(['GET /nowhere']);
  });
});
