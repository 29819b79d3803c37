import type { Request } from 'express';
import type { Principal } from '../shared';

/** A request the global AuthGuard let through: it carries the signed-in caller (request.principal). */
export type SignedInRequest = Request & { principal: Principal };
