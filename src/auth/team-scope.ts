import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/**
 * The teams a list may show the caller, as the access policy says (set by AuthGuard):
 * null = every team; otherwise only these. Handlers of list routes narrow their rows with it.
 */
export const TeamScope = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): string[] | null =>
    ctx.switchToHttp().getRequest<{ teamScope?: string[] | null }>().teamScope ?? null,
);

/** What a list may show the caller: null = everything; otherwise records of these teams, or records they own (raised). */
export interface VisibleRecords {
  teamIds: string[];
  ownerId?: string;
}

export const RecordScope = createParamDecorator((_: unknown, ctx: ExecutionContext): VisibleRecords | null => {
  const request = ctx.switchToHttp().getRequest<{ teamScope?: string[] | null; ownerScope?: string }>();
  if (!request.teamScope) return null;
  return { teamIds: request.teamScope, ...(request.ownerScope ? { ownerId: request.ownerScope } : {}) };
});
