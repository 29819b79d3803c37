import { ConsoleLogger, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { AppModule } from './app.module';
import { type AppConfig, prepareDataDir } from './config';
import { refuseHostileBody, BODY_LIMIT, HttpErrorFilter, validationPipe } from './core';

const LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;

/** Structured JSON logs at the configured level. */
export function createLogger(config: AppConfig): LoggerService {
  return new ConsoleLogger({ json: true, logLevels: [...LEVELS.slice(0, LEVELS.indexOf(config.LOG_LEVEL) + 1)] });
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
  // Behind a TLS-terminating proxy: believe its X-Forwarded-Proto (Secure cookies, https redirects).
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  // Security headers on every response, errors included (so before the body parser). No
  // upgrade-insecure-requests: TLS ends at the proxy (HSTS covers browsers), and on plain-HTTP
  // development or test servers it would send page assets to an https:// that does not exist.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
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
  return app;
}
