import type { NextFunction, Request, Response } from 'express';

/** Keys that can reach an object's prototype when merged or transformed: never legitimate in Casetrail's API. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** No command body needs more than a few levels; 16 leaves ample room. */
export const MAX_DEPTH = 16;

/**
 * What is wrong with a parsed JSON body, in words, or null: a forbidden key anywhere, or a
 * number too large for JavaScript (1e309 parses as Infinity). Iterative, so deep nesting
 * cannot overflow the stack.
 */
export function bodyProblem(value: unknown): string | null {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length) {
    const [current, depth] = pending.pop()!;
    if (typeof current === 'number' && !Number.isFinite(current)) return 'The request body holds a number too large to use.';
    if (typeof current !== 'object' || current === null) continue;
    // class-transformer and class-validator recurse: thousands of levels overflow their stack.
    if (depth >= MAX_DEPTH) return `The request body is nested too deeply (more than ${MAX_DEPTH} levels).`;
    for (const key of Object.keys(current)) {
      if (FORBIDDEN_KEYS.has(key)) return `The request body may not contain the key "${key}".`;
      pending.push([(current as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return null;
}

/**
 * Refuses a JSON body holding "__proto__", "constructor" or "prototype" as a key, at any depth,
 * before any code copies or transforms it (class-transformer does not refuse "constructor",
 * so the validation pipe alone let it through), non-finite numbers and deep nesting. Answered as 400 by HttpErrorFilter.
 */
export function refuseHostileBody(request: Request, _response: Response, next: NextFunction): void {
  const problem = bodyProblem(request.body);
  if (problem === null) return next();
  next(
    Object.assign(new Error(problem), {
      status: 400,
      expose: true,
      type: 'entity.hostile',
    }),
  );
}
