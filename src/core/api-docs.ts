import { applyDecorators, Get, HttpCode, Patch, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
  type ApiResponseMetadata,
} from '@nestjs/swagger';
import { DecideResultView } from './decide-result.view';

/** The one error shape (see http-errors.ts), for the docs. */
export class ErrorBodyView {
  @ApiProperty({ example: 422 }) statusCode!: number;
  @ApiProperty({ example: 'Unprocessable Entity' }) error!: string;
  @ApiProperty({ example: 'The team is already called "CIN North".' }) message!: string;
  @ApiPropertyOptional({
    description: 'For 400: [{ field, problems[] }] per failing field. For 404/409/422: { code } naming the rule.',
    example: { code: 'TEAM_NAME_UNCHANGED' },
  })
  details?: unknown;
}

/** The responses every signed-in route can give, documented once. */
export const ApiSignedIn = (): ClassDecorator & MethodDecorator =>
  applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ type: ErrorBodyView, description: 'No valid personal access token.' }),
    ApiForbiddenResponse({ type: ErrorBodyView, description: 'Your role may not do this.' }),
  );

/** Command routes: idempotency and bad input. */
export const ApiCommand = (): MethodDecorator =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Send the same key when retrying: the command is recorded once and the first answer is returned.',
    }),
    ApiBadRequestResponse({ type: ErrorBodyView, description: 'Invalid input: `details` lists each failing field.' }),
  );

/** A route's documentation: what it does, what it answers, and when it refuses (one line each). */
export interface RouteDocs {
  /** What the route does (the operation's summary). */
  summary?: string;
  /** The success answer's type; a command's is DecideResultView unless it answers more. */
  type?: ApiResponseMetadata['type'];
  /** What the success answer says. */
  description?: string;
  /** 404: no such record. */
  notFound?: string;
  /** 409: the record's state forbids it. */
  conflict?: string;
  /** 422: a rule refuses it. */
  unprocessable?: string;
}

/** The summary and the refusals a route documents; nothing for what it leaves out. */
const described = ({ summary, notFound, conflict, unprocessable }: RouteDocs): MethodDecorator[] => [
  ...(summary ? [ApiOperation({ summary })] : []),
  ...(notFound ? [ApiNotFoundResponse({ description: notFound })] : []),
  ...(conflict ? [ApiConflictResponse({ description: conflict })] : []),
  ...(unprocessable ? [ApiUnprocessableEntityResponse({ description: unprocessable })] : []),
];

const answer = ({ type, description }: RouteDocs, fallback?: ApiResponseMetadata['type']): ApiResponseMetadata => ({
  ...(type || fallback ? { type: type ?? fallback } : {}),
  ...(description ? { description } : {}),
});

/** `(docs)` on the controller's own path, or `(path, docs)`. */
type RouteArgs<D> = [docs?: D] | [path: string, docs?: D];
const pathAndDocs = <D>(args: RouteArgs<D>): [string | undefined, D] =>
  typeof args[0] === 'string' ? [args[0], (args[1] ?? {}) as D] : [undefined, (args[0] ?? {}) as D];

/**
 * A command that records something new: `POST path`, idempotent (ApiCommand), answering 201 with
 * what was recorded: `@CommandRoute(':id/actions', { notFound: 'No such audit.' })`.
 */
export const CommandRoute = (...args: RouteArgs<RouteDocs>): MethodDecorator => {
  const [path, docs] = pathAndDocs(args);
  return applyDecorators(Post(path), ApiCommand(), ApiCreatedResponse(answer(docs, DecideResultView)), ...described(docs));
};

/**
 * A command on a record that exists: `POST path` answering 200 (or `PUT`/`PATCH` with `method`),
 * idempotent (ApiCommand), with what was recorded.
 */
export const ChangeRoute = (...args: RouteArgs<RouteDocs & { method?: 'put' | 'patch' }>): MethodDecorator => {
  const [path, docs] = pathAndDocs(args);
  return applyDecorators(
    ...(docs.method === 'put' ? [Put(path)] : docs.method === 'patch' ? [Patch(path)] : [Post(path), HttpCode(200)]),
    ApiCommand(),
    ApiOkResponse(answer(docs, DecideResultView)),
    ...described(docs),
  );
};

/** A read: `GET path`, answering 200 with `type` (as at `asAt` too, as every GET). */
export const QueryRoute = (...args: RouteArgs<RouteDocs>): MethodDecorator => {
  const [path, docs] = pathAndDocs(args);
  return applyDecorators(Get(path), ...(docs.type || docs.description ? [ApiOkResponse(answer(docs))] : []), ...described(docs));
};
