import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sameHeadersEveryTime, type HeaderMiddleware } from './static-headers';

/** A response that keeps its headers, in order, as node:http would. */
const response = (): ServerResponse & { headers: Map<string, string> } => {
  const headers = new Map<string, string>([['x-powered-by', 'Express']]);
  return {
    headers,
    setHeader: (name: string, value: unknown) => headers.set(name.toLowerCase(), String(value)),
    removeHeader: (name: string) => headers.delete(name.toLowerCase()),
  } as unknown as ServerResponse & { headers: Map<string, string> };
};
const run = (middleware: HeaderMiddleware): Map<string, string> => {
  const res = response();
  let called = 0;
  middleware({} as IncomingMessage, res, (error?: unknown) => {
    expect(error).toBeUndefined();
    called++;
  });
  expect(called).toBe(1);
  return res.headers;
};

describe('sameHeadersEveryTime (helmet’s headers, recorded once)', () => {
  it('given helmet as the app configures it, then every response gets exactly helmet’s headers', () => {
    const configured = helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }) as HeaderMiddleware;
    const recorded = sameHeadersEveryTime(configured);
    expect(recorded).not.toBe(configured);
    const expected = [...run(configured)];
    expect(expected.length).toBeGreaterThan(10);
    expect([...run(recorded)]).toEqual(expected);
    expect([...run(recorded)]).toEqual(expected);
  });

  it('given a middleware that reads the request or response, or does not call next at once, then it runs itself', () => {
    const reads: HeaderMiddleware = (request, res, next) => {
      res.setHeader('X-Method', String(request.method));
      next();
    };
    const readsResponse: HeaderMiddleware = (_request, res, next) => {
      if (!res.getHeader('X-A')) res.setHeader('X-A', '1');
      next();
    };
    const later: HeaderMiddleware = (_request, res, next) => {
      setImmediate(() => next());
      res.setHeader('X-A', '1');
    };
    expect(sameHeadersEveryTime(reads)).toBe(reads);
    expect(sameHeadersEveryTime(readsResponse)).toBe(readsResponse);
    expect(sameHeadersEveryTime(later)).toBe(later);
  });
});
