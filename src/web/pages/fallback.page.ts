import { Controller, Get, Next, NotFoundException, Req, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request } from 'express';
import { WebErrorFilter } from '../web-errors.filter';

/**
 * Any other GET outside /api/ is "Page not found". Nest registers some API modules' routes after
 * this one (module order is not import order), so /api/ paths are passed on, never answered here:
 * the API's own route, or its JSON 404, answers them.
 */
@ApiExcludeController()
@UseFilters(WebErrorFilter)
@Controller()
export class FallbackController {
  @Get('*path')
  notFound(@Req() request: Request, @Next() next: NextFunction): void {
    if (request.path === '/api' || request.path.startsWith('/api/')) return next();
    throw new NotFoundException('There is no such page.');
  }
}
