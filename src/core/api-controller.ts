import { applyDecorators, Body, Controller, Inject, Param, Query, type Type } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiSignedIn, ChangeRoute, CommandRoute, QueryRoute, type RouteDocs } from './api-docs';
import { Ctx, type CommandContext } from './command-context';

/**
 * An API controller: its routes under `path`, grouped under `tag` in the docs, every one for
 * signed-in callers only (ApiSignedIn): `@ApiController('teams', 'api/v1/teams')`.
 */
export const ApiController = (tag: string, path: string): ClassDecorator =>
  applyDecorators(ApiTags(tag), ApiSignedIn(), Controller(path));

/** Where a route's argument comes from, and the class it is validated (and documented) as. `T` only types it. */
export interface RouteArg<T> {
  readonly decorator: ParameterDecorator;
  readonly type: Type<T> | typeof Object;
  readonly typed?: T;
}

/** An argument from a parameter decorator of its own (`from<string[] | null>(TeamScope())`), not validated. */
export const from = <T>(decorator: ParameterDecorator): RouteArg<T> => ({ decorator, type: Object });
/** The path's parameters (`:id`), validated as `type`. */
export const fromPath = <T>(type: Type<T>): RouteArg<T> => ({ decorator: Param(), type });
/** The JSON body, validated as `type`. */
export const fromBody = <T>(type: Type<T>): RouteArg<T> => ({ decorator: Body(), type });
/** The query string, validated as `type`. */
export const fromQuery = <T>(type: Type<T>): RouteArg<T> => ({ decorator: Query(), type });
/** The command's context: who, when, under which command id (see Ctx). */
export const commandContext = from<CommandContext>(Ctx());

/**
 * What a forwarded route hands its use case, in this order: the path's parameters (`params`), the
 * body (`body`) or query string (`query`), each validated as its class; a command's context; then
 * `also`. A use case taking them in another order lists them all in `args` instead.
 */
interface RouteInput {
  params?: Type;
  body?: Type;
  query?: Type;
  also?: readonly RouteArg<unknown>[] | [];
  args?: readonly RouteArg<unknown>[] | [];
}

type ValuesOf<R> = { -readonly [I in keyof R]: R[I] extends RouteArg<infer T> ? T : never };
type Given<S, K extends keyof RouteInput> = S extends { [k in K]: Type<infer T> } ? [T] : [];
type ArgsOf<S, Command extends boolean> = S extends { args: infer R }
  ? ValuesOf<R>
  : [
      ...Given<S, 'params'>,
      ...Given<S, 'body'>,
      ...Given<S, 'query'>,
      ...(Command extends true ? [CommandContext] : []),
      ...(S extends { also: infer X extends readonly unknown[] } ? ValuesOf<X> : []),
    ];

/** One route of a forwarding controller: its decorator and the arguments it hands to the use case. */
export interface ForwardedRoute<A> {
  readonly decorator: MethodDecorator;
  readonly args: { readonly [I in keyof A]: RouteArg<A[I]> };
}

/** The route's input and docs, and nothing else: a misspelt key is an error, not a response left undocumented. */
type Spec<S, D> = S & D & Record<Exclude<keyof S, keyof RouteInput | keyof D>, never>;
const forwarded =
  <D, Command extends boolean>(route: (...pathAndDocs: [D] | [string, D]) => MethodDecorator, command: Command) =>
  <S extends RouteInput>(
    ...pathAndSpec: [spec: Spec<S, D>] | [path: string, spec: Spec<S, D>]
  ): ForwardedRoute<ArgsOf<S, Command>> => {
    const spec = pathAndSpec[pathAndSpec.length - 1] as S & D;
    const { params, body, query, also = [], args, ...docs } = spec;
    const given = [
      ...(params ? [fromPath(params)] : []),
      ...(body ? [fromBody(body)] : []),
      ...(query ? [fromQuery(query)] : []),
      ...(command ? [commandContext] : []),
      ...also,
    ];
    const decorator = pathAndSpec.length === 2 ? route(pathAndSpec[0], docs as D) : route(docs as D);
    return { decorator, args: args ?? given } as unknown as ForwardedRoute<ArgsOf<S, Command>>;
  };

/** A `@CommandRoute` forwarded to the use case method of the same name (see RouteInput). */
export const commandRoute = forwarded<RouteDocs, true>(CommandRoute, true);
/** A `@ChangeRoute` forwarded to the use case method of the same name (see RouteInput). */
export const changeRoute = forwarded<RouteDocs & { method?: 'put' | 'patch' }, true>(ChangeRoute, true);
/** A `@QueryRoute` forwarded to the use case method of the same name (see RouteInput). */
export const queryRoute = forwarded<RouteDocs, false>(QueryRoute, false);

type Routes<U> = {
  [K in keyof U]?: U[K] extends (...args: infer P) => unknown ? ForwardedRoute<P> : never;
};

/**
 * The base of a controller whose routes only forward their arguments to the use case method of the
 * same name: a table (one entry a route, in route order) instead of a method a route repeating the call.
 *   `@ApiController('teams', 'api/v1/teams')`
 *   `export class TeamsController extends forwardTo(TeamUseCases, { close: changeRoute(':id/close',`
 *   `  { params: TeamIdParam, body: CloseTeamDto, notFound: 'No such team.' }) }) {}`
 * The compiler checks each entry's arguments against the method's parameters; Nest and the OpenAPI
 * document see what the decorators on a written method would give them.
 */
export function forwardTo<U extends object>(useCases: Type<U>, routes: Routes<U>): Type<object> {
  class Forwarding {
    constructor(readonly useCases: U) {}
  }
  Inject(useCases)(Forwarding, undefined, 0);
  for (const [method, route] of Object.entries(routes) as [string, ForwardedRoute<unknown[]>][]) {
    // Named after the route: the docs read the operationId and the argument classes by the function's name.
    const forward = {
      [method](this: Forwarding, ...args: unknown[]): unknown {
        return (this.useCases as Record<string, (...args: unknown[]) => unknown>)[method](...args);
      },
    }[method];
    Object.defineProperty(Forwarding.prototype, method, { value: forward, writable: true, configurable: true });
    // What TypeScript emits for a decorated method: the ValidationPipe and the docs read the argument classes from it.
    Reflect.defineMetadata(
      'design:paramtypes',
      route.args.map((arg) => arg.type),
      Forwarding.prototype,
      method,
    );
    route.args.forEach((arg, index) => arg.decorator(Forwarding.prototype, method, index));
    route.decorator(Forwarding.prototype, method, Object.getOwnPropertyDescriptor(Forwarding.prototype, method)!);
  }
  return Forwarding;
}
