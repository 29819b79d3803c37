import type { NextFunction, Request, Response } from 'express';

/** Keys that can reach an object's prototype when merged or transformed: never legitimate in Casetrail's API. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** No command body needs more than a few levels; 16 leaves ample room. */
export const MAX_DEPTH = 16;

export const BROKEN_TEXT_MESSAGE =
  'The request body holds text that is not valid Unicode (a lone surrogate) or a NUL character: remove it and try again.';

/** A NUL character, or a UTF-16 surrogate without its partner ("\ud800" alone is no character at all). */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const BROKEN_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when the text is well-formed Unicode with no NUL: what every free-text field must be. */
export const isCleanText = (text: string): boolean => !BROKEN_TEXT.test(text);

/**
 * What is wrong with a parsed JSON body, in words, or null: a forbidden key anywhere, a
 * number too large for JavaScript (1e309 parses as Infinity), or text (a key or a string
 * value) that is not well-formed Unicode or holds a NUL. Iterative, so deep nesting cannot
 * overflow the stack.
 */
export function bodyProblem(value: unknown): string | null {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length) {
    const [current, depth] = pending.pop()!;
    if (typeof current === 'number' && !Number.isFinite(current)) return 'The request body holds a number too large to use.';
    if (typeof current === 'string' && !isCleanText(current)) return BROKEN_TEXT_MESSAGE;
    if (typeof current !== 'object' || current === null) continue;
    // class-transformer and class-validator recurse: thousands of levels overflow their stack.
    if (depth >= MAX_DEPTH) return `The request body is nested too deeply (more than ${MAX_DEPTH} levels).`;
    for (const key of Object.keys(current)) {
      if (FORBIDDEN_KEYS.has(key)) return `The request body may not contain the key "${key}".`;
      if (!isCleanText(key)) return BROKEN_TEXT_MESSAGE;
      pending.push([(current as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return null;
}

/**
 * Refuses a JSON body holding "__proto__", "constructor" or "prototype" as a key, at any depth,
 * before any code copies or transforms it (class-transformer does not refuse "constructor",
 * so the validation pipe alone let it through), non-finite numbers, deep nesting, and text with a
 * NUL or a lone surrogate (which no store or export can keep faithfully). Answered as 400 by HttpErrorFilter.
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
