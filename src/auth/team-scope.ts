import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/**
 * The teams a list may show the caller, as the access policy says (set by AuthGuard):
 * null = every team; otherwise only these. Handlers of list routes narrow their rows with it.
 */
export const TeamScope = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): string[] | null =>
    ctx.switchToHttp().getRequest<{ teamScope?: string[] | null }>().teamScope ?? null,
);
