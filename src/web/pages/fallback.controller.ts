import { Controller, Get, NotFoundException, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { WebErrorFilter } from '../web-errors.filter';

/** Registered last: any other GET is "Page not found" (a JSON 404 under /api/, as before). */
@ApiExcludeController()
@UseFilters(WebErrorFilter)
@Controller()
export class FallbackController {
  @Get('*path')
  notFound(): never {
    throw new NotFoundException('There is no such page.');
  }
}
