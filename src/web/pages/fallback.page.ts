import { Get, Next, NotFoundException, Req } from '@nestjs/common';
import { PageController } from '../kit';
import type { NextFunction, Request } from 'express';

/**
 * Any other GET outside /api/ is "Page not found". Nest registers some API modules' routes after
 * this one (module order is not import order), so /api/ paths are passed on, never answered here:
 * the API's own route, or its JSON 404, answers them.
 */
@PageController()
export class FallbackController {
  @Get('*path')
  notFound(@Req() request: Request, @Next() next: NextFunction): void {
    if (request.path === '/api' || request.path.startsWith('/api/')) return next();
    throw new NotFoundException('There is no such page.');
  }
}
