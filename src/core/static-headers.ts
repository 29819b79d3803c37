import type { IncomingMessage, ServerResponse } from 'node:http';

export type HeaderMiddleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * helmet's headers do not depend on the request: they are recorded once, from a response that
 * records what helmet sets and removes, and each response is given them in one loop instead of
 * through helmet's chain of a dozen middlewares. If it looks at the request, does anything but set
 * and remove headers on the response, or does not call next at once, it runs itself on every
 * request as before.
 */
export function sameHeadersEveryTime(middleware: HeaderMiddleware): HeaderMiddleware {
  const steps: [name: string, value: string | null][] = [];
  let recorded = false;
  let unexpected = false;
  const recorder = new Proxy({} as ServerResponse, {
    get: (_target, property) => {
      if (property === 'setHeader') {
        return (name: string, value: unknown) => {
          if (typeof value === 'string') steps.push([name, value]);
          else unexpected = true; // a list or a number: not recorded, helmet runs itself
        };
      }
      if (property === 'removeHeader') return (name: string) => steps.push([name, null]);
      unexpected = true;
      return undefined;
    },
  });
  // Any look at the request means its headers may depend on it.
  const request = new Proxy({} as IncomingMessage, {
    get: () => {
      unexpected = true;
      return undefined;
    },
  });
  try {
    middleware(request, recorder, (error?: unknown) => {
      recorded = error === undefined;
    });
  } catch {
    return middleware;
  }
  if (!recorded || unexpected) return middleware;
  return (_request, response, next) => {
    for (const [name, value] of steps) {
      if (value === null) response.removeHeader(name);
      else response.setHeader(name, value);
    }
    next();
  };
}
