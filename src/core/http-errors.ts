import {
  BadRequestException,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  PayloadTooLargeException,
  ValidationPipe,
  type ArgumentMetadata,
  type ArgumentsHost,
  type ExceptionFilter,
  type ValidationError,
} from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { EventIdConflictError, WrongExpectedRevisionError } from '@casetrail/event-store';
import { DomainError } from '@casetrail/kernel';
import { REQUIRED } from './dto';
import { cacheValidationMetadata } from './validation-metadata-cache';

/** The one JSON error shape every route answers with. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown;
}

export interface FieldProblem {
  field: string;
  problems: string[];
}

const DOMAIN_STATUS = { 'not-found': HttpStatus.NOT_FOUND, conflict: HttpStatus.CONFLICT, rule: HttpStatus.UNPROCESSABLE_ENTITY };

/**
 * Flattens class-validator's nested errors into "field.path: problems". A field left empty says only
 * what its `Required` says ("Enter a team name"): its other rules fail only because nothing is there.
 */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const constraints = e.constraints?.[REQUIRED] ? { [REQUIRED]: e.constraints[REQUIRED] } : e.constraints;
    const own = constraints ? [{ field, problems: Object.values(constraints) }] : [];
    return [...own, ...fieldProblems(e.children ?? [], field)];
  });
}

export class InvalidInputException extends BadRequestException {
  constructor(readonly fields: FieldProblem[]) {
    super(`Some fields are not valid: ${fields.map((f) => f.field).join(', ')}`);
  }
}

/** Query strings and route parameters kept per DTO class, past which the pipe starts again rather than grow. */
export const VALIDATED_INPUTS_MAX = 1_000;

/** An object whose own values are all text (a query string's or a route's parameters), else false. */
const allText = (value: unknown): value is Record<string, string> =>
  value !== null && typeof value === 'object' && Object.values(value).every((v) => typeof v === 'string');

/** An object whose own values are all primitives: a copy of its own properties is the whole of it. */
const flat = (value: unknown): value is object =>
  value !== null && typeof value === 'object' && Object.values(value).every((v) => v === null || typeof v !== 'object');

/**
 * ValidationPipe, which validates the same query strings and route parameters on every GET again
 * (a team view asks the same ?from=&to= over and over): a query or route parameter object of plain
 * text that passed validation is remembered per DTO class and that text, and the next request with
 * the same text gets a fresh copy of the same validated DTO instead of class-transformer and
 * class-validator running again. Only a DTO whose fields are all primitives is remembered (a copy
 * of it is exact), only one that passed (a refusal is worked out each time, with its messages), and
 * nothing of a body. Rules are fixed when the DTO classes are declared, so the same text always
 * gives the same answer.
 */
export class RememberingValidationPipe extends ValidationPipe {
  private readonly passed = new Map<unknown, Map<string, object>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype;
    if ((metadata.type !== 'query' && metadata.type !== 'param') || !type || !allText(value)) {
      return super.transform(value, metadata);
    }
    const key = JSON.stringify(value);
    let forType = this.passed.get(type);
    const hit = forType?.get(key);
    if (hit) return Object.assign(Object.create(Object.getPrototypeOf(hit) as object | null) as object, hit);
    const result: unknown = await super.transform(value, metadata);
    if (flat(result) && result instanceof type) {
      if (!forType) this.passed.set(type, (forType = new Map()));
      if (forType.size >= VALIDATED_INPUTS_MAX) forType.clear();
      forType.set(
        key,
        Object.freeze(Object.assign(Object.create(Object.getPrototypeOf(result) as object | null) as object, result)),
      );
    }
    return result;
  }
}

/** whitelist + forbidNonWhitelisted: unknown fields are refused, never silently dropped. */
export const validationPipe = (): ValidationPipe => {
  // Each DTO class's rules are worked out once, not on every request.
  cacheValidationMetadata();
  return new RememberingValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new InvalidInputException(fieldProblems(errors)),
  });
};

export const BODY_LIMIT = '64kb';

const BODY_PARSER_MESSAGES: Record<string, string> = {
  'entity.parse.failed': 'The request body is not valid JSON.',
  'entity.too.large': `The request body is too large (the limit is ${BODY_LIMIT.replace('kb', ' KB')}).`,
  'encoding.unsupported': 'The request body must be UTF-8.',
  'charset.unsupported': 'The request body must be UTF-8.',
};

/** A refusal found before Nest routed the request (see withFileSizeLimit), kept for the route. */
const REFUSAL = Symbol('refusal');
type RefusableRequest = Request & { [REFUSAL]?: HttpException };

/** The refusal withFileSizeLimit kept on this request, if any (RequestInterceptor throws it). */
export const refusalOf = (request: Request): HttpException | undefined => (request as RefusableRequest)[REFUSAL];

/**
 * A multipart upload middleware (multer) whose files are limited to `maxBytes`, answering a file
 * over the limit with 413 in plain words, the limit included: multer's own error says only "File
 * too large" and is no HTTP error, so it became a 500. Not passed on as a middleware error (those
 * reach only the global JSON filter): kept on the request and thrown when the route runs, after
 * sign-in and the CSRF check, so a page route answers with its error page.
 */
export function withFileSizeLimit(upload: RequestHandler, maxBytes: number): RequestHandler {
  const limit = `${Math.round(maxBytes / 1024 / 1024)} MB`;
  return (request, response, next) =>
    upload(request, response, (error?: unknown) => {
      if ((error as { code?: unknown } | undefined)?.code !== 'LIMIT_FILE_SIZE') return next(error);
      (request as RefusableRequest)[REFUSAL] = new PayloadTooLargeException(
        `The selected file is too large: it must be smaller than ${limit}. Split it into smaller files and upload each one.`,
      );
      next();
    });
}

const body = (statusCode: number, message: string, details?: unknown): ErrorBody => ({
  statusCode,
  error: STATUS_CODES[statusCode] ?? 'Error',
  message,
  ...(details === undefined ? {} : { details }),
});

/** Maps every error to ErrorBody. Unexpected errors are logged here and never reach the client. */
export function toErrorBody(exception: unknown, logger: Logger): ErrorBody {
  if (exception instanceof InvalidInputException) return body(400, exception.message, exception.fields);
  if (exception instanceof DomainError) return body(DOMAIN_STATUS[exception.kind], exception.message, { code: exception.code });
  if (exception instanceof WrongExpectedRevisionError || exception instanceof EventIdConflictError) {
    return body(409, 'This record was changed by someone else at the same time. Reload it and try again.');
  }
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : Array.isArray((response as { message?: unknown }).message)
          ? (response as { message: string[] }).message.join('; ')
          : String((response as { message?: unknown }).message ?? exception.message);
    return body(exception.getStatus(), message);
  }
  // Errors raised by the body parser before Nest sees the request.
  const parserError = exception as { status?: unknown; expose?: unknown; type?: unknown; message?: unknown };
  if (typeof parserError?.status === 'number' && parserError.status < 500 && parserError.expose === true) {
    const message = BODY_PARSER_MESSAGES[String(parserError.type)] ?? String(parserError.message);
    return body(parserError.status, message);
  }
  logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  return body(500, 'Something went wrong on our side. It has been logged; please try again or contact support.');
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const error = toErrorBody(exception, this.logger);
    if (response.headersSent) return;
    response.status(error.statusCode).json(error);
  }
}
