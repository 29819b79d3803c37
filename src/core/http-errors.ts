import {
  BadRequestException,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  PayloadTooLargeException,
  ValidationPipe,
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

/** whitelist + forbidNonWhitelisted: unknown fields are refused, never silently dropped. */
export const validationPipe = (): ValidationPipe => {
  // Each DTO class's rules are worked out once, not on every request.
  cacheValidationMetadata();
  return new ValidationPipe({
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
