import type { ExecutionContext } from '@nestjs/common';
import { InterceptorsConsumer } from '@nestjs/core/interceptors/interceptors-consumer';
import { isObservable, lastValueFrom, type Observable } from 'rxjs';
import { RequestInterceptor, type AsAtReader, type AsAtRequest, type RouteAccessRecorder } from './as-at-reader';

/**
 * RequestInterceptor's fast path: a request it has nothing to do for is handed to the handler the
 * way Nest hands it on a route without interceptors (no rxjs chain); any other takes Nest's path.
 */
describe('RequestInterceptor (a request with nothing to do goes straight to the handler)', () => {
  const runs: bigint[] = [];
  const reader = {
    run: <T>(position: bigint, _asAt: string, work: () => Promise<T>): Promise<T> => {
      runs.push(position);
      return work();
    },
  } as unknown as AsAtReader;
  let recordings = 0;
  let record = false;
  const recorder: RouteAccessRecorder = {
    recordingFor: () => (record ? { before: () => Promise.resolve(void recordings++) } : null),
  };
  const interceptor = new RequestInterceptor(reader, recorder);
  const consumer = new InterceptorsConsumer();
  class Controller {
    handler(): string {
      return 'answer';
    }
  }
  const instance = new Controller();
  let handled = 0;
  const next = (): Promise<unknown> => Promise.resolve(`answer ${++handled}`);
  const intercept = (request: Partial<AsAtRequest>, interceptors: unknown[] = [interceptor]): Promise<unknown> =>
    consumer.intercept(
      interceptors as never,
      [request, {}, () => undefined],
      instance,
      Controller.prototype.handler.bind(instance) as never,
      next,
      'http',
    );
  const value = async (result: unknown): Promise<unknown> =>
    isObservable(result) ? lastValueFrom(result as Observable<unknown>) : result;

  beforeEach(() => {
    runs.length = 0;
    recordings = 0;
    record = false;
    handled = 0;
  });

  it('given a request without asAt, refusal or access to record, then the handler’s answer comes back as it is', async () => {
    const result = await intercept({ method: 'GET' });
    expect(isObservable(result)).toBe(false);
    expect(result).toBe('answer 1');
    expect(handled).toBe(1);
  });

  it('given an as-at request, then the handler runs inside the as-at scope, through the interceptor', async () => {
    const result = await intercept({ method: 'GET', asAt: { position: 7n, asAt: '2020-01-01T00:00:00.000Z' } });
    expect(isObservable(result)).toBe(true);
    expect(await value(result)).toBe('answer 1');
    expect(runs).toEqual([7n]);
  });

  it('given a route that records access, then the access is recorded before the handler runs', async () => {
    record = true;
    const result = await intercept({ method: 'GET' });
    expect(isObservable(result)).toBe(true);
    expect(await value(result)).toBe('answer 1');
    expect(recordings).toBe(1);
  });

  it('given another interceptor beside it, then Nest’s own chain runs (both interceptors)', async () => {
    let other = 0;
    const counting = {
      intercept: (_context: ExecutionContext, handler: { handle: () => Observable<unknown> }) => {
        other++;
        return handler.handle();
      },
    };
    const result = await intercept({ method: 'GET' }, [counting, interceptor]);
    expect(await value(result)).toBe('answer 1');
    expect(other).toBe(1);
  });
});
