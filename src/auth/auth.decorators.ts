import { SetMetadata } from '@nestjs/common';
import type { Role } from './principal';

export const IS_PUBLIC = 'casetrail:public';
export const ALLOWED_ROLES = 'casetrail:roles';

/** No token needed (health, docs). Everything else is signed in. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route; without it, any signed-in role may. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ALLOWED_ROLES, roles);
