import { applyDecorators, Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiSignedIn } from './api-docs';

/**
 * An API controller: its routes under `path`, grouped under `tag` in the docs, every one for
 * signed-in callers only (ApiSignedIn): `@ApiController('teams', 'api/v1/teams')`.
 */
export const ApiController = (tag: string, path: string): ClassDecorator =>
  applyDecorators(ApiTags(tag), ApiSignedIn(), Controller(path));
