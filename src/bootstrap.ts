import { ConsoleLogger, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Express, Response } from 'express';
import helmet from 'helmet';
import { AppModule } from './app.module';
import { type AppConfig, prepareDataDir } from './config';
import {
  cachedJson,
  refuseHostileBody,
  BODY_LIMIT,
  HttpErrorFilter,
  validationPipe,
  checkRoutePrefixes,
  type RouterLayer,
  sameHeadersEveryTime,
} from './core';

const LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;

/** Structured JSON logs at the configured level. */
export function createLogger(config: AppConfig): LoggerService {
  return new ConsoleLogger({ json: true, logLevels: [...LEVELS.slice(0, LEVELS.indexOf(config.LOG_LEVEL) + 1)] });
}

type Handle = (this: unknown, ...args: unknown[]) => unknown;
type EtagFn = (body: Buffer | string, encoding?: BufferEncoding) => string | undefined;

/**
 * An answer that ReadCache gave (a team, the team list, a team's ratings: the hot GETs) is sent as
 * the JSON serialised once for it, with the ETag worked out once for that JSON, instead of a
 * JSON.stringify, a conversion to bytes and a SHA-1 per request. Everything else Express does
 * (Content-Length, freshness and 304, HEAD) is unchanged, and so is every header: the same
 * `application/json; charset=utf-8` and the same weak ETag Express would compute from the bytes.
 * Any other value, or an app with JSON settings of its own, takes Express's own path.
 */
function answerCachedJsonOnce(app: NestExpressApplication): void {
  const express = app.getHttpAdapter().getInstance() as Express;
  // Only the bytes of cached answers (which never change) have their ETag kept.
  const etags = new WeakMap<Buffer, string>();
  const etagOf = express.get('etag fn') as EtagFn | undefined;
  if (typeof etagOf === 'function') {
    express.set(
      'etag fn',
      ((body, encoding) => (Buffer.isBuffer(body) && etags.get(body)) || etagOf(body, encoding)) satisfies EtagFn,
    );
  }
  const response = express.response as Response;
  const json = response.json;
  response.json = function (this: Response, value: unknown) {
    const plain = !express.get('json escape') && !express.get('json replacer') && !express.get('json spaces');
    const body = plain && !this.get('Content-Type') ? cachedJson(value) : undefined;
    if (body === undefined) return json.call(this, value);
    if (typeof etagOf === 'function' && !etags.has(body)) {
      const etag = etagOf(body);
      if (etag !== undefined) etags.set(body, etag);
    }
    this.setHeader('Content-Type', 'application/json; charset=utf-8');
    return this.send(body);
  };
}

/** The HTTP application, configured exactly as in production (main.ts and the e2e tests use this). */
export async function createApp(
  config: AppConfig,
  logger: LoggerService | false = createLogger(config),
): Promise<NestExpressApplication> {
  prepareDataDir(config.dataDir);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, 'server'), {
    logger: logger === false ? false : logger,
    bodyParser: false,
  });
  app.disable('x-powered-by');
  answerCachedJsonOnce(app);
  // Behind a TLS-terminating proxy: believe its X-Forwarded-Proto (Secure cookies, https redirects).
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  // Security headers on every response, errors included (so before the body parser). No
  // upgrade-insecure-requests: TLS ends at the proxy (HSTS covers browsers), and on plain-HTTP
  // development or test servers it would send page assets to an https:// that does not exist.
  app.use(sameHeadersEveryTime(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } })));
  // Closed by default: without CORS_ORIGINS no Access-Control-* header is ever sent.
  if (config.corsOrigins.length) app.enableCors({ origin: config.corsOrigins, credentials: false });
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.use(refuseHostileBody);
  // Nest would turn a JSON syntax error into a 400 quoting the parser; pass the parser's own
  // error on instead, so HttpErrorFilter answers in plain words.
  app.use((error: unknown, _request: unknown, _response: unknown, next: (error: unknown) => void) =>
    next(
      error instanceof SyntaxError
        ? Object.assign(new Error(error.message), { status: 400, expose: true, type: 'entity.parse.failed' })
        : error,
    ),
  );
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Casetrail API')
      .setDescription(
        'Event-sourced case audits, dispute resolutions and improvement actions for children’s services. ' +
          'Every route except /health and the docs needs "Authorization: Bearer <personal access token>". ' +
          'Errors are { statusCode, error, message, details? }.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  // Every route is registered by the first request (app.listen initialises the app first): the
  // router's layers get their prefix checks then, once, and Express's own handle is put back.
  const express = app.getHttpAdapter().getInstance() as unknown as { handle: Handle; router: { stack: RouterLayer[] } };
  const handle = express.handle;
  express.handle = function (this: unknown, ...args: unknown[]): unknown {
    express.handle = handle;
    checkRoutePrefixes(express.router.stack);
    return handle.apply(this, args);
  };
  return app;
}
