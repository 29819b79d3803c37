import { Catch, Inject, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { HttpErrorFilter, toErrorBody } from '../core';
import { WebViews } from './web-views';
import type { WebRequest } from './web-request';

/**
 * Errors on page routes become pages: not signed in -> the sign-in page (coming back after);
 * 403 -> "You do not have access"; 404 -> "Page not found"; anything unexpected -> a 500 page
 * (logged, never shown). Unknown /api/ paths reaching the page fallback keep the API's JSON.
 */
@Catch()
export class WebErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('WebErrors');
  private readonly api = new HttpErrorFilter();

  constructor(@Inject(WebViews) private readonly views: WebViews) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<WebRequest>();
    const response = host.switchToHttp().getResponse<Response>();
    if (request.path.startsWith('/api/') || request.path === '/api') return this.api.catch(exception, host);
    if (response.headersSent) return;
    const { statusCode, message } = toErrorBody(exception, this.logger);
    if (statusCode === 401) {
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.originalUrl)}` : '';
      response.redirect(303, `/sign-in${next}`);
      return;
    }
    const template =
      statusCode === 403
        ? 'errors/403.njk'
        : statusCode === 404
          ? 'errors/404.njk'
          : statusCode >= 500
            ? 'errors/500.njk'
            : 'errors/problem.njk';
    try {
      this.views.send(request, response, template, { statusCode, message }, statusCode);
    } catch (renderError) {
      this.logger.error(renderError instanceof Error ? (renderError.stack ?? renderError.message) : String(renderError));
      response.status(statusCode).type('text').send(message);
    }
  }
}
