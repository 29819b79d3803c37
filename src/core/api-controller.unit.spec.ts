import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA, SELF_DECLARED_DEPS_METADATA } from '@nestjs/common/constants';
import { changeRoute, forwardTo, queryRoute } from './api-controller';

class IdParam {
  id!: string;
}
class CloseDto {
  reason!: string;
}
class Things {
  close(route: IdParam, body: CloseDto, context: { now: string }): string {
    return `${route.id} ${body.reason} ${context.now}`;
  }
  list(): string[] {
    return [];
  }
}

class ThingsController extends forwardTo(Things, {
  close: changeRoute(':id/close', { params: IdParam, body: CloseDto, notFound: 'No such thing.' }),
  list: queryRoute({}),
}) {}

describe('forwardTo', () => {
  const prototype = ThingsController.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;

  it('hands each route its arguments in order to the use case method of the same name', () => {
    const controller = new ThingsController(new Things()) as unknown as Record<string, (...args: unknown[]) => unknown>;
    expect(controller.close({ id: 't1' }, { reason: 'merged' }, { now: 'today' })).toBe('t1 merged today');
  });

  it('gives Nest and the docs what decorators on a written method would: route, argument classes and sources, name', () => {
    expect(Reflect.getMetadata(PATH_METADATA, prototype.close)).toBe(':id/close');
    expect(Reflect.getMetadata(METHOD_METADATA, prototype.close)).toBe(RequestMethod.POST);
    expect(Reflect.getMetadata('design:paramtypes', prototype, 'close')).toEqual([IdParam, CloseDto, Object]);
    expect(Object.keys(Reflect.getMetadata(ROUTE_ARGS_METADATA, ThingsController, 'close') as object)).toHaveLength(3);
    expect(prototype.close.name).toBe('close');
    expect(Reflect.getMetadata(METHOD_METADATA, prototype.list)).toBe(RequestMethod.GET);
    expect(Reflect.getMetadata('design:paramtypes', prototype, 'list')).toEqual([]);
  });

  it('refuses a misspelt docs key (the compiler does; typecheck runs over the specs)', () => {
    // @ts-expect-error `notfound` is no RouteDocs key: the 404 would go undocumented.
    expect(() => queryRoute({ notfound: 'No such thing.' })).not.toThrow();
  });

  it('injects the use cases into the controller', () => {
    expect(Reflect.getMetadata(SELF_DECLARED_DEPS_METADATA, ThingsController)).toEqual([{ index: 0, param: Things }]);
  });
});
